"""Government-order pages under /gov/: the office's orders, a new requisition and changes to a
draft, an order's page (choose providers, decide, attendance, visits not covered, certificate),
the approver's queue, the certificate PDF.

A visitor is sent to sign in; someone holding no office post is refused (403); an order of an
office the officer does not see answers 404, like one that does not exist."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sevamitra.core.errors import DomainError
from sevamitra.procurement import certificate, selectors
from sevamitra.procurement import permissions as can
from sevamitra.procurement.forms import (
    CancelForm,
    ChooseProvidersForm,
    DecisionForm,
    RequisitionForm,
)
from sevamitra.procurement.models import Office, OfficerPost, Requisition, RequisitionStatus
from sevamitra.procurement.models.orders import EDITABLE_STATUSES, PENDING_APPROVAL_STATUSES
from sevamitra.procurement.services import approvals, completion, requisitions
from sevamitra.providers.models import Offer

View = Callable[..., HttpResponse]
R = RequisitionStatus


def officer_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (can.is_officer(request.user) or can.reads_everything(request.user)):
            return render(request, "procurement/forbidden.html", status=403)
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


def _order(request: HttpRequest, pk: int) -> Requisition:
    order = selectors.requisition_detail(pk)
    if order is None or not can.can_view_requisition(request.user, order):
        raise Http404
    return order


def _field_error(form, exc: DomainError) -> None:  # type: ignore[no-untyped-def]
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@officer_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    orders = list(selectors.requisitions_for(request.user)[:200])
    groups = [(label, [o for o in orders if o.status == value]) for value, label in R.choices]
    return render(
        request,
        "procurement/dashboard.html",
        {
            "groups": [(label, rows) for label, rows in groups if rows],
            "can_create": bool(can.post_offices(request.user, OfficerPost.INDENTING)),
            "is_finance": bool(can.post_offices(request.user, OfficerPost.FINANCE)),
            "queue_count": selectors.approval_queue(request.user).count(),
        },
    )


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    offices = Office.objects.filter(
        pk__in=can.post_offices(request.user, OfficerPost.INDENTING), is_active=True
    )
    if not offices.exists():
        return render(request, "procurement/forbidden.html", status=403)
    form = RequisitionForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = requisitions.requisition_create(
                office=data["office"],
                category=data["category"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                workers=data["workers"],
                purpose=data["purpose"],
                place_address=data["place_address"],
                place_pincode=data["place_pincode"],
                acting_user=request.user,
            )
        except DomainError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Draft saved. Now choose the Sevamitras."))
            return redirect("procurement:detail", pk=order.pk)
    return render(request, "procurement/new.html", {"form": form})


_DETAIL_FIELDS = (
    "category",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "workers",
    "purpose",
    "place_address",
    "place_pincode",
)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or sent-back order: the new-requisition form, prefilled; the same
    checks (requisitions.requisition_update shares them with requisition_create)."""
    order = _order(request, pk)
    if not can.can_edit_requisition(request.user, order):
        return render(request, "procurement/forbidden.html", status=403)
    if order.status not in EDITABLE_STATUSES:
        messages.error(
            request,
            _(
                "This order has been submitted and can no longer be changed. If it must "
                "change, the approving officer can send it back to you."
            ),
        )
        return redirect("procurement:detail", pk=order.pk)
    form = RequisitionForm(
        request.POST or None, offices=Office.objects.filter(pk=order.office_id), order=order
    )
    if request.method == "POST" and form.is_valid():
        had_choice = order.chosen.exists()
        try:
            order = requisitions.requisition_update(
                requisition=order,
                acting_user=request.user,
                **{name: form.cleaned_data[name] for name in _DETAIL_FIELDS},
            )
        except DomainError as exc:
            _field_error(form, exc)
        else:
            if had_choice and not order.chosen.exists():
                messages.success(
                    request, _("Changes saved. Choose the Sevamitras again for the new details.")
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect("procurement:detail", pk=order.pk)
    return render(
        request,
        "procurement/new.html",
        {"form": form, "order": order},
        status=400 if form.errors else 200,
    )


def _choices(candidates: list[selectors.Candidate]) -> list[tuple[int, str]]:
    return [(c.offer.pk, c.offer.provider.display_name) for c in candidates]


@officer_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _detail(request, order)


def _detail(request: HttpRequest, order: Requisition, **forms: Any) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"order": order, "chosen": list(order.chosen.all())}
    if order.status in EDITABLE_STATUSES and can.can_edit_requisition(user, order):
        candidates = selectors.matching_offers(order)
        offered = {c.offer.pk for c in candidates}
        context["candidates"] = candidates
        context["can_edit"] = True
        # The Sevamitras chosen at an earlier submission stay ticked while still free.
        context["choose_form"] = forms.get("choose_form") or ChooseProvidersForm(
            choices=_choices(candidates),
            initial={"offers": [c.offer_id for c in context["chosen"] if c.offer_id in offered]},
        )
    elif forms.get("choose_form"):
        context["choose_form"] = forms["choose_form"]
    if forms.get("decision_form"):
        context["decision_form"] = forms["decision_form"]
    elif order.status in PENDING_APPROVAL_STATUSES and can.can_decide_requisition(user, order):
        context["decision_form"] = DecisionForm()
    if order.status in (R.BOOKED, R.COMPLETED, R.ACCEPTED):
        context["attendance"] = selectors.attendance(order)
    if order.status == R.BOOKED:
        context["uncovered"] = selectors.uncovered_visits(order)
        context["uncovered_count"] = sum(v.missing for v in context["uncovered"])
        context["can_replace"] = can.can_book_replacement(user, order)
        context["can_print_sheet"] = can.can_print_attendance_sheet(user, order)
    acts = can.can_act_for_office(user, order)
    context["can_certify"] = acts and order.status in (R.BOOKED, R.COMPLETED)
    context["can_cancel"] = (order.status == R.BOOKED and acts) or (
        order.status in EDITABLE_STATUSES and can.can_edit_requisition(user, order)
    )
    if context["can_cancel"]:
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
    context["is_customer"] = order.created_by_id == user.pk
    context["approvals"] = list(order.approvals.all())
    status = 400 if forms else 200
    return render(request, "procurement/detail.html", context, status=status)


