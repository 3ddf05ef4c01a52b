"""The dashboard figures against the hand-built orders of fixtures.py (every number below is
worked out by hand from the tables in its docstring)."""

from decimal import Decimal

import pytest

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.govdash import selectors as s
from sevamitra.govdash.permissions import dashboard_scope
from sevamitra.govdash.tests.fixtures import D, build_world

pytestmark = pytest.mark.django_db
TODAY = D(2026, 9, 1)


@pytest.fixture
def world():
    return build_world()


def dept(year=2026, **kwargs):
    return s.DashboardFilter(office_ids=None, year=year, **kwargs)


def office_filter(user, year=2026, **kwargs):
    scope = dashboard_scope(user)
    assert scope is not None
    return s.DashboardFilter(office_ids=scope.office_ids, year=year, **kwargs)


def status_counts(flt):
    return {k: v for k, v in s.orders_by_status(flt) if v}


def spend(rows):
    return [(row.label, row.invoiced, row.paid) for row in rows]


# --- Financial years -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year", "label"),
    [
        (D(2026, 3, 31), 2025, "2025-26"),
        (D(2026, 4, 1), 2026, "2026-27"),
        (D(2026, 12, 31), 2026, "2026-27"),
        (D(2099, 4, 1), 2099, "2099-00"),
    ],
)
def test_financial_year(day, year, label):
    assert s.financial_year_of(day) == year
    assert s.financial_year_label(year) == label


def test_financial_year_months_run_april_to_march():
    months = s.financial_year_months(2026)
    assert months[0] == D(2026, 4, 1)
    assert months[8] == D(2026, 12, 1)
    assert months[9] == D(2027, 1, 1)
    assert months[-1] == D(2027, 3, 1)
    assert len(months) == 12


def test_average_rounds_half_up_to_one_place():
    assert s.average([16, 14, 13]) == Decimal("14.3")
    assert s.average([1, 2]) == Decimal("1.5")
    assert s.average([1, 2, 2, 2]) == Decimal("1.8")  # 1.75
    assert s.average([]) is None


# --- Scope -----------------------------------------------------------------------------------


def test_scope_per_post(world):
    assert dashboard_scope(world.hq_indenting).office_ids == {world.hq.pk}
    assert dashboard_scope(world.hq_finance).office_ids == {world.hq.pk}
    # An approving officer sees the offices under theirs too.
    assert dashboard_scope(world.hq_approving).office_ids == {world.hq.pk, world.sub.pk}
    assert dashboard_scope(world.sub_indenting).office_ids == {world.sub.pk}
    assert dashboard_scope(world.other_finance).office_ids == {world.other.pk}


def test_scope_department_level_and_nobody_else(world):
    assert dashboard_scope(user_with_roles(Role.ADMINISTRATOR)).is_department
    assert dashboard_scope(user_with_roles(Role.AUDITOR)).is_department
    assert dashboard_scope(UserFactory()) is None
    assert dashboard_scope(user_with_roles(Role.DEPARTMENT_OFFICER)) is None
    assert dashboard_scope(user_with_roles(Role.DISTRICT_OFFICER)) is None


def test_inactive_post_gives_no_scope(world):
    world.hq_finance.office_posts.update(active=False)
    assert dashboard_scope(world.hq_finance) is None


def test_inactive_user_gives_no_scope(world):
    world.hq_approving.is_active = False
    world.hq_approving.save()
    assert dashboard_scope(world.hq_approving) is None


# --- Orders ----------------------------------------------------------------------------------


def test_orders_by_status_department(world):
    rows = s.orders_by_status(dept())
    assert [status for status, _n in rows] == [
        "submitted", "approved_once", "sent_back", "rejected", "booked", "completed",
        "accepted", "cancelled",
    ]  # fmt: skip
    # O1, O2, O3 accepted; O4 submitted; O5 a draft (not counted); O6 in 2025-26.
    assert status_counts(dept()) == {"submitted": 1, "accepted": 3}
    assert status_counts(dept(year=2025)) == {"accepted": 1}


def test_orders_by_status_per_office(world):
    assert status_counts(office_filter(world.hq_indenting)) == {"submitted": 1, "accepted": 1}
    assert status_counts(office_filter(world.hq_approving)) == {"submitted": 1, "accepted": 2}
    assert status_counts(office_filter(world.other_finance)) == {"accepted": 1}


def test_orders_filtered_by_district_and_category(world):
    kanpur = world.other.district_id
    assert status_counts(dept(district_id=kanpur)) == {"accepted": 1}
    plumber = world.orders["O2"].category_id
    assert status_counts(dept(category_id=plumber)) == {"accepted": 1}


# --- Spend -----------------------------------------------------------------------------------


def test_spend_totals(world):
    # Invoiced 2026-27: I1 1180 + I2 500 + I3 944 + I4 2360. Paid in 2026-27: 1000 + 180 + 200
    # + 944 + 100 (I5, a 2025-26 invoice paid in April 2026).
    assert s.spend_totals(dept()) == (Decimal("4984.00"), Decimal("2424.00"))
    assert s.spend_totals(dept(year=2025)) == (Decimal("100.00"), Decimal("0.00"))
    # HQ alone: I1 + I2; paid 1000 + 180 + 200 + 100.
    assert s.spend_totals(office_filter(world.hq_indenting)) == (
        Decimal("1680.00"),
        Decimal("1480.00"),
    )
    # HQ and SUB: + I3 944 invoiced and paid.
    assert s.spend_totals(office_filter(world.hq_approving)) == (
        Decimal("2624.00"),
        Decimal("2424.00"),
    )
    assert s.spend_totals(office_filter(world.other_finance)) == (
        Decimal("2360.00"),
        Decimal("0.00"),
    )


