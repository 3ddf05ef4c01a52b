"""Test data for accounts. Phones are unique, valid and distinct from other apps' factories."""

import factory

from sevamitra.accounts.models import STAFF_ROLES, Role, RoleGrant, User
from sevamitra.geo.models import District


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    phone = factory.Sequence(lambda n: f"{8100000000 + n}")
    name = factory.Sequence(lambda n: f"Test User {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = "TESTDIST"
    name_en = factory.LazyAttribute(lambda o: o.code.title())
    name_hi = "परीक्षण ज़िला"


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A grant written directly (fixtures); code under test grants roles with role_grant."""

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.CITIZEN
    district = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.DISTRICT_OFFICER),
        yes_declaration=factory.SubFactory(DistrictFactory),
        no_declaration=None,
    )


def user_with_roles(*roles: str, district: District | None = None, **user_fields) -> User:
    """A user holding `roles`; district officers (and agents, if given one) in `district`."""
    user = UserFactory(**user_fields)
    for role in roles:
        scoped = role == Role.DISTRICT_OFFICER or (role == Role.AGENT and district is not None)
        RoleGrantFactory(
            user=user, role=role, district=(district or DistrictFactory()) if scoped else None
        )
    if STAFF_ROLES.intersection(roles):
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    return user
