"""Reads of linked profiles: the imported details, the Sevamitra registration they prefill, and
the work-history record we sign for the employment exchange."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.badges.selectors import badge_current
from sevamitra.bookings.models import Booking, BookingStatus, Rating, RatingDirection
from sevamitra.catalog.matching import find_matches
from sevamitra.catalog.models import Category
from sevamitra.employment.adapters import JobSeekerRecord
from sevamitra.employment.models import EmploymentLink, Portal, WorkHistoryShare
from sevamitra.geo import pincodes
from sevamitra.geo.models import District
from sevamitra.providers.models import (
    DocumentKind,
    Gender,
    Provider,
    VerificationStatus,
)

# --- registration numbers --------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-/.]")
_REGISTRATION = re.compile(r"[A-Z0-9]{6,24}")


def normalize_registration_number(raw: str) -> str | None:
    """ "up-lko 2024/000105" → "UPLKO2024000105" (Devanagari digits too); None if it cannot be
    a registration number (6 to 24 letters and digits)."""
    if not isinstance(raw, str):
        return None
    digits = "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in raw
    )
    value = _SEPARATORS.sub("", digits).upper()
    return value if _REGISTRATION.fullmatch(value) else None


# --- links and shares ------------------------------------------------------------------------


def active_link(user: User, portal: str = Portal.SEWAYOJAN) -> EmploymentLink | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return EmploymentLink.objects.filter(user=user, portal=portal, unlinked_at__isnull=True).first()


def active_share(user: User, portal: str = Portal.SEWAYOJAN) -> WorkHistoryShare | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        WorkHistoryShare.objects.filter(user=user, portal=portal, withdrawn_at__isnull=True)
        .select_related("link")
        .first()
    )


def number_linked_elsewhere(*, portal: str, registration_number: str, user: User) -> bool:
    """Whether another account holds an active link to this registration."""
    return (
        EmploymentLink.objects.filter(
            portal=portal, registration_number=registration_number, unlinked_at__isnull=True
        )
        .exclude(user=user)
        .exists()
    )


def snapshot(record: JobSeekerRecord) -> dict[str, Any]:
    """What a link keeps of the registration (JSON): everything but the mobile number, which
    is the account's own."""
    return {
        "name": record.name,
        "district_code": record.district_code,
        "pincode": record.pincode,
        "gender": record.gender,
        "date_of_birth": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "education": record.education,
        "experience_years": record.experience_years,
        "skills": list(record.skills),
        "certificates": [
            {
                "scheme": c.scheme,
                "trade": c.trade,
                "number": c.number,
                "issued_on": c.issued_on.isoformat() if c.issued_on else None,
            }
            for c in record.certificates
        ],
    }


@dataclass(frozen=True)
class ImportedDetails:
    """A snapshot as the pages show it."""

    name: str
    district: District | None
    district_code: str
    pincode: str
    gender: str  # the label, in the current language
    date_of_birth: dt.date | None
    education: str
    experience_years: int
    skills: list[str]
    certificates: list[dict[str, Any]]
    categories: list[Category]  # the services the skills and certificates point to


def imported_details(data: dict[str, Any]) -> ImportedDetails:
    code = data.get("district_code") or ""
    dob = data.get("date_of_birth")
    gender = data.get("gender") or ""
    return ImportedDetails(
        name=data.get("name") or "",
        district=District.objects.filter(code=code).first() if code else None,
        district_code=code,
        pincode=data.get("pincode") or "",
        gender=str(Gender(gender).label) if gender in Gender.values else "",
        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        education=data.get("education") or "",
        experience_years=int(data.get("experience_years") or 0),
        skills=list(data.get("skills") or []),
        certificates=[
            {
                **c,
                "issued_on": dt.date.fromisoformat(c["issued_on"]) if c.get("issued_on") else None,
            }
            for c in data.get("certificates") or []
        ],
        categories=categories_for(data),
    )


# --- prefilling the Sevamitra registration ---------------------------------------------------

