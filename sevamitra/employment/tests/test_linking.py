"""Linking a registration: the import, each refusal (audited, nothing else written), unlinking."""

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import override

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.employment import services
from sevamitra.employment.errors import EmploymentError
from sevamitra.employment.models import EmploymentLink
from sevamitra.employment.tests.conftest import NUMBER, OTHER_NUMBER, SEWAYOJAN
from sevamitra.employment.tests.exchange import registration

pytestmark = pytest.mark.django_db


def link(user, number=NUMBER, acting_user=None):
    return services.employment_link(
        user=user, portal=SEWAYOJAN, registration_number=number, acting_user=acting_user or user
    )


def refused(user, number, *, acting_user=None) -> tuple[str, str, int]:
    """Try to link; the refusal's (code, English message, status)."""
    with override("en"), pytest.raises(EmploymentError) as raised:
        link(user, number, acting_user=acting_user)
    return raised.value.code, str(raised.value.message), raised.value.status


def entries(action):
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("seq")
        .values_list("actor_id", "object_type", "object_id", "after")
    )


def test_linking_imports_what_the_exchange_holds(exchange, person):
    made = link(person, "up-lko 2024/000001")  # normalised
    assert (made.user, made.portal, made.registration_number) == (person, SEWAYOJAN, NUMBER)
    assert made.unlinked_at is None
    assert made.imported == {
        "name": "सुनीता देवी",
        "district_code": "LUCKNOW",
        "pincode": "226010",
        "gender": "female",
        "date_of_birth": "2001-04-15",
        "education": "High school (10th)",
        "experience_years": 2,
        "skills": ["cooking"],
        "certificates": [
            {
                "scheme": "ITI",
                "trade": "Electrician",
                "number": "NCVT/UP/2019/1",
                "issued_on": "2019-08-01",
            }
        ],
    }
    assert entries("employment.linked") == [
        (
            person.pk,
            "employment.employmentlink",
            str(made.pk),
            {"portal": "sewayojan", "user": person.pk},
        )
    ]
    assert entries("employment.link_refused") == []


def test_devanagari_digits_are_read(exchange, person):
    assert link(person, "UPLKO२०२४०००००१").registration_number == NUMBER


REFUSALS = {
    "invalid_number": (
        "Enter your registration number as it is on your employment-exchange card: letters and "
        "digits, for example UPLKO2024000105.",
        400,
    ),
    "unknown": (
        "The employment exchange has no registration with this number. Check the number on "
        "your registration card.",
        400,
    ),
    "already_linked_self": ("This registration is already linked to your account.", 409),
    "account_has_link": (
        "Your account is already linked to another employment-exchange registration. Unlink "
        "it first.",
        409,
    ),
    "linked_elsewhere": (
        "This registration is already linked to another account. If it is yours, please call "
        "the helpline.",
        409,
    ),
    "mobile_mismatch": (
        "This registration has a different mobile number. You can only link your own "
        "registration: ask the employment exchange to change the mobile number of your "
        "registration to the one you signed in with, then try again.",
        400,
    ),
    "exchange_unavailable": (
        "The employment exchange is not answering. Please try again later.",
        503,
    ),
}


def assert_refused(user, number, code, *, links_before):
    assert refused(user, number) == (code, *REFUSALS[code])
    # Nothing written but the audit entry of the refusal, which names no number.
    assert list(EmploymentLink.objects.values_list("pk", flat=True)) == links_before
    assert entries("employment.link_refused")[-1] == (
        user.pk,
        "accounts.user",
        str(user.pk),
        {"portal": "sewayojan", "reason": code},
    )
    assert not number or number not in str(entries("employment.link_refused"))


@pytest.mark.parametrize("number", ["", "12-34", "UP/LKO/2024/000001/EXTRA/DIGITS/1234", "UP#1"])
def test_a_number_that_cannot_be_one_is_refused(exchange, person, number):
    assert_refused(person, number, "invalid_number", links_before=[])
    assert exchange.received == []  # not even asked


def test_an_unknown_number_is_refused(exchange, person):
    assert_refused(person, "UPLKO1999999999", "unknown", links_before=[])


