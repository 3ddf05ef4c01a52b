"""The government-order dashboards, /gov/dashboard/: an officer's offices, or the whole
department for administrators and auditors; and the CSV export of the orders. GET only; every
figure comes from govdash.selectors."""

import csv
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sevamitra.core.charts import Unit, bar_chart
from sevamitra.govdash import selectors
from sevamitra.govdash.forms import DashboardFilterForm
from sevamitra.govdash.permissions import dashboard_scope
from sevamitra.procurement.models import Office, RequisitionStatus

View = Callable[..., HttpResponse]


def scope_required(view: View) -> View:
    """Sign-in first; then only someone with a dashboard scope (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = dashboard_scope(request.user)
        if scope is None:
            return render(request, "govdash/forbidden.html", status=403)
        return never_cache(view)(request, *args, scope=scope, **kwargs)

    return wrapper


def _spend_charts(rows: list[selectors.SpendRow], invoiced_title: str, paid_title: str, label):
    return (
        bar_chart(
            [(row.label, row.invoiced) for row in rows],
            title=invoiced_title,
            unit=Unit.RUPEES,
            label_heading=label,
            value_heading=_("Invoiced"),
        ),
        bar_chart(
            [(row.label, row.paid) for row in rows],
            title=paid_title,
            unit=Unit.RUPEES,
            label_heading=label,
            value_heading=_("Paid"),
        ),
    )


@require_safe
@scope_required
def dashboard(request: HttpRequest, *, scope) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, scope=scope)
    offices = (
        []
        if scope.is_department
        else list(Office.objects.filter(pk__in=scope.office_ids).select_related("district"))
    )
    context: dict[str, Any] = {"form": form, "scope": scope, "offices": offices}
    if form.is_bound and not form.is_valid():
        return render(request, "govdash/dashboard.html", context, status=400)
    flt = form.to_filter()
    today = selectors.today()
    statuses = dict(RequisitionStatus.choices)
    invoiced, paid = selectors.spend_totals(flt)
    overdue = selectors.overdue_invoices(flt, today=today)
    overdue_count, overdue_value = selectors.overdue_summary(overdue)
    by_category = selectors.spend_by_category(flt)
    by_month = selectors.spend_by_month(flt)
    by_district = selectors.spend_by_district(flt)
    params = request.GET.copy()
    context.update(
        flt=flt,
        today=today,
        invoiced=invoiced,
        paid=paid,
        overdue=overdue,
        overdue_count=overdue_count,
        overdue_value=overdue_value,
        payment_days=selectors.payment_days(flt),
        status_chart=bar_chart(
            [(str(statuses[s]), n) for s, n in selectors.orders_by_status(flt)],
            title=_("Orders by status"),
            unit=Unit.COUNT,
            label_heading=_("Status"),
            value_heading=_("Orders"),
        ),
        category_charts=_spend_charts(
            by_category, _("Invoiced by service"), _("Paid by service"), _("Service")
        ),
        month_charts=_spend_charts(
            by_month, _("Invoiced by month"), _("Paid by month"), _("Month")
        ),
        district_charts=_spend_charts(
            by_district, _("Invoiced by district"), _("Paid by district"), _("District")
        ),
        query_string=params.urlencode(),
    )
    return render(request, "govdash/dashboard.html", context)


# --- CSV -------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula: a value starting with
    = + - @ (or a tab or carriage return) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def order_csv_rows(rows: list[selectors.OrderRow]) -> list[list[str]]:
    header = [
        _("Order"),
        _("Office"),
        _("District"),
        _("Service"),
        _("First day"),
        _("Last day"),
        _("Accepted on"),
        _("Status"),
        _("Sevamitra"),
        _("Estimated value (₹)"),
        _("Invoice number"),
        _("Invoice total (₹)"),
        _("Paid (₹)"),
        _("Paid on"),
        _("Days to payment"),
    ]
    lines = [header]
    for row in rows:
        order, state = row.order, row.invoice
        lines.append(
            [
                order.number,
                order.office.name,
                order.office.district.name,
                order.category.name,
                _day(order.starts_on),
                _day(order.ends_on),
                _day(order.accepted_on),
                str(order.get_status_display()),
                row.chosen.provider.display_name,
                f"{row.chosen.estimated_value:.2f}",
                state.invoice.display_number if state else "",
                f"{state.invoice.total:.2f}" if state else "",
                f"{state.paid:.2f}" if state else "",
                _day(state.last_paid_on) if state else "",
                str(state.days_to_payment) if state and state.days_to_payment is not None else "",
            ]
        )
    return [[csv_cell(cell) for cell in line] for line in lines]


@require_safe
@scope_required
def orders_csv(request: HttpRequest, *, scope) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, scope=scope)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "scope": scope, "offices": []}
        return render(request, "govdash/dashboard.html", context, status=400)
    flt = form.to_filter()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8 (Hindi names)
    csv.writer(buffer).writerows(order_csv_rows(selectors.order_rows(flt)))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"government-orders-{flt.year_label}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
