"""What accounts write to the audit trail: users, roles and addresses, by reference only."""

import json

import pytest
from django.db.models import Max

from sevamitra.accounts import services
from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.models import Address, Role, RoleGrant, User
from sevamitra.accounts.services import SELF_SERVICE
from sevamitra.accounts.tests.conftest import sent_code
from sevamitra.accounts.tests.factories import DistrictFactory, UserFactory, user_with_roles
from sevamitra.accounts.tests.test_admin import USERS, _change_data
from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=mark).order_by("seq"))


def _rows(entries: list[AuditEntry]) -> list[tuple]:
    return [
        (e.action, e.actor_id, e.actor_role, e.object_type, e.object_id, e.before, e.after)
        for e in entries
    ]


def test_a_role_grant_names_role_district_and_the_granting_administrator():
    admin = user_with_roles(Role.ADMINISTRATOR)
    officer = UserFactory()
    district = DistrictFactory()
    mark = _mark()

    grant = services.role_grant(
        user=officer, role=Role.DISTRICT_OFFICER, district=district, acting_user=admin
    )

    assert _rows(_since(mark)) == [
        (
            "role.granted",
            admin.pk,
            "administrator",
            "accounts.rolegrant",
            str(grant.pk),
            None,
            {
                "user": officer.pk,
                "role": "district_officer",
                "district": district.pk,
                "is_staff": True,
            },
        )
    ]


def test_granting_a_role_held_already_records_nothing():
    admin = user_with_roles(Role.ADMINISTRATOR)
    auditor = user_with_roles(Role.AUDITOR)
    mark = _mark()

    services.role_grant(user=auditor, role=Role.AUDITOR, acting_user=admin)

    assert _since(mark) == []


def test_a_revocation_records_what_was_held_and_the_back_office_access_lost():
    admin = user_with_roles(Role.ADMINISTRATOR)
    auditor = user_with_roles(Role.AUDITOR)
    grant = RoleGrant.objects.get(user=auditor)
    mark = _mark()

    services.role_revoke(grant=grant, acting_user=admin)

    assert _rows(_since(mark)) == [
        (
            "role.revoked",
            admin.pk,
            "administrator",
            "accounts.rolegrant",
            str(grant.pk),
            {"user": auditor.pk, "role": "auditor", "district": None},
            {"is_staff": False},
        )
    ]


def test_a_refused_grant_records_nothing():
    agent = user_with_roles(Role.AGENT)
    mark = _mark()

    with pytest.raises(PermissionDenied):
        services.role_grant(user=UserFactory(), role=Role.ADMINISTRATOR, acting_user=agent)

    assert _since(mark) == []
    assert not RoleGrant.objects.filter(role=Role.ADMINISTRATOR).exists()


def test_role_changes_in_the_admin_are_audited(client):
    admin = user_with_roles(Role.ADMINISTRATOR)
    client.force_login(admin)
    user = user_with_roles(Role.AUDITOR, name="Kept Private")
    grant = RoleGrant.objects.get(user=user)
    district = DistrictFactory()
    mark = _mark()

    response = client.post(
        f"{USERS}{user.pk}/change/",
        _change_data(user, grants=[(grant, True)], new=[(Role.DISTRICT_OFFICER, district)]),
    )

    assert response.status_code == 302
    entries = _since(mark)
    assert [(e.action, e.actor_id, e.after) for e in entries] == [
        ("role.revoked", admin.pk, {"is_staff": False}),
        (
            "role.granted",
            admin.pk,
            {
                "user": user.pk,
                "role": "district_officer",
                "district": district.pk,
                "is_staff": True,
            },
        ),
    ]


def _code_sent(phone: str, capture) -> str:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        services.otp_request(phone=phone, ip=None)
    return sent_code()


def test_the_first_sign_in_creates_the_user_by_themself(django_capture_on_commit_callbacks):
    phone = "9876512345"
    code = _code_sent(phone, django_capture_on_commit_callbacks)
    mark = _mark()

    user = services.otp_verify(phone=phone, code=code)

    assert _rows(_since(mark)) == [
        (
            "user.created",
            user.pk,
            SELF_SERVICE,
            "accounts.user",
            str(user.pk),
            None,
            {
                "preferred_language": "hi",
                "is_active": True,
                "name_given": False,
                "roles": ["citizen"],
            },
        )
    ]
    # Asking for a code and signing in again are no changes of state.
    mark = _mark()
    code = _code_sent(phone, django_capture_on_commit_callbacks)
    assert services.otp_verify(phone=phone, code=code) == user
    assert _since(mark) == []


