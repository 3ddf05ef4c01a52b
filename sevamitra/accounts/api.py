"""JSON endpoints for sign-in by one-time code (session authentication, CSRF kept on)."""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from sevamitra.accounts.selectors import user_roles
from sevamitra.accounts.services import otp_request, otp_verify
from sevamitra.accounts.views import AUTH_BACKEND, client_ip
from sevamitra.core.errors import DomainError as CoreDomainError
from sevamitra.core.errors import error_response as core_error_response


def error_response(code: str, message: str, *, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def domain_error_response(exc: CoreDomainError) -> JsonResponse:
    response = core_error_response(exc)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _json_object(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return error_response("bad_json", _("The request body must be JSON."), status=400)
    if not isinstance(data, dict):
        return error_response("bad_json", _("The request body must be a JSON object."), status=400)
    return data


@never_cache
@ensure_csrf_cookie
@require_GET
def csrf(request: HttpRequest) -> JsonResponse:
    """Sets the CSRF cookie and returns the token to send as the X-CSRFToken header."""
    return JsonResponse({"csrf_token": get_token(request)})


@never_cache
@require_POST
def otp_request_view(request: HttpRequest) -> JsonResponse:
    data = _json_object(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        otp_request(phone=data.get("phone"), ip=client_ip(request))
    except CoreDomainError as exc:
        return domain_error_response(exc)
    return JsonResponse({"status": "sent", "expires_in": settings.OTP_TTL_SECONDS}, status=202)


@sensitive_post_parameters()
@never_cache
@require_POST
def otp_verify_view(request: HttpRequest) -> JsonResponse:
    data = _json_object(request)
    if isinstance(data, JsonResponse):
        return data
    try:
        user = otp_verify(phone=data.get("phone"), code=data.get("code"))
    except CoreDomainError as exc:
        return domain_error_response(exc)
    login(request, user, backend=AUTH_BACKEND)
    return JsonResponse(
        {
            "user": {
                "id": user.pk,
                "phone_masked": user.masked_phone,
                "roles": sorted(user_roles(user)),
            }
        }
    )


@never_cache
@require_POST
def logout_view(request: HttpRequest) -> JsonResponse:
    logout(request)
    return JsonResponse({"status": "signed_out"})
