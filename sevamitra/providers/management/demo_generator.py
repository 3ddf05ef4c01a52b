"""Demo providers drawn from one random stream (`manage.py seed`): the same seed gives the
same providers, in the same order. Built in memory, not saved: the command saves them in bulk.
"""

import itertools
import math
import random
import statistics
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sevamitra.accounts.models import Role, RoleGrant, User
from sevamitra.catalog.models import Category, PricingUnit
from sevamitra.geo.distance import distance_km
from sevamitra.geo.models import District
from sevamitra.geo.pincodes import district_pincodes, pincode_info
from sevamitra.providers import demo_names as names
from sevamitra.providers.management import demo_profiles as demo
from sevamitra.providers.models import (
    Document,
    DocumentKind,
    Gender,
    IdType,
    Language,
    Leave,
    Offer,
    Provider,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)

UP_BOUNDS = (23.8, 30.5, 77.0, 84.7)  # latitude min, max; longitude min, max
KM_PER_DEGREE = 111.19
HOME_JITTER_KM = 1.5
FAR_PINCODE_KM = 60  # the postal data lists a few far-away pincodes under a district
CITY_KM = 12  # pincodes near the head post office ("…001") get 4x the people
# Phone numbers: PHONE_BASE + (offset + k * PHONE_STEP) mod PHONE_SPAN is one-to-one in k.
PHONE_BASE, PHONE_SPAN, PHONE_STEP = 6_000_000_000, 3_900_000_000, 2_654_435_761

STATUSES = (VerificationStatus.VERIFIED, VerificationStatus.PENDING, VerificationStatus.SUSPENDED)
STATUS_WEIGHTS = (88, 8, 4)
ID_TYPES = (
    IdType.AADHAAR,
    IdType.VOTER_ID,
    IdType.DRIVING_LICENCE,
    IdType.PAN,
    IdType.RATION_CARD,
    IdType.PASSPORT,
)
ID_TYPE_WEIGHTS = (70, 12, 8, 5, 4, 1)
RADII_KM = (3, 4, 5, 5, 6, 7, 8, 8, 10, 10, 12, 15)
VISITING_CHARGES = (0, 0, 0, 30, 50, 50, 80, 100, 100, 150)
MONTHLY_UNITS = {PricingUnit.MONTH, PricingUnit.EVENT, PricingUnit.DAY}


def offset_point(lat: float, lng: float, km: float, bearing: float) -> tuple[float, float]:
    """The point km away from (lat, lng) in the direction bearing (radians from north)."""
    return (
        lat + km * math.cos(bearing) / KM_PER_DEGREE,
        lng + km * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(lat))),
    )


def merge_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One weekday's windows sorted, with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass
class Area:
    """A district's real pincodes: centroids, how many people live there, neighbours."""

    district: District
    pincodes: list[tuple[str, float, float]]
    weights: list[int]
    nearby: dict[str, list[str]]  # pincode -> the other pincodes, nearest first

    @classmethod
    def load(cls, district: District) -> "Area":
        lat_min, lat_max, lng_min, lng_max = UP_BOUNDS
        points = [
            (pin, info.lat, info.lng)
            for pin in district_pincodes(district.code)
            if (info := pincode_info(pin))
            and lat_min <= info.lat <= lat_max
            and lng_min <= info.lng <= lng_max
        ]
        if not points:
            raise LookupError(f"The postal data has no pincodes for district {district.code}.")
        mid = (statistics.median(p[1] for p in points), statistics.median(p[2] for p in points))
        points = [p for p in points if distance_km(*mid, p[1], p[2]) <= FAR_PINCODE_KM]
        head = min((p for p in points if p[0].endswith("001")), default=(None, *mid))
        weights = [4 if distance_km(head[1], head[2], p[1], p[2]) <= CITY_KM else 1 for p in points]
        nearby = {
            pin: [
                other
                for other, _, _ in sorted(
                    # a provider may only list pincodes within the largest service radius
                    (
                        q
                        for q in points
                        if q[0] != pin
                        and distance_km(lat, lng, q[1], q[2])
                        <= settings.PROVIDER_MAX_RADIUS_KM - HOME_JITTER_KM
                    ),
                    key=lambda q: distance_km(lat, lng, q[1], q[2]),
                )
            ]
            for pin, lat, lng in points
        }
        return cls(district, points, weights, nearby)


