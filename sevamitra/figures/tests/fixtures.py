"""A small, explicit world for the figures tests, written directly with the ORM so that every
figure can be worked out by hand from this file. The tests compute at NOW = 15/03/2026 12:00
India time; the period is the last 12 months: April 2025 – March 2026. Times are India time
(IST = UTC+05:30) unless they say UTC.

Sevamitras (district, gender, status, services, registered)
P1 LUCKNOW female      verified  electrician          10/05/2025
P2 LUCKNOW female      verified  electrician, plumber 01/06/2025
P3 LUCKNOW male        verified  electrician          20/06/2025
P4 LUCKNOW male        pending   plumber              01/03/2026 00:10 (28/02 18:40 UTC: March)
P5 AGRA    female      verified  cook                 31/03/2025 23:00 (before the period)
P6 AGRA    male        suspended cook                 15/07/2025
P7 AGRA    undisclosed verified  electrician          05/01/2026

Bookings (Sevamitra, service, due, status, amount, completed at)
B1  P1 electrician 01/03/2026 10:00 completed  500  01/03/2026 11:00
B2  P1 electrician 05/03/2026 10:00 rated      300  05/03/2026 11:00
B3  P2 plumber     20/02/2026 10:00 completed 1000  20/02/2026 11:00
B4  P2 electrician 13/02/2026 11:00 completed  200  13/02/2026 12:00 (exactly 30 days before NOW:
                                                                     outside the 30 days)
B5  P3 electrician 15/03/2026 11:00 completed  700  15/03/2026 12:00 (= NOW: inside)
B6  P5 cook        10/03/2026 10:00 completed    0  10/03/2026 11:00 (nothing earned)
B7  P7 electrician 02/03/2026 10:00 completed  400  02/03/2026 11:00
B8  P5 cook        10/01/2026 10:00 completed  900  10/01/2026 11:00 (before the 30 days)
B9  P6 cook        10/03/2026 14:00 completed  600  10/03/2026 15:00
B10 P1 electrician 01/02/2026 10:00 cancelled by the customer
B11 P3 electrician 01/04/2025 00:30 cancelled by the customer (31/03 19:00 UTC: April)
B12 P3 electrician 20/03/2026 10:00 cancelled by the Sevamitra
B13 P6 cook        10/02/2026 10:00 no-show of the Sevamitra
B14 P2 plumber     02/02/2026 10:00 cancelled by the system
B15 P1 electrician 31/03/2025 23:00 completed  250  01/04/2025 00:30 (due before the period)
B16 P4 plumber     25/03/2026 10:00 requested
B17 P7 electrician 03/03/2026 10:00 the customer was not there (cancelled on the customer's side)

Calls (outcome, booking, pincode → district, service, started)
C1 booked B1     226010 LUCKNOW electrician 01/03/2026 09:00
C2 booked B7     282001 AGRA    electrician 02/03/2026 09:00
C3 no provider   226001 LUCKNOW plumber     03/03/2026 09:00
C4 enquiry       (none)  -      (none)      01/02/2026 09:00
C5 booked B3     226010 LUCKNOW plumber     20/02/2026 09:00
C6 enquiry       226010 LUCKNOW electrician 21/02/2026 09:00
C7 still open    226010 LUCKNOW electrician 15/03/2026 11:00 (not counted)
C8 booked B10    226010 LUCKNOW electrician 31/03/2025 23:59 (before the period)

Complaints (booking → Sevamitra, filed, outcome, decided: days)
K1 B1 → P1 02/03/2026 10:00 resolved 04/03/2026 22:00: 2.5 days
K2 B3 → P2 21/02/2026 10:00 resolved 22/02/2026 10:00: 1.0 day
K3 B7 → P7 03/03/2026 00:00 resolved 09/03/2026 12:00: 6.5 days
K4 B9 → P6 11/03/2026 10:00 open
K5 B8 → P5 11/01/2026 10:00 withdrawn 12/01/2026
K6 B4 → P2 01/03/2026 00:10 resolved 01/03/2026 04:10: 1/6 day (filed 28/02 18:40 UTC: March)

Government orders (office in Lucknow; service, booked, accepted, Sevamitras)
O1 cook        booked 20/01/2026 10:00, accepted 01/02/2026, P5 and P6
O2 electrician booked 31/03/2025 20:00 (before the period), accepted 10/04/2025, P1
O3 electrician booked 01/03/2026 00:30 (28/02 19:00 UTC: March), not accepted, P3
Invoices: I1 O1/P5 1000.00, paid 600 on 11/02/2026 and 400 on 21/02/2026 (full: 20 days)
          I2 O1/P6  500.00, paid 200 on 15/02/2026 (not in full)
          I3 O2/P1  100.00, paid 100 on 20/05/2025 (full: 40 days)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.bookings.models import Booking, BookingEvent, BookingStatus
from sevamitra.callcentre.models import Call
from sevamitra.govdash.tests.fixtures import make_invoice, make_office, make_order, pay
from sevamitra.grievances.models import Complaint
from sevamitra.procurement.models import Department, Requisition
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import ProviderFactory, category, district

IST = ZoneInfo("Asia/Kolkata")
S = BookingStatus


def ist(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=IST)


NOW = ist(2026, 3, 15, 12, 0)


def provider(
    district_code: str, gender: str, status: str, slugs: list[str], created_at: dt.datetime
) -> Provider:
    made = ProviderFactory(
        district=district(district_code),
        gender=gender,
        verification_status=status,
        offers=[(slug, "300", "0") for slug in slugs],
        hours=[],
    )
    Provider.objects.filter(pk=made.pk).update(created_at=created_at)
    made.refresh_from_db()
    return made


def booking(
    sevamitra: Provider,
    slug: str,
    starts_at: dt.datetime,
    status: str,
    total: str = "0",
    *,
    completed_at: dt.datetime | None = None,
    cancelled_by: str = "",
    cancel_reason: str = "",
) -> Booking:
    customer = UserFactory()
    made = Booking.objects.create(
        customer=customer,
        provider=sevamitra,
        category=category(slug),
        kind="visit",
        channel="web",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        status=status,
        address="B-12, Vipin Khand, Gomti Nagar",
        pincode="226010",
        quote={},
        total=Decimal(total),
        terms={},
        created_by=customer,
        cancelled_by=cancelled_by,
        cancel_reason=cancel_reason,
    )
    if completed_at is not None:
        BookingEvent.objects.create(
            booking=made,
            action="completed",
            from_status=S.IN_PROGRESS,
            to_status=S.COMPLETED,
            at=completed_at,
        )
    return made


def call(
    agent,
    started_at: dt.datetime,
    outcome: str,
    *,
    pincode: str = "",
    slug: str | None = None,
    made: Booking | None = None,
) -> Call:
    return Call.objects.create(
        agent=agent,
        phone="9876543210",
        category=category(slug) if slug else None,
        pincode=pincode,
        outcome=outcome,
        booking=made,
        started_at=started_at,
        ended_at=started_at + dt.timedelta(minutes=3) if outcome else None,
    )


def complaint(
    made: Booking,
    filed_at: dt.datetime,
    status: str,
    *,
    resolved_at: dt.datetime | None = None,
    withdrawn_at: dt.datetime | None = None,
    officer=None,
) -> Complaint:
    return Complaint.objects.create(
        booking=made,
        customer=made.customer,
        provider=made.provider,
        type="quality",
        text="The work was not finished.",
        status=status,
        filed_at=filed_at,
        due_at=filed_at + dt.timedelta(days=10),
        response_due_at=filed_at + dt.timedelta(days=3),
        outcome="dismissed" if status == "resolved" else "",
        decided_by=officer if status == "resolved" else None,
        resolved_at=resolved_at,
        withdrawn_at=withdrawn_at,
    )


@dataclass
class World:
    providers: dict[str, Provider]
    bookings: dict[str, Booking]
    orders: dict[str, Requisition]


def build_world() -> World:
    p = {
        "P1": provider("LUCKNOW", "female", "verified", ["electrician"], ist(2025, 5, 10, 10, 0)),
        "P2": provider(
            "LUCKNOW", "female", "verified", ["electrician", "plumber"], ist(2025, 6, 1, 10, 0)
        ),
        "P3": provider("LUCKNOW", "male", "verified", ["electrician"], ist(2025, 6, 20, 10, 0)),
        "P4": provider("LUCKNOW", "male", "pending", ["plumber"], ist(2026, 3, 1, 0, 10)),
        "P5": provider("AGRA", "female", "verified", ["cook"], ist(2025, 3, 31, 23, 0)),
        "P6": provider("AGRA", "male", "suspended", ["cook"], ist(2025, 7, 15, 10, 0)),
        "P7": provider("AGRA", "undisclosed", "verified", ["electrician"], ist(2026, 1, 5, 10, 0)),
    }
    b = {
        "B1": booking(p["P1"], "electrician", ist(2026, 3, 1, 10), S.COMPLETED, "500",
                      completed_at=ist(2026, 3, 1, 11)),
        "B2": booking(p["P1"], "electrician", ist(2026, 3, 5, 10), S.RATED, "300",
                      completed_at=ist(2026, 3, 5, 11)),
        "B3": booking(p["P2"], "plumber", ist(2026, 2, 20, 10), S.COMPLETED, "1000",
                      completed_at=ist(2026, 2, 20, 11)),
        "B4": booking(p["P2"], "electrician", ist(2026, 2, 13, 11), S.COMPLETED, "200",
                      completed_at=ist(2026, 2, 13, 12)),
        "B5": booking(p["P3"], "electrician", ist(2026, 3, 15, 11), S.COMPLETED, "700",
                      completed_at=ist(2026, 3, 15, 12)),
        "B6": booking(p["P5"], "cook", ist(2026, 3, 10, 10), S.COMPLETED, "0",
                      completed_at=ist(2026, 3, 10, 11)),
        "B7": booking(p["P7"], "electrician", ist(2026, 3, 2, 10), S.COMPLETED, "400",
                      completed_at=ist(2026, 3, 2, 11)),
        "B8": booking(p["P5"], "cook", ist(2026, 1, 10, 10), S.COMPLETED, "900",
                      completed_at=ist(2026, 1, 10, 11)),
        "B9": booking(p["P6"], "cook", ist(2026, 3, 10, 14), S.COMPLETED, "600",
                      completed_at=ist(2026, 3, 10, 15)),
        "B10": booking(p["P1"], "electrician", ist(2026, 2, 1, 10), S.CANCELLED,
                       cancelled_by="customer"),
        "B11": booking(p["P3"], "electrician", ist(2025, 4, 1, 0, 30), S.CANCELLED,
                       cancelled_by="customer"),
        "B12": booking(p["P3"], "electrician", ist(2026, 3, 20, 10), S.CANCELLED,
                       cancelled_by="provider"),
        "B13": booking(p["P6"], "cook", ist(2026, 2, 10, 10), S.NO_SHOW),
        "B14": booking(p["P2"], "plumber", ist(2026, 2, 2, 10), S.CANCELLED,
                       cancelled_by="system"),
        "B15": booking(p["P1"], "electrician", ist(2025, 3, 31, 23), S.COMPLETED, "250",
                       completed_at=ist(2025, 4, 1, 0, 30)),
        "B16": booking(p["P4"], "plumber", ist(2026, 3, 25, 10), S.REQUESTED),
        "B17": booking(p["P7"], "electrician", ist(2026, 3, 3, 10), S.CANCELLED,
                       cancelled_by="customer", cancel_reason="customer_absent"),
    }  # fmt: skip

    agent, other_agent = UserFactory(), UserFactory()
    call(agent, ist(2026, 3, 1, 9), "booked", pincode="226010", slug="electrician", made=b["B1"])
    call(agent, ist(2026, 3, 2, 9), "booked", pincode="282001", slug="electrician", made=b["B7"])
    call(agent, ist(2026, 3, 3, 9), "no_provider", pincode="226001", slug="plumber")
    call(agent, ist(2026, 2, 1, 9), "enquiry")
    call(agent, ist(2026, 2, 20, 9), "booked", pincode="226010", slug="plumber", made=b["B3"])
    call(agent, ist(2026, 2, 21, 9), "enquiry", pincode="226010", slug="electrician")
    call(other_agent, ist(2026, 3, 15, 11), "", pincode="226010", slug="electrician")
    call(agent, ist(2025, 3, 31, 23, 59), "booked", pincode="226010", slug="electrician",
         made=b["B10"])  # fmt: skip

    officer = UserFactory()
    complaint(b["B1"], ist(2026, 3, 2, 10), "resolved", resolved_at=ist(2026, 3, 4, 22),
              officer=officer)  # fmt: skip
    complaint(b["B3"], ist(2026, 2, 21, 10), "resolved", resolved_at=ist(2026, 2, 22, 10),
              officer=officer)  # fmt: skip
    complaint(b["B7"], ist(2026, 3, 3, 0), "resolved", resolved_at=ist(2026, 3, 9, 12),
              officer=officer)  # fmt: skip
    complaint(b["B9"], ist(2026, 3, 11, 10), "open")
    complaint(b["B8"], ist(2026, 1, 11, 10), "withdrawn", withdrawn_at=ist(2026, 1, 12, 10))
    complaint(b["B4"], ist(2026, 3, 1, 0, 10), "resolved", resolved_at=ist(2026, 3, 1, 4, 10),
              officer=officer)  # fmt: skip

    department = Department.objects.create(code="labour", name_en="Labour", name_hi="श्रम")
    office = make_office(department, "HQ", "LUCKNOW")
    maker = UserFactory()
    day = dt.date
    o = {
        "O1": make_order(office, "cook", day(2026, 1, 25), "accepted", maker=maker,
                         accepted_on=day(2026, 2, 1), chosen=[(p["P5"], "1000"), (p["P6"], "500")]),
        "O2": make_order(office, "electrician", day(2025, 4, 5), "accepted", maker=maker,
                         accepted_on=day(2025, 4, 10), chosen=[(p["P1"], "100")]),
        "O3": make_order(office, "electrician", day(2026, 3, 5), "booked", maker=maker,
                         chosen=[(p["P3"], "700")]),
    }  # fmt: skip
    for key, booked_at in (
        ("O1", ist(2026, 1, 20, 10)),
        ("O2", ist(2025, 3, 31, 20)),
        ("O3", ist(2026, 3, 1, 0, 30)),
    ):
        Requisition.objects.filter(pk=o[key].pk).update(booked_at=booked_at)
    i1 = make_invoice(o["O1"], p["P5"], number=1, total="1000.00", issued_at=ist(2026, 2, 2, 10),
                      due_on=day(2026, 3, 3), year="2025-26", issued_by=maker)  # fmt: skip
    i2 = make_invoice(o["O1"], p["P6"], number=1, total="500.00", issued_at=ist(2026, 2, 2, 10),
                      due_on=day(2026, 3, 3), year="2025-26", issued_by=maker)  # fmt: skip
    i3 = make_invoice(o["O2"], p["P1"], number=1, total="100.00", issued_at=ist(2025, 4, 11, 10),
                      due_on=day(2025, 5, 10), year="2025-26", issued_by=maker)  # fmt: skip
    pay(i1, "600", day(2026, 2, 11), by=maker)
    pay(i1, "400", day(2026, 2, 21), by=maker)
    pay(i2, "200", day(2026, 2, 15), by=maker)
    pay(i3, "100", day(2025, 5, 20), by=maker)
    return World(providers=p, bookings=b, orders=o)
