"""`manage.py ondc_prune`: delete ONDC log rows older than ONDC_LOG_RETENTION_DAYS.

Run it daily from cron / a systemd timer, or once with `--schedule`: that queues the job
"ondc.prune" for 03:00 tomorrow, and each run queues the next one, so the worker keeps pruning
every night by itself.
"""

from django.core.management.base import BaseCommand

from sevamitra.ondc.outbox import log_prune, prune_schedule


class Command(BaseCommand):
    help = "Delete ONDC message-log rows older than ONDC_LOG_RETENTION_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead, queue the nightly prune job for the worker (it re-queues itself).",
        )

    def handle(self, *args, schedule: bool, **options) -> None:
        if schedule:
            job = prune_schedule()
            self.stdout.write(f"ondc.prune queued for {job.run_after.isoformat()} (job {job.pk}).")
            return
        deleted = log_prune()
        self.stdout.write(f"Deleted {deleted} ONDC log row(s).")
