"""The search query agrees with a plain Python reading of the rules, on seeded data.

The seed makes a few hundred realistic providers (radii, pincode lists, split shifts, night
shifts, leave, lapsed police certificates, suspended and pending providers); random searches
over them must return exactly what the rules written out below in Python say, in the same
order. This runs on SQLite and on PostgreSQL, so it also shows both give the same answers.
"""

import datetime as dt
import io
import math
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from sevamitra.catalog.models import Category
from sevamitra.geo.pincodes import district_pincodes, pincode_info
from sevamitra.providers.models import (
    Document,
    Leave,
    Offer,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)
from sevamitra.search.params import SearchQuery
from sevamitra.search.selectors import (
    KM_PER_DEGREE_LAT,
    KM_PER_DEGREE_LNG_EQUATOR,
    day_segments,
    search_providers,
)

pytestmark = pytest.mark.django_db


def load_calendar() -> dict:
    """Everything search looks at, read once into memory."""
    windows = defaultdict(list)
    for w in WeeklyWindow.objects.all():
        windows[w.provider_id].append((w.weekday, w.start_minute, w.end_minute))
    leaves = defaultdict(list)
    for leave in Leave.objects.all():
        leaves[leave.provider_id].append((leave.starts_on, leave.ends_on))
    police = defaultdict(list)
    for doc in Document.objects.filter(kind="police"):
        police[doc.provider_id].append(doc.expires_on)
    served = defaultdict(set)
    for sp in ServicePincode.objects.all():
        served[sp.provider_id].add(sp.pincode)
    offers = list(Offer.objects.select_related("provider"))
    return {
        "windows": windows,
        "leaves": leaves,
        "police": police,
        "served": served,
        "offers": offers,
    }


def expected_ids(query: SearchQuery, data: dict) -> list[int]:
    """Every rule of search, one by one, over all offers in memory."""
    windows, leaves, police = data["windows"], data["leaves"], data["police"]
    served = data["served"]
    segments = day_segments(query.start, query.end)
    first, last = segments[0].date, segments[-1].date
    km_per_lng = KM_PER_DEGREE_LNG_EQUATOR * math.cos(math.radians(query.lat))
    hits = []
    for offer in data["offers"]:
        p = offer.provider
        if offer.category_id != query.category.pk:
            continue
        if not (offer.is_active and p.is_active and p.verification_status == "verified"):
            continue
        dx = (p.home_lng - query.lng) * km_per_lng
        dy = (p.home_lat - query.lat) * KM_PER_DEGREE_LAT
        d2 = dx * dx + dy * dy
        by_radius = p.service_radius_km > 0 and d2 <= p.service_radius_km**2
        if not (by_radius or query.pincode in served[p.pk]):
            continue
        if not all(
            any(
                w == s.weekday and a <= s.start_minute and b >= s.end_minute
                for w, a, b in windows[p.pk]
            )
            for s in segments
        ):
            continue
        if any(a <= last and b >= first for a, b in leaves[p.pk]):
            continue
        if query.category.police_verification_required and not any(e >= last for e in police[p.pk]):
            continue
        hits.append((d2, -p.rating_avg, p.pk))
    return [pk for _, _, pk in sorted(hits)]


def random_queries(rng: random.Random, count: int) -> list[SearchQuery]:
    categories = list(Category.objects.filter(is_active=True))
    pins = [
        p
        for code in ("LUCKNOW", "KANPUR NAGAR", "PRAYAGRAJ", "VARANASI")
        for p in district_pincodes(code)
    ]
    today = timezone.localdate()
    queries = []
    for _ in range(count):
        info = pincode_info(rng.choice(pins))
        day = today + dt.timedelta(days=rng.randint(1, 20))
        start_minute = rng.choice(range(6 * 60, 22 * 60, 30))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time())) + dt.timedelta(
            minutes=start_minute
        )
        end = start + dt.timedelta(hours=rng.choice([1, 2, 4, 8]))
        # Half the points exactly at the pincode centroid, half up to ~3 km from it.
        lat = info.lat + (rng.uniform(-0.03, 0.03) if rng.random() < 0.5 else 0)
        lng = info.lng + (rng.uniform(-0.03, 0.03) if rng.random() < 0.5 else 0)
        queries.append(
            SearchQuery(
                category=rng.choice(categories),
                lat=lat,
                lng=lng,
                pincode=info.pincode,
                start=start,
                end=end,
                limit=50,
                offset=0,
            )
        )
    return queries


def test_search_matches_the_rules_on_seeded_providers():
    call_command("seed", providers=1200, no_progress=True, stdout=io.StringIO())
    assert Offer.objects.filter(provider__verification_status=VerificationStatus.VERIFIED)
    now = timezone.now()
    data = load_calendar()
    found_something = 0
    for query in random_queries(random.Random(7), 80):
        hits, has_more = search_providers(query, now=now)
        expected = expected_ids(query, data)
        assert [h.offer.provider_id for h in hits] == expected[: query.limit], query
        assert has_more == (len(expected) > query.limit)
        found_something += bool(expected)
    assert found_something >= 20  # the searches exercise real results, not only empty ones


@pytest.mark.parametrize(
    ("start", "end", "segments"),
    [
        ("2026-12-07T10:00", "2026-12-07T12:00", [(0, 600, 720)]),
        ("2026-12-07T22:00", "2026-12-08T06:00", [(0, 1320, 1440), (1, 0, 360)]),
        ("2026-12-07T22:00", "2026-12-08T00:00", [(0, 1320, 1440)]),
        ("2026-12-07T10:00:30", "2026-12-07T10:59:10", [(0, 600, 660)]),
    ],
)
def test_day_segments(start, end, segments):
    def aware(text):
        return timezone.make_aware(dt.datetime.fromisoformat(text))

    assert [
        (s.weekday, s.start_minute, s.end_minute) for s in day_segments(aware(start), aware(end))
    ] == segments
