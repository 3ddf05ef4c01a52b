"""Domain errors and how the API layer turns them into JSON.

A service raises a DomainError subclass with a stable machine `code` and a message in the
user's language; views never build error bodies by hand.
"""

from typing import Any

from django.http import JsonResponse


class DomainError(Exception):
    """A refusal the user can understand and act on (never a 500)."""

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class FieldErrors(DomainError):
    """Several invalid input fields at once; `error` is the first, `errors` all of them."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.message, code=first.code, field=first.field, extra=first.extra)
        self.errors = errors


def error_response(exc: DomainError) -> JsonResponse:
    body: dict[str, Any] = {"error": exc.as_dict()}
    if isinstance(exc, FieldErrors):
        body["errors"] = [e.as_dict() for e in exc.errors]
    return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})
