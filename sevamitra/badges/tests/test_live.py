"""The live verdict, issuing badges and uniforms (services and selectors)."""

import datetime as dt

import pytest
from django.utils import timezone

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.badges import selectors, services, tokens
from sevamitra.badges.errors import NotVerified
from sevamitra.badges.models import Badge, UniformIssue
from sevamitra.badges.selectors import Verdict
from sevamitra.badges.tests.factories import backdate, issued_badge
from sevamitra.core.errors import DomainError
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district

pytestmark = pytest.mark.django_db


def test_a_fresh_badge_is_valid_for_the_configured_days(settings):
    settings.BADGE_VALID_DAYS = 365
    badge = issued_badge()
    today = timezone.localdate()
    assert badge.issued_on == today
    assert badge.valid_until == today + dt.timedelta(days=364)
    assert badge.number == f"SM-{badge.pk:07d}"
    check = selectors.badge_check(badge.token)
    assert check.verdict == Verdict.VALID
    assert check.badge == badge


def test_expiry_is_read_live():
    badge = issued_badge()
    backdate(badge, issued_days_ago=400, valid_days=400)  # valid until today
    assert selectors.badge_check(badge.token).verdict == Verdict.VALID
    backdate(badge, issued_days_ago=400, valid_days=399)  # until yesterday
    assert selectors.badge_check(badge.token).verdict == Verdict.EXPIRED


def test_suspension_changes_the_verdict_at_once_and_reinstatement_restores_it():
    badge = issued_badge()
    token = badge.token
    Provider.objects.filter(pk=badge.provider_id).update(
        verification_status=VerificationStatus.SUSPENDED
    )
    assert selectors.badge_check(token).verdict == Verdict.SUSPENDED
    Provider.objects.filter(pk=badge.provider_id).update(
        verification_status=VerificationStatus.VERIFIED
    )
    assert selectors.badge_check(token).verdict == Verdict.VALID


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (VerificationStatus.PENDING, Verdict.EXPIRED),  # re-verification lapsed
        (VerificationStatus.CHANGES_REQUESTED, Verdict.EXPIRED),
        (VerificationStatus.REJECTED, Verdict.NOT_VALID),
        (VerificationStatus.SUSPENDED, Verdict.SUSPENDED),
    ],
)
def test_a_provider_no_longer_verified_has_a_card_that_says_why(status, verdict):
    badge = issued_badge()
    Provider.objects.filter(pk=badge.provider_id).update(verification_status=status)
    assert selectors.badge_check(badge.token).verdict == verdict


def test_a_replaced_card_is_not_valid_but_the_new_one_is():
    old = issued_badge()
    new = issued_badge(old.provider)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert selectors.badge_check(old.token).verdict == Verdict.NOT_VALID
    assert selectors.badge_check(new.token).verdict == Verdict.VALID
    assert selectors.badge_current(old.provider) == new


def test_genuine_signature_for_a_badge_not_in_the_database_is_not_valid():
    badge = issued_badge()
    claims = badge.claims
    for changed in (
        {"badge_number": badge.pk + 1},
        {"provider_id": badge.provider_id + 1},
        {"valid_until": badge.valid_until + dt.timedelta(days=1)},
    ):
        forged = tokens.sign(tokens.BadgeClaims(**{**claims.__dict__, **changed}))
        assert selectors.badge_check(forged).verdict == Verdict.NOT_VALID


def test_only_the_district_officer_or_an_administrator_issues_a_badge():
    provider = ProviderFactory()
    for user in (
        provider.user,
        user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR_NAGAR")),
        user_with_roles(Role.AUDITOR),
        user_with_roles(Role.AGENT),
    ):
        with pytest.raises(DomainError):
            services.badge_issue(provider=provider, acting_user=user)
    assert Badge.objects.count() == 0
    admin = user_with_roles(Role.ADMINISTRATOR)
    assert services.badge_issue(provider=provider, acting_user=admin).issued_by == admin


def test_a_badge_is_issued_only_to_a_verified_provider():
    provider = ProviderFactory(verification_status=VerificationStatus.PENDING)
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    with pytest.raises(NotVerified):
        services.badge_issue(provider=provider, acting_user=officer)
    assert Badge.objects.count() == 0


def test_uniform_issue_by_the_district_officer():
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    issue = services.uniform_issue(
        provider=provider, tshirt_size="L", cap_size="free", acting_user=officer
    )
    assert (issue.tshirt_size, issue.cap_size, issue.issued_by, issue.issued_on) == (
        "L",
        "free",
        officer,
        timezone.localdate(),
    )
    assert list(selectors.uniforms_for_provider(provider)) == [issue]


def test_uniform_issue_refusals_change_nothing():
    provider = ProviderFactory()
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    elsewhere = user_with_roles(Role.DISTRICT_OFFICER, district=district("AGRA"))
    with pytest.raises(DomainError):
        services.uniform_issue(
            provider=provider, tshirt_size="L", cap_size="M", acting_user=elsewhere
        )
    with pytest.raises(DomainError):
        services.uniform_issue(
            provider=provider, tshirt_size="L", cap_size="M", acting_user=provider.user
        )
    with pytest.raises(InvalidInput) as bad:
        services.uniform_issue(
            provider=provider, tshirt_size="XXXXL", cap_size="M", acting_user=officer
        )
    assert bad.value.field == "tshirt_size"
    with pytest.raises(InvalidInput) as bad:
        services.uniform_issue(
            provider=provider, tshirt_size="M", cap_size="huge", acting_user=officer
        )
    assert bad.value.field == "cap_size"
    with pytest.raises(InvalidInput) as bad:
        services.uniform_issue(
            provider=provider,
            tshirt_size="M",
            cap_size="M",
            issued_on=timezone.localdate() + dt.timedelta(days=1),
            acting_user=officer,
        )
    assert bad.value.field == "issued_on"
    assert UniformIssue.objects.count() == 0
