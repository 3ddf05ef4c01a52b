"""job_retry and the back office: a read-only list; administrators retry failed jobs."""

import pytest
from django.utils import timezone

from sevamitra.accounts.errors import NotPermitted
from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.core.errors import DomainError
from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.services import job_enqueue, job_retry

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/tasks/job/"


@pytest.fixture
def failed_job(recorder):
    job = job_enqueue(name="tests.record", payload={"n": 1}, max_attempts=2)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, attempts=2, finished_at=timezone.now(), last_error="Boom: x"
    )
    job.refresh_from_db()
    return job


def test_an_administrator_queues_a_failed_job_again(failed_job):
    admin = user_with_roles(Role.ADMINISTRATOR)
    before = timezone.now()

    job_retry(job=failed_job, acting_user=admin)

    failed_job.refresh_from_db()
    assert failed_job.status == JobStatus.QUEUED
    assert failed_job.attempts == 0
    assert failed_job.finished_at is None
    assert before <= failed_job.run_after <= timezone.now()
    assert failed_job.last_error == "Boom: x"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DISTRICT_OFFICER, Role.CITIZEN])
def test_others_may_not_retry_and_nothing_changes(failed_job, role):
    with pytest.raises(NotPermitted):
        job_retry(job=failed_job, acting_user=user_with_roles(role))

    failed_job.refresh_from_db()
    assert (failed_job.status, failed_job.attempts) == (JobStatus.FAILED, 2)


@pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.DONE])
def test_only_failed_jobs_are_retried(recorder, status):
    job = job_enqueue(name="tests.record", payload={})
    Job.objects.filter(pk=job.pk).update(status=status)

    with pytest.raises(DomainError) as refused:
        job_retry(job=job, acting_user=user_with_roles(Role.ADMINISTRATOR))

    assert refused.value.code == "illegal_transition"
    job.refresh_from_db()
    assert job.status == status


def test_the_list_filters_by_status(client, failed_job, recorder):
    done = job_enqueue(name="tests.record", payload={"n": 2})
    Job.objects.filter(pk=done.pk).update(status=JobStatus.DONE)
    client.force_login(user_with_roles(Role.AUDITOR))

    everything = client.get(CHANGELIST)
    failed = client.get(CHANGELIST, {"status__exact": "failed"})
    detail = client.get(f"{CHANGELIST}{failed_job.pk}/change/")

    assert everything.status_code == 200
    assert sorted(everything.context["cl"].result_list.values_list("pk", flat=True)) == sorted(
        [failed_job.pk, done.pk]
    )
    assert list(failed.context["cl"].result_list.values_list("pk", flat=True)) == [failed_job.pk]
    assert detail.status_code == 200
    assert "Boom: x" in detail.content.decode()


def test_the_retry_action_goes_through_the_service(client, failed_job):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))

    response = client.post(
        CHANGELIST, {"action": "retry_now", "_selected_action": [failed_job.pk]}, follow=True
    )

    assert response.status_code == 200
    failed_job.refresh_from_db()
    assert (failed_job.status, failed_job.attempts) == (JobStatus.QUEUED, 0)


def test_an_auditor_has_no_retry_action(client, failed_job):
    client.force_login(user_with_roles(Role.AUDITOR))

    page = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [failed_job.pk]})

    assert "retry_now" not in page.content.decode()
    failed_job.refresh_from_db()
    assert failed_job.status == JobStatus.FAILED


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.AGENT])
def test_other_staff_do_not_see_jobs(client, role):
    client.force_login(user_with_roles(role, is_staff=True))

    assert client.get(CHANGELIST).status_code == 403


def test_nobody_adds_changes_or_deletes_jobs_in_the_back_office(client, failed_job):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))

    add = client.get(f"{CHANGELIST}add/")
    delete = client.post(f"{CHANGELIST}{failed_job.pk}/delete/", {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert Job.objects.filter(pk=failed_job.pk).exists()
