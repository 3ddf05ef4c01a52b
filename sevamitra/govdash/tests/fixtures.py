"""Hand-built government orders, invoices and payments for the dashboard tests, written directly
with the ORM so that every figure in the tests can be worked out by hand from this file.

Financial year 2026-27 unless said otherwise. Offices: HQ (Lucknow) with SUB (Barabanki) under
it; OTHER (Kanpur Nagar), unrelated. Sevamitras P1, P2, P3.

order | office | category    | starts     | status    | accepted   | Sevamitra: estimate
O1    | HQ     | electrician | 10/05/2026 | accepted  | 20/05/2026 | P1: 1000, P2: 500
O2    | SUB    | plumber     | 15/06/2026 | accepted  | 20/06/2026 | P1: 800
O3    | OTHER  | electrician | 01/08/2026 | accepted  | 10/08/2026 | P3: 2000
O4    | HQ     | electrician | 01/09/2026 | submitted | -          | P2: 300
O5    | HQ     | electrician | 05/09/2026 | draft     | -          | P1: 700
O6    | HQ     | plumber     | 20/03/2026 | accepted  | 28/03/2026 | P1: 90   (year 2025-26)

invoice | order/Sevamitra | year    | total   | issued (IST)     | due        | payments
I1      | O1/P1           | 2026-27 | 1180.00 | 22/05/2026 10:00 | 30/05/2026 | 1000 1/6, 180 5/6
I2      | O1/P2           | 2026-27 |  500.00 | 25/05/2026 10:00 | 30/05/2026 | 200 on 10/06/2026
I3      | O2/P1           | 2026-27 |  944.00 | 01/07/2026 00:30 | 30/06/2026 | 944 on 04/07/2026
I4      | O3/P3           | 2026-27 | 2360.00 | 11/08/2026 10:00 | 20/08/2026 | none
I5      | O6/P1           | 2025-26 |  100.00 | 30/03/2026 10:00 | 07/04/2026 | 100 on 10/04/2026

I3 is issued at 30/06/2026 19:00 UTC, which is already July in India.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.catalog.models import Category
from sevamitra.invoicing.models import GovPayment, Invoice, InvoiceKind
from sevamitra.procurement.models import (
    Department,
    Office,
    OfficePost,
    OfficerPost,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
)
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import ProviderFactory, district, offer_for

IST = ZoneInfo("Asia/Kolkata")
D = dt.date


def ist(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=IST)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


HINDI_OFFICE_NAMES = {"HQ": "मुख्यालय", "SUB": "उप कार्यालय", "OTHER": "दूसरा कार्यालय"}


def make_office(department, code: str, district_code: str, parent=None) -> Office:
    return Office.objects.create(
        department=department,
        code=code,
        name_en=f"Office {code}",
        name_hi=HINDI_OFFICE_NAMES.get(code, code),
        district=district(district_code),
        address=f"{code} office road",
        pincode="226001",
        ddo_code=f"DDO-{code}",
        parent=parent,
    )


def grant_post(user, office: Office, post: str) -> OfficePost:
    return OfficePost.objects.create(user=user, office=office, post=post, granted_by=user)


def make_order(
    office: Office,
    slug: str,
    starts_on: dt.date,
    status: str,
    *,
    maker,
    accepted_on: dt.date | None = None,
    chosen: list[tuple[Provider, str]] = (),  # type: ignore[assignment]
) -> Requisition:
    order = Requisition.objects.create(
        office=office,
        category=Category.objects.get(slug=slug),
        place_address=office.address,
        place_pincode=office.pincode,
        lat=26.85,
        lng=80.95,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=2),
        start_time=dt.time(10, 0),
        end_time=dt.time(17, 0),
        workers=max(len(chosen), 1),
        purpose="Wiring of the record room",
        status=status,
        estimated_value=sum((Decimal(v) for _p, v in chosen), start=Decimal("0")),
        created_by=maker,
        accepted_on=accepted_on,
        acceptance_kind="certified" if accepted_on else "",
    )
    for provider, value in chosen:
        offer = provider.offers.filter(category=order.category).first() or offer_for(provider, slug)
        RequisitionProvider.objects.create(
            requisition=order,
            provider=provider,
            offer=offer,
            unit_price=Decimal("300"),
            estimated_value=Decimal(value),
        )
    return order


def make_invoice(
    order: Requisition,
    provider: Provider,
    *,
    number: int,
    total: str,
    issued_at: dt.datetime,
    due_on: dt.date,
    year: str = "2026-27",
    issued_by,
) -> Invoice:
    return Invoice.objects.create(
        provider=provider,
        requisition=order,
        financial_year=year,
        number=number,
        kind=InvoiceKind.BILL_OF_SUPPLY,
        place_of_supply="09",
        sac_code="995461",
        gst_rate_percent=Decimal("0"),
        lines=[],
        taxable_value=Decimal(total),
        cgst=Decimal("0"),
        sgst=Decimal("0"),
        igst=Decimal("0"),
        total=Decimal(total),
        words_en="-",
        words_hi="-",
        due_on=due_on,
        issued_at=issued_at,
        issued_by=issued_by,
    )


def pay(invoice: Invoice, amount: str, paid_on: dt.date, *, by) -> GovPayment:
    return GovPayment.objects.create(
        invoice=invoice,
        reference=f"PFMS-{invoice.pk}-{paid_on:%m%d}",
        paid_on=paid_on,
        amount=Decimal(amount),
        recorded_by=by,
    )


@dataclass
class World:
    department: Department
    hq: Office
    sub: Office
    other: Office
    hq_indenting: object
    hq_approving: object
    hq_finance: object
    sub_indenting: object
    other_finance: object
    providers: tuple[Provider, Provider, Provider]
    orders: dict[str, Requisition]
    invoices: dict[str, Invoice]


def build_world() -> World:
    department = Department.objects.create(code="labour", name_en="Labour", name_hi="श्रम")
    hq = make_office(department, "HQ", "LUCKNOW")
    sub = make_office(department, "SUB", "BARABANKI", parent=hq)
    other = make_office(department, "OTHER", "KANPUR NAGAR")
    hq_indenting, hq_approving, hq_finance, sub_indenting, other_finance = (
        UserFactory() for _ in range(5)
    )
    grant_post(hq_indenting, hq, OfficerPost.INDENTING)
    grant_post(hq_approving, hq, OfficerPost.APPROVING)
    grant_post(hq_finance, hq, OfficerPost.FINANCE)
    grant_post(sub_indenting, sub, OfficerPost.INDENTING)
    grant_post(other_finance, other, OfficerPost.FINANCE)
    p1, p2, p3 = (ProviderFactory(), ProviderFactory(), ProviderFactory())
    m = hq_indenting
    acc, sub_, draft = (
        RequisitionStatus.ACCEPTED,
        RequisitionStatus.SUBMITTED,
        RequisitionStatus.DRAFT,
    )
    orders = {
        "O1": make_order(
            hq, "electrician", D(2026, 5, 10), acc, maker=m, accepted_on=D(2026, 5, 20),
            chosen=[(p1, "1000"), (p2, "500")],
        ),
        "O2": make_order(
            sub, "plumber", D(2026, 6, 15), acc, maker=sub_indenting,
            accepted_on=D(2026, 6, 20), chosen=[(p1, "800")],
        ),
        "O3": make_order(
            other, "electrician", D(2026, 8, 1), acc, maker=other_finance,
            accepted_on=D(2026, 8, 10), chosen=[(p3, "2000")],
        ),
        "O4": make_order(hq, "electrician", D(2026, 9, 1), sub_, maker=m, chosen=[(p2, "300")]),
        "O5": make_order(hq, "electrician", D(2026, 9, 5), draft, maker=m, chosen=[(p1, "700")]),
        "O6": make_order(
            hq, "plumber", D(2026, 3, 20), acc, maker=m, accepted_on=D(2026, 3, 28),
            chosen=[(p1, "90")],
        ),
    }  # fmt: skip
    o = orders
    by = hq_finance
    invoices = {
        "I1": make_invoice(
            o["O1"], p1, number=1, total="1180.00", issued_at=ist(2026, 5, 22, 10),
            due_on=D(2026, 5, 30), issued_by=by,
        ),
        "I2": make_invoice(
            o["O1"], p2, number=1, total="500.00", issued_at=ist(2026, 5, 25, 10),
            due_on=D(2026, 5, 30), issued_by=by,
        ),
        "I3": make_invoice(
            o["O2"], p1, number=2, total="944.00",
            issued_at=utc(2026, 6, 30, 19), due_on=D(2026, 6, 30), issued_by=by,
        ),
        "I4": make_invoice(
            o["O3"], p3, number=1, total="2360.00", issued_at=ist(2026, 8, 11, 10),
            due_on=D(2026, 8, 20), issued_by=by,
        ),
        "I5": make_invoice(
            o["O6"], p1, number=7, total="100.00", issued_at=ist(2026, 3, 30, 10),
            due_on=D(2026, 4, 7), year="2025-26", issued_by=by,
        ),
    }  # fmt: skip
    i = invoices
    pay(i["I1"], "1000.00", D(2026, 6, 1), by=by)
    pay(i["I1"], "180.00", D(2026, 6, 5), by=by)
    pay(i["I2"], "200.00", D(2026, 6, 10), by=by)
    pay(i["I3"], "944.00", D(2026, 7, 4), by=by)
    pay(i["I5"], "100.00", D(2026, 4, 10), by=by)
    return World(
        department=department,
        hq=hq,
        sub=sub,
        other=other,
        hq_indenting=hq_indenting,
        hq_approving=hq_approving,
        hq_finance=hq_finance,
        sub_indenting=sub_indenting,
        other_finance=other_finance,
        providers=(p1, p2, p3),
        orders=orders,
        invoices=invoices,
    )