# Official ITI (NCVT) trade and PMKVY job-role names the catalogue's own names and synonyms do
# not cover (catalog.matching handles the rest: "Electrician", "Wireman", "Plumber (General)",
# "Multi Cuisine Cook", "Domestic House Keeper", "Light Motor Vehicle Driver", …). Lower case.
TRADE_CATEGORIES = {
    "food production (general)": "cook",
    "food production": "cook",
    "cooking": "cook",
    "general duty assistant": "caregiver",
    "home health aide": "caregiver",
    "geriatric care aide": "caregiver",
    "mechanic consumer electronic appliances": "ac-appliance-repair",
    "mechanic consumer electronics appliances": "ac-appliance-repair",
    "driving": "driver",
    "babysitting": "babysitter",
}
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'\-]*")  # as providers.web.forms.AboutForm


def categories_for(data: dict[str, Any]) -> list[Category]:
    """The active catalogue categories the certificates' trades and the skills point to, in
    catalogue order: certificate trades and skills matched like a search query (Hindi, Latin,
    Hinglish, the catalogue's synonyms), official trade names through TRADE_CATEGORIES."""
    terms = [c.get("trade") or "" for c in data.get("certificates") or []]
    terms += list(data.get("skills") or [])
    slugs: set[str] = set()
    for term in terms:
        known = TRADE_CATEGORIES.get(" ".join(term.lower().split()))
        if known:
            slugs.add(known)
            continue
        matches = find_matches(term)
        if matches:
            slugs.add(matches[0].slug)
    if not slugs:
        return []
    return list(Category.objects.filter(slug__in=slugs, is_active=True).order_by("sort_order"))


def registration_prefill(user: User) -> dict[str, Any]:
    """Initial answers for the Sevamitra registration from the person's linked registration:
    name_hi / name_latin (by the script it is written in), gender, district (code), pincode,
    categories (slugs), experience_years. Only what the registration says; {} without a link."""
    link = active_link(user)
    if link is None:
        return {}
    data = link.imported or {}
    prefill: dict[str, Any] = {}
    name = " ".join((data.get("name") or "").split())
    if _DEVANAGARI.search(name):
        prefill["name_hi"] = name
    elif _LATIN_NAME.fullmatch(name):
        prefill["name_latin"] = name
    if data.get("gender") in (Gender.FEMALE, Gender.MALE, Gender.OTHER):
        prefill["gender"] = data["gender"]
    code = data.get("district_code") or ""
    if code and District.objects.filter(code=code).exists():
        prefill["district"] = code
    pincode = data.get("pincode") or ""
    if pincode and pincodes.pincode_info(pincode) is not None:
        prefill["pincode"] = pincode
    categories = categories_for(data)
    if categories:
        prefill["categories"] = [c.slug for c in categories]
    if data.get("experience_years"):
        prefill["experience_years"] = int(data["experience_years"])
    return prefill


# --- the work-history record -----------------------------------------------------------------

RECORD_TYPE = "sevamitra-work-history+jwt"
# The issuer is the site itself (sso/urls.py: discovery at <issuer>/.well-known/...). Without
# OIDC_ISSUER, django-oauth-toolkit derives it from each request; a record is also signed in
# the worker (no request), so production must set OIDC_ISSUER.
DEFAULT_ISSUER = "http://127.0.0.1:8000"
DEFAULT_RECORD_VALID_DAYS = 180


def issuer() -> str:
    """The portal's OpenID Connect issuer (the `iss` of its ID tokens and of our records)."""
    configured = getattr(settings, "OIDC_ISSUER", "") or getattr(
        settings, "OAUTH2_PROVIDER", {}
    ).get("OIDC_ISS_ENDPOINT", "")
    return (configured or DEFAULT_ISSUER).rstrip("/")


def verified_categories(provider: Provider, *, today: dt.date) -> list[Category]:
    """The categories of the provider's active offers that they are verified for today: the
    provider is verified, and a category needing police verification has a certificate in
    date (as bookings.calendar.check_bookable requires)."""
    if provider.verification_status != VerificationStatus.VERIFIED:
        return []
    police_ok = provider.documents.filter(
        kind=DocumentKind.POLICE_VERIFICATION, expires_on__gte=today
    ).exists()
    categories = Category.objects.filter(offers__provider=provider, offers__is_active=True)
    if not police_ok:
        categories = categories.filter(police_verification_required=False)
    return list(categories.distinct().order_by("sort_order", "name_en"))


