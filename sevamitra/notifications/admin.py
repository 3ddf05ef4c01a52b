"""Back office for the outbox: a read-only list of messages for administrators and auditors.

Auditors see recipients masked, as everywhere else. A failed message is sent again by
retrying its job (Background jobs → "Retry the selected failed jobs now").
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import pgettext_lazy

from sevamitra.accounts import permissions
from sevamitra.notifications.models import Channel, Message


def mask_recipient(*, channel: str, to: str) -> str:
    """+919876543210 → XXXXXXXXX3210; asha@example.in → a***@example.in."""
    if channel == Channel.SMS:
        return "X" * max(len(to) - 4, 0) + to[-4:]
    local, _at, domain = to.partition("@")
    return f"{local[:1]}***@{domain}"


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    columns = ["channel", "event", "reference", "status", "attempts", "created_at", "sent_at"]
    details = ["user", "subject", "body", "last_error"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["reference", "event"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_select_related = ["user"]

    @admin.display(description=pgettext_lazy("message recipient", "to"))
    def masked_to(self, obj: Message) -> str:
        return mask_recipient(channel=obj.channel, to=obj.to)

    def _to_field(self, request: HttpRequest) -> str:
        return "to" if permissions.is_administrator(request.user) else "masked_to"

    def get_search_fields(self, request: HttpRequest):
        if permissions.is_administrator(request.user):
            return ["to", *self.search_fields]  # "what did we send to this number?"
        return self.search_fields

    def get_list_display(self, request: HttpRequest):
        return ["id", self._to_field(request), *self.columns]

    def get_fields(self, request: HttpRequest, obj: Message | None = None):
        return [self._to_field(request), *self.columns, *self.details]

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view_audit(request.user)  # administrators and auditors

    def has_view_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return permissions.can_view_audit(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages are queued by services only

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
