"""Writes for accounts: sign-in by one-time code, users, roles.

Audit trail: "user.created", "user.updated", "role.granted", "role.revoked",
"address.created/updated/deleted". A person's name, number and addresses never go into it:
a user is named by id, a change of name or address by the names of the fields that changed.
Asking for a sign-in code and signing in are not changes of state (the one-time challenge is
a short-lived credential, rate-limited and listed in the back office); a first sign-in that
creates the account is, and is recorded as "user.created".
"""

import hmac
import ipaddress
import logging
import math
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sevamitra.accounts import ratelimit
from sevamitra.accounts.errors import (
    AccountDisabled,
    DomainError,
    InvalidInput,
    InvalidPhone,
    OtpExpired,
    OtpLocked,
    OtpMissing,
    OtpWrong,
    RateLimited,
)
from sevamitra.accounts.models import (
    DISTRICT_SCOPED_ROLES,
    STAFF_ROLES,
    Address,
    OtpChallenge,
    Role,
    RoleGrant,
    User,
)
from sevamitra.accounts.permissions import (
    can_create_user,
    can_edit_user,
    can_manage_roles,
    is_administrator,
    is_read_only,
    require,
)
from sevamitra.accounts.phone import ascii_digits, normalize_phone
from sevamitra.accounts.selectors import forget_user_roles
from sevamitra.audit.services import SYSTEM_ROLE, audit_record
from sevamitra.geo.pincodes import pincode_info
from sevamitra.privacy.aadhaar import refuse_aadhaar
from sevamitra.sms import send_sms

logger = logging.getLogger(__name__)

OTP_DIGITS = 6
# Roles a person gets by what they do, not by an administrator's decision.
SELF_SERVICE_ROLES = frozenset({Role.CITIZEN, Role.PROVIDER})
# The capacity, in the audit trail, of a person who changed something for themself by what
# they did (signed up, registered as a Sevamitra) rather than in a role they held.
SELF_SERVICE = "self_service"
_HMAC_KEY_SALT = "sevamitra.accounts.otp"
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


# --- Sign-in by one-time code ----------------------------------------------------------------


