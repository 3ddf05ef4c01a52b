"""Factories for providers. Categories and districts come from the data migrations."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.providers.models import (
    CalendarBlock,
    Document,
    DocumentKind,
    Offer,
    Provider,
    VerificationStatus,
    WeeklyWindow,
)

# Hazratganj, Lucknow (pincode 226001's centroid is close by).
LUCKNOW = (26.8500, 80.9462)


def category(slug: str) -> Category:
    return Category.objects.get(slug=slug)


def district(code: str = "LUCKNOW") -> District:
    return District.objects.get_or_create(
        code=code, defaults={"name_en": code.title(), "name_hi": code.title()}
    )[0]


class ProviderFactory(factory.django.DjangoModelFactory):
    """A verified provider at Hazratganj serving 10 km, on duty every day 08:00–20:00."""

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name_hi = "सुनीता देवी"
    name_latin = "Sunita Devi"
    district = factory.LazyFunction(district)
    home_lat = LUCKNOW[0]
    home_lng = LUCKNOW[1]
    service_radius_km = 10
    verification_status = VerificationStatus.VERIFIED
    rating_avg = Decimal("4.50")
    rating_count = 20
    rating_sum = factory.LazyAttribute(lambda o: round(o.rating_avg * o.rating_count))

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """hours=[(weekday, "HH:MM", "HH:MM"), ...]; default every day 08:00–20:00."""
        if not create:
            return
        spans = extracted if extracted is not None else [(d, "08:00", "20:00") for d in range(7)]
        WeeklyWindow.objects.bulk_create(
            WeeklyWindow(provider=self, weekday=d, start_minute=_minute(a), end_minute=_minute(b))
            for d, a, b in spans
        )

    @factory.post_generation
    def offers(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """offers=[("plumber", "300", "50"), ...] as (slug, price, visiting charge)."""
        if not create or not extracted:
            return
        for slug, price, visiting in extracted:
            offer_for(self, slug, price, visiting)


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def offer_for(provider: Provider, slug: str, price: str = "300", visiting: str = "50") -> Offer:
    return Offer.objects.create(
        provider=provider,
        category=category(slug),
        price=Decimal(price),
        visiting_charge=Decimal(visiting),
        lat=provider.home_lat,
        lng=provider.home_lng,
        radius_km=provider.service_radius_km,
    )


def police_document(provider: Provider, expires_on: dt.date) -> Document:
    return Document.objects.create(
        provider=provider,
        kind=DocumentKind.POLICE_VERIFICATION,
        reference="UPPOL/TEST/1",
        expires_on=expires_on,
    )


def block(
    provider: Provider,
    start: dt.datetime,
    end: dt.datetime,
    *,
    kind: str = "booking",
    expires_at: dt.datetime | None = None,
) -> CalendarBlock:
    buffer = dt.timedelta(minutes=provider.travel_buffer_minutes)
    return CalendarBlock.objects.create(
        provider=provider,
        kind=kind,
        starts_at=start,
        ends_at=end,
        busy_from=start - buffer,
        busy_until=end + buffer,
        expires_at=expires_at,
    )


def local(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = hhmm.split(":")
    return timezone.make_aware(dt.datetime.combine(day, dt.time(int(hours), int(minutes))))


def next_weekday(weekday: int, *, after_days: int = 1) -> dt.date:
    """The first date with this weekday at least `after_days` days from today (India)."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)
