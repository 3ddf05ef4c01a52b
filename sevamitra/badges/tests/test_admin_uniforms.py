"""Back office: officers issue badges and record uniforms; the provider's read-only include."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.badges import selectors, services
from sevamitra.badges.models import Badge, UniformIssue
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district

pytestmark = pytest.mark.django_db


def test_the_district_officer_issues_a_badge_from_the_back_office(client):
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    client.force_login(officer)
    response = client.post(reverse("admin:badges_badge_add"), {"provider": provider.pk})
    assert response.status_code == 302
    badge = Badge.objects.get()
    assert (badge.provider, badge.issued_by) == (provider, officer)
    assert client.get(reverse("admin:badges_badge_changelist")).status_code == 200


def test_the_back_office_refuses_a_badge_for_a_pending_or_foreign_provider(client):
    pending = ProviderFactory(verification_status=VerificationStatus.PENDING)
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=pending.district)
    client.force_login(officer)
    response = client.post(reverse("admin:badges_badge_add"), {"provider": pending.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["provider"]
    elsewhere = ProviderFactory(district=district("AGRA"))
    response = client.post(reverse("admin:badges_badge_add"), {"provider": elsewhere.pk})
    assert response.context["adminform"].form.errors["provider"]
    assert Badge.objects.count() == 0


def test_the_district_officer_records_a_uniform_from_the_back_office(client):
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    client.force_login(officer)
    url = reverse("admin:badges_uniformissue_add")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {"provider": provider.pk, "tshirt_size": "XL", "cap_size": "M"}
    response = client.post(url, {**data, "issued_on": tomorrow.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    assert UniformIssue.objects.count() == 0
    today = timezone.localdate()
    response = client.post(url, {**data, "issued_on": today.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    issue = UniformIssue.objects.get()
    assert (issue.tshirt_size, issue.cap_size, issue.issued_by, issue.issued_on) == (
        "XL",
        "M",
        officer,
        today,
    )


def test_an_auditor_reads_but_cannot_add(client):
    client.force_login(user_with_roles(Role.AUDITOR))
    assert client.get(reverse("admin:badges_uniformissue_changelist")).status_code == 200
    assert client.get(reverse("admin:badges_uniformissue_add")).status_code == 403


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_provider_sees_the_uniforms_received(language):
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district, name="R. Verma")
    with translation.override(language):
        empty = render_to_string(
            "badges/_uniforms.html", {"uniforms": selectors.uniforms_for_provider(provider)}
        )
        assert {
            "hi": "आपको अभी तक वर्दी नहीं दी गई है।",
            "en": "No uniform has been issued to you yet.",
        }[language] in empty
        services.uniform_issue(
            provider=provider,
            tshirt_size="XXL",
            cap_size="free",
            issued_on=dt.date(2026, 11, 2),
            acting_user=officer,
        )
        html = render_to_string(
            "badges/_uniforms.html", {"uniforms": selectors.uniforms_for_provider(provider)}
        )
    assert "02/11/2026" in html
    assert "XXL" in html
    assert {"hi": "फ्री साइज़", "en": "Free size"}[language] in html
    assert "R. Verma" in html
