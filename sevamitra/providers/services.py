"""Writes on providers: registration, service area, offers, terms, availability, documents,
verification status. Every function takes the acting user and checks the policy first, and
writes its audit entry last (references and values, never names, places or ID numbers)."""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import User
from sevamitra.accounts.phone import ascii_digits
from sevamitra.accounts.services import role_ensure
from sevamitra.audit.services import audit_change, audit_record, snapshot
from sevamitra.catalog.models import Category
from sevamitra.core import uploads
from sevamitra.core.errors import DomainError
from sevamitra.geo import pincodes
from sevamitra.geo.distance import distance_km
from sevamitra.geo.models import District
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.providers.models import (
    REASON_REQUIRED_STATUSES,
    VERIFICATION_TRANSITIONS,
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

MINUTES_PER_DAY = 24 * 60
# What the audit trail keeps of a registration and of an offer (no names, places or gender).
_REGISTERED_FIELDS = (
    "user_id",
    "district_id",
    "service_radius_km",
    "languages",
    "experience_years",
    "verification_status",
)
_OFFER_FIELDS = ("provider_id", "category_id", "price", "visiting_charge", "is_active")
_PROFILE_FIELDS = ("languages", "experience_years")


def _check_location(lat: float, lng: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError(_("The location is not a valid point."), code="invalid_location")


def _check_radius(radius_km: int) -> None:
    if not 0 <= radius_km <= settings.PROVIDER_MAX_RADIUS_KM:
        raise DomainError(
            _("The service radius must be between 0 and %(max)d km.")
            % {"max": settings.PROVIDER_MAX_RADIUS_KM},
            code="invalid_radius",
            field="service_radius_km",
        )


def _clean_pincodes(values: Iterable[str], *, home_lat: float, home_lng: float) -> list[str]:
    """Real pincodes, each within PROVIDER_MAX_RADIUS_KM of home: a Sevamitra works locally,
    and search relies on it (docs/adr/0002-search.md)."""
    cleaned = sorted({v.strip() for v in values if v and v.strip()})
    infos = {p: pincodes.pincode_info(p) for p in cleaned}
    unknown = [p for p, info in infos.items() if info is None]
    if unknown:
        raise DomainError(
            _("These are not valid pincodes: %(pincodes)s") % {"pincodes": ", ".join(unknown)},
            code="invalid_pincode",
            field="pincodes",
        )
    max_km = settings.PROVIDER_MAX_RADIUS_KM
    too_far = [
        p
        for p, info in infos.items()
        if info is not None and distance_km(home_lat, home_lng, info.lat, info.lng) > max_km
    ]
    if too_far:
        raise DomainError(
            _("These pincodes are more than %(km)d km from your home: %(pincodes)s")
            % {"km": max_km, "pincodes": ", ".join(too_far)},
            code="pincode_too_far",
            field="pincodes",
        )
    return cleaned


@transaction.atomic
def provider_register(
    *,
    user: User,
    name_hi: str,
    name_latin: str,
    district: District,
    home_lat: float,
    home_lng: float,
    service_radius_km: int = 5,
    pincodes_served: Iterable[str] = (),
    gender: str = "undisclosed",
    languages: list[str] | None = None,
    experience_years: int = 0,
    acting_user: User,
) -> Provider:
    """A person registers as a Sevamitra; the profile waits for verification."""
    permissions.require(acting_user.pk == user.pk or permissions.is_administrator(acting_user))
    if Provider.objects.filter(user=user).exists():
        raise DomainError(
            _("This mobile number is already registered as a Sevamitra."), code="already_registered"
        )
    if not name_hi.strip() or not name_latin.strip():
        raise DomainError(
            _("Enter your name in Hindi and in English letters."),
            code="name_required",
            field="name",
        )
    _check_location(home_lat, home_lng)
    _check_radius(service_radius_km)
    served = _clean_pincodes(pincodes_served, home_lat=home_lat, home_lng=home_lng)
    if service_radius_km == 0 and not served:
        raise DomainError(
            _("Give a service radius or at least one pincode you serve."),
            code="no_service_area",
            field="service_radius_km",
        )
    provider = Provider.objects.create(
        user=user,
        name_hi=name_hi.strip(),
        name_latin=name_latin.strip(),
        district=district,
        home_lat=home_lat,
        home_lng=home_lng,
        service_radius_km=service_radius_km,
        gender=gender,
        languages=languages or ["hi"],
        experience_years=experience_years,
    )
    ServicePincode.objects.bulk_create(ServicePincode(provider=provider, pincode=p) for p in served)

    role_ensure(user=user, role="provider", acting_user=acting_user)
    audit_record(
        actor=acting_user,
        action="provider.registered",
        obj=provider,
        after={
            **snapshot(provider, _REGISTERED_FIELDS),
            "pincodes_served": served,
        },
    )
    return provider


@transaction.atomic
def provider_set_service_area(
    *,
    provider: Provider,
    home_lat: float,
    home_lng: float,
    service_radius_km: int,
    pincodes_served: Iterable[str],
    acting_user: User,
) -> Provider:
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    _check_location(home_lat, home_lng)
    _check_radius(service_radius_km)
    served = _clean_pincodes(pincodes_served, home_lat=home_lat, home_lng=home_lng)
    if service_radius_km == 0 and not served:
        raise DomainError(
            _("Give a service radius or at least one pincode you serve."),
            code="no_service_area",
            field="service_radius_km",
        )
    before = {
        "service_radius_km": provider.service_radius_km,
        "pincodes_served": sorted(provider.service_pincodes.values_list("pincode", flat=True)),
    }
    home_moved = (provider.home_lat, provider.home_lng) != (home_lat, home_lng)
    provider.home_lat, provider.home_lng = home_lat, home_lng
    provider.service_radius_km = service_radius_km
    provider.save(update_fields=["home_lat", "home_lng", "service_radius_km", "updated_at"])
    provider.offers.update(lat=home_lat, lng=home_lng, radius_km=service_radius_km)
    provider.service_pincodes.exclude(pincode__in=served).delete()
    ServicePincode.objects.bulk_create(
        [ServicePincode(provider=provider, pincode=p) for p in served], ignore_conflicts=True
    )
    # Where the home is stays out of the trail: only that it moved.
    audit_record(
        actor=acting_user,
        action="provider.area_changed",
        obj=provider,
        before=before,
        after={
            "service_radius_km": service_radius_km,
            "pincodes_served": served,
            "home_moved": home_moved,
        },
    )
    return provider


def _money(value: Decimal | int | str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise DomainError(
            _("Enter an amount in rupees."), code="invalid_amount", field=field
        ) from exc
    if amount < 0 or amount >= Decimal("100000000"):
        raise DomainError(
            _("The amount must be between ₹0 and ₹9,99,99,999."), code="invalid_amount", field=field
        )
    return amount


@transaction.atomic
def offer_set(
    *,
    provider: Provider,
    category: Category,
    price: Decimal,
    visiting_charge: Decimal = Decimal("0"),
    acting_user: User,
) -> Offer:
    """Offer a category at the provider's own price (create or change)."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if not category.is_active:
        raise DomainError(_("This service is not offered on the portal."), code="inactive_category")
    price = _money(price, "price")
    if price == 0:
        raise DomainError(_("Set a price above ₹0."), code="invalid_amount", field="price")
    existing = Offer.objects.filter(provider=provider, category=category).first()
    before = snapshot(existing, _OFFER_FIELDS) if existing else None
    offer, _created = Offer.objects.update_or_create(
        provider=provider,
        category=category,
        defaults={
            "price": price,
            "visiting_charge": _money(visiting_charge, "visiting_charge"),
            "is_active": True,
            "lat": provider.home_lat,
            "lng": provider.home_lng,
            "radius_km": provider.service_radius_km,
        },
    )
    if before is None:
        audit_change(actor=acting_user, action="offer.set", obj=offer, fields=_OFFER_FIELDS)
    else:
        audit_change(actor=acting_user, action="offer.set", obj=offer, before=before)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, acting_user: User) -> Offer:
    permissions.require(permissions.can_edit_provider(acting_user, offer.provider))
    before = {"is_active": offer.is_active}
    offer.is_active = False
    offer.save(update_fields=["is_active"])
    audit_change(actor=acting_user, action="offer.withdrawn", obj=offer, before=before)
    return offer


@transaction.atomic
def provider_set_terms(
    *,
    provider: Provider,
    free_cancellation_hours: int,
    cancellation_fee: Decimal,
    included: str,
    acting_user: User,
) -> Provider:
    """The provider's own terms: the portal shows them and applies them, adds nothing."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if not 0 <= free_cancellation_hours <= 168:
        raise DomainError(
            _("Free cancellation must be between 0 and 168 hours before the visit."),
            code="invalid_terms",
            field="free_cancellation_hours",
        )
    refuse_aadhaar(included, field="included")
    before = snapshot(provider, ("free_cancellation_hours", "cancellation_fee"))
    included_changed = provider.terms_included != included.strip()
    provider.free_cancellation_hours = free_cancellation_hours
    provider.cancellation_fee = _money(cancellation_fee, "cancellation_fee")
    provider.terms_included = included.strip()
    provider.save(
        update_fields=[
            "free_cancellation_hours",
            "cancellation_fee",
            "terms_included",
            "updated_at",
        ]
    )
    # "What is included" is the provider's own words: only whether it changed.
    audit_record(
        actor=acting_user,
        action="provider.terms_changed",
        obj=provider,
        before=before,
        after={
            **snapshot(provider, ("free_cancellation_hours", "cancellation_fee")),
            "included_changed": included_changed,
        },
    )
    return provider


def merge_windows(windows: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Validate (weekday, start_minute, end_minute) triples and merge overlapping or touching
    ones per weekday, so that one stored window covers any on-duty stretch."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in windows:
        if not (0 <= weekday <= 6 and 0 <= start < end <= MINUTES_PER_DAY):
            raise DomainError(
                _("Each working period needs a weekday and a start before its end."),
                code="invalid_window",
                field="windows",
            )
        by_day.setdefault(weekday, []).append((start, end))
    merged: list[tuple[int, int, int]] = []
    for weekday in sorted(by_day):
        spans = sorted(by_day[weekday])
        cur_start, cur_end = spans[0]
        for start, end in spans[1:]:
            if start <= cur_end:
                cur_end = max(cur_end, end)
            else:
                merged.append((weekday, cur_start, cur_end))
                cur_start, cur_end = start, end
        merged.append((weekday, cur_start, cur_end))
    return merged


@transaction.atomic
def provider_set_weekly_availability(
    *, provider: Provider, windows: Iterable[tuple[int, int, int]], acting_user: User
) -> list[WeeklyWindow]:
    """Replace the weekly hours on duty."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    merged = merge_windows(windows)
    before = [
        list(row)
        for row in provider.weekly_windows.order_by("weekday", "start_minute").values_list(
            "weekday", "start_minute", "end_minute"
        )
    ]
    provider.weekly_windows.all().delete()
    created = WeeklyWindow.objects.bulk_create(
        WeeklyWindow(provider=provider, weekday=w, start_minute=s, end_minute=e)
        for w, s, e in merged
    )
    audit_record(
        actor=acting_user,
        action="provider.hours_changed",
        obj=provider,
        before={"windows": before},
        after={"windows": [list(row) for row in merged]},
    )
    return created


@transaction.atomic
def leave_add(
    *,
    provider: Provider,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
    acting_user: User,
) -> Leave:
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if ends_on < starts_on:
        raise DomainError(
            _("The leave must end on or after the day it starts."),
            code="invalid_leave",
            field="ends_on",
        )
    if ends_on < timezone.localdate():
        raise DomainError(_("The leave is already over."), code="invalid_leave", field="ends_on")
    leave = Leave.objects.create(
        provider=provider, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    audit_change(
        actor=acting_user,
        action="leave.added",
        obj=leave,
        fields=("provider_id", "starts_on", "ends_on"),
    )
    return leave


@transaction.atomic
def leave_cancel(*, leave: Leave, acting_user: User) -> None:
    permissions.require(permissions.can_edit_provider(acting_user, leave.provider))
    before = snapshot(leave, ("provider_id", "starts_on", "ends_on"))
    leave_id = leave.pk
    leave.delete()
    audit_record(
        actor=acting_user,
        action="leave.cancelled",
        object_type="providers.leave",
        object_id=leave_id,
        before=before,
    )


@transaction.atomic
def document_add_identity(
    *, provider: Provider, id_type: str, last4: str, reference: str = "", acting_user: User
) -> Document:
    """Record an identity document by type and its last four characters only.

    A longer value is refused, not truncated: a full Aadhaar number must never reach us.
    """
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if id_type not in IdType.values:
        raise DomainError(
            _("Choose the type of identity document."), code="invalid_id_type", field="id_type"
        )
    last4 = (last4 or "").strip().upper()
    if len(last4) != 4 or not last4.isalnum() or not last4.isascii():
        raise DomainError(
            _("Enter only the last four characters of the document number, not the full number."),
            code="invalid_last4",
            field="last4",
        )
    document = Document.objects.create(
        provider=provider,
        kind=DocumentKind.IDENTITY,
        id_type=id_type,
        last4=last4,
        reference=reference.strip()[:64],
    )
    # The type of document only: its last four characters are part of an ID number.
    audit_change(
        actor=acting_user,
        action="document.added",
        obj=document,
        fields=("provider_id", "kind", "id_type"),
    )
    return document


@transaction.atomic
def document_add_police_verification(
    *,
    provider: Provider,
    reference: str,
    expires_on: dt.date,
    file: File | None = None,
    acting_user: User,
) -> Document:
    """The police verification certificate: its number, validity and, from the provider's
    pages, a scan of it (a PDF or a picture, checked by its content)."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError(
            _("Enter the police verification certificate number."),
            code="invalid_reference",
            field="reference",
        )
    if expires_on <= timezone.localdate():
        raise DomainError(
            _("This police verification has already expired."),
            code="expired_document",
            field="expires_on",
        )
    content = _document_content(file, field="file") if file is not None else None
    document = Document(
        provider=provider,
        kind=DocumentKind.POLICE_VERIFICATION,
        reference=reference,
        expires_on=expires_on,
    )
    if content is not None:
        data, extension = content
        document.file.save(
            f"{provider.pk}-{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False
        )
    document.save()
    # Not the certificate's number: its validity and whether a scan came with it.
    audit_record(
        actor=acting_user,
        action="document.added",
        obj=document,
        after={
            **snapshot(document, ("provider_id", "kind", "expires_on")),
            "has_file": bool(document.file),
        },
    )
    return document


# The audit action of each status change, by the status moved to (and from, where it says more).
_STATUS_ACTIONS = {
    VerificationStatus.VERIFIED: "provider.verified",
    VerificationStatus.CHANGES_REQUESTED: "provider.changes_requested",
    VerificationStatus.REJECTED: "provider.rejected",
    VerificationStatus.SUSPENDED: "provider.suspended",
    VerificationStatus.PENDING: "provider.returned_to_pending",
}


def _status_action(old: str, new: str) -> str:
    if old == VerificationStatus.SUSPENDED and new == VerificationStatus.VERIFIED:
        return "provider.reinstated"
    return _STATUS_ACTIONS[VerificationStatus(new)]


@transaction.atomic
def provider_set_status(
    *, provider: Provider, status: str, reason: str = "", acting_user: User | None
) -> Provider:
    """Move a provider along VERIFICATION_TRANSITIONS (district officer of their district, or
    an administrator). Suspension, "changes asked for" and "not accepted" need a reason: the
    provider sees it.

    A new Sevamitra is approved through verification.services.verification_approve, which
    checks the documents the officer ticked, records the decision and issues the ID badge,
    and calls this function for the status itself; the back office uses this function only
    to suspend and to reinstate.

    The provider themself moves only from "changes asked for" back to "pending" (they send
    the registration again: verification.services.verification_resubmit).

    acting_user=None is the portal itself acting on a rule (a safety complaint suspends the
    provider at once, pending review; an overdue re-verification lapses): only services pass
    None, never a view.
    """
    locked = Provider.objects.select_for_update(of=("self",)).get(pk=provider.pk)
    old_status = locked.verification_status
    if acting_user is not None:
        resubmits = (old_status, status) == (
            VerificationStatus.CHANGES_REQUESTED,
            VerificationStatus.PENDING,
        )
        # Sending the registration again after changes is the provider's own step.
        permissions.require(
            permissions.can_edit_provider(acting_user, locked)
            if resubmits
            else permissions.can_verify_provider(acting_user, locked)
        )
    allowed = VERIFICATION_TRANSITIONS.get(old_status, frozenset())
    if status not in allowed:
        raise DomainError(
            _("A provider who is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": VerificationStatus(old_status).label,
                "new": VerificationStatus(status).label
                if status in VerificationStatus.values
                else status,
            },
            code="illegal_transition",
            status=409,
        )
    if status in REASON_REQUIRED_STATUSES and not reason.strip():
        raise DomainError(
            _("Write the reason: the provider will see it."),
            code="reason_required",
            field="reason",
        )
    locked.verification_status = status
    locked.status_reason = reason.strip()
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = acting_user
    locked.save(
        update_fields=[
            "verification_status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )
    for name in ("verification_status", "status_reason", "status_changed_at", "status_changed_by"):
        setattr(provider, name, getattr(locked, name))
    # The reason is free text: only that one was given.
    audit_record(
        actor=acting_user,
        action=_status_action(old_status, status),
        obj=locked,
        before={"verification_status": old_status},
        after={"verification_status": status, "reason_given": bool(reason.strip())},
    )
    return locked


# --- Profile, photo, prices (the Sevamitra's own pages) --------------------------------------

PHOTO_MAX_SIDE = 800
DOCUMENT_IMAGE_MAX_SIDE = 2400
DRAFT_PHOTOS = "providers/drafts/"


def _photo_content(upload: File) -> bytes:
    return uploads.picture_content(upload, field="photo", max_side=PHOTO_MAX_SIDE)


def _document_content(upload: File, *, field: str) -> tuple[bytes, str]:
    """(bytes, extension) of a certificate: a picture (re-encoded) or a PDF."""
    return uploads.document_content(upload, field=field, max_side=DOCUMENT_IMAGE_MAX_SIDE)


def photo_draft_save(*, upload: File, replaces: str = "", acting_user: User) -> str:
    """Check and keep a photo chosen during registration, before the profile exists; returns
    its storage name (the registration pages keep it in the session)."""
    permissions.require(bool(acting_user.is_authenticated and acting_user.is_active))
    content = _photo_content(upload)
    name = default_storage.save(f"{DRAFT_PHOTOS}{uuid.uuid4().hex}.jpg", ContentFile(content))
    photo_draft_discard(name=replaces)
    return name


def photo_draft_discard(*, name: str) -> None:
    if name and name.startswith(DRAFT_PHOTOS) and ".." not in name:
        default_storage.delete(name)


def _store_photo(provider: Provider, content: bytes) -> None:
    old = provider.photo.name if provider.photo else ""
    provider.photo.save(
        f"{provider.pk}-{uuid.uuid4().hex[:12]}.jpg", ContentFile(content), save=False
    )
    provider.save(update_fields=["photo", "updated_at"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))


@transaction.atomic
def provider_register_with_photo(*, photo_draft: str, **fields: Any) -> Provider:
    """provider_register, then the photo chosen earlier becomes the profile photo."""
    provider = provider_register(**fields)
    if photo_draft and photo_draft.startswith(DRAFT_PHOTOS) and default_storage.exists(photo_draft):
        with default_storage.open(photo_draft, "rb") as draft:
            _store_photo(provider, draft.read())
        transaction.on_commit(lambda: photo_draft_discard(name=photo_draft))
        audit_record(
            actor=fields.get("acting_user"),
            action="provider.photo_changed",
            obj=provider,
            after={"has_photo": True},
        )
    return provider


@transaction.atomic
def provider_update_profile(
    *,
    provider: Provider,
    name_hi: str,
    name_latin: str,
    gender: str,
    languages: list[str],
    experience_years: int,
    photo: File | None = None,
    acting_user: User,
) -> Provider:
    """Name, gender, languages, experience and (if given) a new photo."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if not name_hi.strip() or not name_latin.strip():
        raise DomainError(
            _("Enter your name in Hindi and in English letters."),
            code="name_required",
            field="name",
        )
    if gender not in Gender.values or not set(languages) <= set(Language.values):
        raise DomainError(_("Choose from the list."), code="invalid_choice")
    if not 0 <= experience_years <= 60:
        raise DomainError(
            _("Years of experience must be between 0 and 60."),
            code="invalid_experience",
            field="experience_years",
        )
    before = snapshot(provider, _PROFILE_FIELDS)
    name_changed = (provider.name_hi, provider.name_latin) != (name_hi.strip(), name_latin.strip())
    provider.name_hi, provider.name_latin = name_hi.strip(), name_latin.strip()
    provider.gender, provider.languages = gender, list(languages) or ["hi"]
    provider.experience_years = experience_years
    provider.save(
        update_fields=[
            "name_hi",
            "name_latin",
            "gender",
            "languages",
            "experience_years",
            "updated_at",
        ]
    )
    if photo is not None:
        _store_photo(provider, _photo_content(photo))
    # Names and the picture are personal: only whether they changed.
    audit_record(
        actor=acting_user,
        action="provider.profile_changed",
        obj=provider,
        before=before,
        after={
            **snapshot(provider, _PROFILE_FIELDS),
            "name_changed": name_changed,
            "photo_changed": photo is not None,
        },
    )
    return provider


@transaction.atomic
def provider_set_prices(
    *,
    provider: Provider,
    prices: Mapping[Category, tuple[Decimal, Decimal]],
    free_cancellation_hours: int,
    cancellation_fee: Decimal,
    included: str,
    acting_user: User,
) -> Provider:
    """The services offered, each at its price and visiting charge, and the provider's terms,
    in one go: services left out are withdrawn (their history stays)."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    if not prices:
        raise DomainError(_("Choose at least one service."), code="no_services", field="categories")
    for category, (price, visiting_charge) in prices.items():
        offer_set(
            provider=provider,
            category=category,
            price=price,
            visiting_charge=visiting_charge,
            acting_user=acting_user,
        )
    for offer in provider.offers.filter(is_active=True).exclude(
        category__in=[c.pk for c in prices]
    ):
        offer_withdraw(offer=offer, acting_user=acting_user)
    return provider_set_terms(
        provider=provider,
        free_cancellation_hours=free_cancellation_hours,
        cancellation_fee=cancellation_fee,
        included=included,
        acting_user=acting_user,
    )


@transaction.atomic
def provider_add_documents(
    *,
    provider: Provider,
    id_type: str = "",
    last4: str = "",
    police_reference: str = "",
    police_expires_on: dt.date | None = None,
    police_file: File | None = None,
    acting_user: User,
) -> list[Document]:
    """The registration's last step: the identity document and/or the police verification
    certificate, both or neither recorded."""
    added = []
    if id_type or last4:
        added.append(
            document_add_identity(
                provider=provider, id_type=id_type, last4=last4, acting_user=acting_user
            )
        )
    if police_reference or police_expires_on or police_file:
        if police_expires_on is None:
            raise DomainError(
                _("Give the date until which the certificate is valid."),
                code="expiry_required",
                field="expires_on",
            )
        added.append(
            document_add_police_verification(
                provider=provider,
                reference=police_reference,
                expires_on=police_expires_on,
                file=police_file,
                acting_user=acting_user,
            )
        )
    return added


# --- business address (printed on government-order invoices) ------------------------------

BUSINESS_ADDRESS_LIMITS = {"line1": 200, "line2": 200, "locality": 120}


def _address_part(value: str, *, field: str, required: bool) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise DomainError(_("This field is required."), code="required", field=field)
    if "\x00" in text or len(text) > BUSINESS_ADDRESS_LIMITS[field]:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": BUSINESS_ADDRESS_LIMITS[field]},
            code="too_long",
            field=field,
        )
    refuse_aadhaar(text, field=field)
    return text


@transaction.atomic
def provider_business_address_set(
    *,
    provider: Provider,
    line1: str,
    locality: str,
    pincode: str,
    line2: str = "",
    acting_user: User,
    now: dt.datetime | None = None,
) -> Provider:
    """Set or change the Sevamitra's business address (GST invoices print it under their name).

    The pincode must be a real pincode of Uttar Pradesh; the district is derived from it (never
    typed). The audit entry keeps the district and whether the address changed, not the
    address itself (personal data)."""
    permissions.require(permissions.can_edit_provider(acting_user, provider))
    line1 = _address_part(line1, field="line1", required=True)
    line2 = _address_part(line2, field="line2", required=False)
    locality = _address_part(locality, field="locality", required=True)
    code = ascii_digits((pincode or "").strip())
    info = pincodes.pincode_info(code)
    if info is None:
        raise DomainError(
            _("There is no pincode %(pincode)s.") % {"pincode": code or "—"},
            code="unknown_pincode",
            field="pincode",
        )
    district = District.objects.filter(code=info.district).first()
    if district is None:
        raise DomainError(
            _("This pincode is not in Uttar Pradesh. The business address must be in the state."),
            code="outside_state",
            field="pincode",
        )
    provider = Provider.objects.select_for_update(no_key=True).get(pk=provider.pk)
    before = {
        "business_district_id": provider.business_district_id,
        "had_address": provider.has_business_address,
    }
    new = (line1, line2, locality, info.pincode, district.pk)
    old = (
        provider.business_line1,
        provider.business_line2,
        provider.business_locality,
        provider.business_pincode,
        provider.business_district_id,
    )
    if new == old:
        return provider  # nothing changed: nothing to write
    provider.business_line1, provider.business_line2 = line1, line2
    provider.business_locality, provider.business_pincode = locality, info.pincode
    provider.business_district = district
    provider.business_address_updated_at = now or timezone.now()
    provider.save(
        update_fields=[
            "business_line1",
            "business_line2",
            "business_locality",
            "business_pincode",
            "business_district",
            "business_address_updated_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=acting_user,
        action="provider.business_address_set",
        obj=provider,
        before=before,
        after={"business_district_id": district.pk, "address_changed": True},
    )
    return provider
