"""The back office for people and roles: administrators change, auditors look, others can't."""

import pytest

from sevamitra.accounts.models import OtpChallenge, Role, RoleGrant, User
from sevamitra.accounts.services import otp_request
from sevamitra.accounts.tests.factories import DistrictFactory, UserFactory, user_with_roles

pytestmark = pytest.mark.django_db
USERS = "/admin/accounts/user/"


@pytest.fixture
def as_role(client):
    def as_role(*roles, **fields):
        user = user_with_roles(*roles, **fields)
        client.force_login(user)
        return user

    return as_role


def _change_data(user: User, grants=(), new=(), **overrides) -> dict:
    """The POST of the user change form, with its role inline."""
    data = {
        "name": user.name,
        "preferred_language": user.preferred_language,
        "is_active": "on" if user.is_active else "",
        "role_grants-TOTAL_FORMS": str(len(grants) + len(new)),
        "role_grants-INITIAL_FORMS": str(len(grants)),
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
    }
    for i, (grant, delete) in enumerate(grants):
        data[f"role_grants-{i}-id"] = str(grant.pk)
        data[f"role_grants-{i}-user"] = str(user.pk)
        data[f"role_grants-{i}-role"] = grant.role
        data[f"role_grants-{i}-district"] = str(grant.district_id or "")
        if delete:
            data[f"role_grants-{i}-DELETE"] = "on"
    for j, (role, district) in enumerate(new, start=len(grants)):
        data[f"role_grants-{j}-user"] = str(user.pk)
        data[f"role_grants-{j}-role"] = role
        data[f"role_grants-{j}-district"] = str(district.pk if district else "")
    data.update(overrides)
    return data


def test_administrator_sees_full_numbers_in_the_list(client, as_role):
    as_role(Role.ADMINISTRATOR)
    UserFactory(phone="9876543210")

    response = client.get(USERS)

    assert response.status_code == 200
    assert "9876543210" in response.content.decode()


def test_auditor_sees_masked_numbers_in_the_list(client, as_role):
    as_role(Role.AUDITOR)
    UserFactory(phone="9876543210")

    response = client.get(USERS)

    html = response.content.decode()
    assert response.status_code == 200
    assert "XXXXXX3210" in html
    assert "9876543210" not in html


def test_list_filters_by_role_and_searches_by_any_spelling_of_the_number(client, as_role):
    as_role(Role.ADMINISTRATOR)
    UserFactory(phone="9876543210", name="Asha")
    user_with_roles(Role.AGENT, phone="9876500000", name="Bilal")

    by_number = client.get(USERS, {"q": "+91 98765 43210"})
    by_role = client.get(USERS, {"role_grants__role__exact": "agent"})

    assert list(by_number.context["cl"].result_list.values_list("name", flat=True)) == ["Asha"]
    assert list(by_role.context["cl"].result_list.values_list("name", flat=True)) == ["Bilal"]


def test_auditor_may_look_but_not_change(client, as_role):
    as_role(Role.AUDITOR)
    user = UserFactory(name="Before")

    page = client.get(f"{USERS}{user.pk}/change/")
    post = client.post(f"{USERS}{user.pk}/change/", _change_data(user, name="After"))

    assert page.status_code == 200
    assert "XXXXXX" in page.content.decode()
    assert post.status_code == 403
    user.refresh_from_db()
    assert user.name == "Before"


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER])
def test_other_staff_cannot_open_users(client, as_role, role):
    as_role(role)
    user = UserFactory()

    assert client.get(USERS).status_code == 403
    assert client.get(f"{USERS}{user.pk}/change/").status_code == 403
    assert client.get("/admin/accounts/otpchallenge/").status_code == 403


def test_administrator_grants_a_role_through_the_service(client, as_role):
    admin = as_role(Role.ADMINISTRATOR)
    user = UserFactory()
    district = DistrictFactory()

    response = client.post(
        f"{USERS}{user.pk}/change/",
        _change_data(user, new=[(Role.DISTRICT_OFFICER, district)], name="Officer"),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.district, grant.granted_by) == (
        Role.DISTRICT_OFFICER,
        district,
        admin,
    )
    user.refresh_from_db()
    assert (user.name, user.is_staff) == ("Officer", True)


def test_a_district_officer_without_district_is_a_form_error(client, as_role):
    as_role(Role.ADMINISTRATOR)
    user = UserFactory()

    response = client.post(
        f"{USERS}{user.pk}/change/", _change_data(user, new=[(Role.DISTRICT_OFFICER, None)])
    )

    assert response.status_code == 200
    assert RoleGrant.objects.filter(user=user).count() == 0


def test_administrator_revokes_a_role_through_the_service(client, as_role):
    as_role(Role.ADMINISTRATOR)
    user = user_with_roles(Role.AUDITOR)
    grant = RoleGrant.objects.get(user=user)

    response = client.post(f"{USERS}{user.pk}/change/", _change_data(user, grants=[(grant, True)]))

    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=user).count() == 0
    user.refresh_from_db()
    assert user.is_staff is False


def test_administrator_adds_a_user_who_becomes_a_citizen(client, as_role):
    as_role(Role.ADMINISTRATOR)

    response = client.post(
        f"{USERS}add/",
        {
            "phone": "+91 70000 12345",
            "name": "Caller",
            "preferred_language": "en",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(phone="7000012345")
    assert (user.name, user.preferred_language) == ("Caller", "en")
    assert list(user.role_grants.values_list("role", flat=True)) == [Role.CITIZEN]


def test_users_are_never_deleted_in_the_admin(client, as_role):
    as_role(Role.ADMINISTRATOR)
    user = UserFactory()

    assert client.get(f"{USERS}{user.pk}/delete/").status_code == 403


def test_sign_in_codes_are_read_only_and_show_no_hash(client, as_role):
    as_role(Role.ADMINISTRATOR)
    challenge = otp_request(phone="9876543210", ip=None)

    listing = client.get("/admin/accounts/otpchallenge/")
    detail = client.get(f"/admin/accounts/otpchallenge/{challenge.pk}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    for response in (listing, detail):
        html = response.content.decode()
        assert challenge.code_hash not in html
        assert challenge.salt not in html
    assert "9876543210" in listing.content.decode()
    assert client.get("/admin/accounts/otpchallenge/add/").status_code == 403
    assert client.post(f"/admin/accounts/otpchallenge/{challenge.pk}/delete/").status_code == 403
    assert OtpChallenge.objects.count() == 1


def test_auditor_sees_sign_in_codes_with_masked_numbers(client, as_role):
    as_role(Role.AUDITOR)
    otp_request(phone="9876543210", ip=None)

    html = client.get("/admin/accounts/otpchallenge/").content.decode()

    assert "XXXXXX3210" in html
    assert "9876543210" not in html
