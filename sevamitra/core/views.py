import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from sevamitra.accounts.services import user_update
from sevamitra.bookings.web.search import search_page
from sevamitra.catalog.matching import find_matches, suggest_categories
from sevamitra.catalog.selectors import categories_active
from sevamitra.jobs.selectors import JobFilters, postings_latest, postings_search

logger = logging.getLogger(__name__)
LANDING_JOBS = 4  # newest jobs on the landing page
SEARCH_JOBS = 10  # jobs on the unified search page (then a link to all of them)
MAX_QUERY = 100


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
    """Landing page: one search box across services and jobs (→ `search`), the three ways in
    (book a service, find a job, become a Sevamitra), the catalogue as tiles with the booking
    search by service, place, date and time, and the newest jobs. With a complete booking
    search: one page of bookable Sevamitras (bookings.web.search)."""
    categories = list(categories_active())
    page = search_page(request.GET, categories)
    if page.query is not None:
        return render(request, "core/results.html", {"categories": categories, "search": page})
    jobs = postings_latest(today=timezone.localdate(), limit=LANDING_JOBS)
    return render(
        request, "core/home.html", {"categories": categories, "search": page, "jobs": jobs}
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """GET /search/?q=… — one query across the portal: the services it names (each leading to
    the booking search for that service) and the job openings and fairs it matches."""
    q = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY]
    context: dict[str, object] = {"q": q}
    if q:
        by_id = {c.pk: c for c in categories_active()}
        services = [by_id[m.category_id] for m in find_matches(q) if m.category_id in by_id]
        found = list(
            postings_search(filters=JobFilters(q=q), today=timezone.localdate())[: SEARCH_JOBS + 1]
        )
        context.update(
            services=services,
            jobs=found[:SEARCH_JOBS],
            more_jobs=len(found) > SEARCH_JOBS,
            jobs_url=f"{reverse('jobs:search')}?{urlencode({'q': q})}",
        )
        if not services and not found:
            context["suggestions"] = [
                {"name": c.name, "url": f"{reverse('core:search')}?{urlencode({'q': c.name})}"}
                for c in suggest_categories(q)
            ]
    return render(request, "core/search.html", context)


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
