"""Booking from a search result: GET /book/?offer=…&start=…&end=… (signed in).

The page keeps the slot with a hold while the person fills in the address (a reload keeps
the same hold), then books it with `booking_create`, or a whole series with
`series_create`, on the web channel. A slot taken meanwhile shows the provider's nearest
free alternatives instead of a form.
"""

import datetime as dt
import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sevamitra.accounts.services import address_create
from sevamitra.bookings import selectors, services
from sevamitra.bookings.calendar import free_alternatives
from sevamitra.bookings.errors import HoldInvalid, NotBookable, SlotTaken
from sevamitra.bookings.models import Channel
from sevamitra.bookings.pricing import Quote
from sevamitra.bookings.series import series_create
from sevamitra.bookings.services import Codes, Placed
from sevamitra.bookings.web.display import price_lines
from sevamitra.bookings.web.forms import NEW_ADDRESS, BookingForm, add_domain_error, kind_choices
from sevamitra.core.errors import DomainError
from sevamitra.geo.pincodes import pincode_info
from sevamitra.providers.models import Offer
from sevamitra.search.params import parse_local_datetime

SESSION_CODES = "bookings_new_codes"
# Which booking-form field a refusal of the booking engine belongs to.
SERVICE_FIELDS: dict[str, str | None] = {
    "address": "line",
    "ends_on": "until",
    "weekdays": "weekdays",
    "frequency": "frequency",
    "kind": "kind",
}


def remember_codes(request: HttpRequest, booking_id: int, codes: Codes | None) -> None:
    """Keep new codes for the next page only (they are never stored in clear)."""
    if codes is None:
        return
    kept = request.session.get(SESSION_CODES, {})
    kept[str(booking_id)] = [codes.start, codes.end]
    request.session[SESSION_CODES] = kept


def take_codes(request: HttpRequest, booking_id: int) -> Codes | None:
    kept = request.session.get(SESSION_CODES, {})
    pair = kept.pop(str(booking_id), None)
    if pair is None:
        return None
    request.session[SESSION_CODES] = kept
    return Codes(*pair)


def _slot(get: QueryDict) -> tuple[int, dt.datetime, dt.datetime] | None:
    raw_offer = (get.get("offer") or "").strip()
    start = parse_local_datetime(get.get("start") or "")
    end = parse_local_datetime(get.get("end") or "")
    if not raw_offer.isdigit() or len(raw_offer) > 18 or start is None or end is None:
        return None
    return int(raw_offer), start, end


def book_url(offer: Offer, start: dt.datetime, end: dt.datetime, get: QueryDict) -> str:
    params = {
        "offer": str(offer.pk),
        "start": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
    }
    params.update({k: get[k] for k in ("pincode", "lat", "lng") if get.get(k)})
    return f"{reverse('bookings:book')}?{urlencode(params)}"


def _alternatives(
    exc: DomainError, offer: Offer, start: dt.datetime, end: dt.datetime, get: QueryDict
) -> list[dict[str, Any]]:
    """Other times the same provider is free, each with its booking link."""
    if isinstance(exc, NotBookable):
        return []
    if "alternatives" in exc.extra:
        slots = [
            (parse_local_datetime(a["start"]), parse_local_datetime(a["end"]))
            for a in exc.extra["alternatives"]
        ]
    else:
        found = free_alternatives(provider=offer.provider, start=start, end=end, now=timezone.now())
        slots = [(s.start, s.end) for s in found]
    return [
        {"start": a, "end": b, "url": book_url(offer, a, b, get)}
        for a, b in slots
        if a is not None and b is not None
    ]


def _search_again_url(offer: Offer, start: dt.datetime, end: dt.datetime, get: QueryDict) -> str:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    params = {
        "q": offer.category.name,
        "where": get.get("pincode", ""),
        "date": local_start.date().isoformat(),
        "from": local_start.strftime("%H:%M"),
        "to": local_end.strftime("%H:%M"),
    }
    return f"{reverse('core:home')}?{urlencode(params)}"


def _searched_point(get: QueryDict) -> tuple[float, float] | None:
    """The position "use my location" searched around, if the booking link carries one."""
    try:
        lat, lng = float(get.get("lat", "")), float(get.get("lng", ""))
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _address_values(form: BookingForm, get: QueryDict) -> dict[str, Any]:
    """address text, pincode and point for the booking engine, from a saved address or the
    new one typed in (its point: the searcher's own position, else the pincode's centre)."""
    saved = form.saved_address
    if saved is not None:
        return {
            "address": saved.one_line,
            "pincode": saved.pincode,
            "lat": saved.lat,
            "lng": saved.lng,
        }
    data = form.cleaned_data
    pincode = data["pincode"]
    info = pincode_info(pincode)
    lat, lng = (info.lat, info.lng) if info else (None, None)
    point = _searched_point(get) if get.get("pincode") == pincode else None
    if point is not None:
        lat, lng = point
    parts = [data["line"].strip(), (data.get("locality") or "").strip(), pincode]
    return {
        "address": ", ".join(p for p in parts if p),
        "pincode": pincode,
        "lat": lat,
        "lng": lng,
    }


