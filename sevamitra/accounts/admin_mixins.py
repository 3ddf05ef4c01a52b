"""Role rules shared by the back-office pages of reference data (catalogue, districts)."""

from django.db.models import Model
from django.http import HttpRequest

from sevamitra.accounts import permissions
from sevamitra.accounts.models import STAFF_ROLES


class AdministratorWritesStaffReadsMixin:
    """Administrators change the data; every other back-office role may only look."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) or bool(permissions.roles_of(user) & STAFF_ROLES)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def may_write(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) and not permissions.is_read_only(user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may_write(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_write(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.may_write(request)
