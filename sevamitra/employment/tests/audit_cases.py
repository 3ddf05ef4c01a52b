"""Audit completeness of linked profiles (audit/tests/test_completeness.py): linking (and every
refusal to link), unlinking, sharing, withdrawing and refreshing a work-history record write
their entries. The exchange is the demo file (no network)."""

import datetime as dt

from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.employment import services
from sevamitra.employment.errors import EmploymentError
from sevamitra.employment.models import Portal, WorkHistoryShare
from sevamitra.providers.tests.factories import ProviderFactory

# In the shipped demo file (sevamitra/employment/demo/sewayojan.json).
DEMO_NUMBER, DEMO_MOBILE = "UPLKO2024000151", "9999000051"
PORTAL = Portal.SEWAYOJAN


def _person():  # type: ignore[no-untyped-def]
    return UserFactory(phone=DEMO_MOBILE)


def _linked():  # type: ignore[no-untyped-def]
    person = _person()
    return services.employment_link(
        user=person, portal=PORTAL, registration_number=DEMO_NUMBER, acting_user=person
    )


def _sevamitra_linked():  # type: ignore[no-untyped-def]
    link = _linked()
    ProviderFactory(user=link.user, offers=[("caregiver", "600", "0")])
    return link


def _shared():  # type: ignore[no-untyped-def]
    link = _sevamitra_linked()
    return services.work_history_share(
        user=link.user, portal=PORTAL, consent=True, acting_user=link.user
    )


def _stale_share():  # type: ignore[no-untyped-def]
    share = _shared()
    WorkHistoryShare.objects.filter(pk=share.pk).update(
        record_issued_at=timezone.now() - dt.timedelta(days=30)
    )
    return share


def _refused_preview(person):  # type: ignore[no-untyped-def]
    try:
        services.employment_link_preview(
            user=person, portal=PORTAL, registration_number="UPLKO1999999999", acting_user=person
        )
    except EmploymentError:
        return None
    raise AssertionError("an unknown number was not refused")


TABLE = CaseTable(
    modules=["sevamitra.employment.services"],
    cases={
        "employment_link": Case(
            "employment.linked",
            lambda person: services.employment_link(
                user=person, portal=PORTAL, registration_number=DEMO_NUMBER, acting_user=person
            ),
            _person,
        ),
        "employment_link_preview": Case("employment.link_refused", _refused_preview, _person),
        "employment_unlink": Case(
            "employment.unlinked",
            lambda link: services.employment_unlink(link=link, acting_user=link.user),
            _linked,
        ),
        "work_history_share": Case(
            "work_history.shared",
            lambda link: services.work_history_share(
                user=link.user, portal=PORTAL, consent=True, acting_user=link.user
            ),
            _sevamitra_linked,
        ),
        "work_history_withdraw": Case(
            "work_history.withdrawn",
            lambda share: services.work_history_withdraw(share=share, acting_user=share.user),
            _shared,
        ),
        "work_history_refresh_due": Case(
            "work_history.refreshed",
            lambda share: services.work_history_refresh_due(),
            _stale_share,
        ),
    },
    exempt={
        "work_history_deliver": "a queued job sending an already audited record "
        "(work_history.shared / .refreshed) to the exchange; it records only the delivery "
        "time or the delivery problem (protocol bookkeeping, like the ONDC outbox)",
        "work_history_withdrawal_deliver": "a queued job telling the exchange about an already "
        "audited withdrawal (work_history.withdrawn, employment.unlinked, person.erased); it "
        "records only when that notice was delivered",
        "work_history_delivery_give_up": "the queue's on_failure hook: notes the delivery "
        "problem on the share for the person's page, no change of state",
        "employment_person_erase": "a step of privacy.person_erase, inside its transaction; "
        "its person.erased entry records the erasure",
    },
)
