"""The Sewayojan adapter: its HTTP API against a loopback server, and the demo file."""

import datetime as dt
import json
import socket

import pytest

from sevamitra.accounts.phone import normalize_phone
from sevamitra.employment.adapters import (
    AdapterError,
    Certificate,
    JobSeekerRecord,
    get_adapter,
)
from sevamitra.employment.sewayojan import DEFAULT_DEMO_FILE, SewayojanAdapter
from sevamitra.employment.tests.conftest import NUMBER, PHONE
from sevamitra.employment.tests.exchange import TOKEN, registration


def test_get_adapter_builds_the_configured_class():
    assert isinstance(get_adapter("sewayojan"), SewayojanAdapter)


def test_lookup_over_http_reads_the_documented_shape(exchange):
    record = get_adapter("sewayojan").lookup_jobseeker(NUMBER)
    assert record == JobSeekerRecord(
        registration_number=NUMBER,
        portal="sewayojan",
        name="सुनीता देवी",
        mobile=PHONE,
        district_code="LUCKNOW",
        gender="female",
        date_of_birth=dt.date(2001, 4, 15),
        education="High school (10th)",
        skills=("cooking",),
        certificates=(
            Certificate(
                scheme="ITI",
                trade="Electrician",
                number="NCVT/UP/2019/1",
                issued_on=dt.date(2019, 8, 1),
            ),
        ),
        pincode="226010",
        experience_years=2,
    )
    assert exchange.received == [("GET", f"/api/jobseekers/{NUMBER}", None, f"Bearer {TOKEN}")]


def test_an_unknown_number_is_none(exchange):
    assert get_adapter("sewayojan").lookup_jobseeker("UPLKO1999999999") is None


def test_a_mobile_with_country_code_is_read_as_ten_digits(exchange):
    exchange.add(registration("UPLKO2024000009", mobile="+91 98765 11009"))
    record = get_adapter("sewayojan").lookup_jobseeker("UPLKO2024000009")
    assert record.mobile == normalize_phone("9876511009") == "9876511009"


@pytest.mark.parametrize(
    "mode, detail",
    [
        ("error", "the employment exchange is not answering (HTTP 503)"),
        ("redirect", "the employment exchange is not answering (HTTP 302)"),
        ("garbage", "the employment exchange answered something that is not JSON"),
    ],
)
def test_a_misbehaving_exchange_raises_adapter_error(exchange, mode, detail):
    exchange.mode = mode
    with pytest.raises(AdapterError) as raised:
        get_adapter("sewayojan").lookup_jobseeker(NUMBER)
    assert str(raised.value) == detail


@pytest.mark.parametrize(
    "change, detail",
    [
        ({"mobile": "12345"}, "mobile is not an Indian mobile number"),
        ({"name": ""}, "name is missing"),
        ({"gender": "x"}, "unknown gender 'x'"),
        ({"pincode": "2260"}, "pincode is not 6 digits"),
        ({"date_of_birth": "15/04/2001"}, "Invalid isoformat string: '15/04/2001'"),
        ({"skills": "cooking"}, "skills is not a list of words"),
        ({"experience_years": "two"}, "experience_years is not a number of years"),
    ],
)
def test_a_registration_in_another_shape_raises_adapter_error(exchange, change, detail):
    exchange.add({**registration(NUMBER, mobile=PHONE), **change})
    with pytest.raises(AdapterError) as raised:
        get_adapter("sewayojan").lookup_jobseeker(NUMBER)
    assert str(raised.value) == (
        f"the employment exchange sent a registration we cannot read: {detail}"
    )


def test_an_answer_about_another_registration_is_refused(exchange):
    exchange.registrations[NUMBER] = registration("UPLKO2024000777", mobile=PHONE)
    with pytest.raises(AdapterError, match="about another registration"):
        get_adapter("sewayojan").lookup_jobseeker(NUMBER)


def test_an_exchange_that_is_down_raises_adapter_error(settings):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SEWAYOJAN_API_URL = f"http://127.0.0.1:{port}/api"
    with pytest.raises(AdapterError) as raised:
        get_adapter("sewayojan").lookup_jobseeker(NUMBER)
    assert str(raised.value) == "the employment exchange is not answering (ConnectError)"


def test_a_slow_exchange_times_out(settings):
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.SEWAYOJAN_API_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/api"
        settings.SEWAYOJAN_API_TIMEOUT_SECONDS = 0.3
        with pytest.raises(AdapterError) as raised:
            get_adapter("sewayojan").lookup_jobseeker(NUMBER)
    assert str(raised.value) == "the employment exchange is not answering (ReadTimeout)"


def test_push_and_withdraw_work_history(exchange):
    adapter = get_adapter("sewayojan")
    adapter.push_work_history(NUMBER, "a.b.c")
    assert exchange.records == {NUMBER: "a.b.c"}
    adapter.push_work_history(NUMBER, "a.b.c")  # the same record again: harmless
    adapter.withdraw_work_history(NUMBER)
    assert exchange.records == {}
    adapter.withdraw_work_history(NUMBER)  # nothing held any more (404): fine
    assert [(m, p, b) for m, p, b, _auth in exchange.received] == [
        ("POST", f"/api/jobseekers/{NUMBER}/work-history", {"record": "a.b.c"}),
        ("POST", f"/api/jobseekers/{NUMBER}/work-history", {"record": "a.b.c"}),
        ("DELETE", f"/api/jobseekers/{NUMBER}/work-history", None),
        ("DELETE", f"/api/jobseekers/{NUMBER}/work-history", None),
    ]


def test_push_to_an_exchange_in_trouble_raises(exchange):
    exchange.mode = "error"
    with pytest.raises(AdapterError, match="not answering"):
        get_adapter("sewayojan").push_work_history(NUMBER, "a.b.c")
    with pytest.raises(AdapterError, match="not answering"):
        get_adapter("sewayojan").withdraw_work_history(NUMBER)


# --- the demo file ---------------------------------------------------------------------------


def test_the_shipped_demo_file_has_the_readme_demo_accounts():
    """Ten invented job seekers; the demo citizens (05, 06) can link and become Sevamitras, the
    demo Sevamitra (07) can link and share."""
    adapter = SewayojanAdapter()
    assert adapter.describe().endswith(str(DEFAULT_DEMO_FILE))
    rows = json.loads(DEFAULT_DEMO_FILE.read_text(encoding="utf-8"))["jobseekers"]
    records = [adapter.lookup_jobseeker(row["registration_number"]) for row in rows]
    assert len(records) == 10
    mobiles = {r.mobile for r in records}
    assert {"9999000005", "9999000006", "9999000007"} <= mobiles
    assert len(mobiles) == 10
    assert adapter.lookup_jobseeker("UPLKO1999999999") is None


def test_a_demo_file_of_our_own(settings, tmp_path):
    path = tmp_path / "exchange.json"
    path.write_text(json.dumps({"jobseekers": [registration(NUMBER, mobile=PHONE)]}))
    settings.SEWAYOJAN_DEMO_FILE = str(path)
    assert SewayojanAdapter().lookup_jobseeker(NUMBER).mobile == PHONE
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    settings.SEWAYOJAN_DEMO_FILE = str(broken)
    with pytest.raises(AdapterError, match="demo employment-exchange file cannot be read"):
        SewayojanAdapter().lookup_jobseeker(NUMBER)
    settings.SEWAYOJAN_DEMO_FILE = str(tmp_path / "missing.json")
    with pytest.raises(AdapterError, match="demo employment-exchange file is missing"):
        SewayojanAdapter().lookup_jobseeker(NUMBER)
