"""Job openings and job fairs from the sibling portals, and the import runs that bring them.

One model, `JobPosting`, with a `kind` (opening or fair), not two models: people search both
with one box and one list (a district, a skill, "show openings / fairs / both"), the landing
page and the unified search show them side by side, and an import upserts both by the same
key (source, external_id). Two models would need two queries, a merged ordering and a merged
pagination for every list. The few fields that belong to one kind only (salary and number of
openings for an opening; first day and list of employers for a fair) are optional columns,
and named check constraints keep each kind complete.

A posting is shown while it is open (`is_open`: an import with --close-missing closes what
the portal no longer lists) and its last day (`closes_on`: the last day to apply, or the
fair's last day) has not passed (selectors.postings_visible).

`content_hash` is the SHA-256 of everything an import would write (services._values): an
unchanged row is not written again, only marked as seen by the run (`last_seen_import`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The sibling portals whose feeds come in (the adapter names of settings.EMPLOYMENT_ADAPTERS).
SOURCE_NAMES = {"rojgar_sangam": _("Rojgar Sangam")}


class PostingKind(models.TextChoices):
    OPENING = "opening", _("Job opening")
    FAIR = "fair", _("Job fair")


class JobPosting(models.Model):
    """A job opening or a job fair published by a sibling portal."""

    source = models.CharField(_("portal"), max_length=32)
    external_id = models.CharField(_("the portal's reference"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=PostingKind.choices)
    title_hi = models.CharField(_("title (Hindi)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    employers = models.JSONField(_("employers at the fair"), default=list, blank=True)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        related_name="job_postings",
        verbose_name=_("district"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    salary_min = models.PositiveIntegerField(_("salary from (₹ a month)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to (₹ a month)"), null=True, blank=True)
    openings = models.PositiveIntegerField(_("number of openings"), null=True, blank=True)
    url = models.URLField(_("address on the portal"), max_length=500)
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    starts_on = models.DateField(_("first day of the fair"), null=True, blank=True)
    closes_on = models.DateField(_("last day"), null=True, blank=True)
    categories = models.ManyToManyField(
        "catalog.Category",
        blank=True,
        related_name="job_postings",
        verbose_name=_("matching services"),
    )
    # Normalised words (catalog.matching.normalize_term) of title, employer, skills and place,
    # space-separated with a space at both ends: a word is found by " <prefix>".
    search_text = models.TextField(editable=False, default="")
    content_hash = models.CharField(max_length=64, editable=False)
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_seen_import = models.ForeignKey(
        "jobs.JobImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last seen in import"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="jobposting_one_per_source_id"
            ),
            models.CheckConstraint(
                condition=~Q(title_hi="") | ~Q(title_en=""), name="jobposting_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="jobposting_salary_min_not_above_max",
            ),
            # An opening has no fair day; a fair has its first day and no salary.
            models.CheckConstraint(
                condition=Q(kind="opening", starts_on__isnull=True)
                | Q(
                    kind="fair",
                    starts_on__isnull=False,
                    salary_min__isnull=True,
                    salary_max__isnull=True,
                ),
                name="jobposting_fields_fit_kind",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(starts_on__lte=models.F("closes_on")),
                name="jobposting_fair_starts_before_end",
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, closed_at__isnull=True)
                | Q(is_open=False, closed_at__isnull=False),
                name="jobposting_closed_has_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["is_open", "closes_on"], name="jobposting_visible"),
            models.Index(fields=["district", "is_open"], name="jobposting_district_open"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_lang(self) -> str:
        """The language of `title`: the page's language when the portal gave that title."""
        hindi = (get_language() or "hi").startswith("hi")
        if hindi:
            return "hi" if self.title_hi else "en"
        return "en" if self.title_en else "hi"

    @property
    def title(self) -> str:
        return self.title_hi if self.title_lang == "hi" else self.title_en

    @property
    def other_title(self) -> str:
        """The title in the other language, if the portal gave both."""
        return self.title_en if self.title_lang == "hi" else self.title_hi

    @property
    def is_fair(self) -> bool:
        return self.kind == PostingKind.FAIR

    @property
    def source_name(self) -> str:
        return str(SOURCE_NAMES.get(self.source, self.source))


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    INCOMPLETE = "incomplete", _("stopped before the end")


# The life of an import run (services._run_finish, services._run_start).
IMPORT_TRANSITIONS: dict[str, set[str]] = {
    ImportStatus.RUNNING: {ImportStatus.COMPLETED, ImportStatus.INCOMPLETE},
    ImportStatus.COMPLETED: set(),
    ImportStatus.INCOMPLETE: set(),
}


class JobImport(models.Model):
    """One run of `manage.py import_jobs`: where from, what it did, which rows it skipped."""

    source = models.CharField(_("portal"), max_length=32)
    # A file path, or a URL without its query string and credentials (they may hold a token).
    location = models.CharField(_("read from"), max_length=500)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    close_missing = models.BooleanField(_("close postings missing from the feed"), default=False)
    created = models.PositiveIntegerField(_("postings created"), default=0)
    updated = models.PositiveIntegerField(_("postings updated"), default=0)
    unchanged = models.PositiveIntegerField(_("postings unchanged"), default=0)
    closed = models.PositiveIntegerField(_("postings closed"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    # The first skipped rows as {"line": n, "error": "..."}; the command prints them all.
    errors = models.JSONField(_("rows skipped (the first 100)"), default=list, blank=True)
    read_error = models.TextField(_("why reading stopped"), blank=True)

    class Meta:
        verbose_name = _("job import")
        verbose_name_plural = _("job imports")
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(status="running"),
                name="jobimport_one_running_per_source",
            ),
            models.CheckConstraint(
                condition=Q(status="running", finished_at__isnull=True)
                | (~Q(status="running") & Q(finished_at__isnull=False)),
                name="jobimport_finished_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"
