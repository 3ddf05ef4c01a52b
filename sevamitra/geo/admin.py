"""Back office for districts: shipped by a data migration, searched by other admins
(provider and role-grant forms autocomplete a district). Changes are recorded in the audit
trail ("district.changed_in_admin", audit.admin.AuditedAdminMixin)."""

from django.contrib import admin
from django.http import HttpRequest

from sevamitra.accounts.admin_mixins import AdministratorWritesStaffReadsMixin
from sevamitra.audit.admin import AuditedAdminMixin
from sevamitra.geo.models import District


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, AdministratorWritesStaffReadsMixin, admin.ModelAdmin):
    list_display = ["name_en", "name_hi", "code", "state"]
    list_filter = ["state"]
    search_fields = ["name_en", "name_hi", "code"]
    ordering = ["name_en"]

    def has_delete_permission(self, request: HttpRequest, obj: District | None = None) -> bool:
        return False  # districts are referenced by providers, officers and orders
