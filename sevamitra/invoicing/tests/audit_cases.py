"""Audit completeness of invoicing (audit/tests/test_completeness.py): issuing an invoice and
recording a payment write their audit entries."""

import datetime as dt
from decimal import Decimal

from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.invoicing import services
from sevamitra.invoicing.tests.factories import accepted_order, officer
from sevamitra.procurement.models import OfficerPost
from sevamitra.providers.tests.factories import ProviderFactory

NOW = dt.datetime(2026, 5, 12, 6, 0, tzinfo=dt.UTC)


def _order():  # type: ignore[no-untyped-def]
    provider = ProviderFactory()
    return accepted_order(providers=[provider]), provider


def _invoice():  # type: ignore[no-untyped-def]
    order, provider = _order()
    invoice = services.invoice_issue(
        requisition=order, provider=provider, acting_user=provider.user, now=NOW
    )
    return invoice, officer(order.office, OfficerPost.FINANCE)


TABLE = CaseTable(
    modules=["sevamitra.invoicing.services"],
    cases={
        "invoice_issue": Case(
            "invoice.issued",
            lambda given: services.invoice_issue(
                requisition=given[0], provider=given[1], acting_user=given[1].user, now=NOW
            ),
            _order,
        ),
        "payment_record": Case(
            "payment.recorded",
            lambda given: services.payment_record(
                invoice=given[0],
                reference="PFMS-1",
                paid_on=dt.date(2026, 5, 12),
                amount=Decimal("100.00"),
                acting_user=given[1],
                today=dt.date(2026, 5, 12),
            ),
            _invoice,
        ),
    },
)
