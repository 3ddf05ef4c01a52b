"""The employment exchange (Sewayojan): job-seeker registrations in, work-history records out.

Two sources, chosen by the settings:

- **HTTP API**, when `SEWAYOJAN_API_URL` is set (e.g. `https://sewayojan.up.gov.in/api/v1`).
  Every call sends `Authorization: Bearer <SEWAYOJAN_API_TOKEN>` and `Accept:
  application/json`, and gives up after `SEWAYOJAN_API_TIMEOUT_SECONDS` (default 10).

  `GET {url}/jobseekers/{registration_number}` →
    200 with the registration (below); 404 when the exchange has no such registration.

      {
        "registration_number": "UPLKO2024000101",
        "name": "सुनीता देवी",                  # as registered, Devanagari or Latin letters
        "mobile": "9999000005",                 # 10 digits (a +91 or 0 in front is accepted)
        "district_code": "LUCKNOW",             # as sevamitra.geo.District.code
        "pincode": "226010",                    # optional
        "gender": "female",                     # female | male | other | "" (optional)
        "date_of_birth": "2001-04-15",          # ISO date or null (optional)
        "education": "10th pass",               # optional
        "experience_years": 2,                  # optional, 0 to 60
        "skills": ["wiring", "fan repair"],     # optional
        "certificates": [                       # optional
          {"scheme": "ITI", "trade": "Electrician", "number": "ITI/2022/123",
           "issued_on": "2022-08-01"}
        ]
      }

  `POST {url}/jobseekers/{registration_number}/work-history` with
    `{"record": "<compact JWS>"}` → any 2xx. The record is a Sevamitra work-history record
    signed by this portal (typ "sevamitra-work-history+jwt"); the exchange checks it against
    our JWKS. Sending the same record twice is harmless.
  `DELETE {url}/jobseekers/{registration_number}/work-history` → any 2xx, or 404 (nothing
    held): the person withdrew their consent.

  Anything else — no answer, a timeout, a redirect, HTTP 5xx or another unexpected status, a
  body that is not the JSON above — raises `AdapterError`.

- **Demo file**, when no URL is set: `SEWAYOJAN_DEMO_FILE` (default
  `sevamitra/employment/demo/sewayojan.json`, invented people), `{"jobseekers": [<registration
  as above>, ...]}`. Work-history records sent in demo mode are only logged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from sevamitra.employment.adapters import (
    AdapterError,
    Certificate,
    JobSeekerRecord,
    PortalAdapter,
)

logger = logging.getLogger(__name__)

NAME = "sewayojan"
DEFAULT_DEMO_FILE = Path(__file__).parent / "demo" / "sewayojan.json"
DEFAULT_TIMEOUT_SECONDS = 10.0
USER_AGENT = "Sevamitra/1.0 (employment exchange link)"
UNREACHABLE = "the employment exchange is not answering"
_MOBILE = re.compile(r"(?:\+?91|0)?([6-9]\d{9})")
_PINCODE = re.compile(r"[1-9]\d{5}")
GENDERS = frozenset({"female", "male", "other", ""})


def record_from_json(data: Any) -> JobSeekerRecord:
    """The registration in the shape the module docstring gives; AdapterError if it is not."""
    try:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        number = _text(data, "registration_number", required=True)
        mobile = _MOBILE.fullmatch(re.sub(r"[\s\-]", "", _text(data, "mobile", required=True)))
        if mobile is None:
            raise ValueError("mobile is not an Indian mobile number")
        gender = _text(data, "gender").lower()
        if gender not in GENDERS:
            raise ValueError(f"unknown gender {gender!r}")
        pincode = _text(data, "pincode")
        if pincode and not _PINCODE.fullmatch(pincode):
            raise ValueError("pincode is not 6 digits")
        dob = data.get("date_of_birth")
        experience = data.get("experience_years") or 0
        if not isinstance(experience, int) or not 0 <= experience <= 60:
            raise ValueError("experience_years is not a number of years")
        skills = data.get("skills") or []
        certificates = data.get("certificates") or []
        if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
            raise ValueError("skills is not a list of words")
        if not isinstance(certificates, list):
            raise ValueError("certificates is not a list")
        return JobSeekerRecord(
            registration_number=number.upper(),
            portal=NAME,
            name=_text(data, "name", required=True),
            mobile=mobile.group(1),
            district_code=_text(data, "district_code").upper(),
            gender=gender,
            date_of_birth=dt.date.fromisoformat(dob) if dob else None,
            education=_text(data, "education"),
            skills=tuple(s.strip() for s in skills if s.strip()),
            certificates=tuple(_certificate(c) for c in certificates),
            pincode=pincode,
            experience_years=experience,
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise AdapterError(
            f"the employment exchange sent a registration we cannot read: {exc}"
        ) from exc


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    value = " ".join(value.split())
    if required and not value:
        raise ValueError(f"{key} is missing")
    if len(value) > 200:
        raise ValueError(f"{key} is too long")
    return value


def _certificate(data: Any) -> Certificate:
    if not isinstance(data, dict):
        raise ValueError("a certificate is not an object")
    issued = data.get("issued_on")
    return Certificate(
        scheme=_text(data, "scheme", required=True).upper(),
        trade=_text(data, "trade", required=True),
        number=_text(data, "number"),
        issued_on=dt.date.fromisoformat(issued) if issued else None,
    )


@lru_cache(maxsize=4)
def _demo_records(path: str, mtime: float) -> dict[str, JobSeekerRecord]:
    """The demo file's registrations by number (read again when the file changes)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = data["jobseekers"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AdapterError(f"the demo employment-exchange file cannot be read: {exc}") from exc
    records = (record_from_json(row) for row in rows)
    return {r.registration_number: r for r in records}


