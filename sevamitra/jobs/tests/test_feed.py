"""The feed format (docs/job-feed.md): every rule, checked line by line without a database."""

import datetime as dt
import json

import pytest

from sevamitra.employment.adapters import AdapterError, FeedRow, get_adapter
from sevamitra.jobs.feed import (
    MAX_LINE_BYTES,
    JsonFeedAdapter,
    feed_rows,
    parse_line,
    public_location,
    split_lines,
)
from sevamitra.jobs.tests.factories import fair, opening, write_feed


def check(row: dict) -> str:
    return parse_line(json.dumps(row, ensure_ascii=False).encode())[1]


def test_a_valid_opening_is_read_with_typed_values():
    data, error = parse_line(json.dumps(opening(closes_on="2027-01-31")).encode())
    assert error == ""
    assert data == {
        "type": "opening",
        "id": "RS-1",
        "source": "rojgar_sangam",
        "title": {"hi": "प्लंबर", "en": "Plumber"},
        "employer": "Awadh Builders",
        "district": "Lucknow",
        "place": "Gomti Nagar",
        "skills": ["plumbing"],
        "salary_min": 12000,
        "salary_max": 15000,
        "openings": 2,
        "apply_url": "https://rojgar-sangam.example/jobs/RS-1",
        "posted_on": dt.date(2026, 11, 1),
        "closes_on": dt.date(2027, 1, 31),
    }


def test_a_valid_fair_is_read():
    data, error = parse_line(json.dumps(fair(starts_on="2027-01-15", ends_on=None)).encode())
    assert error == ""
    assert data["type"] == "fair"
    assert data["starts_on"] == dt.date(2027, 1, 15)
    assert data["ends_on"] is None
    assert data["employers"] == ["Awadh Builders", "City Cabs"]


def test_optional_fields_may_be_left_out_or_null():
    row = opening(place=None, skills=None, salary_min=None, salary_max=None, openings=None)
    row.update(posted_on=None, closes_on=None)
    row["title"] = {"en": "Plumber"}
    data, error = parse_line(json.dumps(row).encode())
    assert error == ""
    assert (data["skills"], data["salary_min"], data["closes_on"]) == ([], None, None)


def test_text_is_normalised():
    row = opening(employer="  Awadh\tBuilders \n Ltd ", title={"hi": "प्ल\u0902बर"})
    data, _error = parse_line(json.dumps(row).encode())
    assert data["employer"] == "Awadh Builders Ltd"


def test_an_id_may_be_a_whole_number():
    data, error = parse_line(json.dumps(opening(id=17)).encode())
    assert (error, data["id"]) == ("", "17")


def test_extension_fields_are_ignored():
    assert check(opening(x_internal_code="A7", x_batch=3)) == ""


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (opening(salary_min="12000"), "salary_min must be a number"),
        (opening(salary_min=12000.5), "salary_min must be a whole number"),
        (opening(salary_min=True), "salary_min must be a number"),
        (opening(salary_min=-5), "salary_min must be at least 0"),
        (opening(salary_max=2_000_000), "salary_max must be at most 1000000"),
        (opening(salary_min=20000, salary_max=15000), "salary_min is more than salary_max"),
        (opening(openings=0), "openings must be at least 1"),
        (opening(type="job"), 'type must be "opening" or "fair", not "job"'),
        (opening(type=None), 'type is missing ("opening" or "fair")'),
        (opening(id=None), "id is missing"),
        (
            opening(id="RS 1!"),
            "id must be 1 to 64 letters, digits or . _ : / - (the portal's own reference)",
        ),
        (opening(employer=None), "employer is missing"),
        (opening(employer=""), "employer is empty"),
        (opening(employer="x" * 201), "employer is longer than 200 characters"),
        (opening(district=5), "district must be text in quotes"),
        (opening(title={}), "title needs a Hindi (hi) or an English (en) text, or both"),
        (opening(title="Plumber"), 'title must be an object, e.g. {"hi": "…", "en": "…"}'),
        (opening(title={"hi": "  "}), "title.hi is empty"),
        (
            opening(title={"hi": "प्लंबर", "fr": "Plombier"}),
            "title.fr is not a field of the feed (misspelt? see docs/job-feed.md)",
        ),
        (opening(skills="plumbing"), 'skills must be a list, e.g. ["…", "…"]'),
        (opening(skills=["plumbing", 5]), "skills[2] must be text in quotes"),
        (opening(skills=[f"s{i}" for i in range(21)]), "skills has more than 20 entries"),
        (
            opening(apply_url="http://rojgar-sangam.example/1"),
            "apply_url must be a web address starting with https://",
        ),
        (
            opening(apply_url="https://user:pw@rojgar-sangam.example/1"),
            "apply_url must be a web address starting with https://",
        ),
        (
            opening(apply_url="javascript:alert(1)"),
            "apply_url must be a web address starting with https://",
        ),
        (opening(apply_url=None), "apply_url is missing"),
        (
            opening(closes_on="31/12/2026"),
            "closes_on must be a date written YYYY-MM-DD, e.g. 2026-07-31",
        ),
        (opening(closes_on="2026-02-30"), "closes_on is not a real date (2026-02-30)"),
        (opening(posted_on="2026-12-01", closes_on="2026-11-01"), "closes_on is before posted_on"),
        (
            opening(salry_min=12000),
            "salry_min is not a field of the feed (misspelt? see docs/job-feed.md)",
        ),
        (opening(venue="ITI"), "venue is not a field of the feed (misspelt? see docs/job-feed.md)"),
        (fair(starts_on=None), "starts_on is missing"),
        (fair(venue=None), "venue is missing"),
        (fair(registration_url=None), "registration_url is missing"),
        (fair(ends_on="2020-01-01"), "ends_on is before starts_on"),
        (
            fair(salary_min=1000),
            "salary_min is not a field of the feed (misspelt? see docs/job-feed.md)",
        ),
        (fair(employers=["A", ""]), "employers[2] is empty"),
    ],
)
def test_each_rule_has_a_message_an_operator_understands(row, message):
    assert check(row) == message


