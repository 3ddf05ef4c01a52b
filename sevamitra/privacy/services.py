"""Writes for privacy: erasure on request (DPDP Act 2023, right to erasure).

Personal fields are anonymised in place; rows that others rely on (bookings with their prices
and references, ratings' stars, the audit trail) stay, pointing at an account that no longer
says who it was.
"""

from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.http import int_to_base36
from django.utils.translation import gettext as _

from sevamitra.accounts.models import OtpChallenge, User
from sevamitra.accounts.permissions import can_edit_user, require
from sevamitra.accounts.selectors import forget_user_roles
from sevamitra.audit.services import audit_record
from sevamitra.bookings.models import LIVE_STATUSES, Booking, Rating
from sevamitra.callcentre.models import Call
from sevamitra.core.errors import DomainError
from sevamitra.employment.services import employment_person_erase
from sevamitra.grievances.models import (
    OPEN_STATUSES,
    Appeal,
    AppealStatus,
    Complaint,
    ComplaintAttachment,
    ComplaintEntry,
)
from sevamitra.ondc.models import OndcTransaction
from sevamitra.providers.models import Document, DocumentKind, Leave, Offer, Provider
from sevamitra.sso.services import sso_person_erase

ERASED_NAME = "Erased"
# What a buyer app sent about the person in an ONDC order (sevamitra.ondc.mapping.Cart):
# emptied; the order's items, slot, payment terms and references stay.
ONDC_PERSONAL_PARTS = ("location", "contact", "person", "instructions", "billing")
ERASED_REFERENCE = "ERASED"
# What a person wrote in a complaint, an answer or an appeal, once erased (the texts must not
# be empty: the complaint's record of who decided what, and when, stays).
ERASED_TEXT = "[erased]"
# Coordinates kept to two decimals (about a kilometre): enough for statistics, not a house.
COARSE_DECIMALS = 2


class ErasureRefused(DomainError):
    code = "erasure_refused"
    status = 409


def erased_phone(user_pk: int) -> str:
    """The login key of an erased account: "E" and nine digits. A real mobile number is ten
    digits starting with 6-9 (accounts.phone), so this can never be typed at sign-in, never
    receive an SMS and never collide with a real person; the primary key keeps it unique."""
    if user_pk < 10**9:
        return f"E{user_pk:09d}"
    return "E" + int_to_base36(user_pk).upper().rjust(9, "0")  # beyond a billion accounts


def is_erased(user: User) -> bool:
    return user.phone.startswith("E")


def live_bookings(user: User) -> QuerySet[Booking]:
    """Bookings not yet over, as customer or as Sevamitra."""
    return Booking.objects.filter(
        Q(customer=user) | Q(provider__user=user), status__in=LIVE_STATUSES
    )


def grievances_in_progress(user: User) -> bool:
    """A complaint the person made, or one about their work, or their appeal, still open:
    erasing their words would take away the other side's right to be heard."""
    return (
        Complaint.objects.filter(
            Q(customer=user) | Q(provider__user=user), status__in=OPEN_STATUSES
        ).exists()
        or Appeal.objects.filter(provider__user=user, status=AppealStatus.PENDING).exists()
    )


def _erase_grievances(user: User) -> list[str]:
    """Blank what the person wrote in complaints; the files to delete after commit."""
    attachments = ComplaintAttachment.objects.filter(complaint__customer=user)
    files = [name for name in attachments.values_list("file", flat=True) if name]
    attachments.delete()
    Complaint.objects.filter(customer=user).update(text=ERASED_TEXT)
    ComplaintEntry.objects.filter(author=user).update(text=ERASED_TEXT)
    Appeal.objects.filter(provider__user=user).update(grounds=ERASED_TEXT)
    return files


def _coarse(value: float) -> float:
    return round(value, COARSE_DECIMALS)


