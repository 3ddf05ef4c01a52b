from dataclasses import dataclass

import pytest

from sevamitra.accounts.models import User
from sevamitra.procurement.models import Office, OfficerPost, RuleSet
from sevamitra.procurement.tests.factories import OfficeFactory, officer, rule_set
from sevamitra.providers.models import Provider
from sevamitra.providers.tests.factories import ProviderFactory


@dataclass
class Org:
    parent: Office
    child: Office
    other: Office
    maker: User  # indenting officer of the child office
    approver: User  # approving officer of the parent office
    approver2: User  # a second approving officer of the parent office
    stranger: User  # approving officer of an unrelated office
    finance: User  # finance officer of the child office
    rules: RuleSet
    providers: list[Provider]


@pytest.fixture
def org(db) -> Org:
    parent = OfficeFactory(code="lko-region")
    child = OfficeFactory(code="lko-district", department=parent.department, parent=parent)
    other = OfficeFactory(code="kanpur", department=parent.department)
    return Org(
        parent=parent,
        child=child,
        other=other,
        maker=officer(child, OfficerPost.INDENTING),
        approver=officer(parent, OfficerPost.APPROVING),
        approver2=officer(parent, OfficerPost.APPROVING),
        stranger=officer(other, OfficerPost.APPROVING),
        finance=officer(child, OfficerPost.FINANCE),
        rules=rule_set(),
        providers=[
            ProviderFactory(offers=[("electrician", "400", "0")]),
            ProviderFactory(offers=[("electrician", "500", "50")]),
            ProviderFactory(offers=[("electrician", "450", "0")]),
        ],
    )


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (the pages' tests check the Hindi)."""
    from django.utils import translation

    with translation.override("en"):
        yield
