"""The back office shows complaints, sanctions and appeals read-only, district by district."""

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.grievances.models import Complaint
from sevamitra.grievances.tests import factories as f

pytestmark = pytest.mark.django_db
LIST = reverse("admin:grievances_complaint_changelist")


def test_administrators_see_every_complaint_read_only(client, complaint):
    client.force_login(f.administrator())
    response = client.get(LIST)
    assert list(response.context["cl"].result_list) == [complaint]
    page = client.get(reverse("admin:grievances_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200
    assert f.TEXT not in page.content.decode()  # the text is read on the officers' pages
    assert client.get(reverse("admin:grievances_complaint_add")).status_code == 403
    response = client.post(reverse("admin:grievances_complaint_delete", args=[complaint.pk]))
    assert response.status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_district_officers_see_their_districts_only(client, complaint, officer):
    elsewhere = f.filed(f.new_booking(f.new_provider(district=f.district_named("AGRA"))))
    client.force_login(officer)
    assert list(client.get(LIST).context["cl"].result_list) == [complaint]
    assert elsewhere.pk != complaint.pk


@pytest.mark.parametrize("name", ["grievances_sanction_changelist", "grievances_appeal_changelist"])
def test_sanctions_and_appeals_are_listed(client, name):
    client.force_login(user_with_roles(Role.AUDITOR))
    assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_citizens_have_no_back_office(client, complaint):
    client.force_login(complaint.customer)
    response = client.get(LIST)
    assert response.status_code == 302
