"""Back office for people and roles. Administrators change; auditors look; nobody else.

Writes go through the services (`user_create`, `user_update`, `role_grant`, `role_revoke`), so
the admin obeys the same rules as every other door: is_staff follows the roles, auditors are
read-only, only administrators grant roles, and every change is in the audit trail.

Access is given by roles (RoleGrant) only: Django's groups and model permissions are not used,
so their admin page is removed; no change of access goes round role_grant and the audit trail.
"""

import contextlib

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import OtpChallenge, RoleGrant, User
from sevamitra.accounts.phone import normalize_phone
from sevamitra.accounts.services import role_grant, role_revoke, user_create, user_update


def _admin_writes(request: HttpRequest) -> bool:
    return permissions.can_manage_roles(request.user)


def _admin_reads(request: HttpRequest) -> bool:
    return permissions.can_view_audit(request.user)  # administrators and auditors


class UserAdminForm(forms.ModelForm):
    phone = forms.CharField(label=_("mobile number"), max_length=20)

    class Meta:
        model = User
        fields = ["phone", "name", "preferred_language", "is_active"]

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "district", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    autocomplete_fields: list[str] = []

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _admin_reads(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return _admin_writes(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _admin_writes(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _admin_writes(request)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    inlines = [RoleGrantInline]
    search_fields = ["phone", "name"]
    list_filter = ["role_grants__role", "is_active", "is_staff"]
    ordering = ["-date_joined"]
    readonly_fields = [
        "masked_phone_display",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    show_full_result_count = False

    @admin.display(description=_("mobile number"))
    def masked_phone_display(self, obj: User) -> str:
        return obj.masked_phone

    @admin.display(description=_("roles"))
    def roles_display(self, obj: User) -> str:
        labels = sorted({str(grant.get_role_display()) for grant in obj.role_grants.all()})
        return ", ".join(labels)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("role_grants")

    def get_list_display(self, request: HttpRequest):
        phone = "phone" if permissions.is_administrator(request.user) else "masked_phone_display"
        return [phone, "name", "roles_display", "is_active", "is_staff", "date_joined"]

    def get_fields(self, request: HttpRequest, obj: User | None = None):
        if obj is None:
            return ["phone", "name", "preferred_language"]
        phone = "phone" if permissions.is_administrator(request.user) else "masked_phone_display"
        return [phone, "name", "preferred_language", "is_active", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.append("phone")  # a number is the identity: a new number is a new account
            if obj.pk == request.user.pk:
                fields.append("is_active")  # nobody switches themselves off
        return fields

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        with contextlib.suppress(ValidationError):
            search_term = normalize_phone(search_term)
        return super().get_search_results(request, queryset, search_term)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _admin_reads(request)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is None:
            return _admin_reads(request)
        return _admin_reads(request) and permissions.can_view_user(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _admin_writes(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return _admin_writes(request)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # accounts are deactivated; erasure is its own procedure (DPDP)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            current = User.objects.get(pk=obj.pk)
            user_update(
                user=current,
                acting_user=request.user,
                name=data.get("name"),
                preferred_language=data.get("preferred_language"),
                is_active=data.get("is_active", current.is_active),
            )
        else:
            current = user_create(
                phone=data["phone"], name=data.get("name", ""), acting_user=request.user
            )
            user_update(
                user=current,
                acting_user=request.user,
                preferred_language=data.get("preferred_language"),
            )
        obj.pk = current.pk
        obj.refresh_from_db()

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        deleted = set(formset.deleted_forms)
        # The admin's change message reads these, as after formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with transaction.atomic():
            for grant_form in deleted:
                if grant_form.instance.pk:
                    role_revoke(grant=grant_form.instance, acting_user=request.user)
                    formset.deleted_objects.append(grant_form.instance)
            for grant_form in formset.forms:
                if grant_form in deleted or not grant_form.has_changed():
                    continue
                if grant_form.instance.pk:  # an edited row: the old grant gives way to the new
                    old = RoleGrant.objects.get(pk=grant_form.instance.pk)
                    role_revoke(grant=old, acting_user=request.user)
                    formset.deleted_objects.append(old)
                grant = role_grant(
                    user=user,
                    role=grant_form.cleaned_data["role"],
                    district=grant_form.cleaned_data.get("district"),
                    acting_user=request.user,
                )
                formset.new_objects.append(grant)


@admin.register(OtpChallenge)
class OtpChallengeAdmin(admin.ModelAdmin):
    """Sign-in codes, for support and audit. Only a hash was ever stored; it is not shown."""

    columns = ["created_at", "expires_at", "attempts", "consumed_at"]
    readonly_fields = ["phone", "masked_phone", *columns, "requested_ip"]
    list_filter = ["created_at"]
    search_fields = ["phone"]
    ordering = ["-created_at"]
    show_full_result_count = False

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj: OtpChallenge) -> str:
        return f"XXXXXX{obj.phone[-4:]}"

    def _phone_field(self, request: HttpRequest) -> str:
        return "phone" if permissions.is_administrator(request.user) else "masked_phone"

    def get_list_display(self, request: HttpRequest):
        return [self._phone_field(request), *self.columns]

    def get_fields(self, request: HttpRequest, obj=None):
        return [self._phone_field(request), *self.columns, "requested_ip"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _admin_reads(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _admin_reads(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
