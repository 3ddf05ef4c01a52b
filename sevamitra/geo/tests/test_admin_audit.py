"""Districts are reference data: a change in the back office is in the audit trail."""

import pytest
from django.db.models import Max
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.geo.models import District

pytestmark = pytest.mark.django_db


def _mark() -> int:
    return AuditEntry.objects.aggregate(seq=Max("seq"))["seq"] or 0


def _form(district: District, **changes) -> dict:
    data = {
        "code": district.code,
        "name_en": district.name_en,
        "name_hi": district.name_hi,
        "state": district.state,
    }
    return {**data, **changes}


def test_an_administrators_change_of_a_district_is_recorded(client):
    admin = user_with_roles(Role.ADMINISTRATOR)
    client.force_login(admin)
    district = District.objects.get(code="LUCKNOW")
    mark = _mark()

    response = client.post(
        reverse("admin:geo_district_change", args=[district.pk]),
        _form(district, name_en="Lucknow City"),
    )

    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(seq__gt=mark)
    assert (
        entry.action,
        entry.actor_id,
        entry.actor_role,
        entry.object_type,
        entry.object_id,
        entry.before,
        entry.after,
    ) == (
        "district.changed_in_admin",
        admin.pk,
        "administrator",
        "geo.district",
        str(district.pk),
        {"name_en": "Lucknow"},
        {"name_en": "Lucknow City"},
    )


def test_an_auditor_cannot_change_a_district_and_nothing_is_recorded(client):
    client.force_login(user_with_roles(Role.AUDITOR))
    district = District.objects.get(code="LUCKNOW")
    mark = _mark()

    response = client.post(
        reverse("admin:geo_district_change", args=[district.pk]),
        _form(district, name_en="Changed"),
    )

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(seq__gt=mark).exists()
    district.refresh_from_db()
    assert district.name_en == "Lucknow"
