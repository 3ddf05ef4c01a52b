"""The job feed: its format (docs/job-feed.md) and the adapter that reads it.

A feed is JSON Lines: UTF-8 text, one JSON object per line, so every problem has a line
number. Blank lines are skipped; there are no comment lines (any JSON Lines tool must be able
to read a feed). Each object is checked strictly by the pydantic models below; a line that
cannot be read or checked becomes a `FeedRow` with its line number and an error an operator
can act on ("salary_min must be a number"), and reading goes on with the next line.

`JsonFeedAdapter` is the sibling-portal adapter (employment.adapters.PortalAdapter) named
"rojgar_sangam" in settings.EMPLOYMENT_ADAPTERS: it reads a feed from a file or an http(s)
URL (streamed with httpx, never held whole in memory). Rows it yields carry the checked
values (`FeedEntry.model_dump()`); what they mean for Sevamitra (district, matching
services, create or update) is decided by jobs.services.jobs_import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from sevamitra.employment.adapters import AdapterError, FeedRow, FeedSummary, PortalAdapter

MAX_LINE_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024
MAX_SALARY = 10_00_000  # ₹ a month: anything above is a typing mistake
MAX_OPENINGS = 1_00_000
MAX_SKILLS = 20
MAX_EMPLOYERS = 100
HTTP_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
EXTENSION_PREFIX = "x_"  # fields a portal adds for itself; ignored

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOM = b"\xef\xbb\xbf"


# --- field types -----------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    """NFC, control characters dropped, runs of white space one space."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(value.split())


def _text(max_length: int) -> Callable[[str], str]:
    """The check of a text field: cleaned, not empty, at most max_length characters."""

    def check(value: str) -> str:
        value = _clean_text(value)
        if not value:
            raise ValueError("is empty")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    return check


def _external_id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(
            "must be 1 to 64 letters, digits or . _ : / - (the portal's own reference)"
        )
    return value


def _iso_date(value: object) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD, e.g. 2026-07-31")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not a real date ({value})") from None


def _https_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ValueError("must be a web address starting with https://")
    if len(value) > 500 or any(ch.isspace() for ch in value):
        raise ValueError("must be one web address of at most 500 characters, without spaces")
    return value


ExternalId = Annotated[str, BeforeValidator(_external_id)]
FeedDate = Annotated[dt.date, BeforeValidator(_iso_date)]
HttpsUrl = Annotated[str, Field(strict=True), AfterValidator(_https_url)]
Rupees = Annotated[int, Field(strict=True, ge=0, le=MAX_SALARY)]
Count = Annotated[int, Field(strict=True, ge=1, le=MAX_OPENINGS)]
Text60 = Annotated[str, Field(strict=True), AfterValidator(_text(60))]
Text100 = Annotated[str, Field(strict=True), AfterValidator(_text(100))]
Text200 = Annotated[str, Field(strict=True), AfterValidator(_text(200))]


class _Strict(BaseModel):
    """Unknown fields are refused (a misspelt "salry_min" must not pass silently), except
    extension fields starting with "x_", which a portal may add for itself."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: object) -> object:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith(EXTENSION_PREFIX)}
        return data


class Title(_Strict):
    hi: Text200 | None = None
    en: Text200 | None = None

    @model_validator(mode="after")
    def _one_language_at_least(self) -> Title:
        if not self.hi and not self.en:
            raise ValueError("needs a Hindi (hi) or an English (en) text, or both")
        return self


class _Posting(_Strict):
    id: ExternalId
    source: Text60
    title: Title
    district: Text100
    place: Text200 | None = None
    skills: Annotated[list[Text60], Field(max_length=MAX_SKILLS)] = []


class Opening(_Posting):
    type: Literal["opening"]
    employer: Text200
    salary_min: Rupees | None = None
    salary_max: Rupees | None = None
    openings: Count | None = None
    apply_url: HttpsUrl
    posted_on: FeedDate | None = None
    closes_on: FeedDate | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Opening:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValueError("salary_min is more than salary_max")
        if self.posted_on and self.closes_on and self.closes_on < self.posted_on:
            raise ValueError("closes_on is before posted_on")
        return self


class Fair(_Posting):
    type: Literal["fair"]
    starts_on: FeedDate
    ends_on: FeedDate | None = None
    venue: Text200
    employers: Annotated[list[Text200], Field(max_length=MAX_EMPLOYERS)] = []
    registration_url: HttpsUrl
    posted_on: FeedDate | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Fair:
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


FeedEntry = Annotated[Opening | Fair, Field(discriminator="type")]
_ENTRY = TypeAdapter(FeedEntry)


# --- error messages --------------------------------------------------------------------------


def _field_name(loc: tuple[int | str, ...]) -> str:
    """("opening", "title", "hi") → "title.hi"; ("opening", "skills", 2) → "skills[3]"."""
    parts = list(loc)
    if parts and parts[0] in ("opening", "fair"):
        parts = parts[1:]  # the union's tag, not a field
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _message(error: Any) -> str:
    """One pydantic error in words a data operator understands."""
    kind, field, given = error["type"], _field_name(error["loc"]), error.get("input")
    if kind == "union_tag_not_found":
        return 'type is missing ("opening" or "fair")'
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "")
        return f'type must be "opening" or "fair", not "{tag}"'
    if kind == "missing" or (given is None and kind.endswith("_type")):
        return f"{field} is missing"
    if kind == "extra_forbidden":
        return f"{field} is not a field of the feed (misspelt? see docs/job-feed.md)"
    if kind == "value_error":
        reason = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{field} {reason}" if field else reason
    if kind in ("int_type", "int_from_float", "int_parsing"):
        if isinstance(given, float):
            return f"{field} must be a whole number"
        return f"{field} must be a number"
    if kind == "greater_than_equal":
        return f"{field} must be at least {error['ctx']['ge']}"
    if kind == "less_than_equal":
        return f"{field} must be at most {error['ctx']['le']}"
    if kind == "string_type":
        return f"{field} must be text in quotes"
    if kind == "list_type":
        return f'{field} must be a list, e.g. ["…", "…"]'
    if kind == "too_long":
        return f"{field} has more than {error['ctx']['max_length']} entries"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f'{field} must be an object, e.g. {{"hi": "…", "en": "…"}}'
    return f"{field}: {error['msg']}" if field else str(error["msg"])


def check_entry(data: object) -> tuple[dict[str, Any] | None, str]:
    """(checked values, "") or (None, every problem of the entry, "; "-separated)."""
    if not isinstance(data, dict):
        kind = {list: "a list", str: "text", int: "a number", float: "a number"}.get(
            type(data), "null" if data is None else type(data).__name__
        )
        return None, f"not a JSON object {{…}} but {kind}"
    try:
        entry = _ENTRY.validate_python(data)
    except ValidationError as exc:
        return None, "; ".join(dict.fromkeys(_message(e) for e in exc.errors()))
    return entry.model_dump(), ""


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_line(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    """One line of the feed → (checked values, "") or (None, the problem)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        return None, (
            f"not UTF-8 text (byte 0x{byte:02X} at position {exc.start + 1}); "
            "save the feed as UTF-8"
        )
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            return None, f"not valid JSON ({exc.msg}, column {exc.colno})"
        return None, f"not valid JSON ({exc})"
    return check_entry(data)


