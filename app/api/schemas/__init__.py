"""The API's resources as pydantic models: what the endpoints answer and the webhooks send, and (drawn from
them) the OpenAPI document's schemas."""
