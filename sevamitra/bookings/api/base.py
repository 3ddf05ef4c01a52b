"""What every endpoint of the booking API shares: method dispatch, sign-in, read-only users,
reading a JSON body field by field, and turning every refusal into a 4xx JSON error.

Errors have one shape, `{"error": {"code", "message", "field"?, …}}` (core.errors), with
`errors` listing every invalid field when there are several. Messages are in the request's
language (core.middleware.LanguageMiddleware): Hindi unless asked otherwise.
"""

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sevamitra.accounts import permissions
from sevamitra.accounts.errors import InvalidPhone
from sevamitra.accounts.models import User
from sevamitra.accounts.phone import normalize_phone
from sevamitra.bookings import selectors
from sevamitra.core.errors import DomainError, FieldErrors, PermissionDenied, error_response
from sevamitra.geo import pincodes
from sevamitra.search.params import parse_local_datetime

View = Callable[..., HttpResponse]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ID = selectors.MAX_ID
# Amounts in rupees: at most this much, whole paise.
MAX_AMOUNT = Decimal("10000000")
PAISE = Decimal("0.01")
# Dates (of a series) further than this from today are refused before any arithmetic.
MAX_DATE_DISTANCE = dt.timedelta(days=3 * 366)
MAX_TEXT = 2000


class SignedInRequest(HttpRequest):
    """The request a `signed_in` handler gets: `user` is a signed-in, active User."""

    user: User


class NotFound(DomainError):
    code = "not_found"
    status = 404


class NotSignedIn(DomainError):
    code = "not_authenticated"
    status = 401


def json_response(body: Any, *, status: int = 200) -> JsonResponse:
    return JsonResponse(
        body, status=status, safe=isinstance(body, dict), json_dumps_params={"ensure_ascii": False}
    )


def endpoint(**handlers: View) -> View:
    """One URL's view: dispatch by HTTP method to `handlers` (GET=…, POST=…, DELETE=…).

    Each handler is wrapped by `public` or `signed_in`. Never cached; CSRF stays on for
    every unsafe method (session authentication, as the rest of the portal).
    """
    allowed = sorted({*handlers, *(["HEAD"] if "GET" in handlers else [])})

    @never_cache
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        method = "GET" if request.method == "HEAD" else request.method
        handler = handlers.get(method or "")
        if handler is None:
            response = error_response(
                DomainError(
                    _("This method is not allowed here."), code="method_not_allowed", status=405
                )
            )
            response["Allow"] = ", ".join(allowed)
            return response
        return handler(request, **kwargs)

    view.allowed_methods = allowed  # type: ignore[attr-defined]
    return view


def _answer_errors(handler: View) -> View:
    @wraps(handler)
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return handler(request, **kwargs)
        except DomainError as exc:
            response = error_response(exc)
            retry_after = getattr(exc, "retry_after", None)
            if retry_after:
                response["Retry-After"] = str(retry_after)
            return response

    return view


def public(handler: View) -> View:
    """Anyone, signed in or not."""
    return _answer_errors(handler)


def signed_in(handler: View) -> View:
    """A signed-in user (401 otherwise); an auditor only reads (403 on any write)."""

    @wraps(handler)
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            raise NotSignedIn(_("Please sign in first."))
        if request.method not in SAFE_METHODS and permissions.is_read_only(user):
            raise PermissionDenied(_("You are not allowed to do this."))
        return handler(request, **kwargs)

    return _answer_errors(view)


# --- reading input --------------------------------------------------------------------------


