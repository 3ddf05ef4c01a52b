import datetime as dt
import shutil
import subprocess

import pytest

from sevamitra.invoicing import pdf, services
from sevamitra.invoicing.tests.factories import DELHI_GSTIN, UP_GSTIN, accepted_order, office
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 12, 6, 0, tzinfo=dt.UTC)
PDFTOTEXT = shutil.which("pdftotext")


def _invoice(*, gstin=UP_GSTIN, of=None):
    provider = ProviderFactory(gstin=gstin, name_hi="श्री क्षितिज त्रिपाठी", name_latin="Kshitij")
    order = accepted_order(providers=[provider], of=of, days=3, price="800")
    return services.invoice_issue(
        requisition=order, provider=provider, acting_user=provider.user, now=NOW
    )


def _text(data: bytes, tmp_path) -> str:
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed to read the PDF back"
    path = tmp_path / "invoice.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_tax_invoice_pdf_carries_what_gst_rules_need(tmp_path):
    invoice = _invoice()
    data = pdf.invoice_pdf(invoice)
    assert data.startswith(b"%PDF-")
    text = _text(data, tmp_path)
    # pdftotext reorders Devanagari vowel signs when it extracts text, so the Hindi is checked
    # in the HTML that is rendered (and the rendering was looked at: क्ष, त्र, श्री are correct).
    html = pdf.invoice_html(invoice)
    for expected in [
        "कर बीजक",
        "श्री क्षितिज त्रिपाठी",
        "दो हज़ार आठ सौ बत्तीस रुपये मात्र",
        "आपूर्तिकर्ता के हस्ताक्षर",
        "उत्तर प्रदेश",
    ]:
        assert expected in html, expected
    for expected in [
        "Tax Invoice",
        invoice.display_number,
        "12/05/2026",
        "Kshitij",
        UP_GSTIN,
        invoice.requisition.office.name_en,
        "09AAAGU0001B1ZX",
        "Uttar Pradesh (09)",
        "CGST",
        "SGST",
        "₹216.00",
        "₹2,832.00",
        "Rupees Two Thousand Eight Hundred Thirty-Two Only",
        "Zero commission",
        "Signature of the supplier",
    ]:
        assert expected in text, expected
    assert "IGST" not in text


def test_inter_state_invoice_shows_igst(tmp_path):
    invoice = _invoice(of=office(gstin=DELHI_GSTIN, state_code="07"))
    text = _text(pdf.invoice_pdf(invoice), tmp_path)
    assert "IGST" in text
    assert "Delhi (07)" in text
    assert "CGST" not in text


def test_bill_of_supply_pdf(tmp_path):
    invoice = _invoice(gstin="")
    text = _text(pdf.invoice_pdf(invoice), tmp_path)
    assert "Bill of Supply" in text
    assert "Tax Invoice" not in text
    assert "no tax is charged" in text
    assert "CGST" not in text
