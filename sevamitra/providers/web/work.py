"""The Sevamitra's working pages: dashboard, one job, leave, earnings, profile.

A provider reaches only their own jobs and leave (anyone else's id answers 404); the
customer's exact address and masked phone show only while a job is on (selectors.job_contact).
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.accounts.models import User
from sevamitra.badges.selectors import badge_current, uniforms_for_provider
from sevamitra.bookings import services as bookings
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.core.errors import DomainError
from sevamitra.providers import selectors, services
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.web.forms import CodeForm, DeclineForm, LeaveForm
from sevamitra.providers.web.wizard import Wizard, add_domain_error
from sevamitra.verification.selectors import provider_verification

S = BookingStatus
EARNING_WEEKS = 8
EARNING_MONTHS = 6


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and registered as a Sevamitra (else to registration); passes the provider."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        provider = selectors.provider_of(request.user)
        if provider is None:
            return redirect("providers:register")
        return view(request, provider, *args, **kwargs)

    return wrapper


@provider_required
def dashboard(request: HttpRequest, provider: Provider) -> HttpResponse:
    context: dict[str, object] = {
        "provider": provider,
        "verification": provider_verification(provider=provider),
    }
    if provider.verification_status == VerificationStatus.VERIFIED:
        context["agenda"] = selectors.provider_agenda(provider=provider)
        context["today"] = timezone.localdate()
    else:
        context["missing"] = Wizard(request).first_missing()
    return render(request, "providers/dashboard.html", context)


# --- one job ---------------------------------------------------------------------------------


def _success_message(action: str) -> str:
    return {
        "accept": _("Job accepted. The customer has been told."),
        "decline": _("Job declined."),
        "en_route": _("The customer has been told you are on the way."),
        "arrived": _("The customer has been told you are at the door."),
        "start": _("Work started."),
        "finish": _("Job completed. Thank you!"),
        "customer_absent": _("Recorded: the customer was not there. The customer has been told."),
    }[action]


def _perform(action: str, booking: Booking, user: User, form: forms.Form | None) -> None:
    """The one booking service an action on the job page calls."""
    data = form.cleaned_data if form is not None else {}
    if action == "accept":
        bookings.booking_accept(booking=booking, acting_user=user)
    elif action == "decline":
        bookings.booking_decline(booking=booking, reason=data["reason"], acting_user=user)
    elif action == "en_route":
        bookings.booking_mark_en_route(booking=booking, acting_user=user)
    elif action == "arrived":
        bookings.booking_mark_arrived(booking=booking, acting_user=user)
    elif action == "customer_absent":
        bookings.booking_report_customer_absent(booking=booking, acting_user=user)
    elif action == "start":
        bookings.booking_start(booking=booking, code=data["code"], acting_user=user)
    else:
        bookings.booking_finish(booking=booking, code=data["code"], acting_user=user)


@provider_required
@require_http_methods(["GET", "POST"])
def job(request: HttpRequest, provider: Provider, booking_id: int) -> HttpResponse:
    booking = selectors.job_get_for_provider(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    code_form, decline_form = CodeForm(), DeclineForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        form: forms.Form | None = None
        if action in ("start", "finish"):
            form = code_form = CodeForm(request.POST)
        elif action == "decline":
            form = decline_form = DeclineForm(request.POST)
        elif action not in ("accept", "en_route", "arrived", "customer_absent"):
            return HttpResponseBadRequest()
        if form is None or form.is_valid():
            try:
                _perform(action, booking, request.user, form)
            except DomainError as exc:
                if form is None:
                    messages.error(request, str(exc.message))
                    return redirect("providers:job", booking_id=booking.pk)
                add_domain_error(form, exc)  # e.g. a wrong code, with the tries left
                booking.refresh_from_db()
            else:
                messages.success(request, _success_message(action))
                if action == "decline":
                    return redirect("providers:dashboard")
                return redirect("providers:job", booking_id=booking.pk)
    return render(
        request,
        "providers/job.html",
        {
            "provider": provider,
            "booking": booking,
            "contact": selectors.job_contact(booking=booking),
            "area": selectors.pincode_district(booking.pincode),
            "code_form": code_form,
            "decline_form": decline_form,
            "arrived": booking.status == S.EN_ROUTE
            and booking.events.filter(action="arrived").exists(),
            # The customer's no-show, after the same grace the customer has for the provider's.
            "can_report_absent": booking.status in (S.CONFIRMED, S.EN_ROUTE)
            and timezone.now()
            >= booking.starts_at + dt.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES),
            "code_action": "start"
            if booking.status in (S.CONFIRMED, S.EN_ROUTE)
            else "finish"
            if booking.status == S.IN_PROGRESS
            else "",
        },
    )


# --- leave, earnings, profile ----------------------------------------------------------------


@provider_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_add(provider=provider, acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your leave is saved. No new bookings on these days."))
            return redirect("providers:leave")
    return render(
        request,
        "providers/leave.html",
        {
            "provider": provider,
            "form": form,
            "leaves": selectors.leaves_upcoming(provider=provider),
        },
    )


@provider_required
@require_POST
def leave_cancel(request: HttpRequest, provider: Provider, leave_id: int) -> HttpResponse:
    leave = selectors.leave_get_for_provider(user=request.user, leave_id=leave_id)
    if leave is None:
        raise Http404
    services.leave_cancel(leave=leave, acting_user=request.user)
    messages.success(request, _("The leave is cancelled."))
    return redirect("providers:leave")


@provider_required
def earnings(request: HttpRequest, provider: Provider) -> HttpResponse:
    weeks = selectors.provider_earnings(provider=provider, by="week", periods=EARNING_WEEKS)
    months = selectors.provider_earnings(provider=provider, by="month", periods=EARNING_MONTHS)
    return render(
        request,
        "providers/earnings.html",
        {"provider": provider, "weeks": weeks, "months": months},
    )


@provider_required
def profile(request: HttpRequest, provider: Provider) -> HttpResponse:
    return render(
        request,
        "providers/profile.html",
        {
            "provider": provider,
            "uniforms": uniforms_for_provider(provider),
            "badge": badge_current(provider),
            "offers": selectors.provider_offers(provider=provider),
            "windows": [
                (w.get_weekday_display(), _clock(w.start_minute), _clock(w.end_minute))
                for w in provider.weekly_windows.order_by("weekday", "start_minute")
            ],
            "pincodes": list(
                provider.service_pincodes.order_by("pincode").values_list("pincode", flat=True)
            ),
            "documents": selectors.provider_documents(provider=provider),
        },
    )


def _clock(minute: int) -> dt.time:
    return dt.time(23, 59) if minute >= 24 * 60 else dt.time(minute // 60, minute % 60)