@officer_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not can.can_edit_requisition(request.user, order):
        raise Http404
    candidates = selectors.matching_offers(order) if order.status in EDITABLE_STATUSES else []
    form = ChooseProvidersForm(request.POST, choices=_choices(candidates))
    if form.is_valid():
        offers = list(Offer.objects.filter(pk__in=form.cleaned_data["offers"]))
        try:
            requisitions.requisition_submit(
                requisition=order, offers=offers, acting_user=request.user
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The order has been submitted."))
            return redirect("procurement:detail", pk=order.pk)
    return _detail(request, order, choose_form=form)


@officer_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, remarks = form.cleaned_data["decision"], form.cleaned_data["remarks"]
        service = {
            "approve": approvals.requisition_approve,
            "send_back": approvals.requisition_send_back,
            "reject": approvals.requisition_reject,
        }[decision]
        try:
            service(requisition=order, remarks=remarks, acting_user=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your decision has been recorded."))
            return redirect("procurement:detail", pk=order.pk)
    order = _order(request, pk)
    return _detail(request, order, decision_form=form)


@officer_required
@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    try:
        completion.requisition_certify(requisition=order, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Completion certificate issued; the order is accepted."))
    return redirect("procurement:detail", pk=order.pk)


@officer_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            requisitions.requisition_cancel(
                requisition=order, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The order has been cancelled."))
            return redirect("procurement:detail", pk=order.pk)
    return _detail(request, _order(request, pk), cancel_form=form)


@officer_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "procurement/queue.html", {"orders": list(selectors.approval_queue(request.user))}
    )


@officer_required
@require_safe
def certificate_file(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if order.acceptance_kind != "certified":
        raise Http404
    response = HttpResponse(certificate.certificate_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="completion-{order.number}.pdf"'
    return response
