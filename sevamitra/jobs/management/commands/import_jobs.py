"""`manage.py import_jobs <file-or-url> [--source rojgar_sangam] [--close-missing] [--quiet]`

Imports job openings and job fairs from a sibling portal's feed (docs/job-feed.md) through
jobs.services.jobs_import. A progress bar on stderr (only on a terminal, and not with
--quiet); each skipped row on stderr as "line 17: salary_min must be a number"; the summary
on stdout. Exit status 0 when the feed was read to the end, however many rows were skipped;
1 when it could not be read at all, or reading broke off (what was read before stays).
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sevamitra.core.errors import DomainError
from sevamitra.employment.adapters import FeedRow, FeedSummary
from sevamitra.jobs.services import RowError, jobs_import


class Command(BaseCommand):
    help = "Import job openings and job fairs from a sibling portal's feed (docs/job-feed.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("location", help="the feed: a file path or an http(s) URL")
        parser.add_argument(
            "--source",
            default="rojgar_sangam",
            help="the portal (an adapter in settings.EMPLOYMENT_ADAPTERS); default rojgar_sangam",
        )
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="close this portal's open postings that are not in the feed",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, location, source, close_missing, quiet, **options) -> None:
        show_bar = not quiet and self.stderr.isatty()
        bar: tqdm | None = None

        def on_start(summary: FeedSummary) -> None:
            nonlocal bar
            if show_bar:
                bar = tqdm(total=summary.total, unit=" rows", desc=source, file=self.stderr._out)

        def on_row(row: FeedRow) -> None:
            if bar is not None:
                bar.update(1)

        def on_error(error: RowError) -> None:
            if bar is not None:
                bar.write(str(error), file=self.stderr._out)
            else:
                self.stderr.write(str(error))

        try:
            result = jobs_import(
                source=source,
                location=location,
                close_missing=close_missing,
                on_start=on_start,
                on_row=on_row,
                on_error=on_error,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=1) from None
        finally:
            if bar is not None:
                bar.close()

        counts = ", ".join(f"{name} {number}" for name, number in result.counts.items())
        self.stdout.write(f"{source}: {counts}.")
        if result.not_closed_because:
            self.stdout.write(f"Nothing closed: {result.not_closed_because}.")
        if not result.complete:
            raise CommandError(
                f"Reading stopped before the end: {result.read_error}. "
                "The rows read before were imported; run the import again.",
                returncode=1,
            )
