"""The grievance rules' numbers (deadlines, windows), changed by administrators."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import User
from sevamitra.audit.services import audit_change
from sevamitra.grievances.models import SETTING_FIELDS, GrievanceSettings
from sevamitra.grievances.services._common import GrievanceError


@transaction.atomic
def grievance_settings_update(
    *, changes: Mapping[str, int], acting_user: User
) -> GrievanceSettings:
    """Set some of the numbers of days (administrators only). New values apply to complaints
    and sanctions from now on; deadlines already set stay as they were."""
    permissions.require(
        permissions.is_administrator(acting_user) and not permissions.is_read_only(acting_user)
    )
    for name, value in changes.items():
        if name not in SETTING_FIELDS:
            raise GrievanceError(_("Unknown setting."), code="invalid", field=name)
        field = GrievanceSettings._meta.get_field(name)
        assert isinstance(field, models.Field)
        if isinstance(value, bool) or not isinstance(value, int):
            raise GrievanceError(_("Enter a whole number of days."), code="invalid", field=name)
        try:
            field.run_validators(value)
        except ValidationError as exc:
            raise GrievanceError(exc.messages[0], code="invalid", field=name) from exc
    row, _created = GrievanceSettings.objects.select_for_update().get_or_create(pk=1)
    before = {name: getattr(row, name) for name in changes}
    if all(before[name] == value for name, value in changes.items()):
        return row  # nothing changes: nothing to record
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at, row.updated_by = timezone.now(), acting_user
    row.save()
    audit_change(actor=acting_user, action="grievance_settings.updated", obj=row, before=before)
    return row
