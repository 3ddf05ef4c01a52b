"""Audit completeness of privacy (audit/tests/test_completeness.py): erasure writes its audit
entry; the other public functions of privacy.services only read."""

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.privacy import services

TABLE = CaseTable(
    modules=["sevamitra.privacy.services"],
    cases={
        "person_erase": Case(
            "person.erased",
            lambda user: services.person_erase(user=user, acting_user=user),
            UserFactory,
        ),
    },
    exempt={
        "erased_phone": "computes the login key of an erased account; writes nothing",
        "is_erased": "reads only (whether an account was erased)",
        "live_bookings": "reads only (the bookings that stop an erasure)",
        "grievances_in_progress": "reads only (whether open grievances stop an erasure)",
    },
)
