"""Test data for jobs: postings written directly, and feed lines for the import."""

import datetime as dt
import json
from pathlib import Path

import factory
from django.utils import timezone

from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.jobs import matching
from sevamitra.jobs.models import JobPosting


def district(code: str = "LUCKNOW") -> District:
    return District.objects.get(code=code)


class JobPostingFactory(factory.django.DjangoModelFactory):
    """An open plumber's opening in Lucknow, ₹12,000–15,000, closing in 30 days. Its services
    are matched from title and skills as an import would (or given: categories=["cook"])."""

    class Meta:
        model = JobPosting
        skip_postgeneration_save = True

    source = "rojgar_sangam"
    external_id = factory.Sequence(lambda n: f"RS-T-{n}")
    kind = "opening"
    title_hi = "प्लंबर"
    title_en = "Plumber"
    employer = "Awadh Builders"
    district = factory.LazyFunction(district)
    place = "Gomti Nagar"
    skills = factory.LazyFunction(lambda: ["plumbing"])
    salary_min = 12000
    salary_max = 15000
    openings = 2
    url = factory.LazyAttribute(lambda o: f"https://rojgar-sangam.example/jobs/{o.external_id}")
    posted_on = factory.LazyFunction(timezone.localdate)
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    content_hash = "0" * 64
    search_text = factory.LazyAttribute(
        lambda o: matching.search_text([o.title_hi, o.title_en, o.employer, *o.skills, o.place])
    )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        if extracted is None:
            ids = matching.category_ids_for([self.title_hi, self.title_en, *self.skills])
        else:
            ids = set(Category.objects.filter(slug__in=extracted).values_list("pk", flat=True))
        self.categories.set(ids)


def opening(n: int = 1, **changes: object) -> dict:
    """A valid opening of the feed, as a dict (changes: None removes a field)."""
    row = {
        "type": "opening",
        "id": f"RS-{n}",
        "source": "rojgar_sangam",
        "title": {"hi": "प्लंबर", "en": "Plumber"},
        "employer": "Awadh Builders",
        "district": "Lucknow",
        "place": "Gomti Nagar",
        "skills": ["plumbing"],
        "salary_min": 12000,
        "salary_max": 15000,
        "openings": 2,
        "apply_url": f"https://rojgar-sangam.example/jobs/RS-{n}",
        "posted_on": "2026-11-01",
        "closes_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    return _changed(row, changes)


def fair(n: int = 1, **changes: object) -> dict:
    start = timezone.localdate() + dt.timedelta(days=20)
    row = {
        "type": "fair",
        "id": f"FAIR-{n}",
        "source": "rojgar_sangam",
        "title": {"hi": "रोज़गार मेला", "en": "Rozgar Mela"},
        "district": "लखनऊ",
        "venue": "ITI Aliganj",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=1)).isoformat(),
        "employers": ["Awadh Builders", "City Cabs"],
        "skills": ["driver", "electrician"],
        "registration_url": f"https://rojgar-sangam.example/fairs/FAIR-{n}",
    }
    return _changed(row, changes)


def _changed(row: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    return row


def line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False)


def write_feed(path: Path, lines: list[str | dict | bytes]) -> Path:
    """A feed file: dicts become JSON lines, strings are written as they are, bytes raw."""
    data = b"".join(
        (
            item
            if isinstance(item, bytes)
            else (line(item) if isinstance(item, dict) else item).encode()
        )
        + b"\n"
        for item in lines
    )
    path.write_bytes(data)
    return path
