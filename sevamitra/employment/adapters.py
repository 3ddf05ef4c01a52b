"""The one interface through which the sibling portals' data reaches Sevamitra.

The department is unifying three portals: the employment exchange where job seekers register
(Sewayojan), the jobs and job-fair portal (Rojgar Sangam), and Sevamitra. Whatever a sibling
portal holds — a job seeker's registration, job openings, job fairs — comes in through a
`PortalAdapter`. Code outside this package never talks to a sibling portal directly.

Adapters are named in the setting `EMPLOYMENT_ADAPTERS` ({name: dotted path of the class});
`get_adapter(name)` builds one. The shapes below are the contract:

- `JobSeekerRecord`: what an employment-exchange registration holds (sevamitra/employment);
  `push_work_history` / `withdraw_work_history` send a Sevamitra's signed work-history record
  to that portal (with the person's consent) and take it back.
- `read_job_feed(source)` yields `FeedRow`s from a job feed (sevamitra/jobs); the feed format
  is documented in docs/job-feed.md. A row that cannot be read is yielded with `error` set and
  its line number, never raised: an import reports bad rows and carries on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Certificate:
    """A skill certificate the exchange holds (ITI, PMKVY, ...)."""

    scheme: str  # "ITI", "PMKVY", ...
    trade: str  # as the certificate names it, e.g. "Electrician"
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class JobSeekerRecord:
    """A job seeker's registration at the employment exchange, as the adapter returns it."""

    registration_number: str
    portal: str  # adapter name, e.g. "sewayojan"
    name: str
    mobile: str  # 10 digits; linking requires it to be the account's verified mobile
    district_code: str = ""  # as sevamitra.geo.District.code, e.g. "LUCKNOW"
    gender: str = ""  # "female", "male", "other" or "" (as providers.Gender)
    date_of_birth: date | None = None
    education: str = ""
    skills: tuple[str, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    pincode: str = ""  # of the registered address: the area a Sevamitra would serve
    experience_years: int = 0


@dataclass(frozen=True)
class FeedRow:
    """One row of a job feed: its line number in the source, and either data or an error."""

    line: int
    data: dict[str, Any] | None = None
    error: str = ""


@dataclass
class FeedSummary:
    """What the adapter knows about a feed before the rows: total rows if it can tell."""

    source: str
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class AdapterError(Exception):
    """The sibling portal could not be reached or answered something unreadable."""


class PortalAdapter(ABC):
    """One sibling portal. Subclasses implement what that portal offers; the rest raise."""

    name: str = ""

    def lookup_jobseeker(self, registration_number: str) -> JobSeekerRecord | None:
        """The registration with this number, or None if the exchange has none."""
        raise NotImplementedError(f"{self.name} holds no job-seeker registrations")

    def read_job_feed(self, source: str) -> Iterator[FeedRow]:
        """The rows of a job feed (a file path or an http(s) URL)."""
        raise NotImplementedError(f"{self.name} publishes no job feed")

    def push_work_history(self, registration_number: str, record: str) -> None:
        """Give the portal this registration's signed work-history record (a compact JWS).
        Sending the same record again is harmless. Raises AdapterError when it fails."""
        raise NotImplementedError(f"{self.name} takes no work-history records")

    def withdraw_work_history(self, registration_number: str) -> None:
        """Tell the portal to drop this registration's work-history record (consent
        withdrawn). Harmless if it holds none. Raises AdapterError when it fails."""
        raise NotImplementedError(f"{self.name} takes no work-history records")

    @abstractmethod
    def describe(self) -> str:
        """One line for operators: which portal and where its data comes from."""


def get_adapter(name: str) -> PortalAdapter:
    """The configured adapter called `name` (KeyError names the ones configured)."""
    adapters: dict[str, str] = settings.EMPLOYMENT_ADAPTERS
    if name not in adapters:
        raise KeyError(f"no adapter {name!r}; configured: {', '.join(sorted(adapters))}")
    return import_string(adapters[name])()
