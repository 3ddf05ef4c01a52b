"""The audit trail: one append-only, hash-chained log of every change of state.

Rows are only ever inserted, by services.audit_record, in the transaction of the change they
record. On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002); on SQLite nothing
stops a raw edit, but `manage.py audit_verify` finds it. The hash of each entry covers its
fields and the previous entry's hash (chain.py documents the canonical form).
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sevamitra.audit import chain


class AuditEntry(models.Model):
    # The order of the chain: 1, 2, 3, … with no gaps, assigned under the append lock.
    seq = models.PositiveBigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("time"))
    # A reference to the person, never a copy of their data. PROTECT: people are anonymised
    # on erasure, not deleted, and a row here must never change.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("role"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["at"], name="auditentry_at"),
            models.Index(fields=["action", "seq"], name="auditentry_action"),
            models.Index(fields=["object_type", "object_id"], name="auditentry_object"),
            models.Index(fields=["actor", "seq"], name="auditentry_actor"),
        ]
        constraints = [
            # Two entries naming the same predecessor would be a fork of the chain.
            models.UniqueConstraint(fields=["prev_hash"], name="auditentry_one_successor"),
            models.UniqueConstraint(fields=["hash"], name="auditentry_hash_unique"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="auditentry_seq_from_1"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def before_text(self) -> str:
        return "" if self.before is None else json.dumps(self.before, ensure_ascii=False)

    @property
    def after_text(self) -> str:
        return "" if self.after is None else json.dumps(self.after, ensure_ascii=False)

    def canonical(self) -> dict:
        """The fields the hash covers (chain.py), as stored."""
        return chain.canonical_fields(
            seq=self.seq,
            at=chain.format_at(self.at),
            actor_id=self.actor_id,
            actor_role=self.actor_role,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            before=self.before,
            after=self.after,
            prev_hash=self.prev_hash,
        )

    def computed_hash(self) -> str:
        return chain.entry_hash(self.canonical())
