"""Back office for providers: what a district officer and an administrator use every day.

A district officer sees the providers of their own districts only; an auditor sees all and
changes nothing. Status changes go through provider_set_status, never a bare save. New
providers are approved (or asked for changes, or refused) on the officer's verification page
(/officer/verification/, which checks the documents and issues the badge); here officers
suspend and reinstate.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.accounts.selectors import user_districts
from sevamitra.core.errors import DomainError
from sevamitra.providers import services
from sevamitra.providers.models import (
    Document,
    Leave,
    Offer,
    Provider,
    ServicePincode,
    VerificationStatus,
    WeeklyWindow,
)


class ProviderPartInline(admin.TabularInline):
    """A part of a provider's record (offers, hours, documents…): seen by whoever may see the
    provider — the district officer checks documents from here — changed by administrators
    only (officers verify, they do not edit a provider's own data)."""

    extra = 0

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is None:
            return ProviderAdmin.has_module_permission(self, request)  # type: ignore[arg-type]
        return permissions.can_view_provider(request.user, obj)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return permissions.is_administrator(request.user) and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return permissions.is_administrator(request.user) and super().has_add_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return permissions.is_administrator(request.user) and super().has_delete_permission(
            request, obj
        )


class OfferInline(ProviderPartInline):
    model = Offer
    extra = 0
    fields = ["category", "price", "visiting_charge", "is_active"]
    autocomplete_fields = ["category"]


class WeeklyWindowInline(ProviderPartInline):
    model = WeeklyWindow
    extra = 0


class LeaveInline(ProviderPartInline):
    model = Leave
    extra = 0


class DocumentInline(ProviderPartInline):
    model = Document
    extra = 0
    fields = ["kind", "id_type", "last4", "reference", "expires_on", "uploaded_file"]
    readonly_fields = ["uploaded_file"]

    @admin.display(description=_("uploaded file"))
    def uploaded_file(self, document: Document) -> str:
        """A link to the upload, served by a view that checks who asks (never a public URL)."""
        if not document.pk or not document.file:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("providers:document_file", args=[document.pk]),
            _("Open"),
        )


class ServicePincodeInline(ProviderPartInline):
    model = ServicePincode
    extra = 0


class PoliceValidFilter(admin.SimpleListFilter):
    title = _("police verification")
    parameter_name = "police"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("valid", _("valid")), ("lapsed", _("lapsed or missing"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        valid = Document.objects.filter(kind="police", expires_on__gte=timezone.localdate())
        if self.value() == "valid":
            return queryset.filter(pk__in=valid.values("provider_id"))
        if self.value() == "lapsed":
            return queryset.exclude(pk__in=valid.values("provider_id"))
        return queryset


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = [
        "name_hi",
        "name_latin",
        "district",
        "verification_status",
        "rating_avg",
        "rating_count",
        "is_active",
        "created_at",
        "verification_page",
    ]
    list_filter = [
        "verification_status",
        "district",
        "is_active",
        "gender",
        "offers__category",
        PoliceValidFilter,
    ]
    search_fields = ["name_hi", "name_latin", "user__phone", "service_pincodes__pincode"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "verification_status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "verified_on",
        "reverification_due_on",
        "verified_until",
        "rating_avg",
        "rating_count",
        "created_at",
        "updated_at",
        "business_address",
        "business_address_updated_at",
    ]
    # The business address is the Sevamitra's own (set on their address page, audited): shown
    # here, not edited.
    exclude = [
        "business_line1",
        "business_line2",
        "business_locality",
        "business_pincode",
        "business_district",
    ]
    inlines = [OfferInline, ServicePincodeInline, WeeklyWindowInline, LeaveInline, DocumentInline]
    actions = ["suspend", "reinstate"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_list_display(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        shown = list(super().get_list_display(request))
        if permissions.is_read_only(request.user):  # auditors do not decide
            shown.remove("verification_page")
        return shown

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provider]:
        queryset = super().get_queryset(request)
        user = request.user
        roles = permissions.roles_of(user)
        if permissions.is_administrator(user) or Role.AUDITOR in roles:
            return queryset
        if Role.DISTRICT_OFFICER in roles:
            return queryset.filter(district_id__in=user_districts(user, Role.DISTRICT_OFFICER))
        return queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        roles = permissions.roles_of(request.user)
        return permissions.is_administrator(request.user) or bool(
            roles & {Role.DISTRICT_OFFICER, Role.AUDITOR}
        )

    def has_view_permission(self, request: HttpRequest, obj: Provider | None = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_view_provider(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Provider | None = None) -> bool:
        if permissions.is_read_only(request.user):
            return False
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_verify_provider(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Provider | None = None) -> bool:
        return False  # providers are suspended, never deleted: their history stays

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[Provider], status: str, reason: str
    ) -> None:
        done = 0
        for provider in queryset:
            try:
                services.provider_set_status(
                    provider=provider, status=status, reason=reason, acting_user=request.user
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{provider}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d provider updated.", "%(n)d providers updated.", done) % {"n": done},
                messages.SUCCESS,
            )

    @admin.display(description=_("business address"))
    def business_address(self, provider: Provider) -> str:
        lines = provider.business_address_lines()
        if not lines:
            return "—"
        return format_html_join(", ", "{}", ((line,) for line in lines))

    @admin.display(description=_("verification"))
    def verification_page(self, provider: Provider) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("verification:provider", args=[provider.pk]),
            _("Open the verification page"),
        )

    @admin.action(description=_("Suspend the selected providers"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Provider]) -> None:
        self._set_status(
            request,
            queryset,
            VerificationStatus.SUSPENDED,
            str(_("Suspended by the district office.")),
        )

    @admin.action(description=_("Reinstate the selected suspended providers"))
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Provider]) -> None:
        # Only a suspension is undone here: a pending provider is approved on the
        # verification page, where the documents are checked.
        for provider in queryset.exclude(verification_status=VerificationStatus.SUSPENDED):
            self.message_user(
                request,
                _("%(provider)s is not suspended: approve on the verification page.")
                % {"provider": provider},
                messages.ERROR,
            )
        self._set_status(
            request,
            queryset.filter(verification_status=VerificationStatus.SUSPENDED),
            VerificationStatus.VERIFIED,
            "",
        )
