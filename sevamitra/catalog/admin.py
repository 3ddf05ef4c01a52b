"""Back office for the service catalogue: administrators edit it, other staff roles read it.

Every save or delete drops the in-memory search index (catalog.matching), so a new synonym
or a deactivated category takes effect in this process at once, and in the others when
their copy expires (at most a minute later).

A category's rules are settings (pricing unit, police verification mandatory, offered on
GeM, …): every change is recorded in the audit trail ("category.changed_in_admin" with the
values before and after, audit.admin.AuditedAdminMixin).
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.admin_mixins import AdministratorWritesStaffReadsMixin
from sevamitra.audit.admin import AuditedAdminMixin
from sevamitra.catalog.matching import invalidate_catalog_index
from sevamitra.catalog.models import Category


def _drop_search_index() -> None:
    # Now, for this request, and again after commit, so that a rebuild by another thread
    # between the two cannot keep the pre-commit catalogue for a minute.
    invalidate_catalog_index()
    transaction.on_commit(invalidate_catalog_index)


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = [
        "name_en",
        "name_hi",
        "icon",
        "group",
        "pricing_unit",
        "police_verification_required",
        "ondc_category_code",
        "gem_available",
        "sort_order",
        "is_active",
    ]
    list_display_links = ["name_en", "name_hi"]
    list_editable = ["sort_order", "is_active"]
    list_filter = [
        "group",
        "pricing_unit",
        "police_verification_required",
        "gem_available",
        "is_active",
    ]
    search_fields = ["slug", "name_en", "name_hi", "synonyms", "ondc_category_code"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["sort_order", "name_en"]
    fieldsets = [
        (None, {"fields": ["slug", "group", "name_en", "name_hi", "icon"]}),
        (
            _("Search"),
            {
                "fields": ["synonyms"],
                "description": _(
                    "Words callers use for this service: Hindi in Devanagari, Hinglish in "
                    "Latin letters, common misspellings. Spaces, case and doubled letters "
                    "do not matter."
                ),
            },
        ),
        (_("Booking rules"), {"fields": ["pricing_unit", "police_verification_required"]}),
        (
            _("Networks and procurement"),
            {
                "fields": ["ondc_category_code", "gem_available"],
                "description": _(
                    "ONDC code: as in the ONDC home-services category list (ONDC:SRV11), "
                    "e.g. SRV11-1042; empty where ONDC has none. GeM: whether the "
                    "Government e-Marketplace offers this service."
                ),
            },
        ),
        (_("Display"), {"fields": ["sort_order", "is_active"]}),
    ]

    # --- keep search in step with the catalogue -------------------------------------------

    def save_model(self, request: HttpRequest, obj: Category, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        _drop_search_index()

    def delete_model(self, request: HttpRequest, obj: Category) -> None:
        super().delete_model(request, obj)
        _drop_search_index()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        super().delete_queryset(request, queryset)
        _drop_search_index()
