"""The consent rules of sharing one's work history with the exchange: no consent, no share; not
a Sevamitra or not linked, refused; withdrawn, nothing more is sent; unlinking and erasure
withdraw too. Delivery runs through the durable queue against the loopback exchange."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.models import AuditEntry
from sevamitra.employment import selectors, services
from sevamitra.employment.errors import EmploymentError
from sevamitra.employment.models import EmploymentLink, WorkHistoryShare
from sevamitra.employment.tests.conftest import NUMBER, SEWAYOJAN, run_jobs
from sevamitra.privacy.selectors import person_data
from sevamitra.privacy.services import person_erase
from sevamitra.tasks.models import Job, JobStatus

pytestmark = pytest.mark.django_db

PATH = f"/api/jobseekers/{NUMBER}/work-history"


def share(user, *, consent=True, acting_user=None):
    return services.work_history_share(
        user=user, portal=SEWAYOJAN, consent=consent, acting_user=acting_user or user
    )


def refusal(user, **kwargs) -> tuple[str, str]:
    with override("en"), pytest.raises(EmploymentError) as raised:
        share(user, **kwargs)
    return raised.value.code, str(raised.value.message)


def nothing_shared():
    assert WorkHistoryShare.objects.count() == 0
    assert Job.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="work_history.").exists()


def test_no_share_without_consent(link, sevamitra):
    assert refusal(link.user, consent=False) == (
        "no_consent",
        "Tick the box to agree to share your work history.",
    )
    nothing_shared()


def test_a_person_who_is_not_a_sevamitra_is_refused(link):
    assert refusal(link.user) == (
        "not_a_sevamitra",
        "Only a Sevamitra has a work history to share. Become a Sevamitra first.",
    )
    nothing_shared()


def test_a_sevamitra_without_a_link_is_refused(exchange, sevamitra):
    assert refusal(sevamitra.user) == (
        "not_linked",
        "Link your employment-exchange registration first.",
    )
    nothing_shared()


def test_only_the_person_consents(link, sevamitra):
    with pytest.raises(NotPermitted):
        share(link.user, acting_user=UserFactory())
    nothing_shared()


def test_sharing_signs_the_record_and_the_queue_delivers_it(link, sevamitra, exchange):
    made = share(link.user)
    assert (made.link, made.withdrawn_at, made.sent_at) == (link, None, None)
    claims = selectors.record_claims(made.record)
    assert claims["registration_number"] == NUMBER
    assert claims["sub"] == str(link.user.pk)
    assert Job.objects.get().payload == {"share_id": made.pk}
    entry = AuditEntry.objects.get(action="work_history.shared")
    assert (entry.object_id, entry.after) == (
        str(made.pk),
        {"portal": "sewayojan", "link": link.pk},
    )
    assert exchange.sent("POST") == []  # nothing leaves before the worker runs

    assert run_jobs() == 1
    assert exchange.records == {NUMBER: made.record}
    made.refresh_from_db()
    assert made.sent_at is not None and made.last_error == ""


def test_sharing_again_changes_nothing(link, sevamitra):
    first = share(link.user)
    assert share(link.user) == first
    assert WorkHistoryShare.objects.count() == 1
    assert Job.objects.count() == 1
    assert AuditEntry.objects.filter(action="work_history.shared").count() == 1


def test_a_withdrawal_stops_a_send_already_queued(link, sevamitra, exchange):
    made = share(link.user)
    services.work_history_withdraw(share=made, acting_user=link.user)
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    assert run_jobs() == 2  # the send (which sends nothing) and the withdrawal notice
    assert exchange.sent("POST") == []
    assert [r[:2] for r in exchange.sent("DELETE")] == [("DELETE", PATH)]
    made.refresh_from_db()
    assert made.sent_at is None and made.withdrawal_sent_at is not None
    entry = AuditEntry.objects.get(action="work_history.withdrawn")
    assert entry.after == {"withdrawn": True, "portal": "sewayojan"}
    with override("en"), pytest.raises(EmploymentError) as raised:
        services.work_history_withdraw(share=made, acting_user=link.user)
    assert raised.value.code == "already_withdrawn"


def test_after_withdrawal_nothing_more_is_sent(link, sevamitra, exchange):
    made = share(link.user)
    run_jobs()
    services.work_history_withdraw(share=made, acting_user=link.user)
    run_jobs()
    assert exchange.records == {}
    # The weekly refresh passes withdrawn shares by; a stray send job sends nothing.
    later = timezone.now() + dt.timedelta(days=30)
    assert services.work_history_refresh_due(now=later) == 0
    services.work_history_deliver(share_id=made.pk)
    assert len(exchange.sent("POST")) == 1  # the one before the withdrawal
    assert exchange.records == {}


def test_a_new_consent_after_a_withdrawal_is_a_new_share(link, sevamitra):
    first = share(link.user)
    services.work_history_withdraw(share=first, acting_user=link.user)
    second = share(link.user)
    assert second.pk != first.pk
    assert selectors.active_share(link.user) == second


def test_nobody_else_withdraws(link, sevamitra):
    made = share(link.user)
    with pytest.raises(NotPermitted):
        services.work_history_withdraw(share=made, acting_user=UserFactory())
    made.refresh_from_db()
    assert made.withdrawn_at is None


def test_delivery_is_retried_while_the_exchange_is_down(link, sevamitra, exchange):
    made = share(link.user)
    exchange.mode = "error"
    assert run_jobs() == 1
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.run_after > timezone.now()
    made.refresh_from_db()
    assert made.sent_at is None
    assert made.last_error == "the employment exchange is not answering (HTTP 503)"
    exchange.mode = "ok"
    Job.objects.update(run_after=timezone.now())
    assert run_jobs() == 1
    made.refresh_from_db()
    assert (made.last_error, exchange.records) == ("", {NUMBER: made.record})


def test_the_refresh_signs_again_and_resends_stale_records(link, sevamitra, exchange):
    made = share(link.user)
    run_jobs()
    now = timezone.now() + dt.timedelta(days=8)
    assert services.work_history_refresh_due(now=now) == 1
    assert services.work_history_refresh_due(now=now) == 0  # fresh again
    fresh = WorkHistoryShare.objects.get(pk=made.pk)
    assert fresh.record != made.record and fresh.record_issued_at == now
    assert selectors.record_claims(fresh.record)["iat"] == int(now.timestamp())
    entry = AuditEntry.objects.get(action="work_history.refreshed")
    assert (entry.actor_id, entry.object_id) == (None, str(made.pk))
    run_jobs()
    assert exchange.records == {NUMBER: fresh.record}


def test_unlinking_withdraws_the_share(link, sevamitra, exchange):
    made = share(link.user)
    services.employment_unlink(link=link, acting_user=link.user)
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    assert AuditEntry.objects.get(action="employment.unlinked").after == {
        "unlinked": True,
        "share_withdrawn": made.pk,
    }
    run_jobs()
    assert exchange.sent("POST") == []
    assert [r[:2] for r in exchange.sent("DELETE")] == [("DELETE", PATH)]


def test_the_data_download_holds_the_links_and_shares(link, sevamitra):
    made = share(link.user)
    data = person_data(link.user)["employment"]
    assert data == {
        "links": [
            {
                "portal": "sewayojan",
                "registration_number": NUMBER,
                "imported": link.imported,
                "linked_at": link.linked_at.isoformat(),
                "unlinked_at": None,
            }
        ],
        "work_history_shares": [
            {
                "portal": "sewayojan",
                "consented_at": made.consented_at.isoformat(),
                "withdrawn_at": None,
                "record": made.record,
                "sent_at": None,
            }
        ],
    }


def test_erasure_removes_the_links_and_withdraws_the_shares(link, sevamitra, exchange):
    made = share(link.user)
    run_jobs()
    person_erase(user=link.user, acting_user=link.user)
    assert EmploymentLink.objects.count() == 0
    made.refresh_from_db()
    assert (made.withdrawn_at is not None, made.record, made.link) == (True, "", None)
    run_jobs()
    assert exchange.records == {}
    assert person_data(made.user)["employment"]["links"] == []