def test_every_problem_of_a_row_is_reported_at_once():
    row = opening(salary_min="12000", employer=None, apply_url="ftp://x")
    assert check(row) == (
        "employer is missing; salary_min must be a number; "
        "apply_url must be a web address starting with https://"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b'{"type": "opening",',
            "not valid JSON (Expecting property name enclosed in double quotes, column 20)",
        ),
        (b"[1, 2]", "not a JSON object {…} but a list"),
        (b'"text"', "not a JSON object {…} but text"),
        (b"null", "not a JSON object {…} but null"),
        (b'{"salary_min": NaN}', "not valid JSON (NaN is not a number JSON allows)"),
        (b"// a comment", "not valid JSON (Expecting value, column 1)"),
        (
            b'{"title": "Plumb\xe9r"}',
            "not UTF-8 text (byte 0xE9 at position 17); save the feed as UTF-8",
        ),
    ],
)
def test_a_line_that_cannot_be_read_says_why(raw, message):
    assert parse_line(raw) == (None, message)


def test_rows_carry_their_line_numbers_blank_lines_are_skipped():
    good = json.dumps(opening()).encode()
    rows = list(feed_rows([b"\xef\xbb\xbf" + good + b"\r\n", b"\n   \n", b"[1]\n", good]))
    assert [(r.line, r.error) for r in rows] == [
        (1, ""),
        (4, "not a JSON object {…} but a list"),
        (5, ""),
    ]
    assert rows[0].data["id"] == "RS-1"


def test_lines_are_found_across_chunks():
    assert list(split_lines([b"ab", b"c\nde", b"f\r\n", b"\n", b"gh"])) == [
        b"abc",
        b"def",
        b"",
        b"gh",
    ]


def test_an_overlong_line_is_reported_and_the_next_one_read():
    good = json.dumps(opening()).encode()
    chunks = [b"x" * 40_000, b"y" * 40_000, b"\n" + good + b"\n"]
    rows = list(feed_rows(chunks))
    assert [(r.line, r.error) for r in rows] == [
        (1, f"longer than {MAX_LINE_BYTES} bytes"),
        (2, ""),
    ]


def test_the_adapter_is_the_configured_rojgar_sangam_adapter(tmp_path):
    adapter = get_adapter("rojgar_sangam")
    assert isinstance(adapter, JsonFeedAdapter)
    assert "JSON Lines" in adapter.describe()
    path = write_feed(tmp_path / "feed.jsonl", [opening(1), "", "oops", opening(2)])
    rows = list(adapter.read_job_feed(str(path)))
    assert [r.line for r in rows] == [1, 3, 4]
    assert isinstance(rows[0], FeedRow) and rows[1].error.startswith("not valid JSON")
    assert adapter.feed_summary(str(path)).total == 3


def test_a_missing_file_is_an_adapter_error(tmp_path):
    adapter = JsonFeedAdapter()
    with pytest.raises(AdapterError, match="cannot open"):
        list(adapter.read_job_feed(str(tmp_path / "nope.jsonl")))


def test_public_location_drops_credentials_and_query():
    assert (
        public_location("https://u:secret@feeds.example:8443/jobs.jsonl?token=abc")
        == "https://feeds.example:8443/jobs.jsonl"
    )
    assert public_location("/srv/feeds/jobs.jsonl") == "/srv/feeds/jobs.jsonl"