@dataclass
class Seeded:
    """One provider with everything that hangs off it, built but not saved yet."""

    user: User
    grant: RoleGrant
    provider: Provider
    offers: list[Offer]
    pincodes: list[ServicePincode]
    windows: list[WeeklyWindow]
    leaves: list[Leave]
    documents: list[Document]
    categories: list[Category]


class DemoProviders:
    """Draws providers from one random stream: the same seed, the same providers."""

    def __init__(
        self,
        rng: random.Random,
        areas: list[Area],
        categories: list[Category],
        taken_phones: set[str],
        now: datetime,
    ) -> None:
        self.rng = rng
        self.areas = areas
        self.area_weights = [demo.DISTRICT_WEIGHTS[a.district.code] for a in areas]
        self.categories = categories
        self.profiles = {c.pk: demo.profile_for(c.slug, c.name_en) for c in categories}
        self.category_weights = [self.profiles[c.pk].weight for c in categories]
        self.now, self.today = now, timezone.localdate(now)
        self.unusable_password = make_password(None)  # hashing once, not per user
        self.phones = self._phone_numbers(taken_phones, offset=rng.randrange(PHONE_SPAN))
        communities = {n.community for n in names.FIRST_NAMES}
        self.first_names = {
            (c, g): [n for n in names.FIRST_NAMES if n.community == c and n.gender == g]
            for c in communities
            for g in (Gender.FEMALE, Gender.MALE)
        }
        self.surnames = {
            (c, g): [s for s in names.SURNAMES if s.community == c and s.gender in ("", g)]
            for c in communities
            for g in (Gender.FEMALE, Gender.MALE)
        }

    @staticmethod
    def _phone_numbers(taken: set[str], offset: int) -> Iterator[str]:
        for k in itertools.count():
            phone = str(PHONE_BASE + (offset + k * PHONE_STEP) % PHONE_SPAN)
            if phone not in taken:
                yield phone

    def provider(self) -> Seeded:
        rng = self.rng
        area = rng.choices(self.areas, self.area_weights)[0]
        categories = self._categories()
        profile = self.profiles[categories[0].pk]
        gender, name_hi, name_latin, community = self._person(area.district.code, profile)
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        pending = status == VerificationStatus.PENDING
        created = self.now - timedelta(
            days=rng.randint(0, 30) if pending else rng.randint(30, 730),
            minutes=rng.randrange(1440),
        )
        changed = None if pending else min(self.now, created + timedelta(days=rng.randint(1, 60)))
        if pending or rng.random() < 0.12:  # nobody has rated a new provider yet
            rating, rating_count = 0.0, 0
        else:
            rating = min(5.0, max(3.0, rng.gauss(4.3, 0.35)))
            rating_count = min(500, 1 + int(rng.expovariate(1 / 45)))
        pin, lat, lng = rng.choices(area.pincodes, area.weights)[0]
        home_lat, home_lng = offset_point(  # uniform over a disc around the centroid
            lat, lng, HOME_JITTER_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        )
        roll = rng.random()
        radius = 0 if roll < 0.10 else rng.choice(RADII_KM)
        if radius == 0:  # only listed pincodes: home and its neighbours
            served = [pin, *area.nearby[pin][: rng.randint(1, 5)]]
        elif roll < 0.30:  # radius plus some pincodes further out
            further = area.nearby[pin][:10]
            served = sorted(rng.sample(further, min(rng.randint(1, 4), len(further))))
        else:
            served = []

        user = User(
            phone=next(self.phones),
            name=name_latin,
            password=self.unusable_password,
            preferred_language="en" if rng.random() < 0.08 else "hi",
            date_joined=created,
        )
        provider = Provider(
            user=user,
            name_hi=name_hi,
            name_latin=name_latin,
            gender=gender,
            languages=self._languages(area.district.code, community),
            experience_years=int(rng.triangular(0, 25, 4)),
            district=area.district,
            home_lat=round(home_lat, 6),
            home_lng=round(home_lng, 6),
            service_radius_km=radius,
            travel_buffer_minutes=rng.choice((15, 20, 25, 30, 30, 30, 40, 45)),
            free_cancellation_hours=rng.choice((1, 2, 2, 3, 4, 6, 12, 24)),
            cancellation_fee=Decimal(rng.choice((0, 0, 50, 50, 100, 100, 150, 200))),
            terms_included=rng.choice(profile.included),
            verification_status=status,
            status_reason=rng.choice(demo.SUSPENSION_REASONS)
            if status == VerificationStatus.SUSPENDED
            else "",
            status_changed_at=changed,
            is_active=rng.random() < 0.95,
            rating_avg=Decimal(f"{rating:.2f}"),
            rating_count=rating_count,
            rating_sum=round(rating * rating_count),
            created_at=created,
        )
        return Seeded(
            user=user,
            grant=RoleGrant(user=user, role=Role.PROVIDER, granted_at=created),
            provider=provider,
            offers=self._offers(provider, categories),
            pincodes=[ServicePincode(provider=provider, pincode=p) for p in served],
            windows=self._windows(provider, profile),
            leaves=self._leaves(provider),
            documents=self._documents(provider, categories, changed),
            categories=categories,
        )

    def _categories(self) -> list[Category]:
        rng = self.rng
        chosen = rng.choices(self.categories, self.category_weights)
        for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0]):
            same_group = rng.random() < 0.8  # an electrician also repairs ACs, a maid cooks
            pool = [
                (c, w)
                for c, w in zip(self.categories, self.category_weights, strict=True)
                if c not in chosen and (not same_group or c.group == chosen[0].group)
            ]
            if pool:
                chosen += rng.choices([c for c, _ in pool], [w for _, w in pool])
        return chosen

    def _person(self, district_code: str, profile: demo.Profile) -> tuple[str, str, str, str]:
        rng = self.rng
        muslim = demo.MUSLIM_SHARE[district_code]
        others = demo.SIKH_SHARE + demo.CHRISTIAN_SHARE
        community = rng.choices(
            (names.HINDU, names.MUSLIM, names.SIKH, names.CHRISTIAN),
            (1 - muslim - others, muslim, demo.SIKH_SHARE, demo.CHRISTIAN_SHARE),
        )[0]
        roll = rng.random()
        if roll < 0.01:
            gender = Gender.UNDISCLOSED
        else:
            gender = Gender.FEMALE if roll < 0.01 + 0.99 * profile.female_share else Gender.MALE
        name_gender = rng.choice((Gender.FEMALE, Gender.MALE)) if roll < 0.01 else gender
        first = rng.choice(self.first_names[community, name_gender])
        last = rng.choice(self.surnames[community, name_gender])
        return gender, f"{first.hi} {last.hi}", f"{first.latin} {last.latin}", community

    def _languages(self, district_code: str, community: str) -> list[str]:
        rng = self.rng
        spoken = [Language.HINDI.value]
        regional = demo.REGIONAL_LANGUAGES.get(district_code)
        if regional and rng.random() < regional[1]:
            spoken.append(regional[0])
        if rng.random() < (0.7 if community == names.MUSLIM else 0.03):
            spoken.append(Language.URDU.value)
        if rng.random() < (0.95 if community == names.SIKH else 0.01):
            spoken.append(Language.PUNJABI.value)
        if rng.random() < 0.01:
            spoken.append(Language.BENGALI.value)
        if rng.random() < 0.2:
            spoken.append(Language.ENGLISH.value)
        return spoken

    def _offers(self, provider: Provider, categories: list[Category]) -> list[Offer]:
        rng = self.rng
        level = rng.betavariate(2, 2)  # where this provider sits in the going rate
        offers = []
        for category in categories:
            unit = category.pricing_unit
            low, high = self.profiles[category.pk].prices.get(unit) or demo.UNIT_PRICES[unit]
            price = low + (high - low) * min(1.0, max(0.0, level + rng.uniform(-0.15, 0.15)))
            step = 10 if price < 1000 else 50 if price < 10000 else 500
            if unit in MONTHLY_UNITS and rng.random() < 0.9:
                visiting = 0
            else:
                visiting = rng.choice(VISITING_CHARGES)
            offers.append(
                Offer(
                    provider=provider,
                    category=category,
                    lat=provider.home_lat,  # a copy of home, for the search index
                    lng=provider.home_lng,
                    radius_km=provider.service_radius_km,
                    visiting_charge=Decimal(visiting),
                    price=Decimal(max(step, round(price / step) * step)),
                )
            )
        return offers

    def _windows(self, provider: Provider, profile: demo.Profile) -> list[WeeklyWindow]:
        rng = self.rng
        pattern = rng.choices(list(profile.hours), list(profile.hours.values()))[0]
        shift = rng.choice((-60, -30, 0, 0, 0, 30, 60))
        if pattern[0][0] + shift < 0 or pattern[-1][1] + shift > 24 * 60:
            shift = 0  # round-the-clock patterns stay put
        day = merge_windows([(start + shift, end + shift) for start, end in pattern])
        days_on = rng.choices((7, 6, 5), (30, 50, 20))[0]
        if days_on == 7:
            off = set()
        elif days_on == 6:
            off = {6 if rng.random() < 0.4 else rng.randrange(7)}
        else:
            off = {5, 6} if rng.random() < 0.5 else set(rng.sample(range(7), 2))
        return [
            WeeklyWindow(provider=provider, weekday=weekday, start_minute=start, end_minute=end)
            for weekday in range(7)
            if weekday not in off
            for start, end in day
        ]

    def _leaves(self, provider: Provider) -> list[Leave]:
        rng = self.rng
        leaves: list[Leave] = []
        if rng.random() >= 0.35:
            return leaves
        offset = rng.randint(1, 30)
        for _ in range(rng.choice((1, 1, 2))):
            length = rng.choice((1, 1, 2, 3, 4, 7))
            if offset + length - 1 > 60:
                break
            starts = self.today + timedelta(days=offset)
            leaves.append(
                Leave(
                    provider=provider,
                    starts_on=starts,
                    reason=rng.choice(demo.LEAVE_REASONS),
                    ends_on=starts + timedelta(days=length - 1),
                )
            )
            offset += length + rng.randint(3, 20)
        return leaves

    def _documents(
        self, provider: Provider, categories: list[Category], checked: datetime | None
    ) -> list[Document]:
        rng = self.rng
        id_type = rng.choices(ID_TYPES, ID_TYPE_WEIGHTS)[0]
        if id_type == IdType.PAN:  # ABCDE1234F: three digits and the check letter
            last4 = f"{rng.randrange(1000):03d}{rng.choice(string.ascii_uppercase)}"
        else:
            last4 = f"{rng.randrange(10000):04d}"
        reference = ""
        if checked:
            source = "UIDAI-OKYC" if id_type == IdType.AADHAAR else "DIGILOCKER"
            reference = f"{source}/{checked.year}/{rng.randrange(10**7):07d}"
        documents = [
            Document(
                provider=provider,
                kind=DocumentKind.IDENTITY,
                id_type=id_type,
                last4=last4,
                reference=reference,
                created_at=provider.created_at,
            )
        ]
        if any(c.police_verification_required for c in categories):
            if rng.random() < 0.05:
                expires = self.today - timedelta(days=rng.randint(1, 120))  # lapsed
            else:
                expires = self.today + timedelta(days=rng.randint(183, 730))
            issued = expires - timedelta(days=730)
            documents.append(
                Document(
                    provider=provider,
                    kind=DocumentKind.POLICE_VERIFICATION,
                    expires_on=expires,
                    reference=f"UPPOL/{issued.year}/{rng.randrange(100000, 1000000)}",
                    created_at=provider.created_at,
                )
            )
        return documents
