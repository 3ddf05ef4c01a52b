import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.invoicing import services
from sevamitra.invoicing.models import GovPayment, Invoice
from sevamitra.invoicing.tests.factories import accepted_order, office, officer
from sevamitra.procurement.models import OfficerPost, RequisitionStatus
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def order():
    today = timezone.localdate()
    return accepted_order(providers=[ProviderFactory()], days=2, accepted_on=today)


def _issue(order, *, when=None):
    provider = order.chosen.get().provider
    return services.invoice_issue(
        requisition=order, provider=provider, acting_user=provider.user, now=when
    )


def test_anonymous_is_sent_to_sign_in(client, order):
    invoice = _issue(order)
    for url in [
        reverse("invoicing:mine"),
        reverse("invoicing:office"),
        reverse("invoicing:pay", args=[invoice.pk]),
        reverse("invoicing:pdf", args=[invoice.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/signin/")


def test_provider_sees_work_to_invoice_and_issues_it(client, order):
    provider = order.chosen.get().provider
    _english(client).force_login(provider.user)
    page = client.get(reverse("invoicing:mine"))
    assert page.status_code == 200
    assert order.number in page.content.decode()
    assert "Issue invoice" in page.content.decode()
    response = client.post(reverse("invoicing:issue", args=[order.pk]), follow=True)
    invoice = Invoice.objects.get()
    assert response.redirect_chain == [(reverse("invoicing:mine"), 302)]
    body = response.content.decode()
    assert f"Invoice {invoice.display_number} issued." in body
    assert "Payment due" in body
    assert "No accepted order is waiting for your invoice." in body


def test_second_issue_shows_the_refusal(client, order):
    provider = order.chosen.get().provider
    _issue(order)
    _english(client).force_login(provider.user)
    response = client.post(reverse("invoicing:issue", args=[order.pk]), follow=True)
    assert "An invoice for this order has already been issued." in response.content.decode()
    assert Invoice.objects.count() == 1


def test_provider_cannot_issue_for_an_order_not_theirs(client, order):
    other = ProviderFactory()
    client.force_login(other.user)
    assert client.post(reverse("invoicing:issue", args=[order.pk])).status_code == 404
    assert Invoice.objects.count() == 0


def test_issue_needs_post(client, order):
    client.force_login(order.chosen.get().provider.user)
    assert client.get(reverse("invoicing:issue", args=[order.pk])).status_code == 405


def test_non_provider_on_mine_is_sent_to_registration(client):
    client.force_login(UserFactory())
    response = client.get(reverse("invoicing:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:register")


def test_finance_officer_sees_office_invoices_with_overdue_flag(client):
    long_ago = timezone.localdate() - dt.timedelta(days=30)
    order = accepted_order(providers=[ProviderFactory()], accepted_on=long_ago)
    invoice = _issue(order, when=timezone.now() - dt.timedelta(days=29))
    finance = officer(order.office, OfficerPost.FINANCE)
    _english(client).force_login(finance)
    body = client.get(reverse("invoicing:office")).content.decode()
    assert invoice.display_number in body
    assert 'class="invoice-overdue"' in body
    assert "Overdue" in body
    assert reverse("invoicing:pay", args=[invoice.pk]) in body


def test_office_page_lists_only_own_office(client, order):
    invoice = _issue(order)
    other_finance = officer(office(), OfficerPost.FINANCE)
    client.force_login(other_finance)
    body = client.get(reverse("invoicing:office")).content.decode()
    assert invoice.display_number not in body


@pytest.mark.parametrize("who", ["citizen", "indenting", "provider"])
def test_office_page_refused_without_finance_post(client, order, who):
    user = {
        "citizen": UserFactory,
        "indenting": lambda: officer(order.office, OfficerPost.INDENTING),
        "provider": lambda: order.chosen.get().provider.user,
    }[who]()
    client.force_login(user)
    assert client.get(reverse("invoicing:office")).status_code == 403


def test_finance_officer_issues_for_the_provider(client, order):
    chosen = order.chosen.get()
    finance = officer(order.office, OfficerPost.FINANCE)
    _english(client).force_login(finance)
    assert (
        "Issue invoice for the Sevamitra"
        in client.get(reverse("invoicing:office")).content.decode()
    )
    url = reverse("invoicing:issue_for", args=[order.pk, chosen.provider_id])
    response = client.post(url, follow=True)
    invoice = Invoice.objects.get()
    assert invoice.issued_by == finance
    assert f"Invoice {invoice.display_number} issued." in response.content.decode()


def test_other_office_cannot_issue_for_the_provider(client, order):
    chosen = order.chosen.get()
    client.force_login(officer(office(), OfficerPost.FINANCE))
    url = reverse("invoicing:issue_for", args=[order.pk, chosen.provider_id])
    assert client.post(url).status_code == 403
    assert Invoice.objects.count() == 0


def test_record_payment_form(client, order):
    invoice = _issue(order)
    finance = officer(order.office, OfficerPost.FINANCE)
    _english(client).force_login(finance)
    url = reverse("invoicing:pay", args=[invoice.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Treasury/PFMS reference" in page.content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        url, {"reference": "PFMS-77", "paid_on": today, "amount": str(invoice.total)}, follow=True
    )
    assert response.redirect_chain == [(reverse("invoicing:office"), 302)]
    assert "Payment recorded." in response.content.decode()
    assert GovPayment.objects.get().amount == invoice.total
    assert "This invoice is fully paid." in client.get(url).content.decode()


def test_payment_above_total_shows_error_and_writes_nothing(client, order):
    invoice = _issue(order)
    _english(client).force_login(officer(order.office, OfficerPost.FINANCE))
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        reverse("invoicing:pay", args=[invoice.pk]),
        {"reference": "PFMS-77", "paid_on": today, "amount": str(invoice.total + Decimal("1"))},
    )
    assert response.status_code == 200
    assert "The amount is more than what is still due on this invoice" in response.content.decode()
    assert "Please correct the following" in response.content.decode()
    assert GovPayment.objects.count() == 0


def test_bad_date_is_a_form_error(client, order):
    invoice = _issue(order)
    _english(client).force_login(officer(order.office, OfficerPost.FINANCE))
    response = client.post(
        reverse("invoicing:pay", args=[invoice.pk]),
        {"reference": "PFMS-77", "paid_on": "31/02/2026", "amount": "10"},
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert GovPayment.objects.count() == 0


@pytest.mark.parametrize("who", ["other_finance", "provider", "indenting", "auditor"])
def test_payment_page_refused(client, order, who):
    invoice = _issue(order)
    user = {
        "other_finance": lambda: officer(office(), OfficerPost.FINANCE),
        "provider": lambda: invoice.provider.user,
        "indenting": lambda: officer(order.office, OfficerPost.INDENTING),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
    }[who]()
    client.force_login(user)
    url = reverse("invoicing:pay", args=[invoice.pk])
    assert client.get(url).status_code == 403
    post = client.post(url, {"reference": "X1", "paid_on": "01/01/2026", "amount": "1"})
    assert post.status_code == 403
    assert GovPayment.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("provider", 200),
        ("finance", 200),
        ("indenting", 200),
        ("approver_above", 200),
        ("admin", 200),
        ("auditor", 200),
        ("other_provider", 404),
        ("other_office", 404),
        ("citizen", 404),
    ],
)
def test_pdf_permissions(client, who, status):
    parent = office()
    child = office(parent=parent)
    order = accepted_order(providers=[ProviderFactory()], of=child)
    invoice = _issue(order)
    user = {
        "provider": lambda: invoice.provider.user,
        "finance": lambda: officer(child, OfficerPost.FINANCE),
        "indenting": lambda: officer(child, OfficerPost.INDENTING),
        "approver_above": lambda: officer(parent, OfficerPost.APPROVING),
        "admin": lambda: user_with_roles(Role.ADMINISTRATOR),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
        "other_provider": lambda: ProviderFactory().user,
        "other_office": lambda: officer(office(), OfficerPost.FINANCE),
        "citizen": UserFactory,
    }[who]()
    client.force_login(user)
    response = client.get(reverse("invoicing:pdf", args=[invoice.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert "no-store" in response["Cache-Control"]


def test_pdf_of_missing_invoice_is_404(client):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert client.get(reverse("invoicing:pdf", args=[999999])).status_code == 404


def test_order_not_accepted_is_not_offered(client):
    order = accepted_order(providers=[ProviderFactory()], status=RequisitionStatus.COMPLETED)
    client.force_login(order.chosen.get().provider.user)
    assert order.number not in client.get(reverse("invoicing:mine")).content.decode()
