"""The district officer's verification pages, /officer/verification/: the queue of the
officer's districts and one Sevamitra's file with the decision form.

A visitor is sent to sign in; anyone who is not a district officer or an administrator is
refused (403); a Sevamitra of another district answers 404, like one that does not exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sevamitra.core.errors import DomainError
from sevamitra.verification import selectors, services
from sevamitra.verification.forms import Choice, DecisionForm, QueueFilterForm
from sevamitra.verification.permissions import can_use_verification_queue
from sevamitra.verification.selectors import QueueKind

View = Callable[..., HttpResponse]

KIND_LABELS = {
    QueueKind.NEW: gettext_lazy("New registrations"),
    QueueKind.RESUBMITTED: gettext_lazy("Sent again after changes"),
    QueueKind.LAPSED: gettext_lazy("Re-verification overdue"),
    QueueKind.REVERIFICATION_DUE: gettext_lazy("Re-verification due"),
    QueueKind.RENEWED_CERTIFICATE: gettext_lazy("Renewed certificate to check"),
}


def officer_required(view: View) -> View:
    """District officers and administrators: a visitor is sent to sign in, anyone else is
    refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_verification_queue(request.user):
            return render(request, "verification/forbidden.html", status=403)
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@officer_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    result = selectors.verification_queue(
        user=request.user,
        district_id=_int(request.GET.get("district")),
        kind=request.GET.get("kind", ""),
        page=_int(request.GET.get("page")) or 1,
    )
    filters = QueueFilterForm(
        initial={"district": result.district.pk if result.district else "", "kind": result.kind},
        districts=result.districts,
        kinds=list(KIND_LABELS.items()),
    )
    query = {"district": result.district.pk if result.district else "", "kind": result.kind}
    return render(
        request,
        "verification/queue.html",
        {
            "queue": result,
            "filters": filters,
            "counts": [(kind, label, result.counts[kind]) for kind, label in KIND_LABELS.items()],
            "rows": [(p, KIND_LABELS[p.kind]) for p in result.page.object_list],
            "query": query,
            "today": timezone.localdate(),
        },
    )


_SUCCESS = {
    Choice.APPROVE: gettext_lazy(
        "Approved. The ID badge is issued and the Sevamitra is told by SMS."
    ),
    Choice.CHANGES: gettext_lazy("Changes asked for. The Sevamitra is told by SMS."),
    Choice.REJECT: gettext_lazy("Registration not accepted. The Sevamitra is told by SMS."),
}


def _decide(request: HttpRequest, provider, form: DecisionForm) -> None:  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    if data["decision"] == Choice.APPROVE:
        services.verification_approve(
            provider=provider,
            documents_checked=form.document_ids(),
            note=data["note"],
            acting_user=request.user,
        )
        return
    service = (
        services.verification_request_changes
        if data["decision"] == Choice.CHANGES
        else services.verification_reject
    )
    service(
        provider=provider,
        reason=data["reason"],
        note=data["note"],
        documents_checked=form.document_ids(),
        acting_user=request.user,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def provider(request: HttpRequest, provider_id: int) -> HttpResponse:
    found = selectors.verification_provider_get(user=request.user, provider_id=provider_id)
    if found is None:
        raise Http404
    documents = selectors.documents_for_review(provider=found)
    form_args = {"status": found.verification_status, "documents": [r.document for r in documents]}
    form = DecisionForm(request.POST if request.method == "POST" else None, **form_args)
    if request.method == "POST" and form.fields["decision"].choices and form.is_valid():
        try:
            _decide(request, found, form)
        except DomainError as exc:
            name = exc.field if exc.field in form.fields else None
            form.add_error(name, str(exc.message))
        else:
            messages.success(request, str(_SUCCESS[form.cleaned_data["decision"]]))
            return redirect("verification:queue")
    return render(
        request,
        "verification/provider.html",
        {
            "provider": found,
            "kind_label": KIND_LABELS.get(found.kind, ""),  # type: ignore[attr-defined]
            "offers": found.offers.filter(is_active=True)
            .select_related("category")
            .order_by("category__sort_order"),
            "pincodes": list(
                found.service_pincodes.order_by("pincode").values_list("pincode", flat=True)
            ),
            "documents": documents,
            "history": selectors.verification_history(provider=found),
            "police_categories": selectors.police_categories(provider=found),
            "form": form if form.fields["decision"].choices else None,
            "today": timezone.localdate(),
        },
    )
