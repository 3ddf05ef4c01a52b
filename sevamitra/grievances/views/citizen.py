"""The citizen's pages: complain about one of their bookings, their complaints, one complaint
(its answers, a reply, closing it). Nobody else's booking or complaint exists here (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.bookings.selectors import booking_get_for_customer
from sevamitra.core.errors import DomainError
from sevamitra.grievances import selectors
from sevamitra.grievances.forms import ComplaintForm, TextForm, WithdrawForm, add_domain_error
from sevamitra.grievances.models import Complaint, ComplaintType
from sevamitra.grievances.services import complaints as services
from sevamitra.grievances.views._common import complaint_context

REPLY_LABEL = gettext_lazy("Your reply")


def _mine(request: HttpRequest, complaint_id: int) -> Complaint:
    complaint = selectors.complaint_get_for_customer(user=request.user, complaint_id=complaint_id)
    if complaint is None:
        raise Http404
    return complaint


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = booking_get_for_customer(user=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    form = ComplaintForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_file(
                booking=booking,
                type=form.cleaned_data["type"],
                text=form.cleaned_data["text"],
                files=form.files_list(),
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if complaint.type == ComplaintType.SAFETY:
                messages.success(
                    request,
                    _(
                        "Your safety complaint is with the district officer. The Sevamitra "
                        "cannot get bookings until it is reviewed."
                    ),
                )
            else:
                messages.success(
                    request, _("Your complaint is registered. The Sevamitra has been told.")
                )
            return redirect("grievances:detail", complaint_id=complaint.pk)
    rules = selectors.grievance_settings()
    return render(
        request,
        "grievances/file.html",
        {
            "booking": booking,
            "form": form,
            "can_complain": selectors.booking_was_confirmed(booking),
            "deadlines": [
                (label, rules.deadline_days(value)) for value, label in ComplaintType.choices
            ],
            "rules": rules,
        },
    )


@never_cache
@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = selectors.complaints_of_customer(user=request.user)
    return render(request, "grievances/mine.html", {"complaints": complaints})


def _detail(request: HttpRequest, complaint: Complaint, *, reply_form=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    context = complaint_context(complaint)
    if complaint.is_open:
        context["reply_form"] = reply_form or TextForm(label=REPLY_LABEL)
        context["can_withdraw"] = complaint.type != ComplaintType.SAFETY
    return render(request, "grievances/detail.html", context)


@never_cache
@login_required
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail(request, _mine(request, complaint_id))


@never_cache
@login_required
@require_POST
def complaint_reply(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _mine(request, complaint_id)
    form = TextForm(request.POST, label=REPLY_LABEL)
    if form.is_valid():
        try:
            services.complaint_reply(
                complaint=complaint, text=form.cleaned_data["text"], acting_user=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your reply is sent. The Sevamitra has been told."))
            return redirect("grievances:detail", complaint_id=complaint.pk)
    return _detail(request, complaint, reply_form=form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def complaint_withdraw(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _mine(request, complaint_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_withdraw(complaint=complaint, acting_user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your complaint is closed."))
        return redirect("grievances:detail", complaint_id=complaint.pk)
    return render(request, "grievances/withdraw.html", {"complaint": complaint, "form": form})
