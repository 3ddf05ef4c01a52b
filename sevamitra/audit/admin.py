"""The audit trail of changes made in the Django admin (reference data and settings: service
categories, districts, …). Nothing is registered here: this module holds the mixin.

    class CategoryAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
        ...

Every save and delete through the admin then appends an entry "<model>.created_in_admin",
"<model>.changed_in_admin" or "<model>.deleted_in_admin" (model: the model's name in lower
case, e.g. "category.changed_in_admin") in the admin's transaction, naming the administrator
and, as before/after, the values of the fields that changed (a creation: all of them; a
deletion: all of them, as before). A save that changes nothing writes nothing.

Only for models whose fields say nothing about a person: fields named in PERSONAL_KEYS are
left out, and a model with personal data does not use this mixin but its own services (users
and roles: accounts.admin).
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from sevamitra.audit.services import PERSONAL_KEYS, audit_record, snapshot


class AuditedAdminMixin:
    """Put it first among the bases of a ModelAdmin; see the module docstring."""

    # Field names (attnames, e.g. "district_id") never recorded, on top of PERSONAL_KEYS.
    audit_exclude: tuple[str, ...] = ()

    model: type[models.Model]

    def audit_fields(self) -> list[str]:
        """The attnames recorded: every concrete field except the key, personal and excluded."""
        return [
            field.attname
            for field in self.model._meta.concrete_fields
            if not field.primary_key
            and field.name.lower() not in PERSONAL_KEYS
            and field.attname not in self.audit_exclude
        ]

    def _audit_action(self, verb: str) -> str:
        return f"{self.model._meta.model_name}.{verb}_in_admin"

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        fields = self.audit_fields()
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                current = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = snapshot(current, fields) if current is not None else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            after = snapshot(obj, fields)
            if before is None:
                audit_record(
                    actor=request.user,
                    action=self._audit_action("created"),
                    obj=obj,
                    after=after,
                )
                return
            changed = [key for key in after if before.get(key) != after[key]]
            if changed:
                audit_record(
                    actor=request.user,
                    action=self._audit_action("changed"),
                    obj=obj,
                    before={key: before.get(key) for key in changed},
                    after={key: after[key] for key in changed},
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            pk, before = obj.pk, snapshot(obj, self.audit_fields())
            super().delete_model(request, obj)  # type: ignore[misc]
            self._audit_deleted(request, pk, before)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        fields = self.audit_fields()
        with transaction.atomic():
            rows = [(obj.pk, snapshot(obj, fields)) for obj in queryset]
            super().delete_queryset(request, queryset)  # type: ignore[misc]
            for pk, before in rows:
                self._audit_deleted(request, pk, before)

    def _audit_deleted(self, request: HttpRequest, pk: Any, before: dict[str, Any]) -> None:
        audit_record(
            actor=request.user,
            action=self._audit_action("deleted"),
            object_type=self.model._meta.label_lower,
            object_id=pk,
            before=before,
        )