def _erase_provider(provider: Provider) -> list[str]:
    """Anonymise a Sevamitra's profile; returns the files to delete after commit."""
    stored = [provider.photo.name, *(d.file.name for d in provider.documents.all())]
    files = [name for name in stored if name]
    # An identity document is its type and last four characters: both go. A police
    # certificate keeps its validity dates (the verification history), not its number.
    provider.documents.filter(kind=DocumentKind.IDENTITY).delete()
    Document.objects.filter(provider=provider).update(reference=ERASED_REFERENCE, file="")
    Leave.objects.filter(provider=provider).update(reason="")
    Offer.objects.filter(provider=provider).update(
        is_active=False, lat=_coarse(provider.home_lat), lng=_coarse(provider.home_lng)
    )
    provider.name_hi = provider.name_latin = ERASED_NAME
    provider.photo = ""
    provider.gstin = ""
    provider.terms_included = ""
    # The business address goes (whole or none); invoices keep their own copy, which the law
    # requires to be kept.
    provider.business_line1 = provider.business_line2 = provider.business_locality = ""
    provider.business_pincode, provider.business_district = "", None
    provider.home_lat, provider.home_lng = _coarse(provider.home_lat), _coarse(provider.home_lng)
    provider.is_active = False
    provider.save(
        update_fields=[
            "name_hi",
            "name_latin",
            "photo",
            "gstin",
            "terms_included",
            "business_line1",
            "business_line2",
            "business_locality",
            "business_pincode",
            "business_district",
            "home_lat",
            "home_lng",
            "is_active",
            "updated_at",
        ]
    )
    return files


@transaction.atomic
def person_erase(*, user: User, acting_user: User) -> User:
    """Erase a person on their request. Refused while they have live bookings (as customer
    or as Sevamitra): those must be cancelled or finished first."""
    require(can_edit_user(acting_user, user))
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        raise ErasureRefused(_("This account has already been erased."), code="already_erased")
    if live_bookings(user).exists():
        raise ErasureRefused(
            _(
                "You have bookings that are not finished yet. Cancel them (or let them finish) "
                "first, then ask again."
            ),
            code="live_bookings",
        )
    if grievances_in_progress(user):
        raise ErasureRefused(
            _(
                "A complaint or an appeal of yours is still being dealt with. Ask again once "
                "it is decided or closed."
            ),
            code="grievance_in_progress",
        )
    old_phone = user.phone
    placeholder = erased_phone(user.pk)

    addresses_deleted, _by_model = user.addresses.all().delete()
    OtpChallenge.objects.filter(phone=old_phone).delete()
    bookings_anonymised = Booking.objects.filter(customer=user).update(
        address="", notes="", lat=None, lng=None
    )
    Rating.objects.filter(booking__customer=user, direction="customer").update(text="")
    Call.objects.filter(caller=user).update(phone=placeholder, notes="")
    Call.objects.filter(caller__isnull=True, phone=old_phone).update(phone=placeholder, notes="")
    for txn in OndcTransaction.objects.filter(customer=user).only("pk", "order"):
        order = {**(txn.order or {}), **{part: {} for part in ONDC_PERSONAL_PARTS}}
        OndcTransaction.objects.filter(pk=txn.pk).update(order=order)
    files = _erase_grievances(user)
    employment_person_erase(user=user)
    sso_person_erase(user=user)
    provider = Provider.objects.filter(user=user).first()
    if provider is not None:
        files += _erase_provider(provider)

    user.phone = placeholder
    user.name = ""
    user.is_active = False
    user.set_unusable_password()
    # A new password hash also ends every session of the account (Django checks it).
    user.save(update_fields=["phone", "name", "is_active", "password"])
    forget_user_roles(user)
    # Last write of the transaction (the audit chain is appended under a lock): references
    # and counts only, never the erased values.
    audit_record(
        actor=acting_user,
        action="person.erased",
        obj=user,
        before={"is_active": True},
        after={
            "is_active": False,
            "addresses_deleted": addresses_deleted,
            "bookings_anonymised": bookings_anonymised,
            "provider": provider.pk if provider is not None else None,
        },
    )
    for name in files:
        transaction.on_commit(partial(default_storage.delete, name))
    return user