def test_a_registration_linked_by_someone_else_is_refused_without_saying_whose(
    exchange, person, other
):
    # The other account's holder somehow has this number's mobile (changed at the exchange).
    exchange.add(registration(NUMBER, mobile=other.phone))
    theirs = link(other, NUMBER)
    exchange.add(registration(NUMBER, mobile=person.phone))
    assert_refused(person, NUMBER, "linked_elsewhere", links_before=[theirs.pk])
    _code, message, _status = refused(person, NUMBER)
    assert other.phone not in message and other.name not in message


def test_a_registration_already_linked_by_me_is_refused(exchange, person):
    mine = link(person)
    assert_refused(person, NUMBER, "already_linked_self", links_before=[mine.pk])


def test_a_second_registration_on_the_same_account_is_refused(exchange, person):
    mine = link(person)
    exchange.add(registration("UPLKO2024000003", mobile=person.phone))
    assert_refused(person, "UPLKO2024000003", "account_has_link", links_before=[mine.pk])


def test_someone_elses_registration_is_refused(exchange, person):
    """OTHER_NUMBER carries another mobile: a person links only their own registration."""
    assert_refused(person, OTHER_NUMBER, "mobile_mismatch", links_before=[])


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_an_exchange_in_trouble_is_a_clear_refusal(exchange, person, mode):
    exchange.mode = mode
    assert_refused(person, NUMBER, "exchange_unavailable", links_before=[])


def test_too_many_lookups_are_refused(exchange, person, settings):
    settings.EMPLOYMENT_LOOKUP_RATE = "2/3600"
    for _ in range(2):
        with pytest.raises(EmploymentError):
            link(person, "UPLKO1999999999")
    with override("en"):
        assert refused(person, NUMBER) == (
            "too_many_lookups",
            "Too many tries. Please try again in an hour.",
            429,
        )
    assert len(exchange.sent("GET")) == 2
    assert EmploymentLink.objects.count() == 0


def test_only_the_person_links_their_registration(exchange, person):
    administrator = user_with_roles(Role.ADMINISTRATOR)
    with pytest.raises(NotPermitted):
        link(person, acting_user=administrator)
    auditor = user_with_roles(Role.AUDITOR, phone=person.phone.replace("98", "97", 1))
    with pytest.raises(NotPermitted):
        link(auditor)
    assert EmploymentLink.objects.count() == 0
    assert exchange.received == []


def test_the_database_holds_one_active_link_per_number_and_per_account(exchange, person, other):
    mine = link(person)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentLink.objects.create(user=other, portal=SEWAYOJAN, registration_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentLink.objects.create(user=person, portal=SEWAYOJAN, registration_number="X123456")
    services.employment_unlink(link=mine, acting_user=person)
    # Unlinked: the number (and the account) are free again.
    EmploymentLink.objects.create(user=other, portal=SEWAYOJAN, registration_number=NUMBER)


def test_a_link_made_elsewhere_in_the_meantime_is_refused(exchange, person, other, monkeypatch):
    """The checks pass, then another account links the number before our insert: the unique
    constraint refuses it and the person gets the same refusal as before."""
    real_preview = services.employment_link_preview

    def preview_then_race(**kwargs):
        record = real_preview(**kwargs)
        EmploymentLink.objects.create(user=other, portal=SEWAYOJAN, registration_number=NUMBER)
        return record

    monkeypatch.setattr(services, "employment_link_preview", preview_then_race)
    assert refused(person, NUMBER)[0] == "linked_elsewhere"
    assert list(EmploymentLink.objects.values_list("user", flat=True)) == [other.pk]
    assert entries("employment.linked") == []


def test_unlinking_keeps_the_row_and_allows_linking_again(exchange, person):
    mine = link(person)
    services.employment_unlink(link=mine, acting_user=person)
    mine.refresh_from_db()
    assert mine.unlinked_at is not None
    assert entries("employment.unlinked") == [
        (
            person.pk,
            "employment.employmentlink",
            str(mine.pk),
            {"unlinked": True, "share_withdrawn": None},
        )
    ]
    with override("en"), pytest.raises(EmploymentError) as raised:
        services.employment_unlink(link=mine, acting_user=person)
    assert raised.value.code == "not_linked"
    again = link(person)
    assert again.pk != mine.pk
    assert EmploymentLink.objects.filter(unlinked_at__isnull=True).get() == again


def test_nobody_else_unlinks(exchange, person):
    mine = link(person)
    with pytest.raises(NotPermitted):
        services.employment_unlink(link=mine, acting_user=UserFactory())
    mine.refresh_from_db()
    assert mine.unlinked_at is None
