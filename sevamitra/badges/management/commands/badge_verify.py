"""`manage.py badge_verify <token or /verify/ URL>`: the verdict from the signature and dates,
and the live status when the database can be reached. Exit status 0 for a valid card, 1
otherwise."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from sevamitra.badges import selectors, tokens
from sevamitra.badges.selectors import Verdict


class Command(BaseCommand):
    help = "Check a Sevamitra ID card token: signature and dates, then the live status."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("token", help="the token, or the /verify/<token> URL")
        parser.add_argument("--offline", action="store_true", help="do not ask the database")

    def handle(self, *args, token: str, offline: bool, **options):  # type: ignore[no-untyped-def]
        token = tokens.extract(token)
        claims = tokens.verify(token)
        verdict = selectors.offline_verdict(claims)
        self.stdout.write(f"signature: {'genuine' if claims else 'NOT VALID'}")
        if claims:
            self.stdout.write(f"provider id: {claims.provider_id}")
            self.stdout.write(f"badge number: SM-{claims.badge_number:07d}")
            self.stdout.write(f"issued on: {claims.issued_on.isoformat()}")
            self.stdout.write(f"valid until: {claims.valid_until.isoformat()}")
        self.stdout.write(f"offline verdict: {verdict.upper()}")
        if claims and not offline:
            try:
                verdict = selectors.badge_check(token).verdict
            except DatabaseError as exc:
                self.stdout.write(f"live status: unavailable ({exc.__class__.__name__})")
            else:
                self.stdout.write(f"live verdict: {verdict.upper()}")
        if verdict != Verdict.VALID:
            raise CommandError(f"card is {verdict.upper().replace('_', ' ')}", returncode=1)
