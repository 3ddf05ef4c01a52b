"""Caching: a second read asks the database nothing, computed_at stays until a refresh; the
refresh command and the periodic job."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from sevamitra.figures import selectors, tasks
from sevamitra.figures.selectors import FigureFilter
from sevamitra.figures.tests.fixtures import NOW, build_world
from sevamitra.tasks import registry

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PERIOD = {"first_month": dt.date(2025, 4, 1), "last_month": dt.date(2026, 3, 1)}


@pytest.fixture(autouse=True)
def _memory_cache(settings):
    settings.CACHES = LOCMEM
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    now = {"at": NOW}
    monkeypatch.setattr(selectors, "current_time", lambda: now["at"])
    return now


def test_second_read_asks_the_database_nothing(django_assert_num_queries, clock):
    build_world()
    flt = FigureFilter(**PERIOD)
    first = selectors.figures_get(flt)
    with django_assert_num_queries(0):
        again = selectors.figures_get(flt)
    assert again == first
    assert again.total.cells["registered"].value == 7


def test_computed_at_is_stable_until_a_refresh(clock, settings):
    build_world()
    flt = FigureFilter(**PERIOD)
    assert selectors.figures_get(flt).computed_at == NOW
    clock["at"] = NOW + dt.timedelta(minutes=5)
    assert selectors.figures_get(flt).computed_at == NOW
    refreshed = selectors.figures_refresh(flt)
    assert refreshed.computed_at == NOW + dt.timedelta(minutes=5)
    assert selectors.figures_get(flt).computed_at == NOW + dt.timedelta(minutes=5)


def test_cache_lifetime_from_settings(clock, settings, monkeypatch):
    seen = []

    class Recorder:
        def get(self, key):
            return None

        def set(self, key, value, timeout):
            seen.append((key, timeout))

    monkeypatch.setattr(selectors, "cache", Recorder())
    flt = FigureFilter(**PERIOD)
    selectors.figures_refresh(flt)
    settings.FIGURES_CACHE_SECONDS = 60
    selectors.figures_refresh(flt)
    assert [t for k, t in seen if k == flt.cache_key()] == [900, 60]


def test_filters_are_cached_apart(clock):
    build_world()
    everyone = selectors.figures_get(FigureFilter(**PERIOD))
    agra = selectors.figures_get(FigureFilter(**PERIOD, district="AGRA"))
    assert (everyone.total.cells["registered"].value, agra.total.cells["registered"].shown) == (
        7,
        False,
    )
    assert cache.get(FigureFilter(**PERIOD, district="AGRA").cache_key()) == agra


def test_refresh_command(clock):
    build_world()
    out = StringIO()
    call_command("figures_refresh", stdout=out)
    assert out.getvalue().startswith("1 filter(s) computed in ")
    cached = cache.get(selectors.default_filter().cache_key())
    assert cached.computed_at == NOW
    assert cached.flt == FigureFilter(**PERIOD)


def test_refresh_command_single(clock, monkeypatch):
    refreshed = []

    def refresh(flt):
        refreshed.append(flt)
        return selectors.Figures(flt, NOW, None, {}, None)

    monkeypatch.setattr(selectors, "figures_refresh", refresh)
    out = StringIO()
    call_command("figures_refresh", "--single", stdout=out)
    # The default view, then each of the 75 districts, every service, the 4 genders.
    services = len(selectors.labels_compute().categories)
    assert out.getvalue().startswith(f"{1 + 75 + services + 4} filter(s) computed in ")
    assert refreshed[0] == FigureFilter(**PERIOD)
    assert refreshed[1] == FigureFilter(**PERIOD, district="AGRA")
    assert refreshed[-1] == FigureFilter(**PERIOD, gender="undisclosed")
    assert {(f.first_month, f.last_month) for f in refreshed} == {tuple(PERIOD.values())}


def test_periodic_job(clock):
    assert registry.periodic_jobs()["figures.refresh"] == dt.timedelta(minutes=10)
    assert registry.get("figures.refresh").func is tasks.refresh
    build_world()
    tasks.refresh()
    assert cache.get(selectors.default_filter().cache_key()).computed_at == NOW
