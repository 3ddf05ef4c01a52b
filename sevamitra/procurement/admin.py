"""Back office for government orders: administrators manage departments, offices, officer
posts and rule sets; other staff roles read.

Departments and offices are audited by AuditedAdminMixin ("office.created_in_admin",
"office.changed_in_admin", …). Posts are granted and revoked through the services (which also
ensure the department officer role). A rule set is never edited: saving the add form creates a
new version through services.rules.rule_set_create ("rule_set.created"), with its category
rules from the inline rows."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.admin_mixins import AdministratorWritesStaffReadsMixin
from sevamitra.audit.admin import AuditedAdminMixin
from sevamitra.procurement.models import (
    CategoryRule,
    Department,
    Office,
    OfficePost,
    Requisition,
    RuleSet,
)
from sevamitra.procurement.services import offices, rules


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "name_hi", "is_active")
    search_fields = ("code", "name_en", "name_hi")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Office)
class OfficeAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = ("code", "name_en", "department", "district", "parent", "is_active")
    list_filter = ("department", "is_active")
    search_fields = ("code", "name_en", "name_hi", "ddo_code")
    autocomplete_fields = ("parent",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OfficePost)
class OfficePostAdmin(AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = ("user", "office", "post", "active", "granted_at")
    list_filter = ("post", "active")
    autocomplete_fields = ("office",)
    raw_id_fields = ("user",)
    fields = ("user", "office", "post", "active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user", "office", "post") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not obj.active:
            offices.office_post_revoke(holding=obj, acting_user=request.user)  # type: ignore[arg-type]
            return
        holding = offices.office_post_grant(
            user=obj.user,
            office=obj.office,
            post=obj.post,
            acting_user=request.user,  # type: ignore[arg-type]
        )
        obj.pk = holding.pk


class CategoryRuleForm(forms.ModelForm):
    class Meta:
        model = CategoryRule
        fields = ("category", "allowed", "gem_exception_justification", "yearly_ceiling_per_office")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if (
            category is not None
            and category.gem_available
            and data.get("allowed")
            and not (data.get("gem_exception_justification") or "").strip()
        ):
            self.add_error(
                "gem_exception_justification",
                _("This service is offered on GeM: write the justification for the exception."),
            )
        return data


class CategoryRuleInline(admin.TabularInline):
    model = CategoryRule
    form = CategoryRuleForm
    extra = 3

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RuleSet)
class RuleSetAdmin(AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = ("version", "go_reference", "go_date", "effective_from", "max_duration_days")
    inlines = (CategoryRuleInline,)
    fields = (
        "go_reference",
        "go_date",
        "effective_from",
        "max_duration_days",
        "approval_threshold",
        "second_approval_threshold",
        "deemed_acceptance_days",
        "payment_due_days",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only: a change is a new version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # saved with its category rules in save_related, through the service

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = form.cleaned_data
        category_rules = [
            rules.CategoryRuleInput(
                category=row["category"],
                allowed=row.get("allowed", False),
                gem_exception_justification=row.get("gem_exception_justification") or "",
                yearly_ceiling_per_office=row.get("yearly_ceiling_per_office"),
            )
            for formset in formsets
            for row in (f.cleaned_data for f in formset.forms)
            if row and row.get("category") is not None and not row.get("DELETE")
        ]
        created = rules.rule_set_create(
            go_reference=data["go_reference"],
            go_date=data["go_date"],
            effective_from=data["effective_from"],
            max_duration_days=data["max_duration_days"],
            approval_threshold=data["approval_threshold"],
            second_approval_threshold=data["second_approval_threshold"],
            deemed_acceptance_days=data["deemed_acceptance_days"],
            payment_due_days=data["payment_due_days"],
            category_rules=category_rules,
            acting_user=request.user,  # type: ignore[arg-type]
        )
        form.instance.pk = created.pk
        form.instance.version = created.version
        for formset in formsets:  # what the admin's change message reads
            formset.new_objects = list(created.category_rules.all())
            formset.changed_objects, formset.deleted_objects = [], []


@admin.register(Requisition)
class RequisitionAdmin(AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    """Read-only: orders change only through the officers' pages."""

    list_display = ("number", "office", "category", "status", "starts_on", "estimated_value")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
