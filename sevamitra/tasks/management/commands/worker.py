"""`manage.py worker`: run the portal's background jobs (notifications, later ONDC callbacks).

Runs until SIGTERM or SIGINT, then stops after the job in hand. `--once` runs the jobs that
are due and exits (cron, tests, a deploy step). Run several for more throughput; they never
run the same job at the same time.
"""

import argparse
import signal
import threading

from django.core.management.base import BaseCommand

from sevamitra.tasks.worker import Worker


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _seconds(value: str) -> float:
    number = float(value)
    if not 0 <= number < 86400:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return number


class Command(BaseCommand):
    help = "Run background jobs from the database queue until stopped."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs that are due now, then exit."
        )
        parser.add_argument(
            "--sleep",
            type=_seconds,
            default=None,
            help="Seconds to wait when no job is due (default: settings.TASKS_POLL_SECONDS).",
        )
        parser.add_argument(
            "--max-jobs", type=_positive_int, default=None, help="Exit after this many jobs."
        )

    def handle(self, *args, once: bool, sleep: float | None, max_jobs: int | None, **options):
        worker = Worker(once=once, sleep=sleep, max_jobs=max_jobs)
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, worker.handle_signal)
        try:
            processed = worker.run()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write(f"Worker {worker.worker_id} stopped after {processed} job(s).")
