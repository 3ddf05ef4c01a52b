"""Becoming a Sevamitra: short steps a first-time smartphone user can finish.

Step 1 is signing in with the mobile number and the code sent to it (accounts:signin); then
one page each for: about you, services, where you work, prices and terms, working hours,
documents. Until the home location is known (step 4) the answers live in the session (a
draft; a chosen photo is checked and kept as a draft file); step 4 creates the Provider row
(provider_register) and later steps write to it. Every step can be revisited ("Back"); the
same step pages, in "profile" mode, edit the profile after registration.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sevamitra.providers import selectors
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.web.steps import HANDLERS
from sevamitra.providers.web.wizard import PROFILE_STEPS, STEPS, Wizard
from sevamitra.verification.selectors import provider_verification


@login_required
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    """Where "Become a Sevamitra" leads: the first step not yet done, else the status."""
    wizard = Wizard(request)
    missing = wizard.first_missing()
    if missing:
        return redirect(wizard.url(missing))
    provider = wizard.provider
    if provider is not None and provider.verification_status == VerificationStatus.VERIFIED:
        return redirect("providers:dashboard")
    return redirect("providers:pending")


@sensitive_post_parameters("last4")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    wizard = Wizard(request)
    missing = wizard.first_missing()
    if missing and STEPS.index(step) > STEPS.index(missing):
        return redirect(wizard.url(missing))
    return HANDLERS[step](request, wizard)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, step: str) -> HttpResponse:
    if step not in PROFILE_STEPS:
        raise Http404
    wizard = Wizard(request, mode="profile")
    if wizard.provider is None:
        return redirect("providers:register")
    return HANDLERS[step](request, wizard)


@login_required
def pending(request: HttpRequest) -> HttpResponse:
    """After the last step: what happens next; later, the district office's decision (changes
    asked for, not accepted) with its reason in the Sevamitra's language."""
    provider = selectors.provider_of(request.user)
    if provider is None:
        return redirect("providers:register")
    wizard = Wizard(request)
    return render(
        request,
        "providers/pending.html",
        {
            "provider": provider,
            "missing": wizard.first_missing(),
            "verification": provider_verification(provider=provider),
        },
    )
