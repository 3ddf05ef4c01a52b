import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from sevamitra.accounts.services import user_update
from sevamitra.bookings.web.search import search_page
from sevamitra.catalog.selectors import categories_active

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers and operators."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Landing page: the catalogue as tiles and a search by service, place, date and time;
    with a complete search, one page of bookable Sevamitras (bookings.web.search)."""
    categories = list(categories_active())
    page = search_page(request.GET, categories)
    template = "core/results.html" if page.query is not None else "core/home.html"
    return render(request, template, {"categories": categories, "search": page})


@require_safe
def admin_login(request: HttpRequest) -> HttpResponse:
    """The back office's sign-in is the portal's: mobile number and one-time code (no separate
    passwords for officers to forget or share). Back to the admin page asked for afterwards."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if not target.startswith("/admin/"):
        target = "/admin/"
    return redirect(f"{reverse('accounts:signin')}?{urlencode({'next': target})}")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie kept for a year), and for a signed-in person the
    choice is also their preference: SMS and other devices follow it."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.preferred_language != language
    ):
        user_update(user=user, acting_user=user, preferred_language=language)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: JSON for API clients, Django's page for browsers."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": {
                    "code": "csrf_failed",
                    "message": _(
                        "The request was refused for security: reload the page and try again."
                    ),
                }
            },
            status=403,
            json_dumps_params={"ensure_ascii": False},
        )
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)
