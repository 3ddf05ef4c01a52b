from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# The one table of allowed status changes (STYLE.md §5). The worker's moves are conditional
# UPDATEs in services.py (claim, complete, fail); `job_retry` checks this table by hand.
# RUNNING → RUNNING is a new worker taking over a job whose lease expired.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING}),
    JobStatus.RUNNING: frozenset(
        {JobStatus.DONE, JobStatus.QUEUED, JobStatus.FAILED, JobStatus.RUNNING}
    ),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),
}


class Job(models.Model):
    """One piece of background work: a registered handler's name and its keyword arguments.

    A job is claimed by one worker at a time for `lease_until`; if that worker dies, the lease
    runs out and another worker claims the job again (at-least-once: handlers are idempotent).
    """

    name = models.CharField(_("job"), max_length=100)
    payload = models.JSONField(_("arguments"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=8)
    run_after = models.DateTimeField(_("run after"), default=timezone.now)
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    locked_by = models.CharField(_("worker"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("de-duplication key"),
        max_length=200,
        blank=True,
        help_text=_("A second job with the same key is not created."),
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="job_dedupe_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1) & Q(attempts__lte=models.F("max_attempts")),
                name="job_attempts_within_max",
            ),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.RUNNING) | Q(lease_until__isnull=False),
                name="job_running_has_lease",
            ),
        ]
        indexes = [
            # What the worker asks for on every poll: due queued jobs, expired leases.
            models.Index(
                fields=["run_after", "id"],
                condition=Q(status=JobStatus.QUEUED),
                name="job_queued_due_idx",
            ),
            models.Index(
                fields=["lease_until"],
                condition=Q(status=JobStatus.RUNNING),
                name="job_running_lease_idx",
            ),
            models.Index(fields=["status", "name"], name="job_status_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"
