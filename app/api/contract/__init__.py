"""How every endpoint of the public API behaves, declared once: authentication by token, scopes, the edition of
the URL, rate limit, validation of queries and bodies by their schemas, one shape of error, cursor pages,
idempotent writes with an audit row naming the token, and the OpenAPI document drawn from the same declarations.
"""
