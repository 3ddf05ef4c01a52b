"""Audit completeness of badges (audit/tests/test_completeness.py): issuing a badge and
recording a uniform write their audit entries."""

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.badges import services
from sevamitra.providers.tests.factories import ProviderFactory


def _provider_and_officer():  # type: ignore[no-untyped-def]
    provider = ProviderFactory(offers=[("electrician", "300", "50")])
    return provider, user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)


TABLE = CaseTable(
    modules=["sevamitra.badges.services"],
    cases={
        "badge_issue": Case(
            "badge.issued",
            lambda given: services.badge_issue(provider=given[0], acting_user=given[1]),
            _provider_and_officer,
        ),
        "uniform_issue": Case(
            "uniform.issued",
            lambda given: services.uniform_issue(
                provider=given[0], tshirt_size="L", cap_size="M", acting_user=given[1]
            ),
            _provider_and_officer,
        ),
    },
)
