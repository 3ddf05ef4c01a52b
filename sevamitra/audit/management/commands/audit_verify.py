"""`manage.py audit_verify [--expect-head SEQ:HASH]`: check the whole audit chain.

Reads every entry in order (streaming, in chunks) and recomputes each hash. Exit status 0 and
"OK …" when the chain is whole; otherwise exit status 1 and the first broken entry:
its number and what is wrong (gap / prev mismatch / hash mismatch / head mismatch).
--expect-head compares with a head published earlier (e.g. in an export's header).
"""

from django.core.management.base import BaseCommand, CommandError

from sevamitra.audit.selectors import chain_verify


def _head(value: str) -> tuple[int, str]:
    seq, _sep, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--expect-head takes SEQ:HASH (a number and 64 hex digits)")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken entry."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--expect-head", default=None, metavar="SEQ:HASH")

    def handle(self, *args, expect_head=None, **options) -> None:
        result = chain_verify(expect_head=_head(expect_head) if expect_head else None)
        if result.broken is not None:
            b = result.broken
            raise CommandError(
                f"BROKEN at entry {b.seq}: {b.problem} ({b.detail}); "
                f"entries before it intact: {result.checked}.",
                returncode=1,
            )
        self.stdout.write(
            f"OK: {result.checked} entries, head {result.head_seq} {result.head_hash}"
        )
