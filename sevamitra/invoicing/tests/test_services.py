import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.invoicing import selectors, services
from sevamitra.invoicing.errors import InvoiceError, PaymentError
from sevamitra.invoicing.models import GovPayment, Invoice, InvoiceCounter, InvoiceKind
from sevamitra.invoicing.tests.factories import (
    DELHI_GSTIN,
    UP_GSTIN,
    accepted_order,
    office,
    officer,
    rule_set,
)
from sevamitra.procurement.models import OfficerPost, RequisitionStatus
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
MAY = dt.datetime(2026, 5, 12, 11, 0, tzinfo=IST)


def issue(requisition, provider, *, now=MAY, by=None):
    return services.invoice_issue(
        requisition=requisition, provider=provider, acting_user=by or provider.user, now=now
    )


def test_registered_provider_intra_state_tax_invoice():
    provider = ProviderFactory(gstin=UP_GSTIN)
    order = accepted_order(providers=[provider], days=3, price="800", visiting="50")
    invoice = issue(order, provider)
    assert invoice.kind == InvoiceKind.TAX_INVOICE
    assert (invoice.financial_year, invoice.number) == ("2026-27", 1)
    assert invoice.display_number == f"SVM/{provider.pk}/2026-27/0001"
    assert invoice.lines == [
        {
            "code": "service",
            "description_en": "Painter",
            "description_hi": order.category.name_hi,
            "unit": "day",
            "days": 3,
            "quantity": "3",
            "rate": "800.00",
            "taxable": "2400.00",
        },
        {
            "code": "visiting_charge",
            "description_en": "Visiting charge",
            "description_hi": "आने का शुल्क",
            "unit": "visit",
            "days": 3,
            "quantity": "3",
            "rate": "50.00",
            "taxable": "150.00",
        },
    ]
    assert invoice.taxable_value == D("2550.00")
    assert (invoice.cgst, invoice.sgst, invoice.igst) == (D("229.50"), D("229.50"), D("0.00"))
    assert invoice.total == D("3009.00")
    assert invoice.place_of_supply == "09"
    assert invoice.words_en == "Rupees Three Thousand Nine Only"
    assert invoice.words_hi == "तीन हज़ार नौ रुपये मात्र"
    assert invoice.due_on == dt.date(2026, 5, 20)  # accepted 10/05 + 10 days
    assert invoice.issued_by == provider.user
    entry = AuditEntry.objects.get(action="invoice.issued")
    assert entry.object_id == str(invoice.pk)
    assert entry.after["number"] == 1
    assert entry.after["total"] == "3009.00"


def test_office_in_another_state_gets_igst():
    provider = ProviderFactory(gstin=UP_GSTIN)
    order = accepted_order(providers=[provider], of=office(gstin=DELHI_GSTIN, state_code="07"))
    invoice = issue(order, provider)
    assert invoice.place_of_supply == "07"
    assert (invoice.cgst, invoice.sgst, invoice.igst) == (D("0.00"), D("0.00"), D("432.00"))
    assert invoice.total == D("2832.00")


def test_provider_without_gstin_issues_a_bill_of_supply():
    provider = ProviderFactory(gstin="")
    order = accepted_order(providers=[provider], days=2, price="650.50")
    invoice = issue(order, provider)
    assert invoice.kind == InvoiceKind.BILL_OF_SUPPLY
    assert invoice.total == invoice.taxable_value == D("1301.00")
    assert (invoice.cgst, invoice.sgst, invoice.igst) == (D("0.00"), D("0.00"), D("0.00"))
    assert invoice.words_en == "Rupees One Thousand Three Hundred One Only"


def test_due_date_follows_the_rule_set():
    provider = ProviderFactory()
    order = accepted_order(providers=[provider], rules=rule_set(payment_due_days=30))
    assert issue(order, provider).due_on == dt.date(2026, 6, 9)


def test_finance_officer_issues_on_the_providers_behalf():
    provider = ProviderFactory()
    order = accepted_order(providers=[provider])
    finance = officer(order.office, OfficerPost.FINANCE)
    invoice = issue(order, provider, by=finance)
    assert invoice.provider == provider
    assert invoice.issued_by == finance


def test_each_provider_of_a_multi_worker_order_invoices_their_own_work():
    first, second = ProviderFactory(), ProviderFactory()
    order = accepted_order(providers=[first, second], days=2)
    assert issue(order, first).taxable_value == D("1600.00")
    assert issue(order, second).number == 1  # each provider has their own series


