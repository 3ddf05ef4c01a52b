"""Every inbound and outbound ONDC message, searchable by transaction id (issue 5, point 8).

Inbound rows also make the endpoints idempotent: the first authenticated request of a
(participant, action, message_id) keeps the answer we gave (`http_status`, `response`), and a
repeat gets that answer again (logged as its own row pointing at the first, `repeat_of`). A
database constraint keeps that first row unique, so two copies arriving at once cannot both be
processed. An answer of ours that failed on our side (HTTP 5xx: registry unreachable, an
internal error) is not kept as the answer: the buyer app may send the message again.
Outbound rows are our callbacks: at most one reply per inbound request.
Rows older than ONDC_LOG_RETENTION_DAYS are deleted by the job "ondc.prune".
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class OndcMessage(models.Model):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    action = models.CharField(_("action"), max_length=20)
    transaction_id = models.CharField(_("transaction id"), max_length=100, blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    # The other participant: the buyer app (bap_id) for our traffic.
    counterparty = models.CharField(_("participant"), max_length=255, blank=True)
    url = models.CharField(_("URL"), max_length=500, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    body = models.TextField(_("body"), blank=True)  # exactly the bytes signed/received, as text
    signature_ok = models.BooleanField(_("signature valid"), null=True, blank=True)
    signature_detail = models.CharField(_("signature check"), max_length=255, blank=True)
    # The synchronous answer we gave (inbound) or received (outbound): ACK/NACK and error.
    ack = models.CharField(_("answer"), max_length=4, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=10, blank=True)
    # For an outbound callback: the inbound request it answers (null when unsolicited).
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # For an inbound request repeating an earlier message id: that first request (whose answer
    # was given again). Deleted with it.
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("logged"), default=timezone.now, db_index=True)
    done_at = models.DateTimeField(_("answered / delivered"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("time taken (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("ONDC message")
        verbose_name_plural = _("ONDC messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One processed request per participant, action and message id (the idempotency key).
            models.UniqueConstraint(
                fields=["counterparty", "action", "message_id"],
                condition=models.Q(
                    direction="in", signature_ok=True, repeat_of__isnull=True, http_status__lt=500
                )
                & ~models.Q(message_id=""),
                name="ondcmsg_inbound_once",
            ),
            # One callback per request (unsolicited callbacks have no reply_to).
            models.UniqueConstraint(
                fields=["reply_to"],
                condition=models.Q(direction="out", reply_to__isnull=False),
                name="ondcmsg_one_reply",
            ),
        ]
        indexes = [
            models.Index(fields=["transaction_id", "created_at"], name="ondcmsg_txn"),
            models.Index(fields=["message_id"], name="ondcmsg_message"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.action} {self.transaction_id}"
