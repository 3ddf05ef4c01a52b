"""Domain errors of accounts: what a service refuses, with a stable machine code, an HTTP
status for the API layer and a message for people.

They extend `sevamitra.core.errors.DomainError`, so `core.errors.error_response` renders them
and code that catches the core classes catches these too. `code` never changes once published
(API clients branch on it); `message` is translated into the language active when raised.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sevamitra.core.errors import DomainError as CoreDomainError
from sevamitra.core.errors import PermissionDenied as CorePermissionDenied


class DomainError(CoreDomainError):
    """A refused action. `field` names the input at fault; `retry_after` is in seconds."""

    code = "invalid"
    status = 400
    default_message: str | Promise = _("The action could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(
            message if message is not None else self.default_message,
            code=code,
            field=field,
            status=status,
        )
        self.retry_after = retry_after

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("Check the values you entered.")


class InvalidPhone(DomainError):
    code = "invalid_phone"
    default_message = _("Enter a valid Indian mobile number.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please try again later.")


class OtpMissing(DomainError):
    code = "otp_missing"
    status = 401
    default_message = _("No sign-in code was requested for this number. Request a new code.")


class OtpExpired(DomainError):
    code = "otp_expired"
    status = 401
    default_message = _("This code has expired. Request a new code.")


class OtpWrong(DomainError):
    code = "otp_wrong"
    status = 401
    default_message = _("Wrong code.")


class OtpLocked(DomainError):
    code = "otp_locked"
    status = 423
    default_message = _("Too many wrong tries: this code is locked. Request a new code.")


class AccountDisabled(DomainError):
    code = "account_disabled"
    status = 403
    default_message = _("This account is disabled. Please contact the helpline.")


class NotPermitted(DomainError, CorePermissionDenied):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")
