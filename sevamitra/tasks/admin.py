"""Back office for background jobs: a read-only list; administrators may retry failed jobs."""

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sevamitra.accounts import permissions
from sevamitra.core.errors import DomainError
from sevamitra.tasks.models import Job
from sevamitra.tasks.services import job_retry

DETAIL_FIELDS: list[str] = [
    "name",
    "payload_display",
    "status",
    "attempts",
    "max_attempts",
    "run_after",
    "lease_until",
    "locked_by",
    "created_at",
    "started_at",
    "finished_at",
    "dedupe_key",
    "last_error",
]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "status",
        "attempts_display",
        "run_after",
        "created_at",
        "finished_at",
        "error_summary",
    ]
    list_filter = ["status", "name"]
    search_fields = ["name", "dedupe_key"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    show_full_result_count = False
    fields = tuple(DETAIL_FIELDS)
    readonly_fields = DETAIL_FIELDS

    @admin.display(description=_("attempts"))
    def attempts_display(self, obj: Job) -> str:
        return f"{obj.attempts}/{obj.max_attempts}"

    @admin.display(description=_("last error"))
    def error_summary(self, obj: Job) -> str:
        lines = [line for line in obj.last_error.strip().splitlines() if line.strip()]
        return lines[-1][:120] if lines else ""

    @admin.display(description=_("arguments"))
    def payload_display(self, obj: Job) -> str:
        text = json.dumps(obj.payload, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)

    @admin.action(description=_("Retry the selected failed jobs now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        done = 0
        for job in queryset:
            try:
                job_retry(job=job, acting_user=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{job}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d job queued again.", "%(n)d jobs queued again.", done) % {"n": done},
                messages.SUCCESS,
            )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.is_administrator(user) and not permissions.is_read_only(user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view_audit(request.user)  # administrators and auditors

    def has_view_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return permissions.can_view_audit(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are queued by services only

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False
