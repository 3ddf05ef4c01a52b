"""`manage.py import_jobs`: what the operator sees, and the exit status."""

import io

import pytest
from django.core.management import CommandError, call_command

from sevamitra.jobs.models import JobPosting
from sevamitra.jobs.tests.factories import opening, write_feed
from sevamitra.jobs.tests.test_import import DEMO

pytestmark = pytest.mark.django_db


def import_jobs(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_jobs", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_summary_and_nothing_else_for_a_good_feed():
    out, err = import_jobs(DEMO)
    assert out == ("rojgar_sangam: created 46, updated 0, unchanged 0, closed 0, skipped 0.\n")
    assert err == ""  # no progress bar when stderr is not a terminal
    out, _err = import_jobs(DEMO)
    assert out == "rojgar_sangam: created 0, updated 0, unchanged 46, closed 0, skipped 0.\n"


def test_bad_rows_are_reported_on_stderr_by_line_and_the_rest_imported(tmp_path):
    path = write_feed(
        tmp_path / "f.jsonl",
        [opening(1), "{oops", opening(2, salary_min="12000"), opening(3)],
    )
    out, err = import_jobs(path)
    assert err == (
        "line 2: not valid JSON (Expecting property name enclosed in double quotes, column 2)\n"
        "line 3: salary_min must be a number\n"
    )
    assert out == "rojgar_sangam: created 2, updated 0, unchanged 0, closed 0, skipped 2.\n"
    assert JobPosting.objects.count() == 2


def test_close_missing_says_why_it_closed_nothing(tmp_path):
    import_jobs(write_feed(tmp_path / "a.jsonl", [opening(1), opening(2)]))
    path = write_feed(tmp_path / "b.jsonl", [opening(1), "x"])
    out, _err = import_jobs(path, "--close-missing")
    assert out.splitlines() == [
        "rojgar_sangam: created 0, updated 0, unchanged 1, closed 0, skipped 1.",
        "Nothing closed: 1 row was skipped, and a skipped row may be a posting that is "
        "still open; correct them and import again.",
    ]
    out, _err = import_jobs(write_feed(tmp_path / "c.jsonl", [opening(1)]), "--close-missing")
    assert out == "rojgar_sangam: created 0, updated 0, unchanged 1, closed 1, skipped 0.\n"


def test_an_unreadable_file_is_exit_status_1(tmp_path):
    with pytest.raises(CommandError, match=r"cannot open .*nope\.jsonl") as raised:
        import_jobs(tmp_path / "nope.jsonl")
    assert raised.value.returncode == 1


def test_another_source_can_be_named(tmp_path):
    with pytest.raises(CommandError, match="no adapter 'nowhere'"):
        import_jobs(tmp_path / "f.jsonl", "--source", "nowhere")


def test_a_broken_connection_is_exit_status_1_after_the_summary(feed_server):
    body = b"".join(
        f'{{"type": "opening", "id": "RS-{n}", "source": "rojgar_sangam", '
        f'"title": {{"en": "Plumber {n}"}}, "employer": "E", "district": "Lucknow", '
        f'"apply_url": "https://rojgar-sangam.example/{n}"}}\n'.encode()
        for n in range(1000)
    )
    url = feed_server.serve("/jobs.jsonl", body, claimed=len(body) + 100)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Reading stopped before the end") as raised:
        call_command("import_jobs", url, stdout=out, stderr=io.StringIO())
    assert raised.value.returncode == 1
    assert out.getvalue().startswith("rojgar_sangam: created ")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_unless_quiet(tmp_path):
    path = write_feed(tmp_path / "f.jsonl", [opening(n) for n in range(1, 6)])
    err = FakeTerminal()
    call_command("import_jobs", str(path), stdout=io.StringIO(), stderr=err)
    assert "rojgar_sangam: 100%" in err.getvalue() and "5/5" in err.getvalue()
    quiet = FakeTerminal()
    call_command("import_jobs", str(path), "--quiet", stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""
