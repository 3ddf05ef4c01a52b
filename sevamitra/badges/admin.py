"""Back office: district officers issue ID badges and record uniforms for the providers of
their districts; administrators everywhere; auditors read. Writes go through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.badges import permissions as badge_permissions
from sevamitra.badges import services
from sevamitra.badges.models import Badge, UniformIssue
from sevamitra.core.errors import DomainError
from sevamitra.providers.models import VerificationStatus


class _DistrictScoped(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("provider", "issued_by")
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
        if permissions.is_read_only(request.user):
            return False
        roles = permissions.roles_of(request.user)
        return permissions.is_administrator(request.user) or Role.DISTRICT_OFFICER in roles

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # records are issued, never edited

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class BadgeIssueForm(forms.ModelForm):
    class Meta:
        model = Badge
        fields = ["provider"]

    def clean_provider(self):  # type: ignore[no-untyped-def]
        provider = self.cleaned_data["provider"]
        if not badge_permissions.can_issue_badge(self.request_user, provider):
            raise ValidationError(_("You cannot issue a badge to this Sevamitra."))
        if provider.verification_status != VerificationStatus.VERIFIED:
            raise ValidationError(_("Only a verified Sevamitra can be given an ID badge."))
        return provider


@admin.register(Badge)
class BadgeAdmin(_DistrictScoped):
    list_display = ["number", "provider", "issued_on", "valid_until", "revoked_at", "card"]
    list_filter = ["valid_until", "provider__district"]
    search_fields = ["provider__name_hi", "provider__name_latin"]
    raw_id_fields = ["provider"]
    form = BadgeIssueForm

    def get_form(self, request, obj=None, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is None:
            return []
        return ["provider", "issued_on", "valid_until", "issued_by", "revoked_at", "card"]

    @admin.display(description=_("ID card"))
    def card(self, badge: Badge) -> str:
        if badge.revoked_at:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("badges:card", args=[badge.provider_id]), _("PDF")
        )

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        try:
            issued = services.badge_issue(provider=obj.provider, acting_user=request.user)
        except DomainError as exc:  # raced with a suspension: the form checked just before
            raise ValidationError(str(exc)) from exc
        obj.pk = issued.pk
        obj.__dict__.update(issued.__dict__)


class UniformIssueForm(forms.ModelForm):
    class Meta:
        model = UniformIssue
        fields = ["provider", "tshirt_size", "cap_size", "issued_on"]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        provider = cleaned.get("provider")
        if provider and not badge_permissions.can_issue_uniform(self.request_user, provider):
            self.add_error("provider", _("You cannot record a uniform for this Sevamitra."))
        issued_on = cleaned.get("issued_on")
        if issued_on and issued_on > timezone.localdate():
            self.add_error("issued_on", _("The date of issue cannot be in the future."))
        return cleaned


@admin.register(UniformIssue)
class UniformIssueAdmin(_DistrictScoped):
    list_display = ["provider", "tshirt_size", "cap_size", "issued_on", "issued_by"]
    list_filter = ["issued_on", "tshirt_size", "provider__district"]
    search_fields = ["provider__name_hi", "provider__name_latin"]
    raw_id_fields = ["provider"]
    form = UniformIssueForm

    def get_form(self, request, obj=None, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        issued = services.uniform_issue(
            provider=obj.provider,
            tshirt_size=obj.tshirt_size,
            cap_size=obj.cap_size,
            issued_on=obj.issued_on,
            acting_user=request.user,
        )
        obj.pk = issued.pk
        obj.__dict__.update(issued.__dict__)
