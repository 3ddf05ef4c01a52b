"""Back office: a rule set is added (never changed) through the service; posts are granted and
revoked through the services."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.procurement.models import OfficePost, OfficerPost, RuleSet
from sevamitra.providers.tests.factories import category

pytestmark = pytest.mark.django_db


def _rule_set_post(org, **rows):  # type: ignore[no-untyped-def]
    today = timezone.localdate().isoformat()
    data = {
        "go_reference": "G.O. 77/2026",
        "go_date": today,
        "effective_from": today,
        "max_duration_days": "60",
        "approval_threshold": "0",
        "second_approval_threshold": "75000",
        "deemed_acceptance_days": "7",
        "payment_due_days": "10",
        "category_rules-TOTAL_FORMS": "1",
        "category_rules-INITIAL_FORMS": "0",
        "category_rules-MIN_NUM_FORMS": "0",
        "category_rules-MAX_NUM_FORMS": "1000",
        "category_rules-0-category": category("house-cleaning").pk,
        "category_rules-0-allowed": "on",
        "category_rules-0-gem_exception_justification": "",
        "category_rules-0-yearly_ceiling_per_office": "200000",
    }
    data.update(rows)
    return data


def test_admin_adds_a_rule_set_version_through_the_service(client, org):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    url = reverse("admin:procurement_ruleset_add")
    refused = client.post(url, _rule_set_post(org))
    assert refused.status_code == 200  # the GeM exception needs a justification
    assert RuleSet.objects.count() == 1
    response = client.post(
        url,
        _rule_set_post(org, **{"category_rules-0-gem_exception_justification": "No GeM vendor"}),
    )
    assert response.status_code == 302
    newest = RuleSet.objects.get(version=2)
    assert newest.go_reference == "G.O. 77/2026"
    assert newest.category_rules.get().yearly_ceiling_per_office == 200000
    assert AuditEntry.objects.filter(action="rule_set.created", object_id=str(newest.pk)).exists()
    change = client.get(reverse("admin:procurement_ruleset_change", args=[newest.pk]))
    assert b'name="go_reference"' not in change.content  # read-only: append-only versions


def test_admin_grants_and_revokes_a_post(client, org):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    officer = UserFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:procurement_officepost_add"),
        {"user": officer.pk, "office": org.child.pk, "post": OfficerPost.FINANCE, "active": "on"},
    )
    assert response.status_code == 302
    holding = OfficePost.objects.get(user=officer)
    assert officer.role_grants.filter(role=Role.DEPARTMENT_OFFICER).exists()
    assert AuditEntry.objects.filter(action="office_post.granted").exists()
    client.post(reverse("admin:procurement_officepost_change", args=[holding.pk]), {})
    holding.refresh_from_db()
    assert holding.active is False
    assert AuditEntry.objects.filter(action="office_post.revoked").exists()


def test_seed_gov_is_idempotent(db):
    from django.core.management import call_command

    from sevamitra.accounts.models import User
    from sevamitra.procurement.models import Office

    admin_user = UserFactory(phone="9999000001", is_superuser=True)
    assert admin_user.pk
    call_command("seed_gov")
    call_command("seed_gov")
    assert Office.objects.get(code="lko-district").parent.code == "lko-region"
    assert sorted(OfficePost.objects.values_list("user__phone", "post")) == [
        ("9999000020", "indenting"),
        ("9999000021", "approving"),
        ("9999000022", "finance"),
    ]
    assert User.objects.filter(phone__startswith="999900002").count() == 3
    assert RuleSet.objects.count() == 1


def test_every_category_has_a_sac_code_and_gst_rate(db):
    from sevamitra.catalog.models import Category

    codes = dict(Category.objects.values_list("slug", "sac_code"))
    assert len(codes) == 17
    assert all(len(code) == 6 and code.startswith("99") for code in codes.values())
    assert codes["electrician"] == "995461"
    assert codes["pest-control"] == "998531"
    assert set(Category.objects.values_list("gst_rate_percent", flat=True)) == {18}
