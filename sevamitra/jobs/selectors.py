"""Reads of job postings: what is shown, the search, the Sevamitra's matches, districts.

A posting is visible while it is open and its last day has not passed (`postings_visible`).
The search understands Hindi, Latin and Hinglish the way the service search does: the query's
words are mapped to catalogue services (catalog.matching, in memory) and a posting matches when
one of its services is among them, or when every other word of the query begins a word of the
posting (jobs.matching.search_text: title, employer, skills, place). One SQL query, no join
that could repeat a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.translation import get_language

from sevamitra.catalog.matching import find_matches, normalize_term
from sevamitra.geo.models import District
from sevamitra.jobs.matching import query_terms
from sevamitra.jobs.models import JobPosting, PostingKind
from sevamitra.providers.models import Provider

_Categories = JobPosting.categories.through


@dataclass(frozen=True)
class JobFilters:
    q: str = ""
    district: District | None = None
    min_salary: int | None = None
    kind: str = ""  # "", "opening" or "fair"


def _ordered(queryset: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """Newest first; fairs and openings alike (a posting without a date last)."""
    return queryset.order_by(F("posted_on").desc(nulls_last=True), "-pk")


def postings_visible(*, today: dt.date) -> QuerySet[JobPosting]:
    """Open postings whose last day (to apply, or of the fair) is today or later."""
    return JobPosting.objects.filter(
        Q(closes_on__isnull=True) | Q(closes_on__gte=today), is_open=True
    )


def text_condition(q: str) -> Q | None:
    """The condition for free text, or None when the text asks for nothing in particular."""
    category_ids = [m.category_id for m in find_matches(q)]
    terms = query_terms(q)
    condition = Q()
    if category_ids:
        matching = _Categories.objects.filter(category_id__in=category_ids)
        condition |= Q(pk__in=matching.values("jobposting_id"))
    if terms:
        all_words = Q()
        for term in terms:
            all_words &= Q(search_text__contains=f" {term}")
        condition |= all_words
    return condition or None


def postings_search(*, filters: JobFilters, today: dt.date) -> QuerySet[JobPosting]:
    """The visible postings that fit the filters, newest first, with their districts."""
    queryset = postings_visible(today=today).select_related("district")
    if filters.q.strip():
        condition = text_condition(filters.q)
        if condition is not None:
            queryset = queryset.filter(condition)
    if filters.district is not None:
        queryset = queryset.filter(district=filters.district)
    if filters.min_salary:
        queryset = queryset.filter(
            Q(salary_max__gte=filters.min_salary)
            | Q(salary_max__isnull=True, salary_min__gte=filters.min_salary)
        )
    if filters.kind in PostingKind.values:
        queryset = queryset.filter(kind=filters.kind)
    return _ordered(queryset)


def postings_latest(*, today: dt.date, limit: int) -> list[JobPosting]:
    """The newest visible postings (the landing page's block)."""
    return list(_ordered(postings_visible(today=today).select_related("district"))[:limit])


def postings_for_provider(
    *, provider: Provider, category_ids: list[int], today: dt.date
) -> QuerySet[JobPosting]:
    """Visible postings in the Sevamitra's services: their own district first."""
    matching = _Categories.objects.filter(category_id__in=category_ids)
    queryset = (
        postings_visible(today=today)
        .filter(pk__in=matching.values("jobposting_id"))
        .select_related("district")
        .annotate(elsewhere=Case(When(district_id=provider.district_id, then=Value(0)), default=1))
    )
    return queryset.order_by("elsewhere", F("posted_on").desc(nulls_last=True), "-pk")


def posting_get(*, posting_id: int) -> JobPosting | None:
    """One posting (open or not) with its district and matching services."""
    return (
        JobPosting.objects.select_related("district")
        .prefetch_related("categories")
        .filter(pk=posting_id)
        .first()
    )


def districts_for_choice() -> list[District]:
    """Every district, by name in the page's language."""
    hindi = (get_language() or "hi").startswith("hi")
    return list(District.objects.order_by(Lower("name_hi" if hindi else "name_en")))


def district_keys() -> dict[str, int]:
    """Every way a feed may name a district (its code, English or Hindi name, in the catalogue's
    normal form) → the district's id. One query."""
    keys: dict[str, int] = {}
    for pk, code, name_en, name_hi in District.objects.values_list(
        "pk", "code", "name_en", "name_hi"
    ):
        for name in (code, name_en, name_hi):
            key = normalize_term(name)
            if key:
                keys.setdefault(key, pk)
    return keys
