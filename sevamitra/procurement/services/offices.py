"""Departments, offices and officer posts (administrators only; each change audited)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts.models import Role, User
from sevamitra.accounts.services import role_grant
from sevamitra.audit.services import audit_change, audit_record
from sevamitra.core.errors import PermissionDenied
from sevamitra.geo import pincodes
from sevamitra.geo.models import District
from sevamitra.procurement import permissions as can
from sevamitra.procurement.errors import ProcurementError
from sevamitra.procurement.models import Department, Office, OfficePost, OfficerPost

OFFICE_FIELDS = (
    "department_id",
    "code",
    "district_id",
    "pincode",
    "ddo_code",
    "gstin",
    "state_code",
    "parent_id",
    "is_active",
)


def _require_admin(user: User) -> None:
    if not can.can_manage_offices(user):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def department_create(*, code: str, name_en: str, name_hi: str, acting_user: User) -> Department:
    _require_admin(acting_user)
    if Department.objects.filter(code=code).exists():
        raise ProcurementError(
            _("A department with this code exists already."), code="duplicate", field="code"
        )
    department = Department.objects.create(code=code, name_en=name_en, name_hi=name_hi)
    audit_change(
        actor=acting_user, action="department.created", obj=department, fields=("code", "is_active")
    )
    return department


@transaction.atomic
def office_create(
    *,
    department: Department,
    code: str,
    name_en: str,
    name_hi: str,
    district: District,
    address: str,
    pincode: str,
    ddo_code: str,
    gstin: str = "",
    state_code: str = "09",
    parent: Office | None = None,
    lat: float | None = None,
    lng: float | None = None,
    acting_user: User,
) -> Office:
    _require_admin(acting_user)
    if Office.objects.filter(code=code).exists():
        raise ProcurementError(
            _("An office with this code exists already."), code="duplicate", field="code"
        )
    if not (len(pincode) == 6 and pincode.isdigit()):
        raise ProcurementError(
            _("Enter a 6-digit pincode."), code="invalid_pincode", field="pincode"
        )
    if gstin and len(gstin) != 15:
        raise ProcurementError(_("A GSTIN has 15 characters."), code="invalid_gstin", field="gstin")
    if lat is None or lng is None:
        info = pincodes.pincode_info(pincode)
        if info is not None:
            lat, lng = info.lat, info.lng
    office = Office.objects.create(
        department=department,
        code=code,
        name_en=name_en,
        name_hi=name_hi,
        district=district,
        address=address,
        pincode=pincode,
        lat=lat,
        lng=lng,
        ddo_code=ddo_code,
        gstin=gstin.upper(),
        state_code=state_code,
        parent=parent,
    )
    audit_change(actor=acting_user, action="office.created", obj=office, fields=OFFICE_FIELDS)
    return office


@transaction.atomic
def office_post_grant(*, user: User, office: Office, post: str, acting_user: User) -> OfficePost:
    """Give `user` a post in `office` (again, if it was revoked); ensures the department
    officer role. Idempotent."""
    _require_admin(acting_user)
    if post not in OfficerPost.values:
        raise ProcurementError(_("Unknown post."), code="invalid_post", field="post")
    role_grant(user=user, role=Role.DEPARTMENT_OFFICER, acting_user=acting_user)
    holding, created = OfficePost.objects.select_for_update().get_or_create(
        user=user, office=office, post=post, defaults={"granted_by": acting_user}
    )
    if not created and holding.active:
        can.forget_posts(user)
        return holding
    before = {"active": holding.active} if not created else None
    if not created:
        holding.active, holding.revoked_at = True, None
        holding.granted_by, holding.granted_at = acting_user, timezone.now()
        holding.save(update_fields=["active", "revoked_at", "granted_by", "granted_at"])
    can.forget_posts(user)
    audit_record(
        actor=acting_user,
        action="office_post.granted",
        obj=holding,
        before=before,
        after={"user": user.pk, "office": office.pk, "post": post, "active": True},
    )
    return holding


@transaction.atomic
def office_post_revoke(*, holding: OfficePost, acting_user: User) -> OfficePost:
    _require_admin(acting_user)
    holding = OfficePost.objects.select_for_update().get(pk=holding.pk)
    if not holding.active:
        return holding
    holding.active, holding.revoked_at = False, timezone.now()
    holding.save(update_fields=["active", "revoked_at"])
    audit_change(
        actor=acting_user,
        action="office_post.revoked",
        obj=holding,
        before={"active": True},
    )
    return holding
