"""The auditor's pages, /audit/: read-only. Administrators and auditors only (403 for anyone
else signed in; a visitor is sent to sign in). GET only: a filter, a page of entries, and
exports of the filtered range (CSV, JSON Lines) with the chain head."""

import dataclasses
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sevamitra.accounts.permissions import can_view_audit
from sevamitra.audit import export
from sevamitra.audit.forms import AuditFilterForm
from sevamitra.audit.selectors import AuditFilter, audit_entries, chain_head

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def auditor_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_audit(request.user):
            return render(request, "audit/forbidden.html", status=403)
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


@require_safe
@auditor_required
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    head = chain_head()
    context: dict[str, Any] = {"form": form, "head_seq": head[0], "head_hash": head[1]}
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", context, status=400)
    query = form.to_filter() if form.is_bound else AuditFilter()
    paginator = Paginator(audit_entries(query).reverse(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context.update(page=page, query_string=params.urlencode())
    return render(request, "audit/list.html", context)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        head = chain_head()
        context = {"form": form, "head_seq": head[0], "head_hash": head[1]}
        return render(request, "audit/list.html", context, status=400)
    head = chain_head()
    query = form.to_filter()
    entries = audit_entries(dataclasses.replace(query, up_to_seq=head[0]))
    head_record = export.header(entries=entries, head=head, filters=form.export_query())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if kind == "csv":
        lines = export.csv_lines(entries=entries, head_record=head_record)
        content_type, name = "text/csv; charset=utf-8", f"audit-{stamp}.csv"
    else:
        lines = export.jsonl_lines(entries=entries, head_record=head_record)
        content_type, name = "application/jsonl; charset=utf-8", f"audit-{stamp}.jsonl"
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Audit-Chain-Head"] = f"{head[0]}:{head[1]}"
    return response


@require_safe
@auditor_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_safe
@auditor_required
def export_jsonl(request: HttpRequest) -> HttpResponse:
    return _export(request, "jsonl")
