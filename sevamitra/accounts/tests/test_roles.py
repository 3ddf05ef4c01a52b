import pytest
from django.db import IntegrityError, transaction

from sevamitra.accounts.errors import InvalidInput, NotPermitted
from sevamitra.accounts.models import Role, RoleGrant
from sevamitra.accounts.selectors import user_districts, user_roles
from sevamitra.accounts.services import role_ensure, role_grant, role_revoke
from sevamitra.accounts.tests.factories import (
    DistrictFactory,
    RoleGrantFactory,
    UserFactory,
    user_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return user_with_roles(Role.ADMINISTRATOR)


def test_granting_a_staff_role_opens_the_back_office(admin_user):
    user = UserFactory()
    district = DistrictFactory()

    grant = role_grant(
        user=user, role=Role.DISTRICT_OFFICER, district=district, acting_user=admin_user
    )

    assert (grant.role, grant.district, grant.granted_by) == (
        Role.DISTRICT_OFFICER,
        district,
        admin_user,
    )
    user.refresh_from_db()
    assert user.is_staff is True
    assert user_roles(user) == {Role.DISTRICT_OFFICER}
    assert user_districts(user, Role.DISTRICT_OFFICER) == {district.pk}


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PROVIDER, Role.AGENT])
def test_granting_a_public_role_does_not_open_the_back_office(admin_user, role):
    user = UserFactory()

    role_grant(user=user, role=role, acting_user=admin_user)

    user.refresh_from_db()
    assert user.is_staff is False


def test_granting_twice_keeps_one_grant(admin_user):
    user = UserFactory()

    first = role_grant(user=user, role=Role.AUDITOR, acting_user=admin_user)
    second = role_grant(user=user, role=Role.AUDITOR, acting_user=admin_user)

    assert first == second
    assert RoleGrant.objects.filter(user=user).count() == 1


def test_a_superuser_may_grant_roles():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()

    role_grant(user=user, role=Role.ADMINISTRATOR, acting_user=superuser)

    assert user_roles(user) == {Role.ADMINISTRATOR}


@pytest.mark.parametrize(
    "roles",
    [
        (),
        (Role.CITIZEN,),
        (Role.PROVIDER,),
        (Role.AGENT,),
        (Role.DISTRICT_OFFICER,),
        (Role.DEPARTMENT_OFFICER,),
        (Role.AUDITOR,),
        (Role.ADMINISTRATOR, Role.AUDITOR),  # an auditor is read-only, whatever else they hold
    ],
)
def test_only_administrators_may_grant_or_revoke(roles):
    actor = user_with_roles(*roles)
    user = UserFactory()
    grant = RoleGrantFactory(user=user, role=Role.AGENT)

    with pytest.raises(NotPermitted) as info:
        role_grant(user=user, role=Role.AUDITOR, acting_user=actor)
    assert (info.value.code, info.value.status) == ("permission_denied", 403)
    with pytest.raises(NotPermitted):
        role_revoke(grant=grant, acting_user=actor)

    assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == ["agent"]
    user.refresh_from_db()
    assert user.is_staff is False


def test_an_inactive_administrator_may_not_grant():
    actor = user_with_roles(Role.ADMINISTRATOR, is_active=False)

    with pytest.raises(NotPermitted):
        role_grant(user=UserFactory(), role=Role.AUDITOR, acting_user=actor)


def test_a_district_officer_needs_a_district(admin_user):
    user = UserFactory()

    with pytest.raises(InvalidInput) as info:
        role_grant(user=user, role=Role.DISTRICT_OFFICER, acting_user=admin_user)

    assert (info.value.code, info.value.field) == ("district_required", "district")
    assert RoleGrant.objects.filter(user=user).count() == 0


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CITIZEN, Role.AUDITOR])
def test_only_district_officers_and_agents_are_limited_to_a_district(admin_user, role):
    with pytest.raises(InvalidInput) as info:
        role_grant(
            user=UserFactory(), role=role, district=DistrictFactory(), acting_user=admin_user
        )

    assert info.value.code == "district_not_allowed"


