"""Rules and refusals of requisitions, maker-checker approval and booking all or none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.models import Booking, BookingSeries, Channel
from sevamitra.core.errors import PermissionDenied
from sevamitra.procurement.errors import (
    IllegalTransition,
    ProcurementError,
    ProvidersUnavailable,
    RuleBroken,
)
from sevamitra.procurement.models import (
    Approval,
    CategoryRule,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
)
from sevamitra.procurement.services import approvals, requisitions, rules
from sevamitra.procurement.tests.factories import ceiling, draft
from sevamitra.providers.tests.factories import block, category, local

pytestmark = pytest.mark.django_db
R = RequisitionStatus


def _create(org, **fields):  # type: ignore[no-untyped-def]
    start = timezone.localdate() + dt.timedelta(days=7)
    values = {
        "office": org.child,
        "category": category("electrician"),
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=2),
        "start_time": dt.time(10, 0),
        "end_time": dt.time(14, 0),
        "workers": 1,
        "purpose": "Wiring repair",
        "acting_user": org.maker,
    }
    values.update(fields)
    return requisitions.requisition_create(**values)


def _offers(org, n=1):  # type: ignore[no-untyped-def]
    return [p.offers.get() for p in org.providers[:n]]


def _submitted(org, n=1, **fields):  # type: ignore[no-untyped-def]
    order = draft(org.child, org.maker, workers=n, **fields)
    return requisitions.requisition_submit(
        requisition=order, offers=_offers(org, n), acting_user=org.maker
    )


# --- Creating -------------------------------------------------------------------------------


def test_create_defaults_place_to_office_and_audits(org):
    order = _create(org)
    assert order.status == R.DRAFT
    assert order.place_address == org.child.address
    assert order.place_pincode == "226001"
    entry = AuditEntry.objects.get(action="requisition.created")
    assert entry.object_id == str(order.pk)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2020, 1, 2)}, "date_in_past"),
        ({"ends_on": timezone.localdate() + dt.timedelta(days=7 + 90)}, "too_long"),
        ({"category_slug": "house-cleaning"}, "category_not_allowed"),
        ({"end_time": dt.time(9, 0)}, "hours_out_of_order"),
        ({"workers": 0}, "invalid_workers"),
    ],
)
def test_create_refuses_broken_rules_and_writes_nothing(org, fields, code):
    slug = fields.pop("category_slug", None)
    if slug:
        fields["category"] = category(slug)
    with pytest.raises(RuleBroken) as err:
        _create(org, **fields)
    assert err.value.code == code
    assert Requisition.objects.count() == 0
    assert not AuditEntry.objects.filter(action="requisition.created").exists()


def test_past_date_message_is_clear(org):
    with pytest.raises(RuleBroken, match=r"The first day cannot be in the past\."):
        _create(org, starts_on=timezone.localdate() - dt.timedelta(days=1))


def test_ninety_days_is_allowed_ninety_one_is_not(org, settings):
    settings.SEARCH_MAX_DAYS_AHEAD = 120  # the calendars' horizon is another rule (below)
    start = timezone.localdate() + dt.timedelta(days=7)
    assert _create(org, starts_on=start, ends_on=start + dt.timedelta(days=89)).days == 90
    with pytest.raises(RuleBroken, match="at most 90 days"):
        _create(org, starts_on=start, ends_on=start + dt.timedelta(days=90))


def test_gem_category_allowed_with_written_exception(org):
    CategoryRule.objects.create(
        rule_set=org.rules,
        category=category("house-cleaning"),
        gem_exception_justification="GeM has no vendor in this district (letter 12/2026).",
    )
    assert _create(org, category=category("house-cleaning")).status == R.DRAFT


def test_gem_exception_without_justification_is_refused_by_rule_set_create(org):
    admin = org.rules.created_by
    with pytest.raises(ProcurementError, match="written justification"):
        rules.rule_set_create(
            go_reference="G.O. 9/2026",
            go_date=timezone.localdate(),
            effective_from=timezone.localdate(),
            category_rules=[rules.CategoryRuleInput(category=category("house-cleaning"))],
            acting_user=admin,
        )
    assert org.rules.__class__.objects.count() == 1


def test_no_rules_in_force_refuses(org):
    org.rules.effective_from = timezone.localdate() + dt.timedelta(days=10)
    org.rules.save()
    with pytest.raises(RuleBroken, match="No rules"):
        _create(org)


def test_only_indenting_officer_of_the_office_creates(org):
    for user in (org.approver, org.finance, org.stranger):
        with pytest.raises(PermissionDenied):
            _create(org, acting_user=user)
    assert Requisition.objects.count() == 0


# --- Submitting -----------------------------------------------------------------------------


def test_submit_records_estimate_rules_and_providers(org):
    order = _submitted(org, n=2)
    assert order.status == R.SUBMITTED
    # 3 visits × (₹400) + 3 visits × (₹500 + ₹50 visiting)
    assert order.estimated_value == Decimal("2850.00")
    assert order.rule_set == org.rules
    assert order.approvals_needed == 1
    assert order.round == 1
    assert sorted(order.chosen.values_list("estimated_value", flat=True)) == [
        Decimal("1200.00"),
        Decimal("1650.00"),
    ]
    assert AuditEntry.objects.filter(action="requisition.submitted").count() == 1


def test_submit_needs_one_provider_per_worker(org):
    order = draft(org.child, org.maker, workers=2)
    with pytest.raises(ProcurementError, match="Choose exactly 2"):
        requisitions.requisition_submit(
            requisition=order, offers=_offers(org, 1), acting_user=org.maker
        )
    order.refresh_from_db()
    assert order.status == R.DRAFT
    assert not RequisitionProvider.objects.exists()


def test_submit_refuses_a_provider_who_is_not_free(org):
    order = draft(org.child, org.maker)
    provider = org.providers[0]
    block(
        provider,
        local(order.starts_on + dt.timedelta(days=1), "09:00"),
        local(order.starts_on + dt.timedelta(days=1), "11:00"),
    )
    with pytest.raises(ProcurementError, match="can no longer do this work"):
        requisitions.requisition_submit(
            requisition=order, offers=_offers(org), acting_user=org.maker
        )
    assert not RequisitionProvider.objects.exists()


def test_ceiling_is_checked_again_at_final_approval(org):
    ceiling(org.rules, "electrician", "2000")
    first = _submitted(org)  # ₹1,200, fits
    second = draft(org.child, org.maker)
    requisitions.requisition_submit(
        requisition=second, offers=[org.providers[1].offers.get()], acting_user=org.maker
    )  # ₹1,650, fits while the first is not approved
    approvals.requisition_approve(requisition=first, acting_user=org.approver)
    with pytest.raises(RuleBroken, match="yearly ceiling"):
        approvals.requisition_approve(requisition=second, acting_user=org.approver)
    second.refresh_from_db()
    assert second.status == R.SUBMITTED
    assert not second.approvals.exists()
    assert second.chosen.get().series_id is None


def test_ceiling_counts_approved_orders_of_the_financial_year(org):
    ceiling(org.rules, "electrician", "2000")
    first = _submitted(org)  # ₹1,200
    approvals.requisition_approve(requisition=first, acting_user=org.approver)
    second = draft(org.child, org.maker)
    with pytest.raises(RuleBroken) as err:
        requisitions.requisition_submit(
            requisition=second, offers=[org.providers[1].offers.get()], acting_user=org.maker
        )  # ₹1,650 more: ₹2,850 > ₹2,000
    assert err.value.code == "over_ceiling"
    second.refresh_from_db()
    assert second.status == R.DRAFT
    assert second.estimated_value == Decimal("0")
    assert not second.chosen.exists()


def test_an_order_of_the_longest_allowed_duration_is_booked_whole(org, settings):
    settings.SEARCH_MAX_DAYS_AHEAD = 120  # the calendars' horizon is another rule (below)
    assert org.rules.max_duration_days == 90
    start = timezone.localdate() + dt.timedelta(days=7)
    order = _submitted(org, starts_on=start, ends_on=start + dt.timedelta(days=89))
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.BOOKED
    assert Booking.objects.filter(channel=Channel.GOVERNMENT).count() == 90


def test_an_order_ending_beyond_the_calendars_horizon_is_refused(org, settings):
    settings.SEARCH_MAX_DAYS_AHEAD = 90
    start = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(RuleBroken) as err:
        _submitted(org, starts_on=start, ends_on=start + dt.timedelta(days=84))
    assert err.value.code == "beyond_horizon"
    assert not Requisition.objects.exclude(status=R.DRAFT).exists()


def test_a_rule_longer_than_the_engine_books_is_refused(org, settings):
    from sevamitra.accounts.models import Role
    from sevamitra.accounts.tests.factories import user_with_roles

    settings.BOOKING_SERIES_MAX_OCCURRENCES = 92
    with pytest.raises(ProcurementError) as err:
        rules.rule_set_create(
            go_reference="G.O. 9/2026",
            go_date=timezone.localdate(),
            effective_from=timezone.localdate(),
            approval_threshold=Decimal("0"),
            second_approval_threshold=Decimal("1000"),
            max_duration_days=93,
            acting_user=user_with_roles(Role.ADMINISTRATOR),
        )
    assert "between 1 and 92 days" in str(err.value.message)


def test_below_approval_threshold_books_at_once(org):
    org.rules.approval_threshold = Decimal("5000")
    org.rules.save()
    order = _submitted(org)
    assert order.status == R.BOOKED
    assert order.approvals_needed == 0
    assert Booking.objects.filter(channel=Channel.GOVERNMENT, customer=org.maker).count() == 3


# --- Maker-checker --------------------------------------------------------------------------


def test_maker_cannot_approve_own_order_even_as_approver(org):
    from sevamitra.procurement.models import OfficerPost
    from sevamitra.procurement.tests.factories import officer

    officer(org.child, OfficerPost.APPROVING, user=org.maker)
    order = _submitted(org)
    with pytest.raises(PermissionDenied, match="maker-checker"):
        approvals.requisition_approve(requisition=order, acting_user=org.maker)
    order.refresh_from_db()
    assert order.status == R.SUBMITTED
    assert not Approval.objects.exists()


def test_officer_of_another_office_cannot_approve(org):
    order = _submitted(org)
    for user in (org.stranger, org.finance):
        with pytest.raises(PermissionDenied):
            approvals.requisition_approve(requisition=order, acting_user=user)
    order.refresh_from_db()
    assert order.status == R.SUBMITTED
    assert not Approval.objects.exists()
    assert not BookingSeries.objects.exists()


def test_approval_by_the_office_above_books_each_provider(org):
    order = _submitted(org, n=2)
    approvals.requisition_approve(requisition=order, remarks="", acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.BOOKED
    series = BookingSeries.objects.order_by("provider_id")
    assert [s.provider_id for s in series] == sorted(p.pk for p in org.providers[:2])
    assert {s.channel for s in series} == {Channel.GOVERNMENT}
    assert {s.customer_id for s in series} == {org.maker.pk}
    assert Booking.objects.count() == 6
    assert set(order.chosen.values_list("series_id", flat=True)) == set(
        series.values_list("pk", flat=True)
    )
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(order.pk), object_type="procurement.requisition"
        ).values_list("action", flat=True)
    )
    assert actions[-2:] == ["requisition.approved", "requisition.booked"]


def test_second_approval_by_another_officer(org):
    org.rules.second_approval_threshold = Decimal("1000")
    org.rules.save()
    order = _submitted(org)
    assert order.approvals_needed == 2
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.APPROVED_ONCE
    with pytest.raises(PermissionDenied, match="another officer"):
        approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.APPROVED_ONCE
    assert Approval.objects.count() == 1
    approvals.requisition_approve(requisition=order, acting_user=org.approver2)
    order.refresh_from_db()
    assert order.status == R.BOOKED
    assert list(order.approvals.values_list("level", "officer_id")) == [
        (1, org.approver.pk),
        (2, org.approver2.pk),
    ]


@pytest.mark.parametrize("decide", [approvals.requisition_reject, approvals.requisition_send_back])
def test_reject_and_send_back_need_remarks(org, decide):
    order = _submitted(org)
    with pytest.raises(ProcurementError, match="remarks"):
        decide(requisition=order, remarks="  ", acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.SUBMITTED
    assert not Approval.objects.exists()


def test_reject_is_final(org):
    order = _submitted(org)
    approvals.requisition_reject(requisition=order, remarks="Not needed", acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.REJECTED
    with pytest.raises(IllegalTransition):
        approvals.requisition_approve(requisition=order, acting_user=org.approver)
    entry = AuditEntry.objects.get(action="requisition.rejected")
    assert entry.after["remarks_given"] is True
    assert "Not needed" not in str(entry.after)


def test_send_back_then_resubmit_starts_a_new_round(org):
    order = _submitted(org)
    approvals.requisition_send_back(
        requisition=order, remarks="Choose a nearer one", acting_user=org.approver
    )
    order.refresh_from_db()
    assert order.status == R.SENT_BACK
    requisitions.requisition_submit(
        requisition=order, offers=[org.providers[2].offers.get()], acting_user=org.maker
    )
    order.refresh_from_db()
    assert order.status == R.SUBMITTED
    assert order.round == 2
    assert list(order.chosen.values_list("provider_id", flat=True)) == [org.providers[2].pk]
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    order.refresh_from_db()
    assert order.status == R.BOOKED


# --- All or none ----------------------------------------------------------------------------


def test_final_approval_books_all_or_none(org):
    order = _submitted(org, n=2)
    taken = org.providers[1]
    day = order.starts_on + dt.timedelta(days=2)
    block(taken, local(day, "12:00"), local(day, "13:00"))
    with pytest.raises(ProvidersUnavailable) as err:
        approvals.requisition_approve(requisition=order, acting_user=org.approver)
    assert [f["provider"] for f in err.value.extra["failed"]] == [taken.pk]
    assert taken.display_name in str(err.value)
    order.refresh_from_db()
    assert order.status == R.SUBMITTED
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.exists()
    assert not Approval.objects.exists()
    assert not AuditEntry.objects.filter(
        action__in=["requisition.approved", "series.created"]
    ).exists()


# --- Rule changes ---------------------------------------------------------------------------


def test_rule_change_does_not_touch_approved_orders(org):
    order = _submitted(org)
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    newer = rules.rule_set_create(
        go_reference="G.O. 456/2026",
        go_date=timezone.localdate(),
        effective_from=timezone.localdate(),
        max_duration_days=30,
        approval_threshold=Decimal("10000"),
        second_approval_threshold=Decimal("20000"),
        acting_user=org.rules.created_by,
    )
    order.refresh_from_db()
    assert newer.version == 2
    assert order.rule_set_id == org.rules.pk
    assert order.approvals_needed == 1
    entry = AuditEntry.objects.get(action="rule_set.created")
    assert entry.after["go_reference"] == "G.O. 456/2026"
    # New orders follow the new rules: now below the approval threshold, booked at once.
    fresh = _submitted(
        org,
        starts_on=order.starts_on + dt.timedelta(days=5),
        ends_on=order.starts_on + dt.timedelta(days=5),
    )
    assert fresh.rule_set_id == newer.pk
    assert fresh.status == R.BOOKED


def test_rule_set_needs_go_reference_and_an_administrator(org):
    with pytest.raises(ProcurementError, match="government order"):
        rules.rule_set_create(
            go_reference=" ",
            go_date=timezone.localdate(),
            effective_from=timezone.localdate(),
            acting_user=org.rules.created_by,
        )
    with pytest.raises(PermissionDenied):
        rules.rule_set_create(
            go_reference="G.O. 1",
            go_date=timezone.localdate(),
            effective_from=timezone.localdate(),
            acting_user=org.approver,
        )
    assert org.rules.__class__.objects.count() == 1


def test_cancel_a_booked_order_cancels_its_visits(org):
    order = _submitted(org)
    approvals.requisition_approve(requisition=order, acting_user=org.approver)
    with pytest.raises(ProcurementError, match="reason"):
        requisitions.requisition_cancel(requisition=order, reason="", acting_user=org.maker)
    requisitions.requisition_cancel(
        requisition=order, reason="Work no longer needed", acting_user=org.maker
    )
    order.refresh_from_db()
    assert order.status == R.CANCELLED
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
