from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _from_accept_language(header: str) -> str | None:
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in _SUPPORTED:
            return code
    return None


class LanguageMiddleware:
    """Hindi first. The language is, in order: the visitor's remembered choice (cookie),
    the signed-in user's preference, for API calls the Accept-Language header, else Hindi.

    Unlike Django's LocaleMiddleware, a browser set to English does not switch the pages to
    English by itself: the portal opens in Hindi and English is one tap away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        translation.deactivate()
        return response

    @staticmethod
    def choose(request: HttpRequest) -> str:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in _SUPPORTED:
            return cookie
        user = getattr(request, "user", None)
        preferred = getattr(user, "preferred_language", "") if user is not None else ""
        if preferred in _SUPPORTED:
            return preferred
        if request.path.startswith("/api/"):
            header = _from_accept_language(request.headers.get("Accept-Language", ""))
            if header:
                return header
        return settings.LANGUAGE_CODE


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a strict Content-Security-Policy (no
    inline scripts or styles on our pages), and a Permissions-Policy that allows location
    ("use my location") on our own origin only.

    The admin keeps Django's own pages, which use inline styles: it gets a policy that allows
    them and nothing else.
    """

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    CSP_ADMIN = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    PERMISSIONS = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy", self.CSP_ADMIN if admin else self.CSP
        )
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        return response
