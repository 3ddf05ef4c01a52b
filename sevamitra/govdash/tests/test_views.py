"""HTTP tests of /gov/dashboard/ and its CSV export: who sees what, the figures shown, the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.govdash import selectors
from sevamitra.govdash.tests.fixtures import D, build_world
from sevamitra.govdash.views import csv_cell

pytestmark = pytest.mark.django_db
URL = "/gov/dashboard/"
CSV_URL = "/gov/dashboard/orders.csv"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture(autouse=True)
def _on_1_september_2026(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: D(2026, 9, 1))


def get(client, user, url=URL, lang="en", **params):
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client.get(url, params)


def test_urls():
    assert reverse("govdash:dashboard") == URL
    assert reverse("govdash:orders_csv") == CSV_URL


def test_anonymous_is_sent_to_sign_in(client):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/signin/?next=")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER])
def test_others_are_refused(client, world, role):
    user = user_with_roles(role)
    response = get(client, user)
    assert response.status_code == 403
    assert "For government offices only" in response.content.decode()
    assert get(client, user, CSV_URL).status_code == 403


def test_post_not_allowed(client, world):
    client.force_login(world.hq_finance)
    assert client.post(URL).status_code == 405


def test_department_view_for_an_auditor(client, world):
    response = get(client, user_with_roles(Role.AUDITOR))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The whole department: every office." in html
    assert "Financial year 2026-27" in html
    assert 'id="fig-invoiced">₹4,984.00</strong>' in html
    assert 'id="fig-paid">₹2,424.00</strong>' in html
    assert "14.3" in html
    assert "3 invoices paid in full" in html
    assert '<strong class="bad">2 invoices, ₹2,660.00 owed</strong>' in html
    # The overdue invoices, flagged; every office's figures appear.
    assert f"SVM/{world.providers[1].pk}/2026-27/0001" in html
    assert f"SVM/{world.providers[2].pk}/2026-27/0001" in html
    assert "Kanpur Nagar" in html
    assert '<td class="num">₹4,040.00</td>' in html  # electrician invoiced
    assert 'role="img"' in html
    assert "css/charts.css" in html


def test_office_view_never_shows_another_office(client, world):
    response = get(client, world.hq_indenting)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your offices: Office HQ (Lucknow)" in html
    assert 'id="fig-invoiced">₹1,680.00</strong>' in html
    assert 'id="fig-paid">₹1,480.00</strong>' in html
    assert '<strong class="bad">1 invoice, ₹300.00 owed</strong>' in html
    # Nothing of SUB's or OTHER's orders or invoices.
    assert "Kanpur Nagar" not in html
    assert "Barabanki" not in html
    assert "₹2,360.00" not in html
    assert "₹944.00" not in html
    assert f"SVM/{world.providers[2].pk}/" not in html
    # The district list offers only the office's own district.
    assert f'<option value="{world.other.district_id}"' not in html


def test_approving_officer_sees_the_offices_under_theirs(client, world):
    html = get(client, world.hq_approving).content.decode()
    assert "Office HQ (Lucknow)" in html
    assert "Office SUB (Barabanki)" in html
    assert 'id="fig-invoiced">₹2,624.00</strong>' in html
    assert "Kanpur Nagar" not in html


def test_filters(client, world):
    auditor = user_with_roles(Role.AUDITOR)
    html = get(client, auditor, district=world.other.district_id).content.decode()
    assert 'id="fig-invoiced">₹2,360.00</strong>' in html
    assert 'id="fig-paid">₹0.00</strong>' in html
    plumber = world.orders["O2"].category_id
    html = get(client, auditor, category=plumber).content.decode()
    assert 'id="fig-invoiced">₹944.00</strong>' in html
    assert 'id="fig-paid">₹1,044.00</strong>' in html
    html = get(client, auditor, year=2025).content.decode()
    assert "Financial year 2025-26" in html
    assert 'id="fig-invoiced">₹100.00</strong>' in html
    assert "No invoice paid in full yet." in html


@pytest.mark.parametrize(
    "params", [{"year": "1999"}, {"year": "abc"}, {"category": "999999"}, {"district": "x"}]
)
def test_bad_filter_is_a_form_error(client, world, params):
    response = get(client, user_with_roles(Role.AUDITOR), **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert "fig-invoiced" not in html
    assert get(client, user_with_roles(Role.AUDITOR), CSV_URL, **params).status_code == 400


def test_another_offices_district_is_refused_to_an_officer(client, world):
    response = get(client, world.hq_indenting, district=world.other.district_id)
    assert response.status_code == 400
    assert "Kanpur Nagar" not in response.content.decode()


def test_hindi_page(client, world):
    html = get(client, world.hq_indenting, lang="hi").content.decode()
    assert "वित्तीय वर्ष 2026-27" in html
    assert "आपके कार्यालय: मुख्यालय (लखनऊ)" in html
    assert 'id="fig-invoiced">₹1,680.00</strong>' in html
    assert "1 बिल, ₹300.00 बाक़ी" in html
    assert "स्थिति के अनुसार ऑर्डर" in html
    assert "Orders by status" not in html


# --- CSV -------------------------------------------------------------------------------------


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_of_the_department(client, world):
    response = get(client, user_with_roles(Role.ADMINISTRATOR), CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="government-orders-2026-27.csv"'
    rows = read_csv(response)
    p1, p2, p3 = (p.pk for p in world.providers)
    o = {k: v.number for k, v in world.orders.items()}
    assert rows[0] == [
        "Order", "Office", "District", "Service", "First day", "Last day", "Accepted on",
        "Status", "Sevamitra", "Estimated value (₹)", "Invoice number", "Invoice total (₹)",
        "Paid (₹)", "Paid on", "Days to payment",
    ]  # fmt: skip
    name = "Sunita Devi"
    assert rows[1:] == [
        [o["O1"], "Office HQ", "Lucknow", "Electrician", "10/05/2026", "12/05/2026",
         "20/05/2026", "Accepted", name, "1000.00", f"SVM/{p1}/2026-27/0001", "1180.00",
         "1180.00", "05/06/2026", "16"],
        [o["O1"], "Office HQ", "Lucknow", "Electrician", "10/05/2026", "12/05/2026",
         "20/05/2026", "Accepted", name, "500.00", f"SVM/{p2}/2026-27/0001", "500.00",
         "200.00", "10/06/2026", ""],
        [o["O2"], "Office SUB", "Barabanki", "Plumber", "15/06/2026", "17/06/2026",
         "20/06/2026", "Accepted", name, "800.00", f"SVM/{p1}/2026-27/0002", "944.00",
         "944.00", "04/07/2026", "14"],
        [o["O3"], "Office OTHER", "Kanpur Nagar", "Electrician", "01/08/2026", "03/08/2026",
         "10/08/2026", "Accepted", name, "2000.00", f"SVM/{p3}/2026-27/0001", "2360.00",
         "0.00", "", ""],
        [o["O4"], "Office HQ", "Lucknow", "Electrician", "01/09/2026", "03/09/2026", "",
         "Awaiting approval", name, "300.00", "", "", "", "", ""],
    ]  # fmt: skip


def test_csv_of_an_office_holds_only_its_orders(client, world):
    rows = read_csv(get(client, world.other_finance, CSV_URL))
    assert [row[0] for row in rows[1:]] == [world.orders["O3"].number]
    assert {row[1] for row in rows[1:]} == {"Office OTHER"}


def test_csv_in_hindi_keeps_devanagari(client, world):
    rows = read_csv(get(client, world.other_finance, CSV_URL, lang="hi"))
    assert rows[1][1] == "दूसरा कार्यालय"
    assert rows[1][8] == "सुनीता देवी"


def test_csv_is_safe_against_formulas(client, world):
    world.other.name_en = '=HYPERLINK("http://x")'
    world.other.save()
    p3 = world.providers[2]
    p3.name_latin = "@SUM(A1)"
    p3.save()
    rows = read_csv(get(client, world.other_finance, CSV_URL))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][8] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+91", "'+91"),
        ("-5", "'-5"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (Decimal("1.50"), "1.50"),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_a_citizen_without_post_gets_no_csv(client, world):
    assert get(client, UserFactory(), CSV_URL).status_code == 403