@pytest.mark.parametrize(
    "who", ["other_provider", "indenting", "approving", "other_finance", "auditor", "anonymous"]
)
def test_issue_refused_to_others(who):
    from django.contrib.auth.models import AnonymousUser

    provider = ProviderFactory()
    order = accepted_order(providers=[provider])
    user = {
        "other_provider": lambda: ProviderFactory().user,
        "indenting": lambda: officer(order.office, OfficerPost.INDENTING),
        "approving": lambda: officer(order.office, OfficerPost.APPROVING),
        "other_finance": lambda: officer(office(), OfficerPost.FINANCE),
        "auditor": lambda: user_with_roles(Role.AUDITOR),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(NotPermitted):
        issue(order, provider, by=user)
    assert Invoice.objects.count() == 0
    assert InvoiceCounter.objects.count() == 0


def test_second_invoice_for_the_same_work_is_refused():
    provider = ProviderFactory()
    order = accepted_order(providers=[provider])
    issue(order, provider)
    audit_count = AuditEntry.objects.count()
    with pytest.raises(InvoiceError) as refused:
        issue(order, provider)
    assert refused.value.code == "already_invoiced"
    assert str(refused.value) == "An invoice for this order has already been issued."
    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get().last == 1
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.parametrize(
    "status", [RequisitionStatus.BOOKED, RequisitionStatus.COMPLETED, RequisitionStatus.CANCELLED]
)
def test_not_accepted_order_is_refused(status):
    provider = ProviderFactory()
    order = accepted_order(providers=[provider], status=status)
    with pytest.raises(InvoiceError) as refused:
        issue(order, provider)
    assert refused.value.code == "not_accepted"
    assert Invoice.objects.count() == 0
    assert InvoiceCounter.objects.count() == 0


def test_provider_without_completed_work_is_refused():
    provider = ProviderFactory()
    order = accepted_order(providers=[provider])
    order.chosen.get().series.occurrences.update(status="cancelled", cancelled_by="customer")
    with pytest.raises(InvoiceError) as refused:
        issue(order, provider)
    assert refused.value.code == "nothing_to_invoice"
    assert Invoice.objects.count() == 0


def test_numbers_restart_at_one_on_1_april_in_india():
    provider = ProviderFactory()
    orders = [accepted_order(providers=[provider], accepted_on=dt.date(2026, 3, 20))]
    orders += [accepted_order(providers=[provider], accepted_on=dt.date(2026, 3, 20))]
    orders += [accepted_order(providers=[provider], accepted_on=dt.date(2026, 3, 20))]
    march_31_late = dt.datetime(2026, 3, 31, 23, 59, tzinfo=IST)
    # 18:30 UTC on 31 March is 00:00 on 1 April in India.
    april_1 = dt.datetime(2026, 3, 31, 18, 30, tzinfo=dt.UTC)
    first = issue(orders[0], provider, now=march_31_late)
    second = issue(orders[1], provider, now=april_1)
    third = issue(orders[2], provider, now=april_1 + dt.timedelta(days=3))
    assert (first.financial_year, first.number) == ("2025-26", 1)
    assert (second.financial_year, second.number) == ("2026-27", 1)
    assert (third.financial_year, third.number) == ("2026-27", 2)
    assert third.display_number == f"SVM/{provider.pk}/2026-27/0002"


def test_a_failed_issue_gives_no_number_away():
    provider = ProviderFactory()
    done = accepted_order(providers=[provider])
    pending = accepted_order(providers=[provider], status=RequisitionStatus.COMPLETED)
    later = accepted_order(providers=[provider])
    assert issue(done, provider).number == 1
    with pytest.raises(InvoiceError):
        issue(pending, provider)
    assert issue(later, provider).number == 2


# --- payments --------------------------------------------------------------------------------


@pytest.fixture
def invoice():
    provider = ProviderFactory(gstin=UP_GSTIN)
    order = accepted_order(providers=[provider], days=1, price="1000")  # total 1180.00
    return issue(order, provider)


def pay(invoice, *, by, amount="500.00", paid_on=dt.date(2026, 5, 15), reference="PFMS-123"):
    return services.payment_record(
        invoice=invoice,
        reference=reference,
        paid_on=paid_on,
        amount=D(amount),
        acting_user=by,
        today=dt.date(2026, 5, 20),
    )


def test_finance_officer_records_payments_up_to_the_total(invoice):
    finance = officer(invoice.requisition.office, OfficerPost.FINANCE)
    first = pay(invoice, by=finance, amount="1000.00", reference=" pfms  123/a ")
    second = pay(invoice, by=finance, amount="180.00")
    assert first.reference == "PFMS 123/A"
    assert selectors.invoice_paid(invoice) == D("1180.00")
    assert [p.amount for p in GovPayment.objects.all()] == [D("1000.00"), D("180.00")]
    entry = AuditEntry.objects.filter(action="payment.recorded").last()
    assert entry.object_id == str(second.pk)
    assert entry.after == {
        "invoice_id": invoice.pk,
        "reference": "PFMS-123",
        "paid_on": "2026-05-15",
        "amount": "180.00",
    }


def test_payment_above_the_total_is_refused_and_nothing_written(invoice):
    finance = officer(invoice.requisition.office, OfficerPost.FINANCE)
    pay(invoice, by=finance, amount="1000.00")
    audit_count = AuditEntry.objects.count()
    with pytest.raises(PaymentError) as refused:
        pay(invoice, by=finance, amount="180.01")
    assert refused.value.code == "above_total"
    assert refused.value.field == "amount"
    assert str(refused.value) == (
        "The amount is more than what is still due on this invoice (₹180.00)."
    )
    assert GovPayment.objects.count() == 1
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"reference": "  "}, "reference"),
        ({"reference": "X" * 41}, "reference"),
        ({"reference": "PFMS;DROP"}, "reference"),
        ({"paid_on": dt.date(2026, 5, 21)}, "paid_on"),  # after today
        ({"paid_on": dt.date(2026, 5, 11)}, "paid_on"),  # before the invoice
    ],
)
def test_bad_payment_input_refused(invoice, kwargs, field):
    finance = officer(invoice.requisition.office, OfficerPost.FINANCE)
    with pytest.raises(PaymentError) as refused:
        pay(invoice, by=finance, **kwargs)
    assert refused.value.field == field
    assert GovPayment.objects.count() == 0


