"""Invoice numbers under concurrent issue: N threads, each on its own database connection,
issue N invoices for one provider at the same moment. The numbers must be exactly 1..N — no
gap, no duplicate. On PostgreSQL the counter row lock (SELECT … FOR UPDATE) serialises them;
on SQLite the writers queue on BEGIN IMMEDIATE. Run on both (see .ci/run)."""

import datetime as dt
import importlib
import threading

import pytest
from django.apps import apps
from django.db import connections

from sevamitra.invoicing import services
from sevamitra.invoicing.models import Invoice, InvoiceCounter
from sevamitra.invoicing.tests.factories import accepted_order
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)
seed_categories = importlib.import_module(
    "sevamitra.catalog.migrations.0002_seed_categories"
).seed_categories

THREADS = 10
NOW = dt.datetime(2026, 5, 12, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def categories(transactional_db):
    seed_categories(apps, None)


def race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = calls[i]()
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_concurrent_issues_number_one_to_n_without_gap_or_duplicate():
    provider = ProviderFactory()
    orders = [accepted_order(providers=[provider], days=1) for _ in range(THREADS)]

    def issuer(order):
        return lambda: (
            services.invoice_issue(
                requisition=order, provider=provider, acting_user=provider.user, now=NOW
            ).number
        )

    outcomes = race([issuer(order) for order in orders])
    assert sorted(outcomes) == list(range(1, THREADS + 1)), outcomes
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(range(1, THREADS + 1))
    assert InvoiceCounter.objects.get(provider=provider, financial_year="2026-27").last == THREADS


def test_concurrent_issues_of_the_same_order_give_one_invoice():
    provider = ProviderFactory()
    order = accepted_order(providers=[provider], days=1)

    def issuer():
        return services.invoice_issue(
            requisition=order, provider=provider, acting_user=provider.user, now=NOW
        ).number

    outcomes = race([issuer for _ in range(4)])
    assert [o for o in outcomes if not isinstance(o, Exception)] == [1]
    assert (
        sorted(type(o).__name__ for o in outcomes if isinstance(o, Exception))
        == ["InvoiceError"] * 3
    )
    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get().last == 1
