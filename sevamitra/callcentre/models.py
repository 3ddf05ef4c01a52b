"""The call centre's record of every call: who called, what they asked, how it ended.

Calls that ended in a booking over all calls is the conversion the department measures.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallOutcome(models.TextChoices):
    BOOKED = "booked", _("Booked")
    NO_PROVIDER = "no_provider", _("No Sevamitra free")
    ENQUIRY = "enquiry", _("Enquiry")
    COMPLAINT = "complaint", _("Complaint")
    CHANGED = "changed", _("Booking changed or cancelled")


class Call(models.Model):
    """One call taken by an agent. Open while `outcome` is empty; `caller` is empty until an
    unknown number is registered (a wrong number or an enquiry need no account)."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calls_taken",
        verbose_name=_("agent"),
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calls_made",
        null=True,
        blank=True,
        verbose_name=_("caller"),
    )
    phone = models.CharField(_("caller's mobile number"), max_length=10)
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    pincode = models.CharField(_("pincode"), max_length=6, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallOutcome.choices, blank=True)
    # The booking made in this call (outcome "booked"), or the one changed or cancelled in it.
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking"),
    )
    notes = models.TextField(_("notes"), blank=True)
    started_at = models.DateTimeField(_("call started"), default=timezone.now)
    ended_at = models.DateTimeField(_("call ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["agent", "-started_at"], name="call_agent_recent"),
            models.Index(fields=["phone", "-started_at"], name="call_phone_recent"),
            models.Index(fields=["started_at", "outcome"], name="call_day_outcome"),
        ]
        constraints = [
            # Open (no outcome, no end) or closed (both): never half of each.
            models.CheckConstraint(
                condition=Q(outcome="", ended_at__isnull=True)
                | (~Q(outcome="") & Q(ended_at__isnull=False)),
                name="call_closed_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="call_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="booked") | Q(booking__isnull=False),
                name="call_booked_names_booking",
            ),
            # An agent is on one call at a time: opening the next closes the last.
            models.UniqueConstraint(
                fields=["agent"], condition=Q(outcome=""), name="call_one_open_per_agent"
            ),
        ]

    def __str__(self) -> str:
        started = timezone.localtime(self.started_at)
        return f"XXXXXX{self.phone[-4:]} {started:%d/%m/%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return not self.outcome
