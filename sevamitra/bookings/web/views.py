"""The citizen's own bookings: /my/bookings/ (upcoming, past, series), one booking with its
history and what can be done to it (codes, reschedule, cancel, rate), and a series.

Only the booking's customer sees these pages; anybody else gets 404, whatever their role.
Each action is one service of the booking engine; its refusals become messages or form
errors on the page, never a server error.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.bookings import selectors, services
from sevamitra.bookings.models import (
    BOOKING_TRANSITIONS,
    Booking,
    BookingStatus,
    CancelledBy,
)
from sevamitra.bookings.pricing import Quote, TermsSnapshot
from sevamitra.bookings.web.book import remember_codes, take_codes
from sevamitra.bookings.web.display import event_label, price_lines
from sevamitra.bookings.web.forms import (
    CancelForm,
    RatingForm,
    RescheduleForm,
    add_domain_error,
)
from sevamitra.core.errors import DomainError
from sevamitra.core.formatting import format_inr
from sevamitra.search.params import parse_local_datetime

S = BookingStatus
PAST_PAGE_SIZE = 20
CODE_STATUSES = frozenset({S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS})
MOVABLE_STATUSES = frozenset({S.REQUESTED, S.CONFIRMED})


def _mine(request: HttpRequest, booking_id: int) -> Booking:
    booking = selectors.booking_get_for_customer(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    return booking


def _can_cancel(booking: Booking) -> bool:
    return S.CANCELLED in BOOKING_TRANSITIONS[booking.status]


@never_cache
@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    past = Paginator(selectors.customer_bookings_past(user=request.user), PAST_PAGE_SIZE)
    return render(
        request,
        "bookings/mine.html",
        {
            "upcoming": list(selectors.customer_bookings_upcoming(user=request.user)),
            "series_list": selectors.customer_series(user=request.user, now=timezone.now()),
            "past": past.get_page(request.GET.get("page")),
        },
    )


def _detail(
    request: HttpRequest, booking: Booking, *, rating_form: RatingForm | None = None
) -> HttpResponse:
    quote = Quote.from_dict(booking.quote)
    terms = TermsSnapshot.from_dict(booking.terms)
    rating = selectors.booking_rating_by_customer(booking=booking)
    can_rate = booking.status == S.COMPLETED and rating is None
    context: dict[str, Any] = {
        "booking": booking,
        "provider": booking.provider,
        "events": [
            {"at": e.at, "label": event_label(e), "event": e}
            for e in selectors.booking_events(booking=booking)
        ],
        "lines": price_lines(quote, booking.category.pricing_unit),
        "total": quote.total,
        "terms": terms,
        "codes": take_codes(request, booking.pk),
        "can_get_codes": booking.status in CODE_STATUSES,
        "can_reschedule": booking.status in MOVABLE_STATUSES and booking.block_id is not None,
        "can_cancel": _can_cancel(booking),
        "rating": rating,
        # A refused rating keeps its form (and says why) even where none is offered.
        "rating_form": rating_form
        if rating_form is not None
        else (RatingForm() if can_rate else None),
    }
    return render(request, "bookings/detail.html", context)


@never_cache
@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _detail(request, _mine(request, booking_id))


@login_required
@require_POST
def booking_codes(request: HttpRequest, booking_id: int) -> HttpResponse:
    """New start and end codes: shown on the page once, and sent by SMS."""
    booking = _mine(request, booking_id)
    try:
        codes = services.booking_codes_reissue(booking=booking, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        remember_codes(request, booking.pk, codes)
        messages.success(request, _("Here are your new codes. We have also sent them by SMS."))
    return redirect("bookings:detail", booking_id=booking.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    if booking.status not in MOVABLE_STATUSES or booking.block_id is None:
        messages.error(request, _("This booking can no longer be moved."))
        return redirect("bookings:detail", booking_id=booking.pk)
    alternatives: list[dict[str, Any]] = []
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            start, end = form.slot()
            try:
                services.booking_reschedule(
                    booking=booking, start=start, end=end, acting_user=request.user
                )
            except DomainError as exc:
                add_domain_error(form, exc, {"start": "from", "end": "to"})
                for slot in exc.extra.get("alternatives", []):
                    alternatives.append(_alternative(slot))
            else:
                messages.success(request, _("Your booking is moved to the new time."))
                return redirect("bookings:detail", booking_id=booking.pk)
    else:
        local_start = timezone.localtime(booking.starts_at)
        form = RescheduleForm(
            initial={
                "date": local_start.date(),
                "from": local_start.time(),
                "to": timezone.localtime(booking.ends_at).time(),
            }
        )
    return render(
        request,
        "bookings/reschedule.html",
        {"booking": booking, "form": form, "alternatives": alternatives},
    )


def _alternative(slot: dict[str, str]) -> dict[str, Any]:
    start, end = parse_local_datetime(slot["start"]), parse_local_datetime(slot["end"])
    assert start is not None and end is not None
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return {
        "start": start,
        "end": end,
        "date": local_start.date().isoformat(),
        "from": local_start.strftime("%H:%M"),
        "to": local_end.strftime("%H:%M"),
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel in two steps: the fee it costs now is shown before the person confirms. If the
    fee changed in between (the free window ran out), they confirm again."""
    booking = _mine(request, booking_id)
    if not _can_cancel(booking):
        messages.error(request, _("This booking can no longer be cancelled."))
        return redirect("bookings:detail", booking_id=booking.pk)
    fee = services.cancellation_fee_preview(booking=booking)
    if request.method == "POST":
        form = CancelForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["fee_seen"] != fee:
                form = CancelForm(
                    initial={**form.cleaned_data, "fee_seen": fee},
                )
                messages.warning(
                    request,
                    _("The cancellation fee is now %(fee)s. Please confirm again.")
                    % {"fee": format_inr(fee)},
                )
            else:
                try:
                    booking = services.booking_cancel(
                        booking=booking,
                        by=CancelledBy.CUSTOMER,
                        reason=form.reason_text(),
                        acting_user=request.user,
                    )
                except DomainError as exc:
                    add_domain_error(form, exc, {"reason": "reason"})
                else:
                    messages.success(
                        request,
                        _("Your booking is cancelled. Cancellation fee: %(fee)s.")
                        % {"fee": format_inr(booking.cancellation_fee or Decimal("0"))},
                    )
                    return redirect("bookings:detail", booking_id=booking.pk)
    else:
        form = CancelForm(initial={"fee_seen": fee})
    return render(
        request,
        "bookings/cancel.html",
        {
            "booking": booking,
            "form": form,
            "fee": fee,
            "terms": TermsSnapshot.from_dict(booking.terms),
        },
    )


@login_required
@require_POST
def booking_rate(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _mine(request, booking_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_add(
                booking=booking,
                stars=form.cleaned_data["stars"],
                text=form.cleaned_data.get("text") or "",
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("bookings:detail", booking_id=booking.pk)
    booking.refresh_from_db()
    return _detail(request, booking, rating_form=form)


@never_cache
@login_required
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = selectors.series_get_for_customer(user=request.user, series_id=series_id)
    if series is None:
        raise Http404
    occurrences = selectors.series_occurrences(series=series)
    first = occurrences[0] if occurrences else None
    codes = take_codes(request, first.pk) if first is not None else None
    total = sum((b.total for b in occurrences if b.status != S.CANCELLED), Decimal("0.00"))
    return render(
        request,
        "bookings/series.html",
        {
            "series": series,
            "provider": series.provider,
            "occurrences": occurrences,
            "first": first,
            "codes": codes,
            "total": total,
            "weekday_names": [WEEKDAYS[d] for d in series.weekdays if d in WEEKDAYS],
        },
    )
