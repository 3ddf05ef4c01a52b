"""Back office for calls: read-only (calls are written by the console's services only).

Administrators and auditors see every call, for reports on outcomes and conversion."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.callcentre.models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["started_at", "agent", "masked_phone", "category", "pincode", "outcome"]
    list_filter = ["outcome", "category"]
    search_fields = ["=phone", "agent__phone", "=pincode", "=booking__id"]
    list_select_related = ["agent", "category"]
    date_hierarchy = "started_at"
    fields = [
        "agent",
        "caller",
        "phone",
        "category",
        "pincode",
        "outcome",
        "booking",
        "notes",
        "started_at",
        "ended_at",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("caller's mobile number"), ordering="phone")
    def masked_phone(self, call: Call) -> str:
        return f"XXXXXX{call.phone[-4:]}"

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) or Role.AUDITOR in permissions.roles_of(user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
