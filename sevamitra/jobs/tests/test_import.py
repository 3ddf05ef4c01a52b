"""jobs_import: the demo feed, idempotent re-imports, bad rows skipped by line, closing what
the portal no longer lists, URL imports from a loopback server, the one audit entry."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from sevamitra.audit.models import AuditEntry
from sevamitra.jobs import services
from sevamitra.jobs.models import ImportStatus, JobImport, JobPosting
from sevamitra.jobs.services import FeedUnreadable, ImportAlreadyRunning, jobs_import
from sevamitra.jobs.tests.factories import fair, line, opening, write_feed

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1] / "demo" / "rojgar_sangam.jsonl"
DEMO_ROWS = sum(1 for text in DEMO.read_text(encoding="utf-8").splitlines() if text.strip())


def run(location, **kwargs):
    return jobs_import(source="rojgar_sangam", location=str(location), **kwargs)


def counts(result):
    return result.counts


def test_the_demo_feed_imports_whole():
    result = run(DEMO)
    assert DEMO_ROWS == 46
    assert counts(result) == {
        "created": 46, "updated": 0, "unchanged": 0, "closed": 0, "skipped": 0
    }  # fmt: skip
    assert result.complete and result.errors == []
    assert JobPosting.objects.filter(kind="opening").count() == 41
    assert JobPosting.objects.filter(kind="fair").count() == 5
    assert JobPosting.objects.filter(district__code="LUCKNOW").count() >= 15
    assert JobPosting.objects.values("district").distinct().count() >= 8
    slugs = set(JobPosting.objects.values_list("categories__slug", flat=True))
    assert {"plumber", "electrician", "driver", "cook", "caregiver", "gardener"} <= slugs


def test_a_posting_holds_what_the_feed_said(tmp_path):
    run(write_feed(tmp_path / "f.jsonl", [opening(7, closes_on="2027-01-31"), fair(1)]))
    job = JobPosting.objects.get(external_id="RS-7")
    assert (job.kind, job.title_hi, job.title_en, job.employer) == (
        "opening", "प्लंबर", "Plumber", "Awadh Builders"
    )  # fmt: skip
    assert (job.district.code, job.place, job.skills) == ("LUCKNOW", "Gomti Nagar", ["plumbing"])
    assert (job.salary_min, job.salary_max, job.openings) == (12000, 15000, 2)
    assert job.url == "https://rojgar-sangam.example/jobs/RS-7"
    assert (job.posted_on, job.closes_on, job.starts_on) == (
        dt.date(2026, 11, 1), dt.date(2027, 1, 31), None
    )  # fmt: skip
    assert [c.slug for c in job.categories.all()] == ["plumber"]
    assert (
        " avadh " in job.search_text
    )  # in the catalogue's normal form (w → v) and " plumbing " in job.search_text
    assert job.is_open and job.last_seen_import == JobImport.objects.get()

    the_fair = JobPosting.objects.get(external_id="FAIR-1")
    start = timezone.localdate() + dt.timedelta(days=20)
    assert (the_fair.kind, the_fair.district.code, the_fair.place) == (
        "fair",
        "LUCKNOW",
        "ITI Aliganj",
    )
    assert (the_fair.starts_on, the_fair.closes_on) == (start, start + dt.timedelta(days=1))
    assert the_fair.employers == ["Awadh Builders", "City Cabs"]
    assert the_fair.url == "https://rojgar-sangam.example/fairs/FAIR-1"
    assert {c.slug for c in the_fair.categories.all()} == {"driver", "electrician"}


@pytest.mark.parametrize("district", ["Lucknow", "LUCKNOW", "लखनऊ", " lucknow "])
def test_a_district_is_found_by_code_or_name(tmp_path, district):
    run(write_feed(tmp_path / "f.jsonl", [opening(district=district)]))
    assert JobPosting.objects.get().district.code == "LUCKNOW"


def test_importing_the_same_feed_again_changes_nothing():
    first = run(DEMO)
    before = {p.pk: p.updated_at for p in JobPosting.objects.all()}
    second = run(DEMO)
    assert counts(second) == {
        "created": 0, "updated": 0, "unchanged": 46, "closed": 0, "skipped": 0
    }  # fmt: skip
    assert {p.pk: p.updated_at for p in JobPosting.objects.all()} == before
    assert set(JobPosting.objects.values_list("last_seen_import", flat=True)) == {second.run.pk}
    assert first.run.pk != second.run.pk


def test_a_changed_row_is_updated_and_its_services_follow(tmp_path):
    path = tmp_path / "f.jsonl"
    run(write_feed(path, [opening(1), opening(2)]))
    changed = opening(2, title={"en": "Cook"}, skills=["cooking"], salary_max=16000)
    result = run(write_feed(path, [opening(1), changed]))
    assert counts(result) == {
        "created": 0, "updated": 1, "unchanged": 1, "closed": 0, "skipped": 0
    }  # fmt: skip
    job = JobPosting.objects.get(external_id="RS-2")
    assert (job.title_en, job.title_hi, job.salary_max) == ("Cook", "", 16000)
    assert [c.slug for c in job.categories.all()] == ["cook"]
    assert JobPosting.objects.get(external_id="RS-1").categories.get().slug == "plumber"


def test_a_malformed_file_reports_each_bad_row_by_line_and_imports_the_rest(tmp_path):
    other_portal = opening(9, source="sewayojan")
    path = write_feed(
        tmp_path / "bad.jsonl",
        [
            opening(1),  # 1
            '{"type": "opening", "id": "RS-2"',  # 2: broken JSON
            opening(3, salary_min="twelve thousand"),  # 3: a wrong type
            opening(4, employer=None, apply_url=None),  # 4: fields missing
            line(opening(5)).encode().replace("प्लंबर".encode(), b"plumb\xe9r"),  # 5: not UTF-8
            "",  # 6: blank, not a row
            fair(6),  # 7
            opening(7, district="Atlantis"),  # 8
            opening(1, employer="Someone else"),  # 9: the same id again
            other_portal,  # 10
            opening(8),  # 11
        ],
    )
    errors = []
    result = run(path, on_error=errors.append)
    assert [str(e) for e in result.errors] == [
        "line 2: not valid JSON (Expecting ',' delimiter, column 33)",
        "line 3: salary_min must be a number",
        "line 4: employer is missing; apply_url is missing",
        "line 5: not UTF-8 text (byte 0xE9 at position 84); save the feed as UTF-8",
        'line 8: district "Atlantis" is not a district of Uttar Pradesh '
        "(write its name, e.g. Lucknow or लखनऊ)",
        'line 9: id "RS-1" is already on line 1',
        'line 10: source is "sewayojan", but this feed is "rojgar_sangam"',
    ]
    assert errors == result.errors
    assert counts(result) == {
        "created": 3, "updated": 0, "unchanged": 0, "closed": 0, "skipped": 7
    }  # fmt: skip
    assert sorted(JobPosting.objects.values_list("external_id", flat=True)) == [
        "FAIR-6", "RS-1", "RS-8"
    ]  # fmt: skip
    assert JobPosting.objects.get(external_id="RS-1").employer == "Awadh Builders"
    run_row = JobImport.objects.get()
    assert run_row.status == ImportStatus.COMPLETED and run_row.skipped == 7
    assert run_row.errors[0] == {
        "line": 2,
        "error": "not valid JSON (Expecting ',' delimiter, column 33)",
    }


def test_rows_are_written_in_batches(tmp_path):
    path = write_feed(tmp_path / "f.jsonl", [opening(n) for n in range(1, 8)])
    result = run(path, batch_size=3)
    assert result.created == 7 and JobPosting.objects.count() == 7
    assert run(path, batch_size=3).unchanged == 7


def test_an_empty_feed_imports_nothing(tmp_path):
    result = run(write_feed(tmp_path / "f.jsonl", []))
    assert result.complete and counts(result)["created"] == 0
    assert JobImport.objects.get().status == ImportStatus.COMPLETED


def test_close_missing_closes_what_the_portal_no_longer_lists(tmp_path):
    path = tmp_path / "f.jsonl"
    run(write_feed(path, [opening(1), opening(2), fair(1)]))
    JobPosting.objects.create(  # another portal's posting is not touched
        source="other", external_id="RS-1", kind="opening", title_en="Cook", employer="X",
        district_id=JobPosting.objects.first().district_id, url="https://x.example/1",
        content_hash="0" * 64,
    )  # fmt: skip
    result = run(write_feed(path, [opening(1), fair(1)]), close_missing=True)
    assert counts(result) == {
        "created": 0, "updated": 0, "unchanged": 2, "closed": 1, "skipped": 0
    }  # fmt: skip
    closed = JobPosting.objects.get(source="rojgar_sangam", external_id="RS-2")
    assert closed.is_open is False and closed.closed_at is not None
    assert JobPosting.objects.filter(is_open=True).count() == 3

    # Back in the feed: open again.
    again = run(write_feed(path, [opening(1), opening(2), fair(1)]), close_missing=True)
    assert (again.updated, again.unchanged, again.closed) == (1, 2, 0)
    closed.refresh_from_db()
    assert closed.is_open is True and closed.closed_at is None


def test_without_close_missing_nothing_is_closed(tmp_path):
    path = tmp_path / "f.jsonl"
    run(write_feed(path, [opening(1), opening(2)]))
    result = run(write_feed(path, [opening(1)]))
    assert result.closed == 0 and result.not_closed_because == ""
    assert JobPosting.objects.filter(is_open=True).count() == 2


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (
            [opening(1), "not json"],
            "1 row was skipped, and a skipped row may be a posting that is still open; "
            "correct them and import again",
        ),
        ([], "the feed has no postings"),
    ],
)
def test_close_missing_closes_nothing_when_it_is_not_safe(tmp_path, rows, reason):
    path = tmp_path / "f.jsonl"
    run(write_feed(path, [opening(1), opening(2)]))
    result = run(write_feed(path, rows), close_missing=True)
    assert (result.closed, result.not_closed_because) == (0, reason)
    assert JobPosting.objects.filter(is_open=True).count() == 2


def test_a_feed_from_a_url_on_the_loopback_server(feed_server, tmp_path):
    body = DEMO.read_bytes()
    url = feed_server.serve("/feeds/jobs.jsonl", body)
    result = run(url + "?token=secret")
    assert result.created == 46 and result.complete
    assert feed_server.requests == ["/feeds/jobs.jsonl?token=secret"]
    # The token is not kept: the run records the address without its query string.
    assert JobImport.objects.get().location == url
    assert run(url).unchanged == 46


def test_a_url_that_answers_an_error_is_unreadable_and_nothing_is_written(feed_server):
    url = feed_server.url("/missing.jsonl")
    with pytest.raises(FeedUnreadable, match=r"/missing.jsonl answered HTTP 404"):
        run(url)
    assert JobImport.objects.count() == 0
    assert not AuditEntry.objects.filter(action="jobs.imported").exists()


def test_an_unreachable_url_is_unreadable(feed_server):
    url = feed_server.url("/x.jsonl")
    feed_server.httpd.shutdown()
    feed_server.httpd.server_close()
    with pytest.raises(FeedUnreadable, match=r"reading http://127\.0\.0\.1"):
        run(url)
    assert JobImport.objects.count() == 0


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(FeedUnreadable, match="cannot open"):
        run(tmp_path / "nope.jsonl")
    assert JobImport.objects.count() == 0


def test_an_unknown_portal_is_refused(tmp_path):
    with pytest.raises(FeedUnreadable, match="no adapter 'nowhere'"):
        jobs_import(source="nowhere", location=str(tmp_path / "f.jsonl"))


def test_a_connection_that_breaks_off_keeps_what_was_read_and_closes_nothing(feed_server):
    run(write_feed_url(feed_server, "/first.jsonl", [opening(9000)]))
    rows = [line(opening(n)) for n in range(1, 301)]  # ~110 kB: more than one chunk
    body = ("\n".join(rows) + "\n").encode()
    url = feed_server.serve("/jobs.jsonl", body, claimed=len(body) + 5000)
    result = run(url, batch_size=50, close_missing=True)
    assert result.complete is False
    assert result.read_error.startswith("reading http://127.0.0.1")
    assert "peer closed connection" in result.read_error
    assert 0 < result.created < 300  # the rows of the chunks that arrived
    assert JobPosting.objects.filter(last_seen_import=result.run).count() == result.created
    assert result.not_closed_because == "the feed was not read to the end"
    assert JobPosting.objects.get(external_id="RS-9000").is_open
    run_row = JobImport.objects.get(pk=result.run.pk)
    assert run_row.status == ImportStatus.INCOMPLETE and run_row.read_error == result.read_error
    entry = AuditEntry.objects.filter(action="jobs.imported").last()
    assert entry.after["status"] == "incomplete" and entry.after["created"] == result.created


def write_feed_url(server, path, rows):
    return server.serve(path, b"".join(line(r).encode() + b"\n" for r in rows))


def test_an_import_run_is_audited_once_with_its_counts(tmp_path):
    path = write_feed(tmp_path / "f.jsonl", [opening(1), opening(2), "oops"])
    result = run(path)
    entry = AuditEntry.objects.get(action="jobs.imported")
    assert (entry.actor_id, entry.actor_role) == (None, "system")
    assert (entry.object_type, entry.object_id) == ("jobs.jobimport", str(result.run.pk))
    assert entry.after == {
        "source": "rojgar_sangam",
        "status": "completed",
        "close_missing": False,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "closed": 0,
        "skipped": 1,
    }
    assert AuditEntry.objects.count() == 1


def test_a_second_import_of_the_same_portal_waits_for_the_first(tmp_path):
    running = JobImport.objects.create(
        source="rojgar_sangam", location="x", started_at=timezone.now()
    )
    path = write_feed(tmp_path / "f.jsonl", [opening(1)])
    with pytest.raises(ImportAlreadyRunning, match="already running"):
        run(path)
    assert JobPosting.objects.count() == 0
    running.refresh_from_db()
    assert running.status == ImportStatus.RUNNING


def test_a_run_left_running_by_a_dead_process_is_taken_over(tmp_path):
    stale = JobImport.objects.create(
        source="rojgar_sangam",
        location="x",
        started_at=timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1),
    )
    result = run(write_feed(tmp_path / "f.jsonl", [opening(1)]))
    assert result.created == 1
    stale.refresh_from_db()
    assert stale.status == ImportStatus.INCOMPLETE
    assert stale.read_error == "abandoned: the process running it stopped"


def test_progress_callbacks_see_every_row(tmp_path):
    path = write_feed(tmp_path / "f.jsonl", [opening(1), "", "bad", opening(2)])
    started, seen = [], []
    run(path, on_start=started.append, on_row=seen.append)
    assert [s.total for s in started] == [3]
    assert [r.line for r in seen] == [1, 3, 4]


def test_the_demo_feed_is_valid_json_lines():
    for text in DEMO.read_text(encoding="utf-8").splitlines():
        assert json.loads(text)["source"] == "rojgar_sangam"


def test_an_import_that_fails_half_way_is_recorded_as_stopped(tmp_path, monkeypatch):
    path = write_feed(tmp_path / "f.jsonl", [opening(n) for n in range(1, 6)])
    real_flush, calls = services._flush, []

    def failing_flush(batch, *, run, result):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_flush(batch, run=run, result=result)

    monkeypatch.setattr(services, "_flush", failing_flush)
    with pytest.raises(RuntimeError, match="disk full"):
        run(path, batch_size=2, close_missing=True)
    run_row = JobImport.objects.get()
    assert (run_row.status, run_row.read_error) == (
        ImportStatus.INCOMPLETE,
        "stopped: RuntimeError",
    )
    assert (run_row.created, run_row.closed) == (2, 0)
    assert AuditEntry.objects.get(action="jobs.imported").after["status"] == "incomplete"
    assert JobPosting.objects.count() == 2
