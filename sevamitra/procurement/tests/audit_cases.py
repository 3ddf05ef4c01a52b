"""Audit completeness of government orders (audit/tests/test_completeness.py)."""

import datetime as dt

from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.bookings.models import Booking, BookingStatus
from sevamitra.bookings.services import booking_accept, booking_decline
from sevamitra.procurement.models import OfficePost, OfficerPost
from sevamitra.procurement.services import (
    approvals,
    attendance,
    completion,
    offices,
    replacements,
    requisitions,
    rules,
)
from sevamitra.procurement.tests.factories import (
    DepartmentFactory,
    OfficeFactory,
    draft,
    officer,
    rule_set,
)
from sevamitra.providers.tests.factories import ProviderFactory, category, district


def _admin():  # type: ignore[no-untyped-def]
    return UserFactory(is_superuser=True)


def _org():  # type: ignore[no-untyped-def]
    office = OfficeFactory()
    rule_set()
    maker = officer(office, OfficerPost.INDENTING)
    approver = officer(office, OfficerPost.APPROVING)
    provider = ProviderFactory(offers=[("electrician", "400", "0")])
    return office, maker, approver, provider


def _draft():  # type: ignore[no-untyped-def]
    office, maker, approver, provider = _org()
    return draft(office, maker), maker, approver, provider


def _submitted():  # type: ignore[no-untyped-def]
    order, maker, approver, provider = _draft()
    requisitions.requisition_submit(
        requisition=order, offers=[provider.offers.get()], acting_user=maker
    )
    return order, maker, approver


def _booked():  # type: ignore[no-untyped-def]
    order, maker, approver = _submitted()
    approvals.requisition_approve(requisition=order, acting_user=approver)
    return order, maker, approver


def _done():  # type: ignore[no-untyped-def]
    order, maker, approver = _booked()
    Booking.objects.filter(series__requisition_provider__requisition=order).update(
        status=BookingStatus.COMPLETED
    )
    return order, maker, approver


def _confirmed():  # type: ignore[no-untyped-def]
    order, maker, _approver = _booked()
    for booking in Booking.objects.filter(series__requisition_provider__requisition=order):
        booking_accept(booking=booking, acting_user=booking.provider.user)
    return order, maker


def _short():  # type: ignore[no-untyped-def]
    """A booked order whose Sevamitra declined the first visit, and a cheaper one free."""
    order, maker, _approver = _booked()
    first = Booking.objects.filter(series__requisition_provider__requisition=order).earliest(
        "starts_at"
    )
    booking_decline(booking=first, reason="Unwell", acting_user=first.provider.user)
    cheaper = ProviderFactory(offers=[("electrician", "300", "0")])
    return order, maker, cheaper


def _held_post():  # type: ignore[no-untyped-def]
    admin = _admin()
    office = OfficeFactory()
    return OfficePost.objects.create(
        user=UserFactory(), office=office, post=OfficerPost.FINANCE, granted_by=admin
    ), admin