# --- reading lines ---------------------------------------------------------------------------


class _TooLong:
    """A line longer than MAX_LINE_BYTES (its bytes are dropped, not kept)."""


TOO_LONG = _TooLong()


def split_lines(chunks: Iterable[bytes]) -> Iterator[bytes | _TooLong]:
    """The lines of a byte stream (\\n or \\r\\n), without holding more than one line."""
    pending = bytearray()
    dropping = False
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not dropping:
                    pending += chunk[start:]
                    if len(pending) > MAX_LINE_BYTES:
                        pending.clear()
                        dropping = True
                break
            if dropping:
                yield TOO_LONG
                dropping = False
            else:
                pending += chunk[start:end]
                yield TOO_LONG if len(pending) > MAX_LINE_BYTES else bytes(pending).rstrip(b"\r")
            pending.clear()
            start = end + 1
    if dropping:
        yield TOO_LONG
    elif pending:
        yield TOO_LONG if len(pending) > MAX_LINE_BYTES else bytes(pending).rstrip(b"\r")


def feed_rows(chunks: Iterable[bytes]) -> Iterator[FeedRow]:
    """Every non-blank line as a FeedRow: checked values, or its line number and problem."""
    for number, raw in enumerate(split_lines(chunks), start=1):
        if isinstance(raw, _TooLong):
            yield FeedRow(number, error=f"longer than {MAX_LINE_BYTES} bytes")
            continue
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if not raw.strip():
            continue
        data, error = parse_line(raw)
        yield FeedRow(number, data=data, error=error)


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _file_chunks(location: str) -> Iterator[bytes]:
    path = Path(location)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise AdapterError(f"cannot open {location}: {exc.strerror or exc}") from exc
    with handle:
        try:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk
        except OSError as exc:
            raise AdapterError(f"reading {location} failed: {exc.strerror or exc}") from exc


def _url_chunks(location: str) -> Iterator[bytes]:
    headers = {"Accept": "application/jsonl, application/x-ndjson, text/plain;q=0.5"}
    try:
        with httpx.stream(
            "GET", location, headers=headers, timeout=HTTP_TIMEOUT, follow_redirects=True
        ) as response:
            if response.status_code != 200:
                raise AdapterError(
                    f"{public_location(location)} answered HTTP {response.status_code}"
                )
            yield from response.iter_bytes(CHUNK_BYTES)
    except httpx.HTTPError as exc:
        raise AdapterError(f"reading {public_location(location)} failed: {exc}") from exc


def public_location(location: str) -> str:
    """A URL without credentials and query string (they may hold a token); a path as it is."""
    if not is_url(location):
        return location
    parts = urlsplit(location)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


class JsonFeedAdapter(PortalAdapter):
    """Rojgar Sangam's job feed (the jobs and job-fair portal), as JSON Lines."""

    name = "rojgar_sangam"

    def describe(self) -> str:
        return (
            "Rojgar Sangam: job openings and job fairs as a JSON Lines feed "
            "(docs/job-feed.md), read from a file or an http(s) URL"
        )

    def chunks(self, source: str) -> Iterator[bytes]:
        return _url_chunks(source) if is_url(source) else _file_chunks(source)

    def read_job_feed(self, source: str) -> Iterator[FeedRow]:
        """The feed's rows; AdapterError when it cannot be opened or reading breaks off."""
        return feed_rows(self.chunks(source))

    def feed_summary(self, source: str) -> FeedSummary:
        """Rows to expect: a file's non-blank lines are counted first (one quick pass); a
        URL is not fetched twice, so its total is unknown."""
        if is_url(source):
            return FeedSummary(source=public_location(source))
        total = sum(
            1
            for line in split_lines(_file_chunks(source))
            if isinstance(line, _TooLong) or line.strip(_BOM + b" \t\r")
        )
        return FeedSummary(source=source, total=total)