@pytest.mark.parametrize("who", ["other_finance", "indenting", "approving", "provider", "admin"])
def test_payment_by_anyone_but_the_offices_finance_officer_refused(invoice, who):
    of = invoice.requisition.office
    user = {
        "other_finance": lambda: officer(office(), OfficerPost.FINANCE),
        "indenting": lambda: officer(of, OfficerPost.INDENTING),
        "approving": lambda: officer(of, OfficerPost.APPROVING),
        "provider": lambda: invoice.provider.user,
        "admin": lambda: user_with_roles(Role.ADMINISTRATOR),
    }[who]()
    with pytest.raises(NotPermitted):
        pay(invoice, by=user)
    assert GovPayment.objects.count() == 0


def test_inactive_post_cannot_record(invoice):
    finance = officer(invoice.requisition.office, OfficerPost.FINANCE)
    finance.office_posts.update(active=False)
    with pytest.raises(NotPermitted):
        pay(invoice, by=finance)


def test_overdue_flag(invoice):
    finance = officer(invoice.requisition.office, OfficerPost.FINANCE)
    assert invoice.due_on == dt.date(2026, 5, 20)
    paid = D("0.00")
    assert selectors.is_overdue(invoice, paid=paid, today=dt.date(2026, 5, 20)) is False
    assert selectors.is_overdue(invoice, paid=paid, today=dt.date(2026, 5, 21)) is True
    pay(invoice, by=finance, amount="1180.00")
    paid = selectors.invoice_paid(invoice)
    assert selectors.is_overdue(invoice, paid=paid, today=dt.date(2026, 5, 21)) is False
    row = selectors.invoices_for_provider(provider_id=invoice.provider_id).get()
    assert row.paid == D("1180.00")


def test_orders_to_invoice_lists_accepted_uninvoiced_work():
    provider = ProviderFactory()
    accepted = accepted_order(providers=[provider], days=2)
    accepted_order(providers=[provider], status=RequisitionStatus.COMPLETED)
    invoiced = accepted_order(providers=[provider])
    issue(invoiced, provider)
    rows = selectors.orders_to_invoice(provider_id=provider.pk)
    assert [(r.requisition.pk, r.completed_days) for r in rows] == [(accepted.pk, 2)]