TABLE = CaseTable(
    modules=[
        "sevamitra.procurement.services",
        "sevamitra.procurement.notify",
        "sevamitra.procurement.services.approvals",
        "sevamitra.procurement.services.attendance",
        "sevamitra.procurement.services.booking",
        "sevamitra.procurement.services.completion",
        "sevamitra.procurement.services.offices",
        "sevamitra.procurement.services.replacements",
        "sevamitra.procurement.services.requisitions",
        "sevamitra.procurement.services.rules",
    ],
    cases={
        "department_create": Case(
            "department.created",
            lambda admin: offices.department_create(
                code="labour", name_en="Labour", name_hi="श्रम", acting_user=admin
            ),
            _admin,
        ),
        "office_create": Case(
            "office.created",
            lambda admin: offices.office_create(
                department=DepartmentFactory(),
                code="lko",
                name_en="Office",
                name_hi="कार्यालय",
                district=district(),
                address="Hazratganj",
                pincode="226001",
                ddo_code="DDO1",
                acting_user=admin,
            ),
            _admin,
        ),
        "office_post_grant": Case(
            "office_post.granted",
            lambda admin: offices.office_post_grant(
                user=UserFactory(),
                office=OfficeFactory(),
                post=OfficerPost.INDENTING,
                acting_user=admin,
            ),
            _admin,
        ),
        "office_post_revoke": Case(
            "office_post.revoked",
            lambda given: offices.office_post_revoke(holding=given[0], acting_user=given[1]),
            _held_post,
        ),
        "rule_set_create": Case(
            "rule_set.created",
            lambda admin: rules.rule_set_create(
                go_reference="G.O. 1/2026",
                go_date=timezone.localdate(),
                effective_from=timezone.localdate(),
                category_rules=[rules.CategoryRuleInput(category=category("electrician"))],
                acting_user=admin,
            ),
            _admin,
        ),
        "requisition_create": Case(
            "requisition.created",
            lambda given: requisitions.requisition_create(
                office=given[0],
                category=category("electrician"),
                starts_on=timezone.localdate() + dt.timedelta(days=3),
                ends_on=timezone.localdate() + dt.timedelta(days=4),
                start_time=dt.time(10),
                end_time=dt.time(12),
                workers=1,
                purpose="Repair",
                acting_user=given[1],
            ),
            _org,
        ),
        "requisition_update": Case(
            "requisition.updated",
            lambda given: requisitions.requisition_update(
                requisition=given[0],
                category=category("electrician"),
                starts_on=given[0].starts_on,
                ends_on=given[0].ends_on + dt.timedelta(days=1),
                start_time=given[0].start_time,
                end_time=given[0].end_time,
                workers=1,
                purpose="Repair, and a new fan",
                acting_user=given[1],
            ),
            _draft,
        ),
        "requisition_replacement_book": Case(
            "requisition.replacement_booked",
            lambda given: replacements.requisition_replacement_book(
                requisition=given[0], offer=given[2].offers.get(), acting_user=given[1]
            ),
            _short,
        ),
        "requisition_attendance_sheet_issue": Case(
            "requisition.attendance_sheet_issued",
            lambda given: attendance.requisition_attendance_sheet_issue(
                requisition=given[0], acting_user=given[1]
            ),
            _confirmed,
        ),
        "requisition_submit": Case(
            "requisition.submitted",
            lambda given: requisitions.requisition_submit(
                requisition=given[0], offers=[given[3].offers.get()], acting_user=given[1]
            ),
            _draft,
        ),
        "requisition_cancel": Case(
            "requisition.cancelled",
            lambda given: requisitions.requisition_cancel(
                requisition=given[0], reason="Not needed", acting_user=given[1]
            ),
            _draft,
        ),
        "requisition_approve": Case(
            "requisition.booked",
            lambda given: approvals.requisition_approve(requisition=given[0], acting_user=given[2]),
            _submitted,
        ),
        "requisition_reject": Case(
            "requisition.rejected",
            lambda given: approvals.requisition_reject(
                requisition=given[0], remarks="No budget", acting_user=given[2]
            ),
            _submitted,
        ),
        "requisition_send_back": Case(
            "requisition.sent_back",
            lambda given: approvals.requisition_send_back(
                requisition=given[0], remarks="Fewer days", acting_user=given[2]
            ),
            _submitted,
        ),
        "requisition_complete": Case(
            "requisition.completed",
            lambda given: completion.requisition_complete(requisition=given[0]),
            _done,
        ),
        "requisition_certify": Case(
            "requisition.accepted",
            lambda given: completion.requisition_certify(
                requisition=given[0], acting_user=given[1]
            ),
            _done,
        ),
        "requisition_deem_accepted": Case(
            "requisition.accepted",
            lambda given: completion.requisition_deem_accepted(
                requisition=given[0], now=timezone.now() + dt.timedelta(days=60)
            ),
            _done,
        ),
    },
    exempt={
        "book_chosen": "a step of requisition_approve/requisition_submit, which write "
        "requisition.booked; the engine writes series.created and booking.created",
        "check_ceiling": "reads only (locks the office row for the caller's transaction)",
        "rule_set_problems": "reads only: validates a proposed rule set",
        "deemed_acceptance_date": "reads only: computes a date",
        "move": "sets a status in memory for the calling service, which saves and audits",
        "codes_due": "reads only: which visits a sheet printed now would give new codes",
        "reference": "reads only: the outbox reference of an order",
        "officers_to_tell": "reads only: who hears about an order",
        "visits_uncovered": "queues SMS in the outbox only (messages are not domain state; the "
        "decline, expiry or cancellation it reports is audited by the booking engine)",
    },
)