class SewayojanAdapter(PortalAdapter):
    """The state employment exchange: its HTTP API, or the demo file (module docstring)."""

    name = NAME

    # --- configuration ---------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return (getattr(settings, "SEWAYOJAN_API_URL", "") or "").rstrip("/")

    @property
    def demo_file(self) -> Path:
        return Path(getattr(settings, "SEWAYOJAN_DEMO_FILE", "") or DEFAULT_DEMO_FILE)

    def describe(self) -> str:
        if self.api_url:
            return f"Sewayojan employment exchange, HTTP API at {self.api_url}"
        return f"Sewayojan employment exchange, demo data from {self.demo_file}"

    # --- the interface ---------------------------------------------------------------------

    def lookup_jobseeker(self, registration_number: str) -> JobSeekerRecord | None:
        if not self.api_url:
            path = self.demo_file
            try:
                mtime = path.stat().st_mtime
            except OSError as exc:
                raise AdapterError(f"the demo employment-exchange file is missing: {exc}") from exc
            return _demo_records(str(path), mtime).get(registration_number)
        response = self._call("GET", registration_number, "")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise AdapterError(f"{UNREACHABLE} (HTTP {response.status_code})")
        try:
            data = response.json()
        except ValueError:
            raise AdapterError(
                "the employment exchange answered something that is not JSON"
            ) from None
        record = record_from_json(data)
        if record.registration_number != registration_number:
            raise AdapterError("the employment exchange answered about another registration")
        return record

    def push_work_history(self, registration_number: str, record: str) -> None:
        if not self.api_url:
            logger.info("sewayojan demo: work-history record for %s accepted", registration_number)
            return
        response = self._call("POST", registration_number, "/work-history", {"record": record})
        if not 200 <= response.status_code < 300:
            raise AdapterError(
                f"the employment exchange refused the record ({response.status_code})"
            )

    def withdraw_work_history(self, registration_number: str) -> None:
        if not self.api_url:
            logger.info("sewayojan demo: work-history record for %s withdrawn", registration_number)
            return
        response = self._call("DELETE", registration_number, "/work-history")
        if not (200 <= response.status_code < 300 or response.status_code == 404):
            raise AdapterError(
                f"the employment exchange did not take the withdrawal ({response.status_code})"
            )

    # --- HTTP ------------------------------------------------------------------------------

    def _call(
        self, method: str, number: str, suffix: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        timeout = float(getattr(settings, "SEWAYOJAN_API_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        token = getattr(settings, "SEWAYOJAN_API_TOKEN", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = f"{self.api_url}/jobseekers/{quote(number, safe='')}{suffix}"
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                response = client.request(method, url, headers=headers, json=body)
        except httpx.HTTPError as exc:
            raise AdapterError(f"{UNREACHABLE} ({type(exc).__name__})") from exc
        if response.status_code >= 500 or 300 <= response.status_code < 400:
            raise AdapterError(f"{UNREACHABLE} (HTTP {response.status_code})")
        return response