def test_spend_by_category(world):
    with_lang("en")
    assert spend(s.spend_by_category(dept())) == [
        ("Electrician", Decimal("4040.00"), Decimal("1380.00")),
        ("Plumber", Decimal("944.00"), Decimal("1044.00")),
    ]
    assert spend(s.spend_by_category(office_filter(world.sub_indenting))) == [
        ("Plumber", Decimal("944.00"), Decimal("944.00")),
    ]


def test_spend_by_district(world):
    with_lang("en")
    assert spend(s.spend_by_district(dept())) == [
        ("Kanpur Nagar", Decimal("2360.00"), Decimal("0.00")),
        ("Lucknow", Decimal("1680.00"), Decimal("1480.00")),
        ("Barabanki", Decimal("944.00"), Decimal("944.00")),
    ]
    assert spend(s.spend_by_district(dept(category_id=world.orders["O2"].category_id))) == [
        ("Barabanki", Decimal("944.00"), Decimal("944.00")),
        ("Lucknow", Decimal("0.00"), Decimal("100.00")),
    ]


def test_spend_by_month_in_india_time(world):
    rows = {row.label: (row.invoiced, row.paid) for row in s.spend_by_month(dept())}
    assert list(rows) == [
        "04/2026", "05/2026", "06/2026", "07/2026", "08/2026", "09/2026", "10/2026",
        "11/2026", "12/2026", "01/2027", "02/2027", "03/2027",
    ]  # fmt: skip
    zero = Decimal("0.00")
    assert rows["04/2026"] == (zero, Decimal("100.00"))
    assert rows["05/2026"] == (Decimal("1680.00"), zero)
    assert rows["06/2026"] == (zero, Decimal("1380.00"))
    # I3 was issued at 19:00 UTC on 30 June: 00:30 on 1 July in India.
    assert rows["07/2026"] == (Decimal("944.00"), Decimal("944.00"))
    assert rows["08/2026"] == (Decimal("2360.00"), zero)
    assert all(rows[m] == (zero, zero) for m in list(rows)[5:])


# --- Payment ---------------------------------------------------------------------------------


def test_days_to_payment(world):
    # Completed in 2026-27: I1 (20/05 → 05/06: 16 days), I3 (20/06 → 04/07: 14), I5 (28/03 →
    # 10/04: 13). I2 is part-paid, I4 unpaid. (16 + 14 + 13) / 3 = 14.33.
    assert s.payment_days(dept()) == s.PaymentDays(invoices=3, average=Decimal("14.3"))
    assert s.payment_days(office_filter(world.hq_indenting)) == s.PaymentDays(
        invoices=2, average=Decimal("14.5")
    )
    assert s.payment_days(office_filter(world.other_finance)) == s.PaymentDays(
        invoices=0, average=None
    )
    assert s.payment_days(dept(year=2025)) == s.PaymentDays(invoices=0, average=None)


def test_overdue_payments(world):
    overdue = s.overdue_invoices(dept(), today=TODAY)
    # I2: due 30/05, 300 of 500 still owed; I4: due 20/08, nothing paid.
    assert [state.invoice for state in overdue] == [world.invoices["I2"], world.invoices["I4"]]
    assert [state.outstanding for state in overdue] == [Decimal("300.00"), Decimal("2360.00")]
    assert s.overdue_summary(overdue) == (2, Decimal("2660.00"))
    # On its due date an invoice is not yet overdue.
    assert s.overdue_summary(s.overdue_invoices(dept(), today=D(2026, 8, 20))) == (
        1,
        Decimal("300.00"),
    )
    hq = s.overdue_invoices(office_filter(world.hq_approving), today=TODAY)
    assert s.overdue_summary(hq) == (1, Decimal("300.00"))
    assert s.overdue_summary(s.overdue_invoices(dept(), today=D(2026, 5, 30))) == (0, Decimal(0))


# --- The export rows -------------------------------------------------------------------------


def test_order_rows(world):
    rows = s.order_rows(dept())
    p1, p2, p3 = world.providers
    o, i = world.orders, world.invoices
    assert [(r.order, r.chosen.provider) for r in rows] == [
        (o["O1"], p1),
        (o["O1"], p2),
        (o["O2"], p1),
        (o["O3"], p3),
        (o["O4"], p2),
    ]
    assert [r.invoice.invoice if r.invoice else None for r in rows] == [
        i["I1"], i["I2"], i["I3"], i["I4"], None,
    ]  # fmt: skip
    assert [(r.invoice.paid, r.invoice.last_paid_on) for r in rows if r.invoice] == [
        (Decimal("1180.00"), D(2026, 6, 5)),
        (Decimal("200.00"), D(2026, 6, 10)),
        (Decimal("944.00"), D(2026, 7, 4)),
        (Decimal("0.00"), None),
    ]
    assert [r.invoice.days_to_payment for r in rows if r.invoice] == [16, None, 14, None]


def test_order_rows_of_an_office_hold_only_its_orders(world):
    rows = s.order_rows(office_filter(world.other_finance))
    assert [(r.order, r.chosen.provider) for r in rows] == [
        (world.orders["O3"], world.providers[2])
    ]


def test_queries_do_not_grow_with_orders(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        s.order_rows(dept())
    with django_assert_max_num_queries(1):
        s.overdue_invoices(dept(), today=TODAY)


def with_lang(code):
    from django.utils import translation

    translation.activate(code)


@pytest.fixture(autouse=True)
def _reset_language():
    from django.utils import translation

    yield
    translation.deactivate()
