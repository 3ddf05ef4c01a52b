"""Factories for government orders: a department with a parent and a child office in Lucknow,
officers holding posts, a rule set, and a draft order for electricians."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.tests.factories import RoleGrantFactory, UserFactory
from sevamitra.procurement.models import (
    CategoryRule,
    Department,
    Office,
    OfficePost,
    Requisition,
    RuleSet,
)
from sevamitra.providers.tests.factories import LUCKNOW, category, district


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept{n}")
    name_en = "Labour Department"
    name_hi = "श्रम विभाग"


class OfficeFactory(factory.django.DjangoModelFactory):
    """An office at Hazratganj, Lucknow (pincode 226001)."""

    class Meta:
        model = Office

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"office{n}")
    name_en = "Office of the Deputy Labour Commissioner"
    name_hi = "उप श्रम आयुक्त कार्यालय"
    district = factory.LazyFunction(district)
    address = "Shram Bhawan, Hazratganj, Lucknow"
    pincode = "226001"
    lat = LUCKNOW[0]
    lng = LUCKNOW[1]
    ddo_code = factory.Sequence(lambda n: f"DDO{n:05d}")
    gstin = ""


def officer(office: Office, post: str, user: User | None = None) -> User:
    """A user holding `post` in `office` (and the department officer role)."""
    user = user or UserFactory()
    if not user.role_grants.filter(role=Role.DEPARTMENT_OFFICER).exists():
        RoleGrantFactory(user=user, role=Role.DEPARTMENT_OFFICER, district=None)
    admin = User.objects.filter(is_superuser=True).first() or UserFactory(is_superuser=True)
    OfficePost.objects.create(user=user, office=office, post=post, granted_by=admin)
    return user


def rule_set(**fields) -> RuleSet:  # type: ignore[no-untyped-def]
    """A rule set in effect since a year ago: approval above ₹0, second above ₹50,000."""
    admin = User.objects.filter(is_superuser=True).first() or UserFactory(is_superuser=True)
    today = timezone.localdate()
    values = {
        "version": (
            RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0
        )
        + 1,
        "go_reference": "G.O. 123/36-1-2026",
        "go_date": today - dt.timedelta(days=400),
        "effective_from": today - dt.timedelta(days=365),
        "approval_threshold": Decimal("0"),
        "second_approval_threshold": Decimal("50000"),
        "created_by": admin,
    }
    values.update(fields)
    return RuleSet.objects.create(**values)


def ceiling(rules: RuleSet, slug: str, amount: str) -> CategoryRule:
    return CategoryRule.objects.create(
        rule_set=rules, category=category(slug), yearly_ceiling_per_office=Decimal(amount)
    )


def draft(office: Office, maker: User, **fields) -> Requisition:  # type: ignore[no-untyped-def]
    """A draft order for electricians, 10:00–14:00 for three days from next week."""
    start = timezone.localdate() + dt.timedelta(days=7)
    values = {
        "office": office,
        "category": category("electrician"),
        "place_address": office.address,
        "place_pincode": office.pincode,
        "lat": LUCKNOW[0],
        "lng": LUCKNOW[1],
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=2),
        "start_time": dt.time(10, 0),
        "end_time": dt.time(14, 0),
        "workers": 1,
        "purpose": "Wiring repair in the record room",
        "created_by": maker,
    }
    values.update(fields)
    return Requisition.objects.create(**values)
