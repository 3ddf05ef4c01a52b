"""The completion certificate as a PDF (WeasyPrint), in Hindi and English, from the order's
recorded data (it reads only)."""

import logging

from django.template.loader import render_to_string
from django.utils import translation

from sevamitra.procurement import selectors
from sevamitra.procurement.models import Requisition

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def certificate_html(requisition: Requisition) -> str:
    with translation.override("hi"):
        office_hi, category_hi = requisition.office.name, requisition.category.name
    with translation.override("en"):
        office_en, category_en = requisition.office.name, requisition.category.name
    chosen = list(requisition.chosen.select_related("provider"))
    days = selectors.attendance(requisition)
    return render_to_string(
        "procurement/certificate.html",
        {
            "order": requisition,
            "office_hi": office_hi,
            "office_en": office_en,
            "category_hi": category_hi,
            "category_en": category_en,
            "chosen": chosen,
            "days_worked": sum(day.present for day in days),
        },
    )


def certificate_pdf(requisition: Requisition) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, only needed for PDFs

    return HTML(string=certificate_html(requisition)).write_pdf()
