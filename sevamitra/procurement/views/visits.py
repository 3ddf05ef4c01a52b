"""Pages of a booked order's visits under /gov/orders/<pk>/: the replacement of visits a
Sevamitra dropped, and the attendance sheet with every visit's codes."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sevamitra.core.errors import DomainError
from sevamitra.procurement import permissions as can
from sevamitra.procurement import selectors
from sevamitra.procurement.forms import ReplacementForm
from sevamitra.procurement.models import RequisitionStatus
from sevamitra.procurement.services import attendance, replacements
from sevamitra.procurement.views.orders import _choices, _field_error, _order, officer_required
from sevamitra.providers.models import Offer

R = RequisitionStatus


# --- Visits not covered: replacements ---------------------------------------------------------


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def replacement(request: HttpRequest, pk: int) -> HttpResponse:
    """The visits nobody covers, the verified Sevamitras free on all of them with their value,
    and the approved amount still left; booking one books them at once."""
    order = _order(request, pk)
    if not can.can_book_replacement(request.user, order):
        return render(request, "procurement/forbidden.html", status=403)
    visits = selectors.uncovered_visits(order)
    if order.status != R.BOOKED or not visits:
        messages.info(request, _("Every visit of this order is covered."))
        return redirect("procurement:detail", pk=order.pk)
    candidates = selectors.replacement_candidates(order, visits)
    spent = selectors.committed_spend(selectors.bookings_of(order))
    left = order.estimated_value - spent
    form = ReplacementForm(request.POST or None, choices=_choices(candidates))
    if request.method == "POST" and form.is_valid():
        try:
            replacements.requisition_replacement_book(
                requisition=order,
                offer=Offer.objects.get(pk=form.cleaned_data["offer"]),
                acting_user=request.user,
            )
        except DomainError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("The replacement is booked."))
            return redirect("procurement:detail", pk=order.pk)
    return render(
        request,
        "procurement/replacement.html",
        {
            "order": order,
            "visits": visits,
            "missing": sum(v.missing for v in visits),
            "candidates": [(c, c.estimate <= left) for c in candidates],
            "spent": spent,
            "left": left,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- The attendance sheet with the visits' codes ----------------------------------------------


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what printing does (new codes; the earlier ones stop working), to confirm. POST:
    the sheet itself, with the fresh codes, once (never cached, never stored in clear)."""
    order = _order(request, pk)
    if not can.can_print_attendance_sheet(request.user, order):
        return render(request, "procurement/forbidden.html", status=403)
    if order.status != R.BOOKED:
        messages.error(
            request,
            _("An attendance sheet can be printed only for a booked order with work to come."),
        )
        return redirect("procurement:detail", pk=order.pk)
    context: dict[str, Any] = {"order": order}
    if request.method == "POST":
        try:
            context["rows"] = attendance.requisition_attendance_sheet_issue(
                requisition=order, acting_user=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("procurement:detail", pk=order.pk)
        response = render(request, "procurement/attendance_sheet.html", context)
        response["Cache-Control"] = "no-store, private"
        return response
    bookings = selectors.bookings_of(order)
    context["due"] = len(attendance.codes_due(bookings, now=timezone.now()))
    context["visits"] = len(bookings)
    return render(request, "procurement/attendance_confirm.html", context)
