"""`manage.py worker`: --once drains and exits, --max-jobs limits, signal handlers restored."""

import signal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sevamitra.tasks.models import Job, JobStatus
from sevamitra.tasks.services import job_enqueue

pytestmark = pytest.mark.django_db


def _worker(*args: str) -> str:
    out = StringIO()
    call_command("worker", *args, stdout=out)
    return out.getvalue()


def test_once_runs_the_due_jobs_and_exits(recorder):
    for n in range(3):
        job_enqueue(name="tests.record", payload={"n": n})

    output = _worker("--once")

    assert output.startswith("Worker ")
    assert output.endswith(" stopped after 3 job(s).\n")
    assert recorder.calls == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}


def test_once_with_nothing_to_do_exits_at_once():
    assert _worker("--once", "--sleep", "30").endswith(" stopped after 0 job(s).\n")


def test_max_jobs_limits_the_run(recorder):
    for n in range(3):
        job_enqueue(name="tests.record", payload={"n": n})

    output = _worker("--max-jobs", "2", "--sleep", "0")

    assert output.endswith(" stopped after 2 job(s).\n")
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 1


@pytest.mark.parametrize("args", [["--max-jobs", "0"], ["--sleep", "-1"], ["--sleep", "nan"]])
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError):
        call_command("worker", *args)


def test_the_previous_signal_handlers_are_restored():
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}

    _worker("--once")

    assert {signum: signal.getsignal(signum) for signum in before} == before
