"""Bookings: every visit, hours, series occurrence, engagement day or event a provider does.

Every booking holds one CalendarBlock on its provider's calendar while it is live; the block
table is where "never booked twice" is enforced (an exclusion constraint on PostgreSQL, a
trigger on SQLite, see migrations/0002_calendar_no_overlap.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BookingKind(models.TextChoices):
    VISIT = "visit", _("Single visit")
    HOURS = "hours", _("Hours")
    SERIES = "series", _("Recurring series")
    ENGAGEMENT = "engagement", _("Long engagement")
    EVENT = "event", _("Event")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone (call centre)")
    ONDC = "ondc", _("ONDC buyer app")
    GOVERNMENT = "government", _("Government order")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    EN_ROUTE = "en_route", _("On the way")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    RATED = "rated", _("Rated")
    DECLINED = "declined", _("Not accepted")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Provider did not come")


S = BookingStatus
# The one table of allowed status changes (STYLE.md §5); services check it.
BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.CONFIRMED, S.DECLINED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.EN_ROUTE, S.IN_PROGRESS, S.CANCELLED, S.NO_SHOW}),
    S.EN_ROUTE: frozenset({S.IN_PROGRESS, S.CANCELLED, S.NO_SHOW}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset({S.RATED}),
    S.RATED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}
# Statuses in which the booking holds time on the provider's calendar.
LIVE_STATUSES = frozenset({S.REQUESTED, S.CONFIRMED, S.EN_ROUTE, S.IN_PROGRESS})


class CancelledBy(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    PROVIDER = "provider", _("Sevamitra")
    SYSTEM = "system", _("System")


class SeriesFrequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKDAYS = "weekdays", _("On chosen weekdays")
    INTERVAL = "interval", _("Every few days")


class SeriesStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class BookingSeries(models.Model):
    """The rule of a recurring series or a long engagement; its occurrences are Bookings."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booking_series"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="booking_series"
    )
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=BookingKind.choices)
    frequency = models.CharField(_("repeats"), max_length=10, choices=SeriesFrequency.choices)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)  # 0 = Monday
    interval_days = models.PositiveSmallIntegerField(_("every N days"), default=1)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    occurrence_count = models.PositiveSmallIntegerField(
        _("number of visits"), null=True, blank=True
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=False) | Q(occurrence_count__isnull=False),
                name="series_has_an_end",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1), name="series_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Booking(models.Model):
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("customer"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("Sevamitra"),
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=BookingKind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=S.REQUESTED
    )
    block = models.OneToOneField(
        "providers.CalendarBlock",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
    )
    # Where: the customer's address as given for this booking.
    address = models.TextField(_("address"))
    pincode = models.CharField(_("pincode"), max_length=6, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    notes = models.TextField(_("notes for the Sevamitra"), blank=True)
    # Money and terms as agreed when booking (the provider may change theirs later).
    quote = models.JSONField(_("quote"))
    total = models.DecimalField(_("total (₹)"), max_digits=12, decimal_places=2)
    terms = models.JSONField(_("terms at booking"))
    accept_deadline = models.DateTimeField(_("answer due by"), null=True, blank=True)
    # Start and end codes: only their HMACs; the customer gets the codes.
    start_code_hash = models.CharField(max_length=64, blank=True)
    end_code_hash = models.CharField(max_length=64, blank=True)
    code_salt = models.CharField(max_length=32, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True
    )
    cancel_reason = models.TextField(_("reason"), blank=True)
    cancellation_fee = models.DecimalField(
        _("cancellation fee (₹)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The earlier booking this one took over (request passed on, substitute)."),
    )
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="booking_starts_before_end"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="booking_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_by=""),
                name="booking_cancelled_says_by_whom",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-starts_at"], name="booking_customer_recent"),
            models.Index(fields=["provider", "starts_at"], name="booking_provider_agenda"),
            models.Index(fields=["status", "accept_deadline"], name="booking_pending_answer"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} {self.starts_at:%d/%m/%Y %H:%M}"


class BookingEvent(models.Model):
    """History of a booking: who changed what, when, from which status to which."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("booking history")
        verbose_name_plural = _("booking history")

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    UPI = "upi", _("UPI")


class PaymentStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    """A payment recorded (not processed): the customer pays the provider directly."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=8, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PAID
    )
    amount = models.DecimalField(_("amount (₹)"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("reference (UPI transaction id)"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status="paid"), name="payment_one_paid_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class RatingDirection(models.TextChoices):
    CUSTOMER_RATES_PROVIDER = "customer", _("Customer rates the Sevamitra")
    PROVIDER_RATES_CUSTOMER = "provider", _("Sevamitra rates the customer")


class Rating(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="ratings")
    direction = models.CharField(max_length=10, choices=RatingDirection.choices)
    stars = models.PositiveSmallIntegerField(_("stars"))
    text = models.TextField(_("review"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["booking", "direction"], name="rating_once_each_way"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★"
