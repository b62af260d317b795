"""Field types shared by the API's schemas: times in UTC with their zone, as the API always writes them."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema


def _utc_text(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat(timespec="seconds").replace("+00:00", "Z")


def _to_stored_utc(value: datetime) -> datetime:
    """An aware time as the database keeps it: UTC, without its zone. A time without a zone is refused."""
    if value.tzinfo is None:
        raise ValueError("give the time with its time zone, such as 2027-06-02T09:15:00Z")
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first time Python can hold in UTC
        raise ValueError("this time is out of range") from None


def _parsed(value):
    """An ISO 8601 text as a datetime (a body is validated strictly, which takes no text for a time). A "+02:00"
    offset typed in a query string arrives as " 02:00" (a + is a space there): it is put back first."""
    if not isinstance(value, str):
        return value
    if len(value) > 6 and value[-6] == " " and value[-3] == ":":
        value = value[:-6] + "+" + value[-5:]
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value  # refused by the validation that follows, with its message


#: A stored (naive UTC) time written as ISO 8601 with "Z".
UtcDateTime = Annotated[datetime, PlainSerializer(_utc_text, return_type=str),
                        WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2027-06-02T09:15:00Z"]})]

#: A time given by a client: with its zone, turned into naive UTC.
AwareDateTime = Annotated[datetime, BeforeValidator(_parsed), AfterValidator(_to_stored_utc),
                          WithJsonSchema({"type": "string", "format": "date-time",
                                          "description": "With its time zone, such as 2027-06-02T09:15:00Z "
                                                         "or 2027-06-02T11:15:00+02:00."})]
