"""The officers' pages, /officer/grievances/: the district's complaints (safety first, then
escalated or overdue), one complaint with both sides, hearing notes and the decision; the
appeals assigned to the officer. District officers see their districts, administrators all;
anyone else is refused (403), a visitor sent to sign in, a complaint elsewhere is 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.core.errors import DomainError
from sevamitra.grievances import permissions, selectors
from sevamitra.grievances.forms import (
    AppealDecisionForm,
    DecisionForm,
    LiftForm,
    TextForm,
    add_domain_error,
)
from sevamitra.grievances.models import Complaint, Sanction, SanctionKind, SanctionStatus
from sevamitra.grievances.services import appeals as appeal_services
from sevamitra.grievances.services import complaints as complaint_services
from sevamitra.grievances.services import decisions
from sevamitra.grievances.views._common import complaint_context

PAGE_SIZE = 30
HEARING_LABEL = gettext_lazy("Notes of the hearing")
HEARING_HELP = gettext_lazy("What each side said when you heard them. Only officers see these.")

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """District officers and administrators; a visitor signs in first, others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_grievance_officer(request.user):
            return render(request, "grievances/forbidden.html", status=403)
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


@officer_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    closed = request.GET.get("show") == "closed"
    page = Paginator(
        selectors.complaints_for_officer(user=request.user, now=now, closed=closed), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "grievances/officer_list.html",
        {
            "page": page,
            "closed": closed,
            "now": now,
            "my_appeals": selectors.appeals_for_officer(user=request.user),
            "overdue_appeals": selectors.overdue_appeals_in_districts(user=request.user, now=now),
            "until_review": selectors.suspensions_until_review(user=request.user),
        },
    )


def _complaint(request: HttpRequest, complaint_id: int) -> Complaint:
    complaint = selectors.complaint_get_for_viewer(user=request.user, complaint_id=complaint_id)
    if complaint is None or not (
        permissions.is_officer_for(request.user, complaint)
        or permissions.is_appellate_officer_of(request.user, complaint)
    ):
        raise Http404
    return complaint


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    hearing_form: TextForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = complaint_context(complaint, with_hearings=True)
    rules = selectors.grievance_settings()
    may_decide = permissions.can_decide(request.user, complaint)
    context.update(
        {
            "may_decide": may_decide and complaint.is_open,
            "refund_limit": selectors.refund_limit(complaint.booking),
            "warning": selectors.warning_on_record(
                provider=complaint.provider, now=context["now"], days=rules.warning_memory_days
            ),
            "rules": rules,
            "history": selectors.sanctions_of_provider(provider=complaint.provider),
            "may_lift": may_decide,
        }
    )
    if context["may_decide"]:
        context["hearing_form"] = hearing_form or TextForm(
            label=HEARING_LABEL, help_text=HEARING_HELP
        )
        context["decision_form"] = decision_form or DecisionForm()
    return render(request, "grievances/officer_detail.html", context, status=status)


@officer_required
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail(request, _complaint(request, complaint_id))


@officer_required
@require_POST
def complaint_hearing(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    form = TextForm(request.POST, label=HEARING_LABEL, help_text=HEARING_HELP)
    if form.is_valid():
        try:
            complaint_services.complaint_record_hearing(
                complaint=complaint, text=form.cleaned_data["text"], acting_user=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The hearing notes are saved."))
            return redirect("grievances:officer_detail", complaint_id=complaint.pk)
    return _detail(request, complaint, hearing_form=form)


@officer_required
@require_POST
def complaint_decide(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint(request, complaint_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decisions.complaint_decide(
                complaint=complaint,
                outcome=data["outcome"],
                reason=data["reason"],
                refund_amount=data["refund_amount"],
                suspended_until=data["suspended_until"],
                until_review=data["until_review"],
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The decision is recorded. Both sides have been told."))
            return redirect("grievances:officer_detail", complaint_id=complaint.pk)
    return _detail(request, complaint, decision_form=form)


@officer_required
@require_POST
def sanction_lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    sanction = get_object_or_404(
        Sanction.objects.select_related("provider"),
        pk=sanction_id,
        kind=SanctionKind.SUSPENSION,
        status=SanctionStatus.ACTIVE,
    )
    if not permissions.can_lift(request.user, sanction):
        raise Http404
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            decisions.sanction_lift(
                sanction=sanction, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The suspension is lifted."))
    else:
        messages.error(request, _("Write why the suspension is lifted."))
    return redirect("grievances:officer_detail", complaint_id=sanction.complaint_id)


@officer_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_officer(user=request.user, appeal_id=appeal_id)
    if appeal is None:
        raise Http404
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_services.appeal_decide(
                appeal=appeal,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your decision on the appeal is recorded."))
            return redirect("grievances:appeal_detail", appeal_id=appeal.pk)
    complaint = appeal.sanction.complaint
    context = complaint_context(complaint, with_hearings=True)
    context.update(
        {
            "appeal": appeal,
            "sanction": appeal.sanction,
            "form": form if appeal.status == "pending" else None,
        }
    )
    return render(request, "grievances/appeal_detail.html", context)
