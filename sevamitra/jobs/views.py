"""Job pages: the search (/jobs/), one posting (/jobs/<id>/), a Sevamitra's matches
(/jobs/for-me/). Thin: a form or the signed-in provider → a selector → a page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sevamitra.jobs import selectors
from sevamitra.jobs.forms import JobSearchForm
from sevamitra.providers.selectors import provider_of, provider_offers

PAGE_SIZE = 20


def _page(postings, request: HttpRequest) -> Page:  # type: ignore[no-untyped-def]
    """One page of results; a page number that cannot be read is the first page."""
    return Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = JobSearchForm(request.GET, districts=selectors.districts_for_choice())
    page = None
    if form.is_valid():
        postings = selectors.postings_search(filters=form.filters(), today=timezone.localdate())
        page = _page(postings, request)
    return render(request, "jobs/search.html", {"form": form, "page": page})


@require_safe
def detail(request: HttpRequest, posting_id: int) -> HttpResponse:
    posting = selectors.posting_get(posting_id=posting_id)
    if posting is None:
        raise Http404
    today = timezone.localdate()
    shown = posting.is_open and (posting.closes_on is None or posting.closes_on >= today)
    return render(request, "jobs/detail.html", {"posting": posting, "shown": shown})


@require_safe
@login_required
@never_cache
def for_me(request: HttpRequest) -> HttpResponse:
    """Openings in the signed-in Sevamitra's services, their own district first."""
    provider = provider_of(request.user)
    if provider is None:
        return redirect("providers:register")
    categories = [offer.category for offer in provider_offers(provider=provider)]
    page = None
    if categories:
        postings = selectors.postings_for_provider(
            provider=provider,
            category_ids=[c.pk for c in categories],
            today=timezone.localdate(),
        )
        page = _page(postings, request)
    context = {"provider": provider, "categories": categories, "page": page}
    return render(request, "jobs/for_me.html", context)