def work_history_record(
    user: User, *, portal: str = Portal.SEWAYOJAN, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The claims of a Sevamitra's work-history record for `portal` (signed by the services).

    Only the person's own work: counts, dates, ratings, categories, verification, badge. No
    customer, no address, no review text. Needs a Provider and an active link (LookupError)."""
    now = now or timezone.now()
    provider = Provider.objects.filter(user=user).first()
    link = active_link(user, portal)
    if provider is None or link is None:
        raise LookupError("a work-history record needs a Sevamitra with a linked registration")
    done = Booking.objects.filter(
        provider=provider, status__in=[BookingStatus.COMPLETED, BookingStatus.RATED]
    ).aggregate(count=Count("pk"), first=Min("ends_at"), last=Max("ends_at"))
    ratings = Rating.objects.filter(
        Q(booking__provider=provider), direction=RatingDirection.CUSTOMER_RATES_PROVIDER
    ).aggregate(average=Avg("stars"), count=Count("pk"))
    badge = badge_current(provider)
    valid_days = getattr(settings, "EMPLOYMENT_RECORD_VALID_DAYS", DEFAULT_RECORD_VALID_DAYS)
    today = timezone.localdate(now)
    return {
        "iss": issuer(),
        "sub": str(user.pk),  # as the subject of our OpenID Connect ID tokens
        "aud": portal,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(days=valid_days)).timestamp()),
        "registration_number": link.registration_number,
        "completed_jobs": done["count"],
        "first_completed_on": _day(done["first"]),
        "last_completed_on": _day(done["last"]),
        "rating": {
            "average": round(float(ratings["average"]), 2) if ratings["count"] else None,
            "count": ratings["count"],
        },
        "verified_categories": [
            {"code": c.slug, "name_en": c.name_en, "name_hi": c.name_hi}
            for c in verified_categories(provider, today=today)
        ],
        "verification_status": provider.verification_status,
        "verified_on": provider.verified_on.isoformat() if provider.verified_on else None,
        "badge_number": badge.number if badge is not None else None,
    }


def _day(value: dt.datetime | None) -> str | None:
    return timezone.localdate(value).isoformat() if value is not None else None


def sign_record(claims: dict[str, Any]) -> str:
    """The record as a compact JWS (RS256) with the key our JWKS publishes."""
    from sevamitra.sso.keys import sign_jws

    return sign_jws(claims, typ=RECORD_TYPE)


def record_claims(token: str) -> dict[str, Any]:
    """The claims of a record we signed (ValueError if the signature does not verify)."""
    from sevamitra.sso.keys import verify_jws

    return verify_jws(token)


def record_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS (alg, kid, typ), not verified."""
    import base64
    import json

    head = token.split(".", 1)[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


# --- pages and the data download -------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    link: EmploymentLink | None
    details: ImportedDetails | None
    share: WorkHistoryShare | None
    provider: Provider | None


def employment_overview(user: User, portal: str = Portal.SEWAYOJAN) -> Overview:
    link = active_link(user, portal)
    return Overview(
        link=link,
        details=imported_details(link.imported) if link else None,
        share=active_share(user, portal),
        provider=Provider.objects.filter(user=user).first(),
    )


def person_employment_data(user: User) -> dict[str, Any]:
    """The person's links and shares for the privacy download (privacy.selectors.person_data)."""
    links = EmploymentLink.objects.filter(user=user).order_by("linked_at", "pk")
    shares = WorkHistoryShare.objects.filter(user=user).order_by("consented_at", "pk")
    return {
        "links": [
            {
                "portal": link.portal,
                "registration_number": link.registration_number,
                "imported": link.imported,
                "linked_at": link.linked_at.isoformat(),
                "unlinked_at": link.unlinked_at.isoformat() if link.unlinked_at else None,
            }
            for link in links
        ],
        "work_history_shares": [
            {
                "portal": share.portal,
                "consented_at": share.consented_at.isoformat(),
                "withdrawn_at": share.withdrawn_at.isoformat() if share.withdrawn_at else None,
                "record": share.record,
                "sent_at": share.sent_at.isoformat() if share.sent_at else None,
            }
            for share in shares
        ],
    }
