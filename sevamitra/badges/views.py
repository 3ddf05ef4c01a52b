"""Badge pages: the door check (/verify/<token>), the offline checker, the ID card PDF.

/verify/<token> answers 200 for a genuine card (valid, expired or suspended) and 404 for a
token that is not genuine — with the same page saying NOT VALID in Hindi and English, never an
error page. Nothing is cached: the verdict is read live from the database every time.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from sevamitra.badges import cards, permissions, selectors, tokens
from sevamitra.badges.bilingual import both
from sevamitra.badges.selectors import VERDICT_EXPLANATIONS, VERDICT_LABELS, Verdict
from sevamitra.providers.models import Provider


def _noindex(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def verify(request: HttpRequest, token: str) -> HttpResponse:
    check = selectors.badge_check(token)
    provider = check.provider
    context = {
        "check": check,
        "verdict": check.verdict,
        "verdict_label": both(VERDICT_LABELS[check.verdict]),
        "verdict_text": both(VERDICT_EXPLANATIONS[check.verdict]),
        "provider": provider if check.verdict != Verdict.NOT_VALID else None,
        "badge": check.badge if check.verdict != Verdict.NOT_VALID else None,
        "categories": selectors.provider_categories(provider)
        if provider and check.verdict != Verdict.NOT_VALID
        else [],
        # The photo view shows a verified provider's photo to anyone; not a suspended one's.
        "show_photo": bool(provider and provider.photo and check.verdict != Verdict.SUSPENDED),
    }
    status = 404 if check.verdict == Verdict.NOT_VALID else 200
    return _noindex(render(request, "badges/verify.html", context, status=status))


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """Without JavaScript the offline page's form lands here: on to /verify/<token>."""
    token = tokens.extract(request.GET.get("token", ""))
    if token and len(token) <= 200 and "/" not in token:
        return redirect("badges:verify", token=token)
    return redirect("badges:offline")


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Checks tokens in the browser, from the signature and dates alone (static JS)."""
    context = {
        "public_key": tokens.public_key_b64url(),
        "verdicts": {key: both(label) for key, label in VERDICT_LABELS.items()},
        "explanations": {key: both(text) for key, text in VERDICT_EXPLANATIONS.items()},
    }
    return render(request, "badges/offline.html", context)


@require_safe
def card(request: HttpRequest, provider_id: int) -> HttpResponse:
    """The provider's current ID card as PDF: for the provider, the district officer of their
    district and administrators; 404 for anyone else, and when no card has been issued."""
    provider = get_object_or_404(Provider, pk=provider_id)
    if not permissions.can_view_badge_card(request.user, provider):
        raise Http404
    badge = selectors.badge_current(provider)
    if badge is None:
        raise Http404
    verify_url = request.build_absolute_uri(reverse("badges:verify", args=[badge.token]))
    response = HttpResponse(cards.card_pdf(badge, verify_url=verify_url), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="sevamitra-{badge.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
