"""The call-centre console, /agent/: one screen an agent works from the keyboard while the
caller waits. Plain GET/POST forms; static/js/agent.js only adds a caller preview and
locality suggestions as the agent types.

Flow: the number (POST: the call starts) → the caller's panel and a search (GET) → book
(POST: the call closes as booked), or close the call with another outcome (POST).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sevamitra.accounts.phone import normalize_phone
from sevamitra.bookings.models import BookingStatus
from sevamitra.bookings.selectors import offer_get_by_id
from sevamitra.bookings.services import cancellation_fee_preview
from sevamitra.callcentre import selectors, services
from sevamitra.callcentre.forms import (
    BookForm,
    CallerPhoneForm,
    CancelForm,
    CloseForm,
    RegisterCallerForm,
    RescheduleForm,
    SearchForm,
)
from sevamitra.callcentre.models import Call, CallOutcome
from sevamitra.callcentre.permissions import can_take_calls
from sevamitra.catalog.models import Category, PricingUnit
from sevamitra.core.errors import DomainError, FieldErrors
from sevamitra.search.params import parse_search_params
from sevamitra.search.selectors import search_providers

RESULTS_SHOWN = 10

View = Callable[..., HttpResponse]


def agent_required(view: View) -> View:
    """Agents only: a visitor is sent to sign in, anyone else is refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_take_calls(request.user):
            return render(request, "callcentre/forbidden.html", status=403)
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


def _call_or_404(request: HttpRequest, call_id: int) -> Call:
    call = selectors.call_get_for(agent=request.user, call_id=call_id)
    if call is None:
        raise Http404
    return call


