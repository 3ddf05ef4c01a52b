"""Back office for the ONDC seller node: the message log and the transactions, read-only, for
administrators and auditors. Search the log by transaction id, message id or participant;
filter by direction, action, answer and signature result. Nothing here is edited by hand:
messages are written by the endpoints and the worker, transactions by the protocol handlers.

Bodies carry customers' names, phone numbers and addresses: administrators see the bodies,
headers and the buyer's order; auditors see everything else (ids, answers, timings, states).
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts import permissions
from sevamitra.ondc.models import OndcMessage, OndcTransaction


class _ReadOnlyForAudit(admin.ModelAdmin):
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view_audit(request.user)  # administrators and auditors

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_view_audit(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(OndcMessage)
class OndcMessageAdmin(_ReadOnlyForAudit):
    list_display = [
        "created_at",
        "direction",
        "action",
        "counterparty",
        "transaction_id",
        "message_id",
        "ack",
        "http_status",
        "error_code",
        "signature_ok",
        "attempts",
        "duration_ms",
    ]
    list_filter = ["direction", "action", "ack", "signature_ok", "http_status"]
    # Exact ids first (an index each); the participant by prefix.
    search_fields = ["=transaction_id", "=message_id", "^counterparty"]
    search_help_text = _("Transaction id or message id (exact), or the participant's id.")
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    details = ["headers", "body", "response"]  # personal data: administrators only
    fields = [
        "direction",
        "action",
        "counterparty",
        "transaction_id",
        "message_id",
        "url",
        "created_at",
        "done_at",
        "duration_ms",
        "signature_ok",
        "signature_detail",
        "ack",
        "http_status",
        "error_code",
        "attempts",
        "reply_to",
        "repeat_of",
    ]

    def get_fields(self, request: HttpRequest, obj: Model | None = None):
        if permissions.is_administrator(request.user):
            return [*self.fields, *self.details]
        return list(self.fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        return self.get_fields(request, obj)


@admin.register(OndcTransaction)
class OndcTransactionAdmin(_ReadOnlyForAudit):
    list_display = [
        "created_at",
        "bap_id",
        "transaction_id",
        "state",
        "city_code",
        "starts_at",
        "booking",
        "updated_at",
    ]
    list_filter = ["state", "city_code"]
    search_fields = ["=transaction_id", "^bap_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    list_select_related = ["booking"]
    fields = [
        "bap_id",
        "bap_uri",
        "transaction_id",
        "city_code",
        "state",
        "offer",
        "starts_at",
        "ends_at",
        "hold",
        "booking",
        "quote",
        "created_at",
        "updated_at",
    ]
    details = ["order"]  # the buyer's billing and contact details: administrators only

    def get_fields(self, request: HttpRequest, obj: Model | None = None):
        if permissions.is_administrator(request.user):
            return [*self.fields, *self.details]
        return list(self.fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        return self.get_fields(request, obj)
