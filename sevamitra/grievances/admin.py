"""Back office for grievances: administrators change the rules' numbers (audited through
services.rules.grievance_settings_update); complaints, sanctions and appeals are read here —
they change only through the officers' pages and their services. District officers see
their districts' records, administrators and auditors all."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.accounts.admin_mixins import AdministratorWritesStaffReadsMixin
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.grievances.forms import GrievanceSettingsForm
from sevamitra.grievances.models import (
    SETTING_FIELDS,
    Appeal,
    Complaint,
    GrievanceSettings,
    Sanction,
)
from sevamitra.grievances.services.rules import grievance_settings_update


@admin.register(GrievanceSettings)
class GrievanceSettingsAdmin(AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    form = GrievanceSettingsForm
    list_display = ["__str__", *SETTING_FIELDS[:5], "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (
            _("Days to resolve a complaint, by type"),
            {
                "fields": [
                    "safety_days",
                    "behaviour_days",
                    "no_show_days",
                    "overcharge_days",
                    "quality_days",
                ]
            },
        ),
        (
            _("Other time limits"),
            {
                "fields": [
                    "response_days",
                    "filing_window_days",
                    "appeal_window_days",
                    "appeal_decision_days",
                    "warning_memory_days",
                    "safety_notice_days",
                    "updated_at",
                    "updated_by",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row, created by migration 0002

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def save_model(self, request: HttpRequest, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        # The service saves and writes the audit entry (the form's validators have checked
        # the ranges; the service checks them again).
        grievance_settings_update(
            changes={name: form.cleaned_data[name] for name in SETTING_FIELDS},
            acting_user=request.user,
        )


class _ReadOnlyScoped(admin.ModelAdmin):
    district_path = "provider__district_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        user = request.user
        if permissions.is_administrator(user) or Role.AUDITOR in permissions.roles_of(user):
            return queryset
        districts = user_districts(user, Role.DISTRICT_OFFICER)
        return queryset.filter(**{f"{self.district_path}__in": districts})

    def has_module_permission(self, request: HttpRequest) -> bool:
        roles = permissions.roles_of(request.user)
        return permissions.is_administrator(request.user) or bool(
            roles & {Role.DISTRICT_OFFICER, Role.AUDITOR}
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Complaint)
class ComplaintAdmin(_ReadOnlyScoped):
    list_display = ["pk", "type", "status", "provider", "filed_at", "due_at", "outcome"]
    list_filter = ["type", "status", "outcome"]
    list_select_related = ["provider"]
    date_hierarchy = "filed_at"
    exclude = ["text", "outcome_reason"]


@admin.register(Sanction)
class SanctionAdmin(_ReadOnlyScoped):
    list_display = ["pk", "kind", "status", "provider", "imposed_at", "suspended_until"]
    list_filter = ["kind", "status", "safety_finding"]
    list_select_related = ["provider"]


@admin.register(Appeal)
class AppealAdmin(_ReadOnlyScoped):
    list_display = ["pk", "status", "provider", "appellate_officer", "filed_at", "due_at"]
    list_filter = ["status"]
    list_select_related = ["provider", "appellate_officer"]
    exclude = ["grounds"]
