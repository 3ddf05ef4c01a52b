"""The `context` of every ONDC request (Beckn core 1.1.0: location.city.code/country.code).

The schema only checks shape and types. The *values* (domain ONDC:SRV11, version 2.0.0, action
matching the URL, our bpp_id, city in ONDC_CITY_CODES, country IND, timestamp/ttl freshness,
bap_id == signer) are checked by the transport (views.py) and NACKed as CONTEXT-ERROR.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, Field

from .common import DurationStr, OndcModel, Str, Timestamp, parse_duration


def _check_uri(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(("https://", "http://")) or len(value) < 10:
        raise ValueError("must be an absolute http(s) URL")
    return value


Uri = Annotated[str, Field(max_length=500), AfterValidator(_check_uri)]
# Our log columns hold 100 characters; the spec says uuid (36).
MessageId = Annotated[str, Field(min_length=1, max_length=100)]


class CodeRef(OndcModel):
    code: Annotated[str, Field(min_length=1, max_length=50)]
    name: Str | None = None


class ContextLocation(OndcModel):
    city: CodeRef
    country: CodeRef


class Context(OndcModel):
    domain: Annotated[str, Field(min_length=1, max_length=50)]
    action: Annotated[str, Field(min_length=1, max_length=20)]
    version: Annotated[str, Field(min_length=1, max_length=20)]
    location: ContextLocation
    bap_id: Annotated[str, Field(min_length=1, max_length=255)]
    bap_uri: Uri
    bpp_id: Annotated[str, Field(max_length=255)] | None = None
    bpp_uri: Uri | None = None
    transaction_id: MessageId
    message_id: MessageId
    timestamp: Timestamp
    ttl: DurationStr | None = None
    key: Str | None = None

    @property
    def city_code(self) -> str:
        return self.location.city.code

    @property
    def country_code(self) -> str:
        return self.location.country.code

    @property
    def ttl_delta(self) -> timedelta | None:
        """The request's ttl as a timedelta (None when absent)."""
        return parse_duration(self.ttl) if self.ttl else None
