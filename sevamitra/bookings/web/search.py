"""The citizen's search: the landing page's form → one page of bookable Sevamitras.

`search_page` turns the query string into a SearchForm and, when it is complete, runs the
one search (search.params + bookings.selectors.search_with_quotes). Places typed by name are
found with geo.localities; a name several places share is asked back as a choice.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sevamitra.accounts.phone import ascii_digits
from sevamitra.bookings import selectors
from sevamitra.bookings.pricing import Quote
from sevamitra.bookings.web.display import PriceLine, price_lines
from sevamitra.bookings.web.forms import SearchForm, add_domain_error, search_initial
from sevamitra.catalog.models import Category
from sevamitra.core.errors import FieldErrors
from sevamitra.geo.localities import Locality, locality_search
from sevamitra.search.params import SearchQuery, parse_search_params
from sevamitra.search.selectors import SearchHit

PAGE_SIZE = 10
MAX_PAGE = 100
_PINCODE_IN_TEXT = re.compile(r"(?<!\d)([1-9]\d{5})(?!\d)")
# Query-string names of the search form (anything else is dropped from page links).
FORM_KEYS = ("q", "where", "lat", "lng", "date", "from", "to")
# Which form field a refusal of search.params belongs to.
PARAM_FIELDS: dict[str, str | None] = {
    "q": "q",
    "pincode": "where",
    "lat": "where",
    "lng": "where",
    "start": "from",
    "end": "to",
    "limit": None,
    "offset": None,
}


@dataclass(frozen=True)
class Place:
    pincode: str
    lat: float | None = None
    lng: float | None = None


@dataclass
class Result:
    hit: SearchHit
    quote: Quote
    book_url: str
    lines: list[PriceLine]

    @property
    def provider(self):  # type: ignore[no-untyped-def]
        return self.hit.offer.provider


@dataclass
class SearchPage:
    form: SearchForm
    prompt: Category | None = None  # a tile was tapped: say where, then search
    query: SearchQuery | None = None
    results: list[Result] = field(default_factory=list)
    page: int = 1
    has_more: bool = False
    suggestions: list[dict[str, str]] = field(default_factory=list)
    places: list[dict[str, object]] = field(default_factory=list)
    located: bool = False  # searched around the person's own position

    def page_url(self, page: int) -> str:
        return self.url_with(page=str(page) if page > 1 else None)

    @property
    def next_url(self) -> str:
        return self.page_url(self.page + 1)

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page - 1)

    def url_with(self, **changes: str | None) -> str:
        data = self.form.data
        params = {k: data.get(k, "") for k in FORM_KEYS if data.get(k)}
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return f"{reverse('core:home')}?{urlencode(params)}"


def find_place(text: str) -> tuple[Place | None, list[Locality]]:
    """A pincode (also inside "Gomti Nagar, 226010"), or a locality by name: the place,
    or None with the localities to choose from (none: nothing matched)."""
    text = ascii_digits(text.strip())
    found = _PINCODE_IN_TEXT.search(text)
    if found:
        return Place(found.group(1)), []
    matches = locality_search(text, limit=8)
    exact = [m for m in matches if m.name.casefold() == text.casefold()]
    candidates = exact or matches
    if candidates and len({m.pincode for m in candidates}) == 1:
        best = candidates[0]
        return Place(best.pincode, best.lat, best.lng), []
    return None, matches


def _bad_pincode(text: str) -> bool:
    """Only digits, but not a pincode ("12", "0226010"): a mistyped pincode, not a name."""
    digits = ascii_digits(text).replace(" ", "")
    return digits.isdigit() and not _PINCODE_IN_TEXT.fullmatch(digits)


def _place_choices(page: SearchPage, matches: list[Locality]) -> list[dict[str, object]]:
    districts = selectors.districts_by_code(m.district for m in matches)
    choices = []
    for match in matches:
        district = districts.get(match.district)
        choices.append(
            {
                "locality": match,
                "district": district.name if district else match.district.title(),
                "url": page.url_with(where=f"{match.name}, {match.pincode}", page=None),
            }
        )
    return choices


def _page_number(raw: str | None) -> int:
    raw = ascii_digits((raw or "").strip())
    return int(raw) if raw.isdigit() and 0 < len(raw) < 4 and 0 < int(raw) <= MAX_PAGE else 1


def _book_url(query: SearchQuery, hit: SearchHit, place: dict[str, str]) -> str:
    params = {
        "offer": str(hit.offer.pk),
        "start": timezone.localtime(query.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(query.end).strftime("%Y-%m-%dT%H:%M"),
        **place,
    }
    return f"{reverse('bookings:book')}?{urlencode(params)}"


def search_page(get: QueryDict, categories: list[Category]) -> SearchPage:
    """Everything the landing page shows for this query string."""
    data = {key: get.get(key, "") for key in FORM_KEYS}
    if not data["where"] and get.get("pincode"):
        data["where"] = get["pincode"]  # the search API's name, in links people share
    service = next((c for c in categories if c.slug == get.get("service")), None)
    if service is not None:
        data["q"] = service.name
    if not any(data[k] for k in ("q", "where", "lat", "lng")):
        return SearchPage(form=SearchForm(initial=search_initial()))
    located = bool(data["lat"] and data["lng"]) and not data["where"].strip()
    if service is not None and not data["where"].strip() and not located:
        # A tile tapped before saying where: the form with the service filled in.
        initial = {**search_initial(), **{k: v for k, v in data.items() if v}}
        form = SearchForm(initial=initial)
        form.fields["where"].widget.attrs["autofocus"] = True
        return SearchPage(form=form, prompt=service)

    page = SearchPage(form=SearchForm(data), page=_page_number(get.get("page")))
    form = page.form
    if not form.is_valid():
        return page
    start, end = form.slot()
    params = {
        "q": form.cleaned_data["q"],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "limit": str(PAGE_SIZE),
        "offset": str((page.page - 1) * PAGE_SIZE),
    }
    where = (form.cleaned_data.get("where") or "").strip()
    if where:
        if _bad_pincode(where):
            form.add_error("where", _("A pincode has 6 digits and does not start with 0."))
            return page
        place, matches = find_place(where)
        if place is None:
            if matches:
                page.places = _place_choices(page, matches)
            else:
                form.add_error(
                    "where",
                    _("We could not find the place “%(place)s”. Type its pincode.")
                    % {"place": where[:60]},
                )
            return page
        params["pincode"] = place.pincode
        if place.lat is not None and place.lng is not None:
            params["lat"], params["lng"] = str(place.lat), str(place.lng)
    else:
        page.located = True
        params["lat"] = str(form.cleaned_data["lat"])
        params["lng"] = str(form.cleaned_data["lng"])
    now = timezone.now()
    try:
        query = parse_search_params(params, now=now)
    except FieldErrors as exc:
        for error in exc.errors:
            for suggestion in error.extra.get("suggestions", []):
                url = page.url_with(q=suggestion["name"], page=None)
                page.suggestions.append({**suggestion, "url": url})
        add_domain_error(form, exc, PARAM_FIELDS)
        return page
    page.query = query
    hits, page.has_more = selectors.search_with_quotes(query=query, now=now)
    place_params = {"pincode": query.pincode or ""}
    if page.located:
        place_params.update(lat=params["lat"], lng=params["lng"])
    page.results = [
        Result(
            hit=hit,
            quote=quote,
            book_url=_book_url(query, hit, place_params),
            lines=price_lines(quote, query.category.pricing_unit),
        )
        for hit, quote in hits
    ]
    return page


@require_safe
def places(request: HttpRequest) -> JsonResponse:
    """GET /places/?q=gomti → localities for the search box's suggestions (JavaScript)."""
    text = (request.GET.get("q") or "")[:60]
    matches = [] if text.strip().isdigit() else locality_search(text, limit=8)
    districts = selectors.districts_by_code(m.district for m in matches)
    results = []
    for match in matches:
        district = districts.get(match.district)
        results.append(
            {
                "value": f"{match.name}, {match.pincode}",
                "label": district.name if district else match.district.title(),
            }
        )
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "max-age=3600"
    return response
