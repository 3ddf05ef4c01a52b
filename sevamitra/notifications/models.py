from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# The one table of allowed status changes (STYLE.md §5), checked in services.py. A failed
# message can still be sent when an administrator retries its job.
MESSAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    MessageStatus.QUEUED: frozenset({MessageStatus.SENT, MessageStatus.FAILED}),
    MessageStatus.FAILED: frozenset({MessageStatus.SENT}),
    MessageStatus.SENT: frozenset(),
}


class Message(models.Model):
    """One SMS or e-mail to one recipient, queued with the state change that caused it."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to = models.CharField(
        pgettext_lazy("message recipient", "to"),
        max_length=254,
        help_text=_("Mobile number or e-mail address."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    event = models.CharField(
        _("event"), max_length=64, help_text=_("For example booking.confirmed.")
    )
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, help_text=_("For example booking:123.")
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="message_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status=MessageStatus.SENT, sent_at__isnull=False)
                | (~Q(status=MessageStatus.SENT) & Q(sent_at__isnull=True)),
                name="message_sent_iff_sent_at",
            ),
            models.CheckConstraint(condition=~Q(to=""), name="message_has_recipient"),
        ]
        indexes = [
            models.Index(fields=["reference", "created_at"], name="message_reference_idx"),
            models.Index(fields=["event", "created_at"], name="message_event_idx"),
            models.Index(fields=["status", "created_at"], name="message_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.event})"