def _focus(form, field: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor in the first field with an error, else in `field`."""
    name = next((f for f in form.fields if f in form.errors), field)
    if name:
        form.fields[name].widget.attrs["autofocus"] = True


def _render_console(
    request: HttpRequest, *, call: Call | None = None, status: int = 200, **context: Any
) -> HttpResponse:
    """The one screen: next-caller number, the call's panels, today's calls."""
    agent = request.user
    now = timezone.now()
    context.setdefault("phone_form", CallerPhoneForm(autofocus=call is None or not call.is_open))
    context.update(call=call, today=selectors.calls_today(agent=agent, now=now), now=now)
    if call is None:
        context["open_call"] = selectors.call_open_of(agent=agent)
    elif call.is_open:
        caller = call.caller
        if caller is None:
            context.setdefault("register_form", RegisterCallerForm())
        else:
            context["bookings"] = selectors.caller_bookings(agent=agent, caller=caller, now=now)
            context.setdefault("addresses", selectors.caller_addresses(caller=caller))
            context.setdefault("search_form", SearchForm(agent=agent, now=now))
        context.setdefault("close_form", CloseForm(initial=_close_initial(call, context)))
    return render(request, "callcentre/console.html", context, status=status)


def _close_initial(call: Call, context: dict[str, Any]) -> dict[str, Any]:
    """The close form's likely outcome: nobody free after a search, changed after a change."""
    outcome = CallOutcome.ENQUIRY
    if call.booking_id:
        outcome = CallOutcome.CHANGED
    elif context.get("query") is not None and not context.get("hits"):
        outcome = CallOutcome.NO_PROVIDER
    query = context.get("query")
    return {
        "outcome": outcome,
        "category": query.category.slug if query else "",
        "pincode": query.pincode if query else "",
    }


def _search(request: HttpRequest, call: Call, data: Any) -> dict[str, Any]:
    """Run the search form: the nearest Sevamitras free for the slot, priced (as the home
    page does: search.params.parse_search_params + search.selectors.search_providers)."""
    now = timezone.now()
    form = SearchForm(data, agent=request.user, now=now)
    context: dict[str, Any] = {"search_form": form, "query": None, "hits": []}
    if form.is_valid():
        try:
            query = parse_search_params(form.search_params(limit=RESULTS_SHOWN), now=now)
        except FieldErrors as exc:
            form.add_domain_errors(exc.errors)
        else:
            hits, _more = search_providers(query, now=now)
            context.update(
                query=query,
                hits=hits,
                place=form.cleaned_data["place"],
                monthly=query.category.pricing_unit == PricingUnit.MONTH,
            )
    if form.errors:
        _focus(form)
        names = selectors.district_names({loc.district for loc in form.place_choices})
        context["place_choices"] = [
            (loc, names.get(loc.district, loc.district.title())) for loc in form.place_choices
        ]
    return context


def _book_form(call: Call, addresses: list, hits: list, pincode: str, data: Any = None) -> BookForm:  # type: ignore[type-arg]
    """The results form, the nearest Sevamitra and the saved address at the searched pincode
    (else the first one) chosen already: booking is then one key."""
    initial: dict[str, Any] = {}
    if hits:
        initial["offer"] = hits[0].offer.pk
    at_pincode = [a for a in addresses if a.pincode == pincode] or addresses
    initial["address"] = str(at_pincode[0].pk) if at_pincode else BookForm.NEW_ADDRESS
    return BookForm(data, initial=initial, addresses=addresses)


# --- pages ----------------------------------------------------------------------------------


@require_safe
@agent_required
def console(request: HttpRequest) -> HttpResponse:
    """The empty console: the number of the next caller, and today's calls."""
    return _render_console(request)


@require_POST
@agent_required
def call_open(request: HttpRequest) -> HttpResponse:
    """Start a call with the number typed (and close the one left open)."""
    form = CallerPhoneForm(request.POST)
    if form.is_valid():
        try:
            call = services.call_start(phone=form.cleaned_data["phone"], acting_user=request.user)
        except DomainError as exc:
            form.add_error("phone", str(exc.message))
        else:
            return redirect("callcentre:call", call_id=call.pk)
    return _render_console(request, phone_form=form, status=400)


@require_safe
@agent_required
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """A call: the caller's panel, the search and its results, the close form. A closed
    call shows how it ended (and the booking made)."""
    call = _call_or_404(request, call_id)
    context: dict[str, Any] = {}
    if call.is_open and call.caller is not None:
        addresses = selectors.caller_addresses(caller=call.caller)
        context["addresses"] = addresses
        if request.GET.get("q") is not None:
            context.update(_search(request, call, request.GET))
        else:
            context["search_form"] = SearchForm(agent=request.user)
            _focus(context["search_form"], "q")
        if context.get("hits"):
            context["book_form"] = _book_form(
                call, addresses, context["hits"], context["place"].pincode
            )
            context["focus"] = "offer"
    return _render_console(request, call=call, **context)


@require_POST
@agent_required
def call_register(request: HttpRequest, call_id: int) -> HttpResponse:
    """Register an unknown caller (name, language of their texts)."""
    call = _call_or_404(request, call_id)
    form = RegisterCallerForm(request.POST)
    if form.is_valid():
        try:
            services.call_register_caller(
                call=call,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The caller is registered."))
            return redirect("callcentre:call", call_id=call.pk)
    _focus(form)
    return _render_console(request, call=call, register_form=form, status=400)


@require_POST
@agent_required
def call_book(request: HttpRequest, call_id: int) -> HttpResponse:
    """Book the chosen Sevamitra for the caller; the call closes as booked."""
    call = _call_or_404(request, call_id)
    if not call.is_open or call.caller is None:
        return redirect("callcentre:call", call_id=call.pk)
    context = _search(request, call, request.POST)
    addresses = selectors.caller_addresses(caller=call.caller)
    query = context["query"]
    form = _book_form(
        call, addresses, context["hits"], query.pincode if query else "", data=request.POST
    )
    if query is not None and form.is_valid():
        data = form.cleaned_data
        offer = offer_get_by_id(offer_id=data["offer"])
        if offer is None or offer.category_id != query.category.pk:
            form.add_error("offer", _("Choose a Sevamitra from the list."))
        else:
            try:
                placed = services.call_book(
                    call=call,
                    offer=offer,
                    start=query.start,
                    end=query.end,
                    address=data["saved_address"],
                    address_text=data["address_line"],
                    pincode=query.pincode or "",
                    notes=data["notes"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                # The results may have changed (someone took the slot): search again.
                context.update(_search(request, call, request.POST))
            else:
                booking = placed.booking
                if booking.status == BookingStatus.CONFIRMED:
                    messages.success(
                        request,
                        _("Booked: booking %(id)s is confirmed. Codes sent by SMS to the caller.")
                        % {"id": booking.pk},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Booked: booking %(id)s waits for the Sevamitra to accept. The caller "
                            "gets the codes by SMS when it is confirmed."
                        )
                        % {"id": booking.pk},
                    )
                return redirect("callcentre:call", call_id=call.pk)
    if query is None:
        form.add_error(None, _("Search again: the search has an error."))
    context.update(addresses=addresses, book_form=form, focus="offer" if context["hits"] else "")
    return _render_console(request, call=call, status=400, **context)


@require_POST
@agent_required
def call_close(request: HttpRequest, call_id: int) -> HttpResponse:
    """Close the call with its outcome and notes."""
    call = _call_or_404(request, call_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        category = (
            Category.objects.filter(slug=data["category"]).first() if data["category"] else None
        )
        try:
            services.call_close(
                call=call,
                outcome=data["outcome"],
                notes=data["notes"],
                category=category,
                pincode=data["pincode"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Call closed: %(outcome)s.") % {"outcome": CallOutcome(data["outcome"]).label},
            )
            return redirect("callcentre:console")
    _focus(form)
    return _render_console(request, call=call, close_form=form, status=400)


def _caller_booking_or_404(request: HttpRequest, call: Call, booking_id: int):  # type: ignore[no-untyped-def]
    booking = selectors.caller_booking_get(agent=request.user, call=call, booking_id=booking_id)
    if booking is None or not call.is_open:
        raise Http404
    return booking


@agent_required
def booking_cancel(request: HttpRequest, call_id: int, booking_id: int) -> HttpResponse:
    """Cancel a booking of the caller: the fee it costs now first, then the reason."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    call = _call_or_404(request, call_id)
    booking = _caller_booking_or_404(request, call, booking_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_booking_cancel(
                call=call,
                booking=booking,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Booking %(id)s is cancelled.") % {"id": booking.pk})
            return redirect("callcentre:call", call_id=call.pk)
    context = {
        "call": call,
        "booking": booking,
        "form": form,
        "fee": cancellation_fee_preview(booking=booking),
    }
    return render(request, "callcentre/cancel.html", context, status=400 if form.errors else 200)


@agent_required
def booking_reschedule(request: HttpRequest, call_id: int, booking_id: int) -> HttpResponse:
    """Move a booking of the caller to another time with the same Sevamitra."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    call = _call_or_404(request, call_id)
    booking = _caller_booking_or_404(request, call, booking_id)
    start = timezone.localtime(booking.starts_at)
    hours = max(1, round((booking.ends_at - booking.starts_at).total_seconds() / 3600))
    initial = {"date": start.date().isoformat(), "time": start.strftime("%H:%M"), "hours": hours}
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_booking_reschedule(
                call=call,
                booking=booking,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                acting_user=request.user,
            )
        except FieldErrors as exc:
            form.add_domain_errors(exc.errors)
        except DomainError as exc:
            form.add_domain_errors([exc])
        else:
            messages.success(request, _("Booking %(id)s is moved.") % {"id": booking.pk})
            return redirect("callcentre:call", call_id=call.pk)
    context = {"call": call, "booking": booking, "form": form}
    return render(
        request, "callcentre/reschedule.html", context, status=400 if form.errors else 200
    )


@require_POST
@agent_required
def codes_resend(request: HttpRequest, call_id: int, booking_id: int) -> HttpResponse:
    """New codes to the caller's phone by SMS (the agent never sees them)."""
    call = _call_or_404(request, call_id)
    booking = _caller_booking_or_404(request, call, booking_id)
    try:
        services.call_codes_resend(call=call, booking=booking, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("New codes sent by SMS to the caller."))
    return redirect("callcentre:call", call_id=call.pk)


# --- helpers for agent.js (the console works without them) ----------------------------------


@require_safe
@agent_required
def caller_preview(request: HttpRequest) -> HttpResponse:
    """Who is calling, as the number is typed: a fragment for the live region."""
    try:
        phone = normalize_phone(request.GET.get("phone", ""))
    except ValidationError:
        return HttpResponse("")
    summary = selectors.caller_summary(agent=request.user, phone=phone)
    return render(request, "callcentre/_preview.html", {"summary": summary})


@require_safe
@agent_required
def localities(request: HttpRequest) -> JsonResponse:
    """Localities matching the typed name, for the place field's suggestions."""
    found = selectors.localities_for(agent=request.user, text=request.GET.get("q", "")[:60])
    names = selectors.district_names({loc.district for loc in found})
    return JsonResponse(
        {
            "localities": [
                {
                    "value": f"{loc.name} {loc.pincode}",
                    "label": names.get(loc.district, loc.district.title()),
                }
                for loc in found
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
