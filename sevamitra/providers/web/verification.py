"""The Sevamitra's side of verification: adding a document after registration (a renewed
police verification certificate, another identity document) and sending the registration
again once the changes the district office asked for are made."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.core.errors import DomainError
from sevamitra.providers import selectors, services
from sevamitra.providers.models import Provider
from sevamitra.providers.web.forms import DocumentAddForm
from sevamitra.providers.web.wizard import Wizard, add_domain_error
from sevamitra.providers.web.work import provider_required
from sevamitra.verification import services as verification
from sevamitra.verification.selectors import provider_verification


@sensitive_post_parameters("last4")
@provider_required
@require_http_methods(["GET", "POST"])
def documents_add(request: HttpRequest, provider: Provider) -> HttpResponse:
    posted = request.method == "POST"
    form = DocumentAddForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.provider_add_documents(
                provider=provider,
                id_type=data.get("id_type", ""),
                last4=data.get("last4", ""),
                police_reference=data.get("police_reference", ""),
                police_expires_on=data.get("police_expires_on"),
                police_file=data.get("police_file"),
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(
                form,
                exc,
                {
                    "reference": "police_reference",
                    "expires_on": "police_expires_on",
                    "file": "police_file",
                },
            )
        else:
            messages.success(
                request, _("Your document is saved. The district office will check it.")
            )
            return redirect("providers:profile")
    return render(
        request,
        "providers/documents_add.html",
        {
            "provider": provider,
            "form": form,
            "documents": selectors.provider_documents(provider=provider),
            "verification": provider_verification(provider=provider),
        },
    )


@provider_required
@require_POST
def verification_resubmit(request: HttpRequest, provider: Provider) -> HttpResponse:
    missing = Wizard(request).first_missing()
    if missing:
        messages.error(
            request,
            _("Your registration is not finished: complete every step, then send it again."),
        )
        return redirect("providers:register_step", step=missing)
    try:
        verification.verification_resubmit(provider=provider, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Your registration is sent again. The district office will check it.")
        )
    return redirect("providers:pending")
