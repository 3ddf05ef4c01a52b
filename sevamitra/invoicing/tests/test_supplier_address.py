"""The supplier's postal address on the invoice (GST rules: the supplier's name and address):
copied from the Sevamitra's business address when the invoice is issued; no invoice without
it, with a way to the page that sets it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sevamitra.audit.models import AuditEntry
from sevamitra.invoicing import pdf, services
from sevamitra.invoicing.errors import InvoiceError
from sevamitra.invoicing.models import Invoice, InvoiceCounter
from sevamitra.invoicing.tests.factories import accepted_order, officer
from sevamitra.procurement.models import OfficerPost
from sevamitra.providers.models import Provider
from sevamitra.providers.services import provider_business_address_set
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 12, 6, 0, tzinfo=dt.UTC)
EXPECTED = (
    "12 Rani Katra\nNear Chowk Kotwali\nChowk\nलखनऊ / Lucknow – 226003\nउत्तर प्रदेश / Uttar Pradesh"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _without_address(order) -> Provider:  # type: ignore[no-untyped-def]
    provider = order.chosen.get().provider
    Provider.objects.filter(pk=provider.pk).update(
        business_line1="",
        business_line2="",
        business_locality="",
        business_pincode="",
        business_district=None,
    )
    provider.refresh_from_db()
    return provider


def _lucknow_names() -> None:
    from sevamitra.geo.models import District

    District.objects.filter(code="LUCKNOW").update(name_en="Lucknow", name_hi="लखनऊ")


def test_the_invoice_carries_the_address_and_keeps_it():
    _lucknow_names()
    provider = ProviderFactory(gstin="")
    order = accepted_order(providers=[provider], days=2)
    invoice = services.invoice_issue(
        requisition=order, provider=provider, acting_user=provider.user, now=NOW
    )
    assert invoice.supplier_address == EXPECTED
    html = pdf.invoice_html(invoice)
    assert "12 Rani Katra<br>Near Chowk Kotwali<br>Chowk<br>लखनऊ / Lucknow – 226003" in html
    # A later change of address does not change an invoice already issued.
    provider_business_address_set(
        provider=provider,
        line1="7 Aminabad Road",
        locality="Aminabad",
        pincode="226018",
        acting_user=provider.user,
    )
    invoice.refresh_from_db()
    assert invoice.supplier_address == EXPECTED
    assert "7 Aminabad Road" not in pdf.invoice_html(invoice)


def test_no_invoice_without_an_address_and_nothing_written():
    order = accepted_order(providers=[ProviderFactory()], days=2)
    provider = _without_address(order)
    before = AuditEntry.objects.count()
    with pytest.raises(InvoiceError) as refused:
        services.invoice_issue(
            requisition=order, provider=provider, acting_user=provider.user, now=NOW
        )
    assert refused.value.code == "no_business_address"
    assert str(refused.value.message) == (
        "The Sevamitra's business address is not on record, and GST rules want it on the "
        "invoice. The Sevamitra adds it under Profile → Business address; then the invoice "
        "can be issued."
    )
    assert Invoice.objects.count() == 0
    assert not InvoiceCounter.objects.filter(last__gt=0).exists()
    assert AuditEntry.objects.count() == before


def test_the_sevamitra_is_led_to_the_address_page_and_back(client):
    order = accepted_order(providers=[ProviderFactory()], days=2, accepted_on=timezone.localdate())
    provider = _without_address(order)
    client.cookies["django_language"] = "en"
    client.force_login(provider.user)
    page = client.get(reverse("invoicing:mine")).content.decode()
    assert "none is on record yet" in page
    address_url = f"{reverse('providers:address')}?next=invoices"
    assert address_url in page

    response = client.post(reverse("invoicing:issue", args=[order.pk]), follow=True)
    assert response.redirect_chain == [(address_url, 302)]
    assert (
        "Add your business address first: GST rules want it on the invoice. Then issue the "
        "invoice again." in response.content.decode()
    )
    assert Invoice.objects.count() == 0

    response = client.post(
        address_url, {"line1": "12 Rani Katra", "locality": "Chowk", "pincode": "226003"}
    )
    assert response["Location"] == reverse("invoicing:mine")
    client.post(reverse("invoicing:issue", args=[order.pk]))
    assert Invoice.objects.get().supplier_address.startswith("12 Rani Katra\nChowk\n")


def test_the_finance_officer_is_told_why(client):
    order = accepted_order(providers=[ProviderFactory()], days=2)
    provider = _without_address(order)
    finance = officer(order.office, OfficerPost.FINANCE)
    client.cookies["django_language"] = "en"
    client.force_login(finance)
    response = client.post(
        reverse("invoicing:issue_for", args=[order.pk, provider.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("invoicing:office"), 302)]
    assert "The Sevamitra adds it under Profile → Business address" in response.content.decode()
    assert Invoice.objects.count() == 0


def test_the_payment_page_shows_the_supplier_and_the_address(client):
    order = accepted_order(providers=[ProviderFactory(name_latin="Sunita Devi")], days=2)
    provider = order.chosen.get().provider
    invoice = services.invoice_issue(
        requisition=order, provider=provider, acting_user=provider.user, now=NOW
    )
    client.cookies["django_language"] = "en"
    client.force_login(officer(order.office, OfficerPost.FINANCE))
    page = client.get(reverse("invoicing:pay", args=[invoice.pk])).content.decode()
    assert "Sunita Devi" in page
    assert "12 Rani Katra<br>Near Chowk Kotwali<br>Chowk<br>" in page
