"""A buyer app's flow (one context.transaction_id of one bap_id) on our side: what was selected,
the hold that keeps the slot between init and confirm, and the booking it became.

The booking itself is an ordinary `bookings.Booking` (channel "ondc"): the provider's dashboard,
the call centre and every rule of the booking engine treat it like any other. This row only
remembers what the network needs on top: the buyer app, the quote and order details as
exchanged, the start code for the buyer app (encrypted, see `sevamitra.ondc.flow.reading`)
and how far the buyer app has been told about the booking's changes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransactionState(models.TextChoices):
    SELECTED = "selected", _("Quoted")
    INITIALIZED = "initialized", _("Slot held")
    CONFIRMED = "confirmed", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class OndcTransaction(models.Model):
    bap_id = models.CharField(_("buyer app"), max_length=255)
    bap_uri = models.CharField(_("buyer app URL"), max_length=500)
    transaction_id = models.CharField(_("transaction id"), max_length=100)
    city_code = models.CharField(_("city code"), max_length=20, blank=True)
    state = models.CharField(_("stage"), max_length=12, choices=TransactionState.choices)
    offer = models.ForeignKey(
        "providers.Offer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    quote = models.JSONField(_("quote"), null=True, blank=True)
    # The buyer's order details as last received (billing, fulfillment contact, payments…).
    order = models.JSONField(_("order details"), default=dict, blank=True)
    hold = models.ForeignKey(
        "providers.CalendarBlock",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    booking = models.OneToOneField(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ondc_transaction",
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The customer's start code for the buyer app (the fulfillment's OTP authorization),
    # encrypted with a key derived from SECRET_KEY; `otp_code_salt` is the booking's code salt
    # it belongs to (codes reissued elsewhere make it stale).
    otp_sealed = models.TextField(blank=True, editable=False)
    otp_code_salt = models.CharField(max_length=32, blank=True, editable=False)
    otp_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The newest BookingEvent the buyer app has been told about (in an answer or an
    # unsolicited callback): older or equal events are not sent again.
    reported_event_id = models.PositiveBigIntegerField(
        _("last change reported"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ONDC transaction")
        verbose_name_plural = _("ONDC transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["bap_id", "transaction_id"], name="ondctxn_one_per_buyer_transaction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bap_id} {self.transaction_id}"
