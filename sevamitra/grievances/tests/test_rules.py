"""The rules' numbers: administrators change them in the back office; every change audited."""

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.core.errors import DomainError
from sevamitra.grievances.models import SETTING_FIELDS, GrievanceSettings
from sevamitra.grievances.services.rules import grievance_settings_update
from sevamitra.grievances.tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("admin:grievances_grievancesettings_change", args=[1])


def form_data(**changes):
    row = GrievanceSettings.objects.get(pk=1)
    data = {name: getattr(row, name) for name in SETTING_FIELDS}
    data.update(changes)
    return data


def test_the_defaults_of_the_issue():
    row = GrievanceSettings.objects.get(pk=1)
    assert [
        row.deadline_days(t) for t in ("safety", "behaviour", "no_show", "overcharge", "quality")
    ] == [2, 5, 7, 7, 10]
    assert (row.appeal_window_days, row.appeal_decision_days) == (15, 30)
    assert (row.filing_window_days, row.warning_memory_days) == (30, 365)


def test_an_administrator_changes_a_deadline_audited():
    admin = f.administrator()
    grievance_settings_update(changes={"quality_days": 12, "safety_days": 2}, acting_user=admin)
    row = GrievanceSettings.objects.get(pk=1)
    assert (row.quality_days, row.updated_by) == (12, admin)
    entry = AuditEntry.objects.get(action="grievance_settings.updated")
    assert (entry.before, entry.after) == ({"quality_days": 10}, {"quality_days": 12})


def test_no_change_no_entry():
    grievance_settings_update(changes={"quality_days": 10}, acting_user=f.administrator())
    assert not AuditEntry.objects.filter(action="grievance_settings.updated").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [("quality_days", 0), ("safety_days", 31), ("quality_days", "7"), ("quality_days", True),
     ("unknown_days", 3)],
)  # fmt: skip
def test_out_of_range_values_are_refused(name, value):
    with pytest.raises(DomainError) as error:
        grievance_settings_update(changes={name: value}, acting_user=f.administrator())
    assert error.value.field == name
    assert GrievanceSettings.objects.get(pk=1).quality_days == 10


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.AUDITOR, Role.CITIZEN])
def test_only_administrators(role):
    with pytest.raises(DomainError) as error:
        grievance_settings_update(changes={"quality_days": 3}, acting_user=user_with_roles(role))
    assert error.value.code == "permission_denied"
    assert GrievanceSettings.objects.get(pk=1).quality_days == 10


def test_the_back_office_page_saves_through_the_service(client):
    admin = f.administrator()
    client.force_login(admin)
    response = client.post(URL, form_data(behaviour_days=4))
    assert response.status_code == 302
    assert GrievanceSettings.objects.get(pk=1).behaviour_days == 4
    assert AuditEntry.objects.get(action="grievance_settings.updated").actor_id == admin.pk


def test_the_back_office_page_shows_a_bad_value_as_a_form_error(client):
    client.force_login(f.administrator())
    response = client.post(URL, form_data(safety_days=90))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["safety_days"]
    assert GrievanceSettings.objects.get(pk=1).safety_days == 2


def test_officers_read_the_rules_but_do_not_change_them(client):
    officer = f.officer_of(f.district_named())
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    assert client.post(URL, form_data(behaviour_days=4)).status_code == 403
    assert GrievanceSettings.objects.get(pk=1).behaviour_days == 5