def test_a_user_registered_by_an_agent_names_the_agent_not_the_person():
    agent = user_with_roles(Role.AGENT)
    mark = _mark()

    user = services.user_create(
        phone="9876512346", name="Sunita Verma", preferred_language="en", acting_user=agent
    )

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.object_id) == (
        "user.created",
        agent.pk,
        "agent",
        str(user.pk),
    )
    assert entry.after == {
        "preferred_language": "en",
        "is_active": True,
        "name_given": True,
        "roles": ["citizen"],
    }
    text = json.dumps([entry.before, entry.after])
    assert "Sunita" not in text and "9876512346" not in text


def test_a_user_from_a_buyer_app_is_created_by_no_person():
    mark = _mark()

    user = services.citizen_for_phone(
        phone="9876512347", name="Ravi", channel_role="ondc:buyer.example.in"
    )

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.object_id) == (
        "user.created",
        None,
        "ondc:buyer.example.in",
        str(user.pk),
    )


def test_user_update_names_the_fields_but_never_the_name():
    admin = user_with_roles(Role.ADMINISTRATOR)
    user = UserFactory(name="Old Name", preferred_language="hi")
    mark = _mark()

    services.user_update(
        user=user, acting_user=admin, name="New Name", preferred_language="en", is_active=False
    )

    [entry] = _since(mark)
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "user.updated",
        admin.pk,
        str(user.pk),
    )
    assert entry.before == {"preferred_language": "hi", "is_active": True}
    assert entry.after == {
        "fields": ["name", "preferred_language", "is_active"],
        "preferred_language": "en",
        "is_active": False,
    }
    assert "Name" not in json.dumps([entry.before, entry.after])


def test_an_update_that_changes_nothing_records_nothing():
    user = UserFactory(preferred_language="hi")
    mark = _mark()

    services.user_update(user=user, acting_user=user, preferred_language="hi")

    assert _since(mark) == []


def test_a_refused_update_records_nothing():
    user = UserFactory(preferred_language="hi")
    mark = _mark()

    with pytest.raises(InvalidInput):
        services.user_update(user=user, acting_user=user, preferred_language="fr")

    assert _since(mark) == []
    user.refresh_from_db()
    assert user.preferred_language == "hi"


def test_addresses_are_recorded_by_reference_only():
    user = UserFactory()
    mark = _mark()

    address = services.address_create(
        user=user,
        acting_user=user,
        label="Maa ka ghar",
        line="House 7, Aminabad Road",
        locality="Aminabad",
        pincode="226018",
    )
    services.address_update(address=address, acting_user=user, line="House 9, Aminabad Road")
    address_id = address.pk
    services.address_delete(address=address, acting_user=user)

    assert _rows(_since(mark)) == [
        (
            "address.created",
            user.pk,
            "",
            "accounts.address",
            str(address_id),
            None,
            {"user": user.pk},
        ),
        (
            "address.updated",
            user.pk,
            "",
            "accounts.address",
            str(address_id),
            None,
            {"user": user.pk, "fields": ["line"]},
        ),
        (
            "address.deleted",
            user.pk,
            "",
            "accounts.address",
            str(address_id),
            {"user": user.pk},
            None,
        ),
    ]
    assert not Address.objects.filter(pk=address_id).exists()


def test_a_self_service_role_names_the_person_and_an_administrator_when_one_acts():
    person = UserFactory()
    admin = user_with_roles(Role.ADMINISTRATOR)
    mark = _mark()

    services.role_ensure(user=person, role=Role.PROVIDER)
    services.role_ensure(user=person, role=Role.PROVIDER)  # held already: nothing more
    other = UserFactory()
    services.role_ensure(user=other, role=Role.PROVIDER, acting_user=admin)

    entries = _since(mark)
    assert [(e.action, e.actor_id, e.actor_role, e.after["user"]) for e in entries] == [
        ("role.granted", person.pk, SELF_SERVICE, person.pk),
        ("role.granted", admin.pk, "administrator", other.pk),
    ]
    assert User.objects.get(pk=person.pk).role_grants.filter(role=Role.PROVIDER).count() == 1


def test_django_groups_are_no_door_round_the_roles(client):
    """Access is given by roles only: the admin of Django's groups is gone."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get("/admin/auth/group/").status_code == 404
    assert client.get("/admin/").status_code == 200
