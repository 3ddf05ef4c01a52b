"""Every policy function for every kind of user: role by action, allowed or not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sevamitra.accounts import permissions
from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role, RoleGrant
from sevamitra.accounts.tests.factories import DistrictFactory, UserFactory, user_with_roles
from sevamitra.providers.models import Provider, VerificationStatus

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "citizen",
    "provider",  # the provider whose profile is checked
    "other_provider",
    "agent",
    "district_officer",  # of the provider's district
    "district_officer_elsewhere",
    "department_officer",
    "administrator",
    "auditor",
    "administrator_and_auditor",
    "superuser",
    "inactive_administrator",
]

# Columns: the actions; rows: ACTORS in order. The provider checked is pending verification
# (a verified one is public: see test_everyone_may_view_a_verified_provider), and "user" is
# someone else's account.
ACTIONS = [
    "view_provider",
    "edit_provider",
    "verify_provider",
    "view_user",
    "edit_user",
    "create_user",
    "manage_roles",
    "view_audit",
]
T, F = True, False
EXPECTED = {
    #                            view_p edit_p verify view_u edit_u create roles  audit
    "anonymous":                  (F,    F,     F,     F,     F,     F,     F,     F),
    "citizen":                    (F,    F,     F,     F,     F,     F,     F,     F),
    "provider":                   (T,    T,     F,     F,     F,     F,     F,     F),
    "other_provider":             (F,    F,     F,     F,     F,     F,     F,     F),
    "agent":                      (F,    F,     F,     T,     F,     T,     F,     F),
    "district_officer":           (T,    F,     T,     F,     F,     F,     F,     F),
    "district_officer_elsewhere": (F,    F,     F,     F,     F,     F,     F,     F),
    "department_officer":         (F,    F,     F,     F,     F,     F,     F,     F),
    "administrator":              (T,    T,     T,     T,     T,     T,     T,     T),
    "auditor":                    (T,    F,     F,     T,     F,     F,     F,     T),
    "administrator_and_auditor":  (T,    F,     F,     T,     F,     F,     F,     T),
    "superuser":                  (T,    T,     T,     T,     T,     T,     T,     T),
    "inactive_administrator":     (F,    F,     F,     F,     F,     F,     F,     F),
}  # fmt: skip


@pytest.fixture
def world():
    district = DistrictFactory(code="TESTDIST")
    elsewhere = DistrictFactory(code="OTHERDIST")
    actors = {
        "anonymous": AnonymousUser(),
        "citizen": user_with_roles(Role.CITIZEN),
        "provider": user_with_roles(Role.PROVIDER),
        "other_provider": user_with_roles(Role.PROVIDER),
        "agent": user_with_roles(Role.AGENT),
        "district_officer": user_with_roles(Role.DISTRICT_OFFICER, district=district),
        "district_officer_elsewhere": user_with_roles(Role.DISTRICT_OFFICER, district=elsewhere),
        "department_officer": user_with_roles(Role.DEPARTMENT_OFFICER),
        "administrator": user_with_roles(Role.ADMINISTRATOR),
        "auditor": user_with_roles(Role.AUDITOR),
        "administrator_and_auditor": user_with_roles(Role.ADMINISTRATOR, Role.AUDITOR),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "inactive_administrator": user_with_roles(Role.ADMINISTRATOR, is_active=False),
    }
    provider = _provider(actors["provider"], district)
    _provider(actors["other_provider"], elsewhere)
    return {"actors": actors, "provider": provider, "user": user_with_roles(Role.CITIZEN)}


def _provider(user, district, status=VerificationStatus.PENDING) -> Provider:
    return Provider.objects.create(
        user=user,
        name_hi="सुनीता देवी",
        name_latin="Sunita Devi",
        district=district,
        home_lat=26.85,
        home_lng=80.95,
        verification_status=status,
    )


def _check(action: str, actor, world) -> bool:
    provider, other = world["provider"], world["user"]
    checks = {
        "view_provider": lambda: permissions.can_view_provider(actor, provider),
        "edit_provider": lambda: permissions.can_edit_provider(actor, provider),
        "verify_provider": lambda: permissions.can_verify_provider(actor, provider),
        "view_user": lambda: permissions.can_view_user(actor, other),
        "edit_user": lambda: permissions.can_edit_user(actor, other),
        "create_user": lambda: permissions.can_create_user(actor),
        "manage_roles": lambda: permissions.can_manage_roles(actor),
        "view_audit": lambda: permissions.can_view_audit(actor),
    }
    return checks[action]()


@pytest.mark.parametrize(
    ("actor", "action", "allowed"),
    [
        (actor, action, EXPECTED[actor][column])
        for actor in ACTORS
        for column, action in enumerate(ACTIONS)
    ],
)
def test_policy(world, actor, action, allowed):
    assert _check(action, world["actors"][actor], world) is allowed


def test_expected_table_covers_every_actor():
    assert sorted(EXPECTED) == sorted(ACTORS)


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_may_view_a_verified_provider(world, actor):
    provider = world["provider"]
    provider.verification_status = VerificationStatus.VERIFIED

    assert permissions.can_view_provider(world["actors"][actor], provider) is True


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("citizen", True),
        ("agent", True),
        ("district_officer", True),
        ("department_officer", True),
        ("administrator", True),
        ("auditor", True),
        ("inactive_administrator", False),
    ],
)
def test_everyone_active_may_view_themselves(world, actor, allowed):
    user = world["actors"][actor]

    assert permissions.can_view_user(user, user) is allowed


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("citizen", True),
        ("provider", True),
        ("agent", True),
        ("district_officer", True),
        ("administrator", True),
        ("auditor", False),  # read-only, even about themselves
        ("inactive_administrator", False),
    ],
)
def test_who_may_edit_their_own_account(world, actor, allowed):
    user = world["actors"][actor]

    assert permissions.can_edit_user(user, user) is allowed


def test_nobody_verifies_their_own_provider_profile(world):
    district = world["provider"].district
    officer = user_with_roles(Role.DISTRICT_OFFICER, Role.PROVIDER, district=district)
    own = _provider(officer, district)

    assert permissions.can_verify_provider(officer, own) is False
    assert permissions.can_verify_provider(officer, world["provider"]) is True


def test_a_district_officer_for_two_districts_verifies_in_both(world):
    officer = world["actors"]["district_officer_elsewhere"]
    RoleGrant.objects.create(
        user=officer, role=Role.DISTRICT_OFFICER, district=world["provider"].district
    )
    fresh = type(officer).objects.get(pk=officer.pk)

    assert permissions.can_verify_provider(fresh, world["provider"]) is True


def test_require_raises_permission_denied_unless_allowed():
    permissions.require(True)

    with pytest.raises(NotPermitted) as info:
        permissions.require(False)

    assert (info.value.code, info.value.status) == ("permission_denied", 403)