def test_an_unknown_role_is_refused(admin_user):
    with pytest.raises(InvalidInput) as info:
        role_grant(user=UserFactory(), role="king", acting_user=admin_user)

    assert info.value.code == "invalid_role"


def test_the_database_refuses_a_district_officer_without_district():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=UserFactory(), role=Role.DISTRICT_OFFICER, district=None)


def test_the_database_refuses_a_district_on_an_unscoped_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=UserFactory(), role=Role.AUDITOR, district=DistrictFactory())


def test_an_agent_may_be_limited_to_a_district(admin_user):
    district = DistrictFactory()
    user = UserFactory()

    role_grant(user=user, role=Role.AGENT, district=district, acting_user=admin_user)

    assert user_districts(user, Role.AGENT) == {district.pk}


def test_revoking_the_last_staff_role_closes_the_back_office(admin_user):
    user = UserFactory()
    auditor = role_grant(user=user, role=Role.AUDITOR, acting_user=admin_user)
    officer = role_grant(user=user, role=Role.DEPARTMENT_OFFICER, acting_user=admin_user)
    role_grant(user=user, role=Role.CITIZEN, acting_user=admin_user)

    role_revoke(grant=auditor, acting_user=admin_user)
    user.refresh_from_db()
    assert user.is_staff is True

    role_revoke(grant=officer, acting_user=admin_user)
    user.refresh_from_db()
    assert user.is_staff is False
    assert user_roles(user) == {Role.CITIZEN}


def test_revoking_keeps_a_superuser_in_the_back_office(admin_user):
    user = UserFactory(is_superuser=True, is_staff=True)
    grant = role_grant(user=user, role=Role.AUDITOR, acting_user=admin_user)

    role_revoke(grant=grant, acting_user=admin_user)

    user.refresh_from_db()
    assert user.is_staff is True


def test_revoke_updates_the_grant_user_instance(admin_user):
    grant = role_grant(user=UserFactory(), role=Role.AUDITOR, acting_user=admin_user)
    user = grant.user
    assert user_roles(user) == {Role.AUDITOR}

    role_revoke(grant=grant, acting_user=admin_user)

    assert user.is_staff is False
    assert user_roles(user) == set()


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PROVIDER])
def test_role_ensure_gives_self_service_roles_once(role):
    user = UserFactory()

    role_ensure(user=user, role=role)
    role_ensure(user=user, role=role)

    assert list(RoleGrant.objects.filter(user=user).values_list("role", "granted_by")) == [
        (role, None)
    ]


@pytest.mark.parametrize(
    "role", [Role.AGENT, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR, "king"]
)
def test_role_ensure_never_gives_a_role_someone_must_decide(role):
    with pytest.raises(ValueError):
        role_ensure(user=UserFactory(), role=role)


def test_user_roles_are_read_once_per_user_instance(django_assert_num_queries):
    user = user_with_roles(Role.AGENT, Role.DISTRICT_OFFICER)

    with django_assert_num_queries(1):
        assert user_roles(user) == {Role.AGENT, Role.DISTRICT_OFFICER}
        assert user_roles(user) == {Role.AGENT, Role.DISTRICT_OFFICER}
        assert len(user_districts(user, Role.DISTRICT_OFFICER)) == 1
        assert user_districts(user, Role.AGENT) == set()


@pytest.mark.parametrize("scoped", [False, True])
def test_the_database_refuses_the_same_role_twice(scoped):
    user = UserFactory()
    role, district = (Role.AGENT, DistrictFactory()) if scoped else (Role.AUDITOR, None)
    RoleGrant.objects.create(user=user, role=role, district=district)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=role, district=district)
    assert RoleGrant.objects.filter(user=user, role=role).count() == 1
