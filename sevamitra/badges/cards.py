"""The printable ID card: a one-page PDF, 85.6 × 54 mm (credit-card size), Hindi and English."""

import base64
import logging
import mimetypes

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from sevamitra.badges.bilingual import both
from sevamitra.badges.models import Badge
from sevamitra.badges.selectors import provider_categories

# WeasyPrint logs every rendering step at INFO: keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

LABELS = {
    "title": _("Sevamitra ID card"),
    "department": _("Labour and Employment Department, Uttar Pradesh"),
    "categories": _("Services"),
    "district": _("District"),
    "number": _("Badge no."),
    "valid_until": _("Valid until"),
    "scan": _("Scan to check"),
}


def _photo_data_uri(provider) -> str:  # type: ignore[no-untyped-def]
    if not provider.photo:
        return ""
    content_type = mimetypes.guess_type(provider.photo.name)[0] or ""
    if not content_type.startswith("image/"):
        return ""
    with provider.photo.open("rb") as handle:
        data = handle.read()
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def card_html(badge: Badge, *, verify_url: str) -> str:
    provider = badge.provider
    return render_to_string(
        "badges/card.html",
        {
            "badge": badge,
            "provider": provider,
            "categories": provider_categories(provider),
            "labels": {key: both(text) for key, text in LABELS.items()},
            "photo": _photo_data_uri(provider),
            "qr": qr_data_uri(verify_url),
            "verify_url": verify_url,
        },
    )


def card_pdf(badge: Badge, *, verify_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, only needed for cards

    return HTML(string=card_html(badge, verify_url=verify_url)).write_pdf()
