"""ONDC errors: the `error` object of a NACK or of an on_* callback.

Codes are the network's (ONDC error codes for the seller side and the services domain); see
docs/ondc.md for the table. Raise `OndcError` anywhere in the ondc app: the endpoint turns it
into a NACK (HTTP 200, or 401 for authentication), the background handler into an on_* callback
carrying the error.
"""

from __future__ import annotations

# error.type values
JSON_SCHEMA_ERROR = "JSON-SCHEMA-ERROR"
CONTEXT_ERROR = "CONTEXT-ERROR"
DOMAIN_ERROR = "DOMAIN-ERROR"
POLICY_ERROR = "POLICY-ERROR"
CORE_ERROR = "CORE-ERROR"

# error.code values (seller side + services)
INVALID_REQUEST = "30000"
PROVIDER_NOT_FOUND = "30001"
ITEM_NOT_FOUND = "30004"
SERVICEABILITY_LOCATION = "30009"  # location not serviceable
INVALID_SIGNATURE = "30016"
STALE_REQUEST = "30022"
INTERNAL_ERROR = "31001"
ORDER_VALIDATION_FAILURE = "31002"
UNAVAILABLE = "40002"
CANCELLATION_NOT_POSSIBLE = "50001"
UPDATE_NOT_POSSIBLE = "50002"
SCHEDULE_NOT_AVAILABLE = "90001"
INCORRECT_OTP = "90002"
SCHEDULE_NOT_PROVIDED = "90003"


class OndcError(Exception):
    """A refusal in the network's terms."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        type: str = DOMAIN_ERROR,
        http_status: int = 200,
        path: str = "",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.type = type
        self.http_status = http_status
        self.path = path

    def as_error(self) -> dict[str, str]:
        error = {"type": self.type, "code": self.code, "message": self.message}
        if self.path:
            error["path"] = self.path
        return error
