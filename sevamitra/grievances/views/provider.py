"""The Sevamitra's pages: complaints about their work, giving their side, appealing a warning
or suspension. Only their own complaints and sanctions exist here (404 otherwise)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.core.errors import DomainError
from sevamitra.grievances import selectors
from sevamitra.grievances.forms import AppealForm, TextForm, add_domain_error
from sevamitra.grievances.models import Complaint
from sevamitra.grievances.services import appeals as appeal_services
from sevamitra.grievances.services import complaints as services
from sevamitra.grievances.views._common import complaint_context
from sevamitra.providers.models import Provider
from sevamitra.providers.web.work import provider_required

RESPONSE_LABEL = gettext_lazy("Your side")
RESPONSE_HELP = gettext_lazy(
    "Say what happened from your side. The customer and the district officer will read it."
)


def _theirs(provider: Provider, complaint_id: int) -> Complaint:
    complaint = selectors.complaint_get_for_provider(provider=provider, complaint_id=complaint_id)
    if complaint is None:
        raise Http404
    return complaint


@provider_required
def complaint_list(request: HttpRequest, provider: Provider) -> HttpResponse:
    return render(
        request,
        "grievances/provider_list.html",
        {
            "provider": provider,
            "complaints": selectors.complaints_of_provider(provider=provider),
            "sanctions": selectors.sanctions_of_provider(provider=provider),
            "now": timezone.now(),
        },
    )


def _detail(
    request: HttpRequest,
    provider: Provider,
    complaint: Complaint,
    *,
    form=None,  # type: ignore[no-untyped-def]
) -> HttpResponse:
    context = complaint_context(complaint)
    context["provider"] = provider
    if complaint.is_open:
        context["response_form"] = form or TextForm(label=RESPONSE_LABEL, help_text=RESPONSE_HELP)
    return render(request, "grievances/provider_detail.html", context)


@provider_required
def complaint_detail(request: HttpRequest, provider: Provider, complaint_id: int) -> HttpResponse:
    return _detail(request, provider, _theirs(provider, complaint_id))


@provider_required
@require_POST
def complaint_respond(request: HttpRequest, provider: Provider, complaint_id: int) -> HttpResponse:
    complaint = _theirs(provider, complaint_id)
    form = TextForm(request.POST, label=RESPONSE_LABEL, help_text=RESPONSE_HELP)
    if form.is_valid():
        try:
            services.complaint_respond(
                complaint=complaint, text=form.cleaned_data["text"], acting_user=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your side is recorded. The customer has been told."))
            return redirect("grievances:provider_detail", complaint_id=complaint.pk)
    return _detail(request, provider, complaint, form=form)


@provider_required
@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, provider: Provider, sanction_id: int) -> HttpResponse:
    sanction = selectors.sanction_get_for_provider(provider=provider, sanction_id=sanction_id)
    if sanction is None:
        raise Http404
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_services.appeal_file(
                sanction=sanction, grounds=form.cleaned_data["grounds"], acting_user=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Your appeal is sent to %(officer)s, who will decide it by %(date)s.")
                % {
                    "officer": appeal.appellate_officer.name or _("the appellate officer"),
                    "date": timezone.localtime(appeal.due_at).strftime("%d/%m/%Y"),
                },
            )
            return redirect("grievances:provider_detail", complaint_id=sanction.complaint_id)
    return render(
        request,
        "grievances/appeal.html",
        {
            "provider": provider,
            "sanction": sanction,
            "form": form,
            "appeal": selectors.appeal_of(sanction=sanction),
            "rules": selectors.grievance_settings(),
            "now": timezone.now(),
        },
    )
