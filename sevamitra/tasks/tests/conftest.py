import pytest

from sevamitra.tasks import registry
from sevamitra.tasks.tests.helpers import Recorder


@pytest.fixture(autouse=True)
def _retry_timing(settings):
    """Known numbers for back-off and leases, whatever the environment says."""
    settings.TASKS_MAX_ATTEMPTS = 8
    settings.TASKS_RETRY_BASE_SECONDS = 10.0
    settings.TASKS_RETRY_MAX_SECONDS = 1000.0
    settings.TASKS_LEASE_SECONDS = 300
    settings.TASKS_POLL_SECONDS = 0.0


@pytest.fixture
def handler():
    """Register a job handler for one test: handler("tests.x", func, max_attempts=…)."""
    names: list[str] = []

    def add(name: str, func, **options):
        registry.register(name, func, **options)
        names.append(name)
        return func

    yield add
    for name in names:
        registry.unregister(name)


@pytest.fixture
def recorder(handler):
    """A recording handler registered as "tests.record"."""
    recording = Recorder()
    handler("tests.record", recording)
    return recording