def _place(
    request: HttpRequest,
    form: BookingForm,
    offer: Offer,
    start: dt.datetime,
    end: dt.datetime,
) -> tuple[Placed, Any]:
    """Book what the form says; returns the first booking made and its series (or None)."""
    user = request.user
    data = form.cleaned_data
    where = _address_values(form, request.GET)
    hold = None
    if data.get("hold"):
        hold = selectors.hold_get_for(user=user, hold_id=data["hold"])
    common = {
        "offer": offer,
        "customer": user,
        "channel": Channel.WEB,
        "notes": data.get("notes") or "",
        "acting_user": user,
        **where,
    }
    with transaction.atomic():
        if form.is_series:
            if hold is not None:  # the series' first visit takes this very time
                services.hold_release(hold=hold, acting_user=user)
            local_start, local_end = timezone.localtime(start), timezone.localtime(end)
            if local_start.date() != local_end.date():
                raise DomainError(
                    _("A repeating booking must start and end on the same day."), field="kind"
                )
            series, placed = series_create(
                kind=data["kind"],
                frequency=data["frequency"],
                weekdays=data.get("weekdays") or [],
                starts_on=local_start.date(),
                start_time=local_start.time(),
                end_time=local_end.time(),
                **form.series_end(),
                **common,
            )
            return placed[0], series
        single = {**common, "start": start, "end": end, "kind": data["kind"]}
        try:
            return services.booking_create(hold=hold, **single), None
        except HoldInvalid:  # the hold ran out: book the time if it is still free
            return services.booking_create(hold=None, **single), None


def _series_failures(exc: DomainError) -> list[str]:
    lines = []
    for failure in exc.extra.get("failed", []):
        day = parse_date(failure.get("date", ""))
        when = date_format(day, "SHORT_DATE_FORMAT") if day else failure.get("date", "")
        lines.append(f"{when}: {failure.get('message', '')}")
    return lines


def _save_address(request: HttpRequest, form: BookingForm) -> None:
    data = form.cleaned_data
    if data.get("address") != NEW_ADDRESS or not data.get("save"):
        return
    try:
        address_create(
            user=request.user,
            acting_user=request.user,
            label=data["label"],
            line=data["line"],
            locality=data.get("locality") or "",
            pincode=data["pincode"],
        )
    except DomainError as exc:
        messages.warning(
            request,
            _("Your booking is made, but the address was not saved: %(reason)s")
            % {"reason": exc.message},
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    slot = _slot(request.GET)
    if slot is None:
        return render(request, "bookings/book_invalid.html", status=400)
    offer_id, start, end = slot
    offer = selectors.offer_get_by_id(offer_id=offer_id)
    if offer is None:
        raise Http404
    user = request.user
    now = timezone.now()
    context: dict[str, Any] = {
        "offer": offer,
        "provider": offer.provider,
        "category": offer.category,
        "start": start,
        "end": end,
        "search_url": _search_again_url(offer, start, end, request.GET),
    }
    try:
        quote = selectors.slot_quote(offer=offer, start=start, end=end, now=now)
        hold = None
        if request.method == "GET":
            hold = selectors.hold_find(user=user, offer=offer, start=start, end=end, now=now)
            if hold is None:
                hold = services.hold_place(
                    offer=offer, customer=user, start=start, end=end, acting_user=user, now=now
                )
    except DomainError as exc:
        context.update(
            refusal=exc.message, alternatives=_alternatives(exc, offer, start, end, request.GET)
        )
        return render(request, "bookings/book_unavailable.html", context)

    addresses = selectors.address_list_for(user=user)
    form_kwargs = {
        "addresses": addresses,
        "kinds": kind_choices(offer.category.pricing_unit),
        "first_day": timezone.localdate(start),
    }
    if request.method == "POST":
        form = BookingForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                placed, series = _place(request, form, offer, start, end)
            except SlotTaken as exc:
                context.update(
                    refusal=exc.message,
                    alternatives=_alternatives(exc, offer, start, end, request.GET),
                )
                return render(request, "bookings/book_unavailable.html", context)
            except DomainError as exc:
                failures = _series_failures(exc)
                add_domain_error(form, exc, SERVICE_FIELDS)
                for failure in failures:
                    form.add_error(None, failure)
            else:
                remember_codes(request, placed.booking.pk, placed.codes)
                _save_address(request, form)
                if series is not None:
                    return redirect("bookings:series", series_id=series.pk)
                return redirect("bookings:booked", booking_id=placed.booking.pk)
    else:
        kinds = form_kwargs["kinds"]
        form = BookingForm(
            initial={
                "hold": hold.pk if hold else None,
                "address": str(addresses[0].pk) if addresses else NEW_ADDRESS,
                "pincode": request.GET.get("pincode", ""),
                "kind": kinds[0][0],
            },
            **form_kwargs,
        )
        context["hold_until"] = hold.expires_at if hold else None
    context.update(
        form=form,
        quote=quote,
        lines=price_lines(quote, offer.category.pricing_unit),
        unit=offer.category.pricing_unit,
    )
    return render(request, "bookings/book.html", context)


@never_cache
@login_required
def booked(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The confirmation after booking: status, and the codes this once."""
    booking = selectors.booking_get_for_customer(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    quote = Quote.from_dict(booking.quote)
    return render(
        request,
        "bookings/booked.html",
        {
            "booking": booking,
            "codes": take_codes(request, booking.pk),
            "lines": price_lines(quote, booking.category.pricing_unit),
            "total": quote.total,
        },
    )