def _phone_or_error(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise InvalidPhone(exc.messages[0], field="phone") from exc


def _code_hash(*, phone: str, code: str, salt: str) -> str:
    """HMAC-SHA256 under a key derived from SECRET_KEY; 64 hex characters."""
    return salted_hmac(_HMAC_KEY_SALT, f"{phone}:{code}:{salt}", algorithm="sha256").hexdigest()


def _rate_key(kind: str, value: str) -> str:
    # Cache keys carry a keyed digest, not the number or address itself.
    return f"otp:{kind}:{salted_hmac('sevamitra.accounts.ratelimit', value).hexdigest()[:32]}"


def _check_rates(*, phone: str, ip: str | None) -> None:
    limits = []
    if ip:
        limits.append((_rate_key("ip", ip), settings.OTP_RATE_PER_IP))
    limits.append((_rate_key("phone", phone), settings.OTP_RATE_PER_PHONE))
    limits.append((_rate_key("phone-day", phone), settings.OTP_RATE_PER_PHONE_DAY))
    for key, rate in limits:
        result = ratelimit.hit(key, rate)
        if not result.allowed:
            minutes = math.ceil(result.retry_after / 60)
            message = ngettext(
                "Too many code requests. Try again in %(minutes)s minute.",
                "Too many code requests. Try again in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
            raise RateLimited(message, retry_after=result.retry_after)


def _clean_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def otp_sms_body(*, code: str, minutes: int) -> str:
    """The sign-in SMS: Hindi, then English (Hindi is left out until it is translated)."""
    parts = []
    for language in ("hi", "en"):
        with translation.override(language):
            parts.append(
                ngettext(
                    "Sevamitra sign-in code %(code)s, valid %(minutes)s minute. Do not share it.",
                    "Sevamitra sign-in code %(code)s, valid %(minutes)s minutes. Do not share it.",
                    minutes,
                )
                % {"code": code, "minutes": minutes}
            )
    return " / ".join(dict.fromkeys(parts))


def _send_code(*, phone: str, code: str, minutes: int) -> None:
    send_sms(to=f"+91{phone}", body=otp_sms_body(code=code, minutes=minutes))


def otp_request(*, phone: str, ip: str | None) -> OtpChallenge:
    """Send a new sign-in code to `phone`; earlier unused codes for it stop working.

    Raises InvalidPhone or RateLimited. The SMS leaves after the transaction commits.
    Rate-limit counters are taken outside the transaction: a rollback must not undo them.
    """
    phone = _phone_or_error(phone)
    ip = _clean_ip(ip)
    _check_rates(phone=phone, ip=ip)

    code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(16)
    ttl = settings.OTP_TTL_SECONDS
    now = timezone.now()
    with transaction.atomic():
        OtpChallenge.objects.filter(
            phone=phone, consumed_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        challenge = OtpChallenge.objects.create(
            phone=phone,
            code_hash=_code_hash(phone=phone, code=code, salt=salt),
            salt=salt,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
            requested_ip=ip,
        )
        transaction.on_commit(
            partial(_send_code, phone=phone, code=code, minutes=math.ceil(ttl / 60)),
            robust=True,
        )
    return challenge


def otp_verify(*, phone: str, code: str) -> User:
    """Check the code against the newest open challenge of `phone`; return the user.

    A first sign-in creates the user, with the citizen role. Raises InvalidPhone,
    InvalidInput (code not 6 digits; not counted as a try), OtpMissing, OtpExpired,
    OtpLocked, OtpWrong (says how many tries are left) or AccountDisabled.
    """
    phone = _phone_or_error(phone)
    code = ascii_digits(code.strip()) if isinstance(code, str) else ""
    if len(code) != OTP_DIGITS or not code.isascii() or not code.isdigit():
        raise InvalidInput(
            _("Enter the 6-digit code from the SMS."), code="invalid_code", field="code"
        )

    max_attempts = settings.OTP_MAX_ATTEMPTS
    now = timezone.now()
    error: DomainError | None = None
    user: User | None = None
    # Decide inside the transaction, raise after it: a wrong try must be counted for good.
    with transaction.atomic():
        challenge = (
            OtpChallenge.objects.select_for_update(no_key=True)
            .filter(phone=phone, consumed_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if challenge is None:
            error = OtpMissing()
        elif challenge.attempts >= max_attempts:
            error = OtpLocked()
        elif now >= challenge.expires_at:
            error = OtpExpired()
        elif not hmac.compare_digest(
            challenge.code_hash, _code_hash(phone=phone, code=code, salt=challenge.salt)
        ):
            OtpChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
            challenge.refresh_from_db(fields=["attempts"])
            left = max_attempts - challenge.attempts
            if left <= 0:
                error = OtpLocked()
            else:
                error = OtpWrong(
                    ngettext(
                        "Wrong code. %(count)s try left.",
                        "Wrong code. %(count)s tries left.",
                        left,
                    )
                    % {"count": left}
                )
        else:
            challenge.consumed_at = now
            challenge.save(update_fields=["consumed_at"])
            user = _user_get_or_create_citizen(phone=phone, actor=None, role=SELF_SERVICE)
            if not user.is_active:
                error = AccountDisabled()
    if error is not None:
        raise error
    assert user is not None
    return user


def _user_get_or_create_citizen(
    *, phone: str, name: str = "", language: str = "", actor: User | None, role: str = ""
) -> User:
    """The user with this number, or a new citizen, registered by `actor` (None: by the system
    or a machine channel named by `role`). Role SELF_SERVICE: the person signed up themself,
    and the audit entry names them as the actor."""
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                phone,
                name=name,
                preferred_language=language if language in _LANGUAGES else settings.LANGUAGE_CODE,
            )
            grant = RoleGrant.objects.create(
                user=user, role=Role.CITIZEN, district=None, granted_at=timezone.now()
            )
            forget_user_roles(user)
            audit_record(
                actor=user if role == SELF_SERVICE else actor,
                role=role,
                action="user.created",
                obj=user,
                after={
                    "preferred_language": user.preferred_language,
                    "is_active": user.is_active,
                    "name_given": bool(name),
                    "roles": [grant.role],
                },
            )
    except IntegrityError:  # created meanwhile by another request
        return User.objects.get(phone=phone)
    return user


# --- Users -----------------------------------------------------------------------------------


def citizen_for_phone(
    *, phone: str, name: str = "", language: str = "", channel_role: str = ""
) -> User:
    """The account of a customer who reaches us through a machine channel (an ONDC buyer app):
    found by mobile number, or made as a citizen. The channel's own authentication (a signed
    request of a registered buyer app) stands in for the person's sign-in. `channel_role`
    names the channel in the audit trail (e.g. "ondc:<buyer app id>"); no person acted."""
    return _user_get_or_create_citizen(
        phone=_phone_or_error(phone),
        name=name.strip(),
        language=language,
        actor=None,
        role=channel_role or SYSTEM_ROLE,
    )


def user_create(
    *, phone: str, name: str = "", preferred_language: str = "", acting_user: User
) -> User:
    """A person registered on someone's behalf (a caller, by an agent). Citizen role. Their
    texts go out in `preferred_language` (default: the language of the current request)."""
    require(can_create_user(acting_user))
    phone = _phone_or_error(phone)
    if preferred_language and preferred_language not in _LANGUAGES:
        raise InvalidInput(
            _("Choose Hindi or English."), code="invalid_language", field="preferred_language"
        )
    if User.objects.filter(phone=phone).exists():
        raise InvalidInput(
            _("A user with this mobile number already exists."), code="phone_taken", field="phone"
        )
    return _user_get_or_create_citizen(
        phone=phone, name=name.strip(), language=preferred_language, actor=acting_user
    )


def user_update(
    *,
    user: User,
    acting_user: User,
    name: str | None = None,
    preferred_language: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a user's name, language or (administrators only) whether the account works.
    The audit entry names the fields that changed; their values only where they say nothing
    about the person (language, active), never the name."""
    require(can_edit_user(acting_user, user))
    before = {
        "name": user.name,
        "preferred_language": user.preferred_language,
        "is_active": user.is_active,
    }
    fields = []
    if name is not None:
        user.name = name.strip()
        fields.append("name")
    if preferred_language is not None:
        if preferred_language not in _LANGUAGES:
            raise InvalidInput(
                _("Choose Hindi or English."), code="invalid_language", field="preferred_language"
            )
        user.preferred_language = preferred_language
        fields.append("preferred_language")
    if is_active is not None and is_active != user.is_active:
        require(is_administrator(acting_user) and user.pk != acting_user.pk)
        user.is_active = is_active
        fields.append("is_active")
    changed = [field for field in fields if getattr(user, field) != before[field]]
    if not changed:
        return user
    with transaction.atomic():
        user.save(update_fields=changed)
        values = [field for field in changed if field != "name"]
        audit_record(
            actor=acting_user,
            action="user.updated",
            obj=user,
            before={field: before[field] for field in values},
            after={"fields": changed, **{field: getattr(user, field) for field in values}},
        )
    return user


# --- Roles -----------------------------------------------------------------------------------


def _sync_is_staff(user: User) -> None:
    """Back-office access follows the roles: on with any staff role, off without one."""
    staff = user.is_superuser or RoleGrant.objects.filter(user=user, role__in=STAFF_ROLES).exists()
    if staff != user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=staff)
        user.is_staff = staff


def role_ensure(*, user: User, role: str, acting_user: User | None = None) -> RoleGrant:
    """Give a role that follows from what the person did (citizen on first sign-in, provider on
    registering), not from anyone's decision. Staff roles need `role_grant`. Idempotent.
    `acting_user`: who did it on the person's behalf (default: the person themself)."""
    if role not in SELF_SERVICE_ROLES:
        raise ValueError(f"role_ensure cannot give the {role!r} role; use role_grant")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, district=None, defaults={"granted_at": timezone.now()}
        )
        if created:
            _audit_grant(
                grant,
                action="role.granted",
                actor=acting_user or user,
                role="" if acting_user is not None else SELF_SERVICE,
                is_staff=user.is_staff,
            )
    forget_user_roles(user)
    return grant


def _audit_grant(grant: RoleGrant, *, action: str, actor: User, role: str, is_staff: bool) -> None:
    values = {"user": grant.user_id, "role": grant.role, "district": grant.district_id}
    granted = action == "role.granted"
    audit_record(
        actor=actor,
        role=role,
        action=action,
        object_type=RoleGrant._meta.label_lower,
        object_id=grant.pk,
        before=None if granted else values,
        after={**values, "is_staff": is_staff} if granted else {"is_staff": is_staff},
    )


def role_grant(*, user: User, role: str, district=None, acting_user: User) -> RoleGrant:
    """Give `user` a role (a district officer's is limited to `district`). Idempotent."""
    require(can_manage_roles(acting_user))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), code="invalid_role", field="role")
    if role == Role.DISTRICT_OFFICER and district is None:
        raise InvalidInput(
            _("A district officer needs a district."), code="district_required", field="district"
        )
    if district is not None and role not in DISTRICT_SCOPED_ROLES:
        raise InvalidInput(
            _("Only district officers and call-centre agents can be limited to a district."),
            code="district_not_allowed",
            field="district",
        )
    with transaction.atomic():
        # Lock the user so that concurrent grants and revocations agree on is_staff.
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        grant, created = RoleGrant.objects.get_or_create(
            user=locked,
            role=role,
            district=district,
            defaults={"granted_by": acting_user, "granted_at": timezone.now()},
        )
        _sync_is_staff(locked)
        if created:
            _audit_grant(
                grant, action="role.granted", actor=acting_user, role="", is_staff=locked.is_staff
            )
    user.is_staff = locked.is_staff
    forget_user_roles(user)
    return grant


def role_revoke(*, grant: RoleGrant, acting_user: User) -> None:
    """Take a role away; back-office access goes with the last staff role."""
    require(can_manage_roles(acting_user))
    with transaction.atomic():
        user = User.objects.select_for_update(no_key=True).get(pk=grant.user_id)
        deleted, _by_model = RoleGrant.objects.filter(pk=grant.pk).delete()
        _sync_is_staff(user)
        if deleted:
            _audit_grant(
                grant, action="role.revoked", actor=acting_user, role="", is_staff=user.is_staff
            )
    if RoleGrant.user.field.is_cached(grant):
        grant.user.is_staff = user.is_staff
        forget_user_roles(grant.user)


# --- Saved addresses -------------------------------------------------------------------------

MAX_ADDRESSES = 10
ADDRESS_LIMITS = {"label": 40, "line": 300, "locality": 120}


def _address_owner(acting_user: User, owner_id: int) -> bool:
    """Only the person themself keeps their addresses (not agents, not administrators)."""
    return bool(
        acting_user is not None
        and acting_user.is_authenticated
        and acting_user.is_active
        and not is_read_only(acting_user)
        and acting_user.pk == owner_id
    )


def _address_text(value: str, *, field: str, required: bool) -> str:
    text = (value or "").strip()
    if field != "line":
        text = " ".join(text.split())
    if required and not text:
        raise InvalidInput(_("This field is required."), code="required", field=field)
    if "\x00" in text or len(text) > ADDRESS_LIMITS[field]:
        raise InvalidInput(
            _("At most %(n)d characters.") % {"n": ADDRESS_LIMITS[field]},
            code="too_long",
            field=field,
        )
    refuse_aadhaar(text, field=field)
    return text


def _address_point(pincode: str, lat: float | None, lng: float | None) -> tuple[str, float, float]:
    """The pincode if real, and the point: as given, else the pincode's centroid."""
    pincode = ascii_digits((pincode or "").strip())
    info = pincode_info(pincode)
    if info is None:
        raise InvalidInput(
            _("There is no pincode %(pincode)s.") % {"pincode": pincode or "—"},
            code="unknown_pincode",
            field="pincode",
        )
    if lat is None or lng is None:
        return info.pincode, info.lat, info.lng
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInput(
            _("This location is not valid."), code="invalid_coordinates", field="lat"
        )
    return info.pincode, float(lat), float(lng)


def _label_taken(user_id: int, label: str, exclude_pk: int | None = None) -> bool:
    others = Address.objects.filter(user_id=user_id, label__iexact=label)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _label_taken_error(label: str) -> InvalidInput:
    return InvalidInput(
        _("You already have an address named “%(label)s”.") % {"label": label},
        code="label_taken",
        field="label",
    )


def address_create(
    *,
    user: User,
    acting_user: User,
    label: str,
    line: str,
    pincode: str,
    locality: str = "",
    lat: float | None = None,
    lng: float | None = None,
) -> Address:
    """Save an address for `user` (at most MAX_ADDRESSES). The pincode must be real; without
    a point the pincode's centroid is used."""
    require(_address_owner(acting_user, user.pk))
    label = _address_text(label, field="label", required=True)
    line = _address_text(line, field="line", required=True)
    locality = _address_text(locality, field="locality", required=False)
    pincode, lat, lng = _address_point(pincode, lat, lng)
    with transaction.atomic():
        # Count under a lock on the user: two tabs saving at once cannot pass the limit.
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list(
            "pk", flat=True
        ).first()
        if Address.objects.filter(user=user).count() >= MAX_ADDRESSES:
            raise InvalidInput(
                ngettext(
                    "You can save at most %(n)d address. Delete one first.",
                    "You can save at most %(n)d addresses. Delete one first.",
                    MAX_ADDRESSES,
                )
                % {"n": MAX_ADDRESSES},
                code="too_many_addresses",
            )
        if _label_taken(user.pk, label):
            raise _label_taken_error(label)
        try:
            with transaction.atomic():
                address = Address.objects.create(
                    user=user,
                    label=label,
                    line=line,
                    locality=locality,
                    pincode=pincode,
                    lat=lat,
                    lng=lng,
                )
        except IntegrityError as exc:  # the same label saved meanwhile
            raise _label_taken_error(label) from exc
        # The address itself is personal data: the entry names the address and its owner.
        audit_record(
            actor=acting_user, action="address.created", obj=address, after={"user": user.pk}
        )
        return address


def address_update(
    *,
    address: Address,
    acting_user: User,
    label: str | None = None,
    line: str | None = None,
    locality: str | None = None,
    pincode: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
) -> Address:
    """Change a saved address. A new pincode without a point moves the point to its centroid."""
    require(_address_owner(acting_user, address.user_id))
    fields = []
    if label is not None:
        label = _address_text(label, field="label", required=True)
        if _label_taken(address.user_id, label, exclude_pk=address.pk):
            raise _label_taken_error(label)
        address.label = label
        fields.append("label")
    if line is not None:
        address.line = _address_text(line, field="line", required=True)
        fields.append("line")
    if locality is not None:
        address.locality = _address_text(locality, field="locality", required=False)
        fields.append("locality")
    if pincode is not None or (lat is not None and lng is not None):
        point: tuple[float | None, float | None] = (address.lat, address.lng)
        if lat is not None and lng is not None:
            point = (lat, lng)
        elif pincode is not None and ascii_digits(pincode.strip()) != address.pincode:
            point = (None, None)  # a new pincode and no point: its centroid
        address.pincode, address.lat, address.lng = _address_point(
            address.pincode if pincode is None else pincode, *point
        )
        fields += ["pincode", "lat", "lng"]
    if fields:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    address.save(update_fields=fields)
            except IntegrityError as exc:
                raise _label_taken_error(address.label) from exc
            audit_record(
                actor=acting_user,
                action="address.updated",
                obj=address,
                after={"user": address.user_id, "fields": fields},
            )
    return address


def address_delete(*, address: Address, acting_user: User) -> None:
    """Forget a saved address. Bookings keep the address they were made with."""
    require(_address_owner(acting_user, address.user_id))
    address_id = address.pk
    with transaction.atomic():
        deleted, _by_model = Address.objects.filter(pk=address_id).delete()
        if deleted:
            audit_record(
                actor=acting_user,
                action="address.deleted",
                object_type=Address._meta.label_lower,
                object_id=address_id,
                before={"user": address.user_id},
            )