def json_body(request: HttpRequest) -> "Fields":
    """The request body as a JSON object, or a 400 `bad_json` error."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise DomainError(_("The request body must be JSON."), code="bad_json") from exc
    if not isinstance(data, dict):
        raise DomainError(_("The request body must be a JSON object."), code="bad_json")
    return Fields(data)


def _encodable(text: str) -> bool:
    """False for text with lone surrogates ("\\ud800" in JSON): no database can store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Fields:
    """Reads the fields of a JSON object (or a query string), collecting every error.

    Each reader returns the value, or None when the field is absent (and not required) or
    invalid; `check()` then raises FieldErrors naming every invalid field at once.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: list[DomainError] = []

    def check(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)

    def _fail(self, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append(DomainError(message, code=code, field=field))

    def _get(self, field: str, required: bool) -> Any:
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                self._fail(field, _("%(field)s is required.") % {"field": field}, "required")
            return None
        return value

    def text(self, field: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str | None:
        value = self._get(field, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._fail(field, _("%(field)s must be text.") % {"field": field})
            return None
        if "\x00" in value or len(value) > max_length or not _encodable(value):
            self._fail(
                field,
                _("%(field)s must be text of at most %(n)d characters.")
                % {"field": field, "n": max_length},
            )
            return None
        return value

    def integer(
        self, field: str, *, low: int = 1, high: int = MAX_ID, required: bool = False
    ) -> int | None:
        value = self._get(field, required)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 20:
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            if high == MAX_ID:
                message = _("%(field)s must be a whole number of at least %(low)d.") % {
                    "field": field,
                    "low": low,
                }
            else:
                message = _("%(field)s must be a whole number from %(low)d to %(high)d.") % {
                    "field": field,
                    "low": low,
                    "high": high,
                }
            self._fail(field, message, "invalid_number")
            return None
        return value

    def number(self, field: str, *, low: float, high: float) -> float | None:
        value = self._get(field, False)
        if value is None:
            return None
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = None
        if number is None or not math.isfinite(number) or not low <= number <= high:
            self._fail(
                field,
                _("%(field)s must be a number from %(low)s to %(high)s.")
                % {"field": field, "low": low, "high": high},
                "invalid_number",
            )
            return None
        return number

    def amount(self, field: str, *, required: bool = False) -> Decimal | None:
        """Rupees as a JSON number or string: "350", 350.5, "350.50"; whole paise."""
        value = self._get(field, required)
        if value is None:
            return None
        try:
            amount = Decimal(str(value)) if isinstance(value, int | float | str) else None
        except InvalidOperation:
            amount = None
        if (
            isinstance(value, bool)
            or amount is None
            or not amount.is_finite()
            or not Decimal(0) <= amount <= MAX_AMOUNT
            or amount != amount.quantize(PAISE)
        ):
            self._fail(
                field,
                _("%(field)s must be an amount in rupees, like 350 or 350.50.") % {"field": field},
                "invalid_amount",
            )
            return None
        return amount.quantize(PAISE)

    def choice(self, field: str, choices: Iterable[str], *, required: bool = False) -> str | None:
        value = self._get(field, required)
        if value is None:
            return None
        options = list(choices)
        if value not in options:
            self._fail(
                field,
                _("%(field)s must be one of: %(choices)s.")
                % {"field": field, "choices": ", ".join(options)},
                "invalid_choice",
            )
            return None
        return str(value)

    def choice_list(self, field: str, choices: Iterable[str]) -> list[str]:
        """Comma-separated values, each one of `choices` (a query-string filter)."""
        value = self._get(field, False)
        options = list(choices)
        items = [v.strip() for v in value.split(",")] if isinstance(value, str) else [None]
        if value is None:
            return []
        if not all(item in options for item in items):
            self._fail(
                field,
                _("%(field)s must be one of: %(choices)s.")
                % {"field": field, "choices": ", ".join(options)},
                "invalid_choice",
            )
            return []
        return [str(item) for item in items]

    def datetime(self, field: str, *, required: bool = False) -> dt.datetime | None:
        """ISO 8601; without an offset, India time."""
        value = self._get(field, required)
        if value is None:
            return None
        parsed = parse_local_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            self._fail(
                field,
                _("%(field)s must be a date and time in ISO 8601, like 2026-12-01T18:00:00+05:30.")
                % {"field": field},
                "invalid_datetime",
            )
            return None
        return parsed

    def date(self, field: str, *, required: bool = False) -> dt.date | None:
        value = self._get(field, required)
        if value is None:
            return None
        parsed = None
        if isinstance(value, str):
            try:
                parsed = parse_date(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            self._fail(
                field,
                _("%(field)s must be a date like 2026-12-01.") % {"field": field},
                "invalid_date",
            )
            return None
        if abs(parsed - timezone.localdate()) > MAX_DATE_DISTANCE:
            self._fail(field, _("%(field)s is too far from today.") % {"field": field})
            return None
        return parsed

    def time(self, field: str, *, required: bool = False) -> dt.time | None:
        value = self._get(field, required)
        if value is None:
            return None
        parsed = None
        if isinstance(value, str):
            try:
                parsed = parse_time(value.strip())
            except ValueError:
                parsed = None
        if parsed is None or parsed.tzinfo is not None:
            self._fail(
                field, _("%(field)s must be a time like 18:00.") % {"field": field}, "invalid_time"
            )
            return None
        return parsed

    def weekdays(self, field: str) -> list[int] | None:
        value = self._get(field, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in value
        ):
            self._fail(
                field,
                _("%(field)s must be a list of weekdays from 0 (Monday) to 6 (Sunday).")
                % {"field": field},
            )
            return None
        return value

    def pincode(self, field: str = "pincode") -> str | None:
        value = self.text(field, max_length=6)
        if value is None:
            return None
        if not pincodes.is_well_formed(value.strip()):
            self._fail(
                field, _("A pincode has 6 digits and does not start with 0."), "invalid_pincode"
            )
            return None
        return value.strip()

    def phone(self, field: str) -> str | None:
        value = self._get(field, False)
        if value is None:
            return None
        try:
            return normalize_phone(value)
        except ValidationError as exc:
            self.errors.append(InvalidPhone(exc.messages[0], field=field))
            return None
