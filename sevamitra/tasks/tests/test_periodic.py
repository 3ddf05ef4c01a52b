"""Periodic jobs: queued once per interval whatever the number of workers, run by the worker."""

import datetime as dt

import pytest

from sevamitra.tasks import registry
from sevamitra.tasks.models import Job
from sevamitra.tasks.services import periodic_enqueue_due
from sevamitra.tasks.worker import Worker

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 28, 10, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def sweep(monkeypatch):
    # Only this sweep is periodic here: the apps' own sweeps are tested in their apps.
    monkeypatch.setattr(registry, "_periodic", {})
    runs = []
    registry.periodic("tests.sweep", every=dt.timedelta(hours=1))(lambda: runs.append(1))
    yield runs
    registry.unregister("tests.sweep")


def _sweeps():
    return Job.objects.filter(name="tests.sweep").count()


def test_queued_once_per_interval(sweep):
    assert [job.name for job in periodic_enqueue_due(now=T0)] == ["tests.sweep"]
    assert periodic_enqueue_due(now=T0 + dt.timedelta(minutes=59)) == []
    assert _sweeps() == 1
    periodic_enqueue_due(now=T0 + dt.timedelta(hours=1))
    assert _sweeps() == 2


def test_the_worker_queues_and_runs_it(settings, sweep):
    settings.TASKS_PERIODIC = True
    Worker(once=True, sleep=0).run()
    Worker(once=True, sleep=0).run()  # a second worker in the same interval: no second run
    assert sweep == [1]


def test_off_in_settings_the_worker_leaves_it(settings, sweep):
    settings.TASKS_PERIODIC = False
    Worker(once=True, sleep=0).run()
    assert sweep == []
    assert _sweeps() == 0


def test_more_often_than_once_a_minute_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        registry.periodic("tests.too_often", every=dt.timedelta(seconds=5))
