"""Back office for districts: shipped by a data migration, searched by other admins
(provider and role-grant forms autocomplete a district)."""

from django.contrib import admin
from django.http import HttpRequest

from sevamitra.accounts import permissions
from sevamitra.accounts.models import STAFF_ROLES
from sevamitra.geo.models import District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_hi", "code", "state"]
    list_filter = ["state"]
    search_fields = ["name_en", "name_hi", "code"]
    ordering = ["name_en"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) or bool(permissions.roles_of(user) & STAFF_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: District | None = None) -> bool:
        return self.has_module_permission(request)

    def _may_write(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) and not permissions.is_read_only(user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_write(request)

    def has_change_permission(self, request: HttpRequest, obj: District | None = None) -> bool:
        return self._may_write(request)

    def has_delete_permission(self, request: HttpRequest, obj: District | None = None) -> bool:
        return False  # districts are referenced by providers, officers and orders
