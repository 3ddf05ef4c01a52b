import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from sevamitra.accounts import services
from sevamitra.accounts.errors import (
    AccountDisabled,
    InvalidInput,
    InvalidPhone,
    OtpExpired,
    OtpLocked,
    OtpMissing,
    OtpWrong,
    RateLimited,
)
from sevamitra.accounts.models import OtpChallenge, Role, RoleGrant, User
from sevamitra.accounts.selectors import user_roles
from sevamitra.accounts.services import otp_request, otp_sms_body, otp_verify
from sevamitra.accounts.tests.conftest import sent_code
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.sms.backends import locmem

pytestmark = pytest.mark.django_db
PHONE = "9876543210"


@pytest.fixture
def request_code(django_capture_on_commit_callbacks):
    """Request a code (SMS sent as on commit) and return it in plain text."""

    def request(phone: str = PHONE, ip: str | None = "203.0.113.7") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            otp_request(phone=phone, ip=ip)
        return sent_code()

    return request


def test_request_stores_only_a_hash_of_a_6_digit_code_and_texts_the_code(request_code):
    code = request_code("+91 98765 43210")

    assert len(code) == 6 and code.isdigit()
    assert len(locmem.outbox) == 1
    assert locmem.outbox[0].to == "+919876543210"
    row = OtpChallenge.objects.values().get()
    assert row["phone"] == PHONE
    assert len(row["code_hash"]) == 64 and int(row["code_hash"], 16) >= 0
    assert len(row["salt"]) == 32
    assert all(code not in str(value) for value in row.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_otpchallenge")
        assert all(code not in str(value) for value in cursor.fetchone())
    assert row["expires_at"] - row["created_at"] == dt.timedelta(seconds=300)
    assert row["attempts"] == 0
    assert row["consumed_at"] is None
    assert row["requested_ip"] == "203.0.113.7"


def test_request_sends_the_sms_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        otp_request(phone=PHONE, ip=None)

    assert locmem.outbox == []
    assert len(callbacks) == 1


def test_sms_text_is_english_until_hindi_is_translated(request_code):
    code = request_code()

    assert locmem.outbox[0].body.endswith(
        f"Sevamitra sign-in code {code}, valid 5 minutes. Do not share it."
    )


def test_sms_text_gives_hindi_first_then_english():
    real_ngettext = services.ngettext

    def fake_ngettext(singular, plural, number):
        if translation.get_language() == "hi":
            return "सेवामित्र: आपका साइन-इन कोड %(code)s है। %(minutes)s मिनट तक मान्य।"
        return real_ngettext(singular, plural, number)

    with mock.patch.object(services, "ngettext", fake_ngettext):
        body = otp_sms_body(code="123456", minutes=5)

    assert body == (
        "सेवामित्र: आपका साइन-इन कोड 123456 है। 5 मिनट तक मान्य। / "
        "Sevamitra sign-in code 123456, valid 5 minutes. Do not share it."
    )


def test_request_refuses_a_bad_number_naming_the_field():
    with pytest.raises(InvalidPhone) as info:
        otp_request(phone="5876543210", ip=None)

    assert (info.value.code, info.value.field, info.value.status) == ("invalid_phone", "phone", 400)
    assert OtpChallenge.objects.count() == 0


def test_verify_with_the_right_code_signs_up_a_citizen(request_code):
    code = request_code()

    with translation.override("en"):
        user = otp_verify(phone="+91 98765 43210", code=code)

    assert user.phone == PHONE
    assert user.preferred_language == "en"
    assert user.is_staff is False
    assert user_roles(user) == {Role.CITIZEN}
    assert OtpChallenge.objects.get().consumed_at is not None


def test_verify_signs_in_an_existing_user_without_new_roles(request_code):
    officer = user_with_roles(Role.AUDITOR, phone=PHONE)
    code = request_code()

    user = otp_verify(phone=PHONE, code=code)

    assert user == officer
    assert User.objects.count() == 1
    assert list(RoleGrant.objects.values_list("role", flat=True)) == [Role.AUDITOR]


def test_verify_accepts_devanagari_digits(request_code):
    code = request_code()
    devanagari = code.translate(str.maketrans("0123456789", "०१२३४५६७८९"))

    assert otp_verify(phone=PHONE, code=f" {devanagari} ").phone == PHONE


def test_wrong_code_counts_down_and_the_fifth_locks_even_the_right_code(request_code, english):
    code = request_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    messages = []
    for _ in range(4):
        with pytest.raises(OtpWrong) as info:
            otp_verify(phone=PHONE, code=wrong)
        messages.append(info.value.message)
    with pytest.raises(OtpLocked):
        otp_verify(phone=PHONE, code=wrong)
    with pytest.raises(OtpLocked) as info:
        otp_verify(phone=PHONE, code=code)

    assert messages == [
        "Wrong code. 4 tries left.",
        "Wrong code. 3 tries left.",
        "Wrong code. 2 tries left.",
        "Wrong code. 1 try left.",
    ]
    assert str(info.value) == "Too many wrong tries: this code is locked. Request a new code."
    assert OtpChallenge.objects.get().attempts == 5
    assert OtpChallenge.objects.get().consumed_at is None
    assert User.objects.count() == 0


def test_a_malformed_code_is_refused_without_using_a_try(request_code):
    request_code()

    for bad in ["12345", "1234567", "12a456", "", None, 123456]:
        with pytest.raises(InvalidInput) as info:
            otp_verify(phone=PHONE, code=bad)
        assert (info.value.code, info.value.field) == ("invalid_code", "code")

    assert OtpChallenge.objects.get().attempts == 0


def test_code_expires_after_5_minutes(request_code):
    code = request_code()
    created = OtpChallenge.objects.get().created_at

    with (
        mock.patch("django.utils.timezone.now", return_value=created + dt.timedelta(seconds=300)),
        pytest.raises(OtpExpired),
    ):
        otp_verify(phone=PHONE, code=code)
    with mock.patch("django.utils.timezone.now", return_value=created + dt.timedelta(seconds=299)):
        assert otp_verify(phone=PHONE, code=code).phone == PHONE


def test_a_used_code_cannot_be_used_again(request_code):
    code = request_code()
    otp_verify(phone=PHONE, code=code)

    with pytest.raises(OtpMissing):
        otp_verify(phone=PHONE, code=code)


def test_verify_without_a_request_says_so():
    with pytest.raises(OtpMissing) as info:
        otp_verify(phone=PHONE, code="123456")

    assert info.value.status == 401


def test_a_new_request_invalidates_the_earlier_code(request_code):
    with mock.patch("secrets.randbelow", return_value=111111):
        first = request_code()
    with mock.patch("secrets.randbelow", return_value=222222):
        second = request_code()

    assert (first, second) == ("111111", "222222")
    old, new = OtpChallenge.objects.order_by("created_at", "pk")
    assert old.expires_at <= new.created_at
    with pytest.raises(OtpWrong):
        otp_verify(phone=PHONE, code=first)
    assert otp_verify(phone=PHONE, code=second).phone == PHONE


def test_an_inactive_account_cannot_sign_in(request_code):
    UserFactory(phone=PHONE, is_active=False)
    code = request_code()

    with pytest.raises(AccountDisabled):
        otp_verify(phone=PHONE, code=code)


def test_requests_are_limited_per_number(settings, request_code, english):
    settings.OTP_RATE_PER_PHONE = "3/900"
    for _ in range(3):
        request_code()

    with pytest.raises(RateLimited) as info:
        otp_request(phone=PHONE, ip="198.51.100.1")

    assert 1 <= info.value.retry_after <= 900
    assert info.value.status == 429
    assert str(info.value).startswith("Too many code requests. Try again in ")
    assert OtpChallenge.objects.count() == 3
    assert len(locmem.outbox) == 3
    request_code("9876543211")  # another number is not affected


def test_requests_are_limited_per_number_per_day(settings, request_code):
    settings.OTP_RATE_PER_PHONE = "100/900"
    settings.OTP_RATE_PER_PHONE_DAY = "2/86400"
    request_code()
    request_code()

    with pytest.raises(RateLimited) as info:
        otp_request(phone=PHONE, ip=None)

    assert 1 <= info.value.retry_after <= 86400


def test_requests_are_limited_per_ip(settings, request_code):
    settings.OTP_RATE_PER_IP = "2/3600"
    request_code("9000000001", ip="203.0.113.9")
    request_code("9000000002", ip="203.0.113.9")

    with pytest.raises(RateLimited):
        otp_request(phone="9000000003", ip="203.0.113.9")
    request_code("9000000003", ip="203.0.113.10")
    assert OtpChallenge.objects.filter(phone="9000000003").count() == 1


def test_an_unparseable_ip_is_not_stored(request_code):
    request_code(ip="not-an-ip")

    assert OtpChallenge.objects.get().requested_ip is None


def test_challenge_times_use_the_clock():
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        challenge = otp_request(phone=PHONE, ip=None)

    assert challenge.created_at == now
    assert challenge.expires_at == now + dt.timedelta(seconds=300)


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_tries_never_exceed_the_limit():
    with mock.patch("secrets.randbelow", return_value=111111):
        otp_request(phone=PHONE, ip=None)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def guess():
        try:
            barrier.wait()
            otp_verify(phone=PHONE, code="222222")
        except (OtpWrong, OtpLocked) as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["otp_locked"] * 4 + ["otp_wrong"] * 4
    assert OtpChallenge.objects.get().attempts == 5
