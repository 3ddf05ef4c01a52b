"""Reads for privacy: everything the portal holds about one person (DPDP Act 2023, right to
access). Other people appear only as a display name (a provider) or not at all (agents)."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.bookings.models import Booking, Rating, RatingDirection
from sevamitra.callcentre.models import Call
from sevamitra.employment.selectors import person_employment_data
from sevamitra.grievances.models import Appeal, Complaint, ComplaintEntry
from sevamitra.ondc.models import OndcTransaction
from sevamitra.providers.models import Provider
from sevamitra.sso.selectors import person_sso_data

FORMAT_VERSION = 1


def _when(value) -> str | None:  # type: ignore[no-untyped-def]
    return value.isoformat() if value is not None else None


def _money(value) -> str | None:  # type: ignore[no-untyped-def]
    return None if value is None else str(value)


def _booking(b: Booking) -> dict[str, Any]:
    return {
        "reference": b.pk,
        "service": b.category.name_en,
        "kind": b.kind,
        "channel": b.channel,
        "status": b.status,
        "starts_at": _when(b.starts_at),
        "ends_at": _when(b.ends_at),
        "booked_at": _when(b.created_at),
        "provider": b.provider.name_latin,
        "address": b.address,
        "pincode": b.pincode,
        "notes": b.notes,
        "total": _money(b.total),
        "cancelled_by": b.cancelled_by,
        "cancellation_fee": _money(b.cancellation_fee),
    }


def _provider(p: Provider) -> dict[str, Any]:
    return {
        "name_hi": p.name_hi,
        "name_latin": p.name_latin,
        "gender": p.gender,
        "languages": list(p.languages),
        "experience_years": p.experience_years,
        "district": p.district.name_en,
        "home": {"lat": p.home_lat, "lng": p.home_lng},
        "service_radius_km": p.service_radius_km,
        "service_pincodes": sorted(sp.pincode for sp in p.service_pincodes.all()),
        "has_photo": bool(p.photo),
        "gstin": p.gstin,
        "business_address": {
            "line1": p.business_line1,
            "line2": p.business_line2,
            "locality": p.business_locality,
            "pincode": p.business_pincode,
        }
        if p.has_business_address
        else None,
        "verification_status": p.verification_status,
        "registered_at": _when(p.created_at),
        "terms": {
            "free_cancellation_hours": p.free_cancellation_hours,
            "cancellation_fee": _money(p.cancellation_fee),
            "included": p.terms_included,
        },
        "offers": [
            {
                "service": o.category.name_en,
                "price": _money(o.price),
                "visiting_charge": _money(o.visiting_charge),
                "active": o.is_active,
            }
            for o in p.offers.all()
        ],
        "weekly_hours": [
            {"weekday": w.weekday, "from_minute": w.start_minute, "to_minute": w.end_minute}
            for w in p.weekly_windows.all()
        ],
        "leave": [
            {"from": lv.starts_on.isoformat(), "to": lv.ends_on.isoformat(), "reason": lv.reason}
            for lv in p.leaves.all()
        ],
        "documents": [
            {
                "kind": d.kind,
                "id_type": d.id_type,
                "last4": d.last4,
                "valid_until": d.expires_on.isoformat() if d.expires_on else None,
            }
            for d in p.documents.all()
        ],
    }


def _complaints(user: User) -> dict[str, Any]:
    """Complaints the person made (with what they wrote), and, for a Sevamitra, the
    complaints about them with their own answers, sanctions and appeals. Other people's
    words are not copied into someone else's download."""
    made = Complaint.objects.filter(customer=user).order_by("filed_at", "pk")
    own_entries = ComplaintEntry.objects.filter(author=user).order_by("created_at", "pk")
    about = Complaint.objects.filter(provider__user=user).order_by("filed_at", "pk")
    appeals = Appeal.objects.filter(provider__user=user).select_related("sanction")
    return {
        "made": [
            {
                "reference": c.pk,
                "booking": c.booking_id,
                "type": c.type,
                "status": c.status,
                "filed_at": _when(c.filed_at),
                "text": c.text,
                "attachments": c.attachments.count(),
                "outcome": c.outcome,
            }
            for c in made
        ],
        "about_my_work": [
            {
                "reference": c.pk,
                "booking": c.booking_id,
                "type": c.type,
                "status": c.status,
                "filed_at": _when(c.filed_at),
                "outcome": c.outcome,
            }
            for c in about
        ],
        "what_i_wrote": [
            {"complaint": e.complaint_id, "kind": e.kind, "text": e.text, "at": _when(e.created_at)}
            for e in own_entries
        ],
        "appeals": [
            {
                "sanction": a.sanction.kind,
                "status": a.status,
                "filed_at": _when(a.filed_at),
                "grounds": a.grounds,
            }
            for a in appeals
        ],
    }


def person_data(user: User) -> dict[str, Any]:
    """The person's data as one JSON-ready dict (the download on /my/data/)."""
    bookings = (
        Booking.objects.filter(customer=user)
        .select_related("category", "provider")
        .order_by("starts_at", "pk")
    )
    ratings = (
        Rating.objects.filter(
            Q(booking__customer=user, direction=RatingDirection.CUSTOMER_RATES_PROVIDER)
            | Q(booking__provider__user=user, direction=RatingDirection.PROVIDER_RATES_CUSTOMER)
        )
        .order_by("created_at", "pk")
        .values("booking_id", "stars", "text", "created_at")
    )
    provider = (
        Provider.objects.filter(user=user)
        .select_related("district")
        .prefetch_related(
            "offers__category", "weekly_windows", "leaves", "documents", "service_pincodes"
        )
        .first()
    )
    calls = Call.objects.filter(caller=user).order_by("started_at", "pk")
    transactions = OndcTransaction.objects.filter(customer=user).order_by("created_at", "pk")
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "mobile_number": user.phone,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "joined": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
        },
        "roles": sorted({g.role for g in user.role_grants.all()}),
        "addresses": [
            {
                "label": a.label,
                "line": a.line,
                "locality": a.locality,
                "pincode": a.pincode,
                "lat": a.lat,
                "lng": a.lng,
            }
            for a in user.addresses.order_by("label", "pk")
        ],
        "bookings": [_booking(b) for b in bookings],
        "ratings_written": [
            {
                "booking": r["booking_id"],
                "stars": r["stars"],
                "text": r["text"],
                "at": _when(r["created_at"]),
            }
            for r in ratings
        ],
        "provider_profile": _provider(provider) if provider is not None else None,
        "calls_to_call_centre": [
            {
                "started_at": _when(c.started_at),
                "ended_at": _when(c.ended_at),
                "outcome": c.outcome,
                "booking": c.booking_id,
            }
            for c in calls
        ],
        "complaints": _complaints(user),
        "ondc_transactions": [
            {
                "buyer_app": t.bap_id,
                "transaction_id": t.transaction_id,
                "state": t.state,
                "booking": t.booking_id,
                "at": _when(t.created_at),
            }
            for t in transactions
        ],
        "employment": person_employment_data(user),
        "sign_in_portals": person_sso_data(user),
    }
