"""The catalogue's rules are settings: every change made in the back office is in the audit
trail with the values before and after and the administrator who made it."""

import pytest
from django.db.models import Max
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.catalog.models import Category

pytestmark = pytest.mark.django_db


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=mark).order_by("seq"))


def _form(category: Category, **changes) -> dict:
    data = {
        "slug": category.slug,
        "group": category.group,
        "name_en": category.name_en,
        "name_hi": category.name_hi,
        "icon": category.icon,
        "synonyms": category.synonyms,
        "pricing_unit": category.pricing_unit,
        "ondc_category_code": category.ondc_category_code,
        "sort_order": category.sort_order,
    }
    for flag in ("police_verification_required", "gem_available", "is_active"):
        if getattr(category, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


@pytest.fixture
def administrator(client):
    admin = user_with_roles(Role.ADMINISTRATOR)
    client.force_login(admin)
    return admin


def test_a_change_of_pricing_unit_and_police_rule_is_recorded(client, administrator):
    cook = Category.objects.get(slug="cook")
    assert (cook.pricing_unit, cook.police_verification_required) == ("month", True)
    mark = _mark()

    response = client.post(
        reverse("admin:catalog_category_change", args=[cook.pk]),
        _form(cook, pricing_unit="day", police_verification_required=False),
    )

    assert response.status_code == 302
    [entry] = _since(mark)
    assert (
        entry.action,
        entry.actor_id,
        entry.actor_role,
        entry.object_type,
        entry.object_id,
        entry.before,
        entry.after,
    ) == (
        "category.changed_in_admin",
        administrator.pk,
        "administrator",
        "catalog.category",
        str(cook.pk),
        {"pricing_unit": "month", "police_verification_required": True},
        {"pricing_unit": "day", "police_verification_required": False},
    )


def test_saving_without_a_change_records_nothing(client, administrator):
    plumber = Category.objects.get(slug="plumber")
    mark = _mark()

    response = client.post(
        reverse("admin:catalog_category_change", args=[plumber.pk]), _form(plumber)
    )

    assert response.status_code == 302
    assert _since(mark) == []


def test_the_list_edits_and_a_new_category_are_recorded(client, administrator):
    plumber = Category.objects.get(slug="plumber")
    mark = _mark()

    listed = client.post(
        reverse("admin:catalog_category_changelist") + "?q=plumber",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(plumber.pk),
            "form-0-sort_order": "3",
            "form-0-is_active": "on",
            "_save": "Save",
        },
    )
    added = client.post(
        reverse("admin:catalog_category_add"),
        _form(
            Category(
                slug="tailor",
                group="trade",
                name_en="Tailor",
                name_hi="दर्ज़ी",
                pricing_unit="visit",
                sort_order=120,
                is_active=True,
            )
        ),
    )

    assert (listed.status_code, added.status_code) == (302, 302)
    tailor = Category.objects.get(slug="tailor")
    changed, created = _since(mark)
    assert (changed.action, changed.object_id, changed.before, changed.after) == (
        "category.changed_in_admin",
        str(plumber.pk),
        {"sort_order": plumber.sort_order},
        {"sort_order": 3},
    )
    assert (created.action, created.object_id, created.before) == (
        "category.created_in_admin",
        str(tailor.pk),
        None,
    )
    assert created.after == {
        "slug": "tailor",
        "group": "trade",
        "name_en": "Tailor",
        "name_hi": "दर्ज़ी",
        "synonyms": "",
        "pricing_unit": "visit",
        "police_verification_required": False,
        "ondc_category_code": "",
        "gem_available": False,
        "sac_code": "",
        "gst_rate_percent": "18.00",
        "icon": "",
        "sort_order": 120,
        "is_active": True,
    }


def test_a_deleted_category_is_recorded_with_its_values(client, administrator):
    tailor = Category.objects.create(
        slug="tailor", group="trade", name_en="Tailor", name_hi="दर्ज़ी", pricing_unit="visit"
    )
    mark = _mark()

    response = client.post(
        reverse("admin:catalog_category_changelist"),
        {"action": "delete_selected", "_selected_action": [str(tailor.pk)], "post": "yes"},
    )

    assert response.status_code == 302
    [entry] = _since(mark)
    assert (entry.action, entry.object_id, entry.after, entry.before["slug"]) == (
        "category.deleted_in_admin",
        str(tailor.pk),
        None,
        "tailor",
    )
    assert not Category.objects.filter(slug="tailor").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DISTRICT_OFFICER])
def test_other_staff_cannot_change_and_nothing_is_recorded(client, role):
    client.force_login(user_with_roles(role))
    cook = Category.objects.get(slug="cook")
    mark = _mark()

    response = client.post(
        reverse("admin:catalog_category_change", args=[cook.pk]), _form(cook, pricing_unit="day")
    )

    assert response.status_code == 403
    assert _since(mark) == []
    cook.refresh_from_db()
    assert cook.pricing_unit == "month"
