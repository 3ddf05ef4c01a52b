"""Visits of a booked government order that fall through (declined, expired, cancelled by the
Sevamitra): the order knows them, the office is told, and the indenting officer books a
replacement within the approved amount (all or none) or is refused above it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.models import Booking, BookingSeries, BookingStatus, CancelledBy
from sevamitra.bookings.services import booking_accept, booking_cancel, booking_decline
from sevamitra.core.errors import PermissionDenied
from sevamitra.notifications.models import Message
from sevamitra.procurement import selectors, tasks
from sevamitra.procurement.errors import (
    IllegalTransition,
    ProcurementError,
    ProvidersUnavailable,
    RuleBroken,
)
from sevamitra.procurement.models import RequisitionProvider, RequisitionStatus
from sevamitra.procurement.services import approvals, replacements, requisitions
from sevamitra.procurement.tests.factories import draft
from sevamitra.providers.tests.factories import ProviderFactory, block
from sevamitra.tasks.models import Job

pytestmark = pytest.mark.django_db
R = RequisitionStatus
S = BookingStatus


def _booked(org, n=1, **fields):  # type: ignore[no-untyped-def]
    """An order of three days (10:00–14:00) from next week for `n` electricians (₹400 and ₹500
    + ₹50 a visit), approved and booked; the Sevamitras answer requests themselves."""
    order = draft(org.child, org.maker, workers=n, **fields)
    requisitions.requisition_submit(
        requisition=order,
        offers=[p.offers.get() for p in org.providers[:n]],
        acting_user=org.maker,
    )
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.BOOKED
    return order


def _visits(order, provider=None):  # type: ignore[no-untyped-def]
    bookings = selectors.bookings_of(order)
    return [b for b in bookings if provider is None or b.provider_id == provider.pk]


def _sms_text(language: str, order, n: int) -> str:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return ngettext(
            "Government order %(number)s: %(n)d visit is not covered (a Sevamitra "
            "declined, did not answer or cancelled). Open the order on Sevamitra to book "
            "a replacement.",
            "Government order %(number)s: %(n)d visits are not covered (a Sevamitra "
            "declined, did not answer or cancelled). Open the order on Sevamitra to book "
            "a replacement.",
            n,
        ) % {"number": order.number, "n": n}


def _run_jobs() -> int:
    """Run the queued procurement.visit_lost jobs as the worker would; messages queued."""
    queued = 0
    for job in Job.objects.filter(name=tasks.VISIT_LOST).order_by("pk"):
        queued += tasks.visit_lost(**job.payload)
    return queued


# --- Finding and telling ------------------------------------------------------------------


def test_a_decline_leaves_the_visit_uncovered_and_tells_the_officers(org):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Unwell", acting_user=first.provider.user)

    first.refresh_from_db()
    assert first.status == S.DECLINED
    # Not passed on to another Sevamitra: the office chose and approved its Sevamitras.
    assert Booking.objects.filter(replaces=first).count() == 0
    visits = selectors.uncovered_visits(order)
    assert [(v.day, v.missing, [b.pk for b in v.lost]) for v in visits] == [
        (order.starts_on, 1, [first.pk])
    ]
    assert Job.objects.filter(name="procurement.visit_lost").count() == 1

    org.maker.preferred_language = "en"
    org.maker.save(update_fields=["preferred_language"])
    assert _run_jobs() == 3
    messages = {m.user_id: m for m in Message.objects.filter(event="requisition.visits_uncovered")}
    assert sorted(messages) == sorted([org.maker.pk, org.approver.pk, org.approver2.pk])
    to_maker = messages[org.maker.pk]
    assert (to_maker.to, to_maker.reference) == (f"+91{org.maker.phone}", f"requisition:{order.pk}")
    assert to_maker.body == (
        f"Government order {order.number}: 1 visit is not covered (a Sevamitra declined, did "
        "not answer or cancelled). Open the order on Sevamitra to book a replacement."
    )
    # Each in their own language (the approvers: Hindi, the default).
    assert messages[org.approver.pk].body == _sms_text("hi", order, 1)


def test_a_request_expiring_unanswered_counts_like_a_decline(org):
    order = _booked(org)
    first = _visits(order)[0]
    later = first.accept_deadline + dt.timedelta(minutes=1)
    booking_decline(booking=first, reason="", acting_user=None, now=later)
    first.refresh_from_db()
    assert first.status == S.DECLINED
    assert selectors.uncovered_count(order) == 1
    assert Job.objects.filter(name="procurement.visit_lost").count() == 1


def test_the_sevamitra_cancelling_a_confirmed_visit_leaves_it_uncovered(org):
    order = _booked(org)
    last = _visits(order)[-1]
    booking_accept(booking=last, acting_user=last.provider.user)
    booking_cancel(
        booking=last, by=CancelledBy.PROVIDER, reason="Family event", acting_user=last.provider.user
    )
    assert [v.day for v in selectors.uncovered_visits(order)] == [order.ends_on]
    assert _run_jobs() == 3
    # No citizen-style substitutes: the office books its replacement within the approved amount.
    assert not Message.objects.filter(event="booking.substitutes").exists()


def test_the_office_cancelling_a_visit_is_not_a_shortfall(org):
    order = _booked(org)
    last = _visits(order)[-1]
    booking_cancel(booking=last, by=CancelledBy.CUSTOMER, reason="Holiday", acting_user=org.maker)
    assert selectors.uncovered_visits(order) == []
    assert Job.objects.filter(name="procurement.visit_lost").count() == 0


def test_one_message_tells_of_many_declines(org):
    order = _booked(org)
    for booking in _visits(order):
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    assert Job.objects.filter(name="procurement.visit_lost").count() == 3
    assert _run_jobs() == 3  # the first job tells the three officers; the others see it done
    bodies = {m.body for m in Message.objects.filter(event="requisition.visits_uncovered")}
    assert bodies == {_sms_text("hi", order, 3)}
    assert _run_jobs() == 0  # and again: idempotent


def test_nothing_is_sent_once_the_order_is_covered_again_or_not_booked(org):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Busy", acting_user=first.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    replacements.requisition_replacement_book(
        requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
    )
    assert _run_jobs() == 0
    assert not Message.objects.filter(event="requisition.visits_uncovered").exists()


def test_past_visits_are_not_counted(org):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Busy", acting_user=first.provider.user)
    after_first_day = first.starts_at + dt.timedelta(hours=1)
    assert selectors.uncovered_visits(order, now=after_first_day) == []


def test_two_workers_one_declining_leaves_one_of_two_missing(org):
    order = _booked(org, n=2)
    second = _visits(order, org.providers[1])
    booking_decline(booking=second[1], reason="Busy", acting_user=org.providers[1].user)
    visits = selectors.uncovered_visits(order)
    assert [(v.day, v.missing) for v in visits] == [(second[1].starts_at.date(), 1)]


# --- Booking a replacement ------------------------------------------------------------------


def test_a_replacement_within_the_approved_amount_is_booked_at_once(org):
    order = _booked(org)  # ₹400 × 3 = ₹1,200 approved
    assert order.estimated_value == Decimal("1200.00")
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Unwell", acting_user=first.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "350", "0")], auto_accept=True)
    candidates = selectors.replacement_candidates(order, selectors.uncovered_visits(order))
    by_provider = {c.offer.provider_id: c.estimate for c in candidates}
    # Those who fell through are not offered again; the others at their price for one visit.
    assert org.providers[0].pk not in by_provider
    assert by_provider[cheaper.pk] == Decimal("350.00")

    rows = replacements.requisition_replacement_book(
        requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
    )

    assert [(r.provider_id, r.replacement, r.estimated_value) for r in rows] == [
        (cheaper.pk, True, Decimal("350.00"))
    ]
    new = Booking.objects.get(series=rows[0].series)
    assert (new.provider_id, new.starts_at, new.status) == (
        cheaper.pk,
        first.starts_at,
        S.CONFIRMED,
    )
    assert new.customer_id == org.maker.pk
    assert selectors.uncovered_visits(order) == []
    assert selectors.committed_spend(selectors.bookings_of(order)) == Decimal("1150.00")
    entry = AuditEntry.objects.get(action="requisition.replacement_booked")
    assert entry.object_id == str(order.pk)
    assert entry.after["provider"] == cheaper.pk
    assert entry.after["value"] == "350.00"
    assert entry.after["days"] == [order.starts_on.isoformat()]


def test_a_replacement_over_the_approved_amount_is_refused_and_nothing_booked(org):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Unwell", acting_user=first.provider.user)
    dearer = org.providers[2]  # ₹450 a visit; ₹400 of the approved ₹1,200 is left
    before = (Booking.objects.count(), BookingSeries.objects.count(), AuditEntry.objects.count())

    with pytest.raises(RuleBroken) as refused:
        replacements.requisition_replacement_book(
            requisition=order, offer=dearer.offers.get(), acting_user=org.maker
        )

    assert refused.value.code == "over_approved_amount"
    assert str(refused.value.message) == (
        "This replacement would cost ₹450.00, but only ₹400.00 of the approved ₹1200.00 is "
        "left on this order, and a booked order cannot go for approval again. Choose a "
        "Sevamitra whose value fits, or raise a new requisition for these visits."
    )
    assert (Booking.objects.count(), BookingSeries.objects.count(), AuditEntry.objects.count()) == (
        before
    )
    assert RequisitionProvider.objects.filter(requisition=order, replacement=True).count() == 0
    assert selectors.uncovered_count(order) == 1


def test_a_replacement_covers_every_uncovered_visit_in_runs_of_days(org):
    order = _booked(org, ends_on=timezone.localdate() + dt.timedelta(days=7 + 3))  # 4 days
    visits = _visits(order)
    for booking in (visits[0], visits[2], visits[3]):
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    rows = replacements.requisition_replacement_book(
        requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
    )
    days = [
        sorted(b.starts_at.date() for b in Booking.objects.filter(series=row.series))
        for row in rows
    ]
    start = order.starts_on
    assert days == [[start], [start + dt.timedelta(days=2), start + dt.timedelta(days=3)]]
    assert selectors.uncovered_visits(order) == []


def test_a_sevamitra_not_free_on_every_uncovered_visit_is_refused(org):
    order = _booked(org)
    visits = _visits(order)
    for booking in (visits[0], visits[2]):
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    block(cheaper, visits[2].starts_at, visits[2].ends_at)  # busy on the last day
    before = Booking.objects.count()
    with pytest.raises(ProcurementError) as refused:
        replacements.requisition_replacement_book(
            requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
        )
    assert refused.value.code == "provider_not_available"
    assert Booking.objects.count() == before
    assert selectors.uncovered_count(order) == 2


def test_a_replacement_is_all_or_none(org, monkeypatch):
    """The engine books the first run of days, then cannot book the second (taken meanwhile):
    the first is rolled back too."""
    order = _booked(org)
    visits = _visits(order)
    for booking in (visits[0], visits[2]):
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    real = replacements.series_create
    calls = []

    def taken_on_the_second_run(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["starts_on"])
        if len(calls) == 2:
            block(cheaper, visits[2].starts_at, visits[2].ends_at)
        return real(**kwargs)

    monkeypatch.setattr(replacements, "series_create", taken_on_the_second_run)
    before = (Booking.objects.count(), BookingSeries.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ProvidersUnavailable):
        replacements.requisition_replacement_book(
            requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
        )
    assert calls == [order.starts_on, order.ends_on]
    assert (Booking.objects.count(), BookingSeries.objects.count(), AuditEntry.objects.count()) == (
        before
    )
    assert RequisitionProvider.objects.filter(requisition=order, replacement=True).count() == 0
    assert selectors.uncovered_count(order) == 2


@pytest.mark.parametrize("who", ["approver", "finance", "stranger"])
def test_only_an_indenting_officer_books_a_replacement(org, who):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Busy", acting_user=first.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    with pytest.raises(PermissionDenied):
        replacements.requisition_replacement_book(
            requisition=order, offer=cheaper.offers.get(), acting_user=getattr(org, who)
        )
    assert selectors.uncovered_count(order) == 1


def test_nothing_to_replace_and_not_booked_orders_are_refused(org):
    order = _booked(org)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    with pytest.raises(ProcurementError) as refused:
        replacements.requisition_replacement_book(
            requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
        )
    assert refused.value.code == "nothing_uncovered"
    requisitions.requisition_cancel(requisition=order, reason="Not needed", acting_user=org.maker)
    with pytest.raises(IllegalTransition):
        replacements.requisition_replacement_book(
            requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
        )


# --- Pages ----------------------------------------------------------------------------------


def test_the_order_page_says_how_many_visits_are_not_covered(client, org):
    order = _booked(org, n=2)
    for booking in _visits(order, org.providers[1])[:2]:
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    client.force_login(org.maker)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("procurement:detail", args=[order.pk])).content.decode()
    assert "2 visits not covered" in page
    assert reverse("procurement:replacement", args=[order.pk]) in page
    client.force_login(org.approver)
    page = client.get(reverse("procurement:detail", args=[order.pk])).content.decode()
    assert "2 visits not covered" in page
    assert reverse("procurement:replacement", args=[order.pk]) not in page


def test_the_replacement_page_lists_and_books(client, org):
    order = _booked(org)
    first = _visits(order)[0]
    booking_decline(booking=first, reason="Busy", acting_user=first.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")], name_latin="Ram Lal")
    client.force_login(org.maker)
    client.cookies["django_language"] = "en"
    url = reverse("procurement:replacement", args=[order.pk])
    page = client.get(url).content.decode()
    assert "Ram Lal" in page
    assert "₹300.00" in page
    assert "over the amount left" in page  # the ₹450 one
    response = client.post(url, {"offer": org.providers[2].offers.get().pk})
    assert response.status_code == 400
    assert "cannot go for approval again" in response.content.decode()
    response = client.post(url, {"offer": cheaper.offers.get().pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:detail", args=[order.pk])
    assert selectors.uncovered_count(order) == 0
    client.force_login(org.finance)
    assert client.get(url).status_code == 403


# --- Through to the invoices ----------------------------------------------------------------


def test_a_replacement_is_invoiced_for_its_own_visits(org):
    from sevamitra.bookings.services import booking_codes_reissue, booking_finish, booking_start
    from sevamitra.invoicing import selectors as invoicing
    from sevamitra.invoicing.services import invoice_issue
    from sevamitra.invoicing.tests.factories import with_business_address
    from sevamitra.procurement.services import completion

    order = _booked(org, ends_on=timezone.localdate() + dt.timedelta(days=7 + 3))  # 4 days
    visits = _visits(order)
    for booking in (visits[0], visits[2]):  # two runs: the replacement has two series
        booking_decline(booking=booking, reason="Busy", acting_user=booking.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")], auto_accept=True)
    replacements.requisition_replacement_book(
        requisition=order, offer=cheaper.offers.get(), acting_user=org.maker
    )
    for booking in selectors.bookings_of(order):
        if booking.status == S.REQUESTED:
            booking_accept(booking=booking, acting_user=booking.provider.user)
        if booking.status in (S.REQUESTED, S.CONFIRMED):
            codes = booking_codes_reissue(booking=booking, acting_user=org.maker, quiet=True)
            booking_start(booking=booking, code=codes.start, acting_user=booking.provider.user)
            booking_finish(booking=booking, code=codes.end, acting_user=booking.provider.user)
    completion.requisition_certify(requisition=order, acting_user=org.maker)

    assert [
        (o.requisition.pk, o.completed_days)
        for o in invoicing.orders_to_invoice(provider_id=cheaper.pk)
    ] == [(order.pk, 2)]
    awaiting = invoicing.awaiting_invoice(office_ids=[org.child.pk])
    assert sorted(row.provider_id for row in awaiting) == sorted([org.providers[0].pk, cheaper.pk])
    with_business_address(cheaper)
    invoice = invoice_issue(requisition=order, provider=cheaper, acting_user=cheaper.user)
    assert invoice.taxable_value == Decimal("600.00")
    with_business_address(org.providers[0])
    first = invoice_issue(
        requisition=order, provider=org.providers[0], acting_user=org.providers[0].user
    )
    assert first.taxable_value == Decimal("800.00")
    assert invoicing.awaiting_invoice(office_ids=[org.child.pk]) == []
