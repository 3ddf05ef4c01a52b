"""Two approvers book the same Sevamitra for the same days at the same moment, each in their own
thread and connection: exactly one order is booked; the other books nothing at all (all or
none across its providers) and stays awaiting approval."""

import threading

import pytest
from django.db import connections

from sevamitra.bookings.models import Booking, BookingSeries
from sevamitra.procurement.errors import ProvidersUnavailable
from sevamitra.procurement.models import OfficerPost, RequisitionStatus
from sevamitra.procurement.services import approvals, requisitions
from sevamitra.procurement.tests.factories import OfficeFactory, draft, officer, rule_set
from sevamitra.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approvals_book_a_provider_once(reference_data):
    office = OfficeFactory()
    rule_set()
    shared = ProviderFactory(offers=[("electrician", "400", "0")])
    own = [ProviderFactory(offers=[("electrician", "400", "0")]) for _ in range(2)]
    orders = []
    for mine in own:
        maker = officer(office, OfficerPost.INDENTING)
        order = draft(office, maker, workers=2)
        requisitions.requisition_submit(
            requisition=order, offers=[mine.offers.get(), shared.offers.get()], acting_user=maker
        )
        orders.append(order)
    approvers = [officer(office, OfficerPost.APPROVING) for _ in range(2)]

    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = approvals.requisition_approve(
                requisition=orders[i], acting_user=approvers[i]
            )
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)

    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ProvidersUnavailable), failures
    assert failures[0].extra["failed"][0]["provider"] == shared.pk
    lost = orders[outcomes.index(failures[0])]
    won = orders[1 - outcomes.index(failures[0])]
    lost.refresh_from_db()
    won.refresh_from_db()
    assert won.status == RequisitionStatus.BOOKED
    assert lost.status == RequisitionStatus.SUBMITTED
    assert not lost.approvals.exists()
    assert BookingSeries.objects.count() == 2  # both of the winner's, none of the loser's
    assert set(BookingSeries.objects.values_list("pk", flat=True)) == set(
        won.chosen.values_list("series_id", flat=True)
    )
    assert Booking.objects.filter(provider=shared).count() == 3
