"""Back office for verification: the administrator's policy (changed through the audited
service), and the decisions, read-only (officers decide on /officer/verification/)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.core.errors import DomainError
from sevamitra.verification import services
from sevamitra.verification.models import (
    VerificationDecision,
    VerificationPolicy,
    parse_reminder_days,
)
from sevamitra.verification.permissions import can_edit_verification_policy


class VerificationPolicyForm(forms.ModelForm):
    class Meta:
        model = VerificationPolicy
        fields = ["reverify_months", "grace_days", "police_reminder_days"]

    def clean_police_reminder_days(self) -> str:
        value = self.cleaned_data["police_reminder_days"]
        try:
            return ",".join(str(day) for day in parse_reminder_days(value))
        except ValueError:
            raise ValidationError(
                _(
                    "Write up to six different numbers of days from 1 to 365, separated by "
                    "commas, for example 30,7,1."
                )
            ) from None


@admin.register(VerificationPolicy)
class VerificationPolicyAdmin(admin.ModelAdmin):
    """One row: the list leads straight to it. Administrators change it (through
    verification_policy_update, which audits the change); auditors read it."""

    form = VerificationPolicyForm
    fields = ["reverify_months", "grace_days", "police_reminder_days", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_administrator(request.user) or (
            Role.AUDITOR in permissions.roles_of(request.user)
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return can_edit_verification_policy(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the row exists from the migration

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def changelist_view(self, request, extra_context=None):  # type: ignore[no-untyped-def]
        policy, _created = VerificationPolicy.objects.get_or_create(
            pk=VerificationPolicy.SINGLETON_PK
        )
        return HttpResponseRedirect(
            reverse("admin:verification_verificationpolicy_change", args=[policy.pk])
        )

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        try:
            saved = services.verification_policy_update(
                acting_user=request.user,
                reverify_months=obj.reverify_months,
                grace_days=obj.grace_days,
                police_reminder_days=obj.police_reminder_days,
            )
        except DomainError as exc:  # the form checked the same rules just before
            raise ValidationError(str(exc)) from exc
        obj.__dict__.update(saved.__dict__)


@admin.register(VerificationDecision)
class VerificationDecisionAdmin(admin.ModelAdmin):
    """The history of decisions, as recorded: never added or changed here."""

    list_display = ["provider", "decision", "reason", "decided_by", "decided_at"]
    list_filter = ["decision", "reason", "provider__district"]
    list_select_related = ["provider", "decided_by"]
    search_fields = ["provider__name_hi", "provider__name_latin"]
    date_hierarchy = "decided_at"
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[VerificationDecision]:
        queryset = super().get_queryset(request)
        user = request.user
        if permissions.is_administrator(user) or Role.AUDITOR in permissions.roles_of(user):
            return queryset
        districts = user_districts(user, Role.DISTRICT_OFFICER)
        return queryset.filter(provider__district_id__in=districts)

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
