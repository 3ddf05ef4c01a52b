"""manage.py figures_refresh [--single]: compute the public figures again and cache them."""

import time

from django.core.management.base import BaseCommand

from sevamitra.figures import selectors


class Command(BaseCommand):
    help = (
        "Compute the public outcome figures (/figures/) again and put them in the cache: the "
        "default view, and with --single each district, service and gender on its own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--single",
            action="store_true",
            help="Also every one-dimension filter (each district, service and gender).",
        )

    def handle(self, *args, single: bool = False, **options):
        filters = selectors.filters_to_warm(single=single)
        started = time.monotonic()
        for flt in filters:
            figures = selectors.figures_refresh(flt)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{len(filters)} filter(s) computed in {seconds:.1f} s; "
            f"computed at {figures.computed_at:%Y-%m-%d %H:%M:%S %Z}, "
            f"cached for {selectors.cache_seconds()} s."
        )
