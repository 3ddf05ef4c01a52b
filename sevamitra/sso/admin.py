"""The back office's page of sibling portals (OAUTH2_PROVIDER["APPLICATION_ADMIN_CLASS"]):
django-oauth-toolkit's Application admin, limited to what this provider supports (the
authorization code flow, RS256 ID tokens, consent always asked), with the portal's policy
(names, allowed scopes) inline. Administrators write, other back-office roles look; every
change is audited ("application.*_in_admin", "clientpolicy.*_in_admin")."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.hashers import identify_hasher
from django.utils.translation import gettext_lazy as _
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.forms import ApplicationForm
from oauth2_provider.models import Application

from sevamitra.accounts.admin_mixins import AdministratorWritesStaffReadsMixin
from sevamitra.audit.admin import AuditedAdminMixin
from sevamitra.audit.services import audit_record, snapshot
from sevamitra.sso import clients
from sevamitra.sso.models import ClientPolicy
from sevamitra.sso.scopes import SCOPES, normalise, scope_names

MIN_SECRET_LENGTH = 40


class ClientForm(ApplicationForm):
    class Meta:
        model = Application
        fields = ("name", "client_id", "client_type", "redirect_uris", "client_secret")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What this provider supports, whatever the form says (Application.clean checks them).
        self.instance.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        self.instance.algorithm = Application.RS256_ALGORITHM
        self.instance.skip_authorization = False
        self.instance.hash_client_secret = True

    def clean_client_secret(self) -> str:
        """A new secret typed by hand must be long: it is stored with a hasher made for
        random secrets, not for passwords (sevamitra/sso/hashers.py)."""
        secret = self.cleaned_data.get("client_secret", "")
        try:
            identify_hasher(secret)  # the stored hash, unchanged
        except ValueError:
            if len(secret) < MIN_SECRET_LENGTH:
                raise forms.ValidationError(
                    _(
                        "A client secret must be at least %(count)d characters: keep the one "
                        "generated."
                    )
                    % {"count": MIN_SECRET_LENGTH}
                ) from None
        return secret

    def clean_redirect_uris(self) -> str:
        uris = self.cleaned_data.get("redirect_uris", "").split()
        problems = clients.redirect_uri_problems(uris)
        if problems:
            raise forms.ValidationError(problems)
        return " ".join(uris)


class ClientPolicyForm(forms.ModelForm):
    allowed_scopes = forms.MultipleChoiceField(
        label=_("allowed scopes"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClientPolicy
        fields = ("name_hi", "name_en", "allowed_scopes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["allowed_scopes"]
        field.choices = [
            (name, f"{name}: {SCOPES[name][0]}" if name in SCOPES else name)
            for name in scope_names()
        ]
        if self.instance.pk:
            self.initial["allowed_scopes"] = self.instance.allowed_scopes.split()

    def clean_allowed_scopes(self) -> str:
        names = normalise(self.cleaned_data.get("allowed_scopes") or [])
        problems = clients.scope_problems(names)
        if problems:
            raise forms.ValidationError(problems)
        return " ".join(names)


class ClientPolicyInline(admin.StackedInline):
    model = ClientPolicy
    form = ClientPolicyForm
    min_num = 1
    max_num = 1
    can_delete = False
    fields = ("name_hi", "name_en", "allowed_scopes")

    # The same people as the client itself (AdministratorWritesStaffReadsMixin).
    def _may_write(self, request) -> bool:
        return AdministratorWritesStaffReadsMixin.may_write(self, request)  # type: ignore[arg-type]

    def has_view_permission(self, request, obj=None) -> bool:
        return AdministratorWritesStaffReadsMixin.has_module_permission(self, request)  # type: ignore[arg-type]

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_write(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClientAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, ApplicationAdmin):
    form = ClientForm
    inlines = [ClientPolicyInline]
    list_display = ("name", "client_id", "client_type", "scopes")
    list_filter = ("client_type",)
    radio_fields = {"client_type": admin.HORIZONTAL}
    readonly_fields = ()
    raw_id_fields = ()
    audit_exclude = ("client_secret", "updated")
    fields = ("name", "client_id", "client_type", "redirect_uris", "client_secret")

    @admin.display(description=_("allowed scopes"))
    def scopes(self, obj: Application) -> str:
        policy = ClientPolicy.objects.filter(application=obj).first()
        return policy.allowed_scopes if policy is not None else "—"

    def save_formset(self, request, form, formset, change):
        """The policy inline's changes are audited like the client's (the admin's change view
        runs in one transaction, the audit entry joins it)."""
        fields = ["name_hi", "name_en", "allowed_scopes"]
        befores = {}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is not None:
                current = ClientPolicy.objects.filter(pk=instance.pk).first()
                befores[instance.pk] = snapshot(current, fields) if current else None
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is None or not inline_form.has_changed():
                continue
            after = snapshot(instance, fields)
            before = befores.get(instance.pk)
            if before is None:
                audit_record(
                    actor=request.user,
                    action="clientpolicy.created_in_admin",
                    obj=instance,
                    after={**after, "application": instance.application_id},
                )
                continue
            changed = [key for key in after if before.get(key) != after[key]]
            if changed:
                audit_record(
                    actor=request.user,
                    action="clientpolicy.changed_in_admin",
                    obj=instance,
                    before={key: before[key] for key in changed},
                    after={key: after[key] for key in changed},
                )
