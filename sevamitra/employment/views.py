"""/employment/: link one's employment-exchange registration, see what was imported, unlink;
share one's Sevamitra work history with the exchange (consent, withdrawal) and download the
signed record. Every page is about the signed-in person only."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.core.errors import DomainError
from sevamitra.employment import selectors, services
from sevamitra.employment.forms import LinkForm, ShareForm, add_domain_error
from sevamitra.employment.models import Portal

PORTAL = Portal.SEWAYOJAN


def jwks_url(request: HttpRequest) -> str | None:
    """Where a portal finds our public keys (the OpenID Connect JWKS), if it is mounted."""
    try:
        return request.build_absolute_uri(reverse("oauth2_provider:jwks-info"))
    except NoReverseMatch:
        return None


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment/overview.html",
        {"overview": selectors.employment_overview(request.user, PORTAL)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """Number → preview of what will be imported → confirm. The preview is looked up again on
    confirmation (the services check everything each time)."""
    if selectors.active_link(request.user, PORTAL) is not None:
        return redirect("employment:overview")
    form = LinkForm(request.POST if request.method == "POST" else None)
    preview = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["registration_number"]
        try:
            if request.POST.get("confirm") == "1":
                services.employment_link(
                    user=request.user,
                    portal=PORTAL,
                    registration_number=number,
                    acting_user=request.user,
                )
            else:
                record = services.employment_link_preview(
                    user=request.user,
                    portal=PORTAL,
                    registration_number=number,
                    acting_user=request.user,
                )
                preview = selectors.imported_details(selectors.snapshot(record))
                number = record.registration_number
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if preview is None:
                messages.success(request, _("Your registration is linked to your account."))
                return redirect("employment:overview")
            return render(
                request, "employment/preview.html", {"details": preview, "number": number}
            )
    return render(request, "employment/link.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def unlink(request: HttpRequest) -> HttpResponse:
    current = selectors.active_link(request.user, PORTAL)
    if current is None:
        return redirect("employment:overview")
    if request.method == "POST":
        try:
            services.employment_unlink(link=current, acting_user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your registration is no longer linked to your account."))
        return redirect("employment:overview")
    return render(
        request,
        "employment/unlink.html",
        {"link": current, "share": selectors.active_share(request.user, PORTAL)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    overview = selectors.employment_overview(request.user, PORTAL)
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and overview.share is None and form.is_valid():
        try:
            services.work_history_share(
                user=request.user,
                portal=PORTAL,
                consent=form.cleaned_data["consent"],
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Your work history will be sent to the employment exchange."),
            )
            return redirect("employment:share")
    return render(request, "employment/share.html", {"overview": overview, "form": form})


@never_cache
@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    current = selectors.active_share(request.user, PORTAL)
    if current is not None:
        try:
            services.work_history_withdraw(share=current, acting_user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "You have withdrawn your consent. Nothing more will be sent, and the "
                    "employment exchange has been asked to remove your record."
                ),
            )
    return redirect("employment:share")


@never_cache
@login_required
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    """The person's work-history record, signed now: a JSON file with the JWS, its header and
    its claims, and where to find the key that checks it."""
    try:
        claims = selectors.work_history_record(request.user, portal=PORTAL)
    except LookupError:
        messages.error(
            request,
            _("Your signed record needs a Sevamitra profile and a linked registration."),
        )
        return redirect("employment:overview")
    token = selectors.sign_record(claims)
    body = {
        "record": token,
        "header": selectors.record_header(token),
        "claims": claims,
        "jwks_uri": jwks_url(request),
        "how_to_check": (
            "The record is a compact JWS (RS256). Check its signature with the key whose kid "
            "is in the header, from the JSON Web Key Set at jwks_uri; then check iss, aud "
            "and exp."
        ),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"sevamitra-work-history-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
