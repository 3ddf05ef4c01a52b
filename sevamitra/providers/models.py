from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    CHANGES_REQUESTED = "changes_requested", _("Changes asked for")
    REJECTED = "rejected", _("Not accepted")
    SUSPENDED = "suspended", _("Suspended")


# The one table of allowed status changes (STYLE.md §5), checked in services
# (providers.services.provider_set_status; the district officer's decisions in
# verification.services call it).
#   pending            → verified (approved), changes asked for, not accepted, suspended
#   changes asked for  → pending (the Sevamitra sends the registration again), not accepted
#   not accepted       → nothing: final for this registration (to try again, the person
#                        calls the helpline; an administrator decides case by case)
#   verified           → suspended; pending (re-verification overdue: bookable again only
#                        once approved again)
#   suspended          → verified (reinstated)
VERIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    VerificationStatus.PENDING: frozenset(
        {
            VerificationStatus.VERIFIED,
            VerificationStatus.CHANGES_REQUESTED,
            VerificationStatus.REJECTED,
            VerificationStatus.SUSPENDED,
        }
    ),
    VerificationStatus.CHANGES_REQUESTED: frozenset(
        {VerificationStatus.PENDING, VerificationStatus.REJECTED}
    ),
    VerificationStatus.REJECTED: frozenset(),
    VerificationStatus.VERIFIED: frozenset(
        {VerificationStatus.SUSPENDED, VerificationStatus.PENDING}
    ),
    VerificationStatus.SUSPENDED: frozenset({VerificationStatus.VERIFIED}),
}
# Moving into these statuses needs a reason the Sevamitra will see.
REASON_REQUIRED_STATUSES = frozenset(
    {
        VerificationStatus.SUSPENDED,
        VerificationStatus.CHANGES_REQUESTED,
        VerificationStatus.REJECTED,
    }
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Language(models.TextChoices):
    HINDI = "hi", _("Hindi")
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")
    BHOJPURI = "bho", _("Bhojpuri")
    AWADHI = "awa", _("Awadhi")
    BUNDELI = "bns", _("Bundeli")
    BRAJ = "bra", _("Braj")
    PUNJABI = "pa", _("Punjabi")
    BENGALI = "bn", _("Bengali")


class Provider(models.Model):
    """A Sevamitra: a worker who offers services through the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider"
    )
    name_hi = models.CharField(_("name (Devanagari)"), max_length=120)
    name_latin = models.CharField(_("name (Latin letters)"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to="providers/photos/", blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        related_name="providers",
        verbose_name=_("district"),
    )
    home_lat = models.FloatField(_("home latitude"))
    home_lng = models.FloatField(_("home longitude"))
    service_radius_km = models.PositiveSmallIntegerField(
        _("service radius (km)"),
        default=5,
        help_text=_("0 means only the listed pincodes are served."),
        validators=[MaxValueValidator(settings.PROVIDER_MAX_RADIUS_KM)],
    )
    travel_buffer_minutes = models.PositiveSmallIntegerField(
        _("travel time between jobs (minutes)"), default=30, validators=[MaxValueValidator(240)]
    )
    # Own terms: the provider sets them, the portal shows them and applies them.
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation up to (hours before)"), default=2, validators=[MaxValueValidator(168)]
    )
    cancellation_fee = models.DecimalField(
        _("cancellation fee (₹)"), default=Decimal("0.00"), max_digits=10, decimal_places=2
    )
    terms_included = models.TextField(_("what is included"), blank=True)
    gstin = models.CharField(
        _("GSTIN"),
        max_length=15,
        blank=True,
        help_text=_("Only if registered for GST: then 18% GST is added to the price."),
    )
    auto_accept = models.BooleanField(_("accept bookings automatically"), default=False)
    accept_within_minutes = models.PositiveSmallIntegerField(
        _("answer booking requests within (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )

    verification_status = models.CharField(
        _("verification status"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    # Set by the district officer's approval from the administrator's verification policy
    # (verification.VerificationPolicy): re-verification falls due on reverification_due_on;
    # after verified_until (the due date plus the grace period) a Sevamitra not approved
    # again goes back to "pending" and cannot be booked. Null: no re-verification scheduled.
    verified_on = models.DateField(_("last approved on"), null=True, blank=True)
    reverification_due_on = models.DateField(_("re-verification due on"), null=True, blank=True)
    verified_until = models.DateField(_("verified until"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    is_active = models.BooleanField(
        _("taking work"), default=True, help_text=_("Off while the provider pauses work.")
    )
    rating_avg = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, default=Decimal("0.00")
    )
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    no_show_count = models.PositiveIntegerField(_("no-shows"), default=0)
    cancelled_by_provider_count = models.PositiveIntegerField(
        _("bookings cancelled by the provider"), default=0
    )
    # The business (postal) address a GST invoice prints under the supplier's name; set by
    # the Sevamitra (services.provider_business_address_set), the district derived from the
    # pincode. Empty until set: invoicing refuses to issue an invoice without it.
    business_line1 = models.CharField(_("house or shop, street"), max_length=200, blank=True)
    business_line2 = models.CharField(_("landmark or area"), max_length=200, blank=True)
    business_locality = models.CharField(_("town, village or locality"), max_length=120, blank=True)
    business_pincode = models.CharField(_("pincode"), max_length=6, blank=True)
    business_district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district of the business address"),
    )
    business_address_updated_at = models.DateTimeField(
        _("business address changed"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Sevamitra")
        verbose_name_plural = _("Sevamitras")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    home_lat__gte=-90, home_lat__lte=90, home_lng__gte=-180, home_lng__lte=180
                ),
                name="provider_home_in_range",
            ),
            models.CheckConstraint(
                condition=Q(service_radius_km__lte=50), name="provider_radius_at_most_50km"
            ),
            models.CheckConstraint(
                condition=Q(rating_avg__gte=0, rating_avg__lte=5), name="provider_rating_0_to_5"
            ),
            models.CheckConstraint(
                condition=Q(cancellation_fee__gte=0), name="provider_cancellation_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(verified_until__isnull=True)
                | Q(reverification_due_on__isnull=False)
                & Q(verified_until__gte=models.F("reverification_due_on")),
                name="provider_verified_until_after_due",
            ),
            # No address at all, or a whole one: first line, locality, a 6-digit pincode and
            # the district it lies in.
            models.CheckConstraint(
                condition=Q(
                    business_line1="",
                    business_line2="",
                    business_locality="",
                    business_pincode="",
                    business_district__isnull=True,
                )
                | (
                    ~Q(business_line1="")
                    & ~Q(business_locality="")
                    & Q(business_pincode__regex=r"^[1-9][0-9]{5}$")
                    & Q(business_district__isnull=False)
                ),
                name="provider_business_address_whole_or_none",
            ),
        ]
        indexes = [
            models.Index(
                fields=["district", "verification_status"], name="provider_district_status"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_hi if (get_language() or "hi").startswith("hi") else self.name_latin

    @property
    def has_business_address(self) -> bool:
        return bool(self.business_line1 and self.business_pincode)

    def business_address_lines(self, language: str | None = None) -> list[str]:
        """The business address as printed lines: street, area, locality, "district – pincode"
        and the state (district and state in `language`, else the active one)."""
        if not self.has_business_address:
            return []
        hindi = (language or get_language() or "hi").startswith("hi")
        district = self.business_district
        district_name = (district.name_hi if hindi else district.name_en) if district else ""
        state = "उत्तर प्रदेश" if hindi else "Uttar Pradesh"
        lines = [self.business_line1, self.business_line2, self.business_locality]
        lines.append(" – ".join(part for part in (district_name, self.business_pincode) if part))
        lines.append(state)
        return [line for line in lines if line]

    @property
    def is_bookable(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED and self.is_active


class Offer(models.Model):
    """A category a provider serves, at the provider's own price."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offers")
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("category"),
    )
    price = models.DecimalField(
        _("price per unit (₹)"),
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=10,
        decimal_places=2,
    )
    visiting_charge = models.DecimalField(
        _("visiting charge (₹)"), default=Decimal("0.00"), max_digits=10, decimal_places=2
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Copies of the provider's service area (home_lat, home_lng, service_radius_km), kept
    # equal by the provider services (provider_set_service_area, offer_set): with them one
    # index on (category, lat, lng) finds the offers near a point and the radius test runs
    # on the offer row, before any provider is visited. Anything that creates offers (the
    # seed command too) must set them. See docs/adr/0002-search.md.
    lat = models.FloatField(editable=False)
    lng = models.FloatField(editable=False)
    radius_km = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(fields=["provider", "category"], name="offer_one_per_category"),
            models.CheckConstraint(
                condition=Q(price__gte=0, visiting_charge__gte=0), name="offer_money_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["category", "lat", "lng"],
                name="offer_active_near",
                condition=Q(is_active=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.category}"


class ServicePincode(models.Model):
    """A pincode the provider serves besides (or instead of) the radius around home."""

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="service_pincodes"
    )
    pincode = models.CharField(_("pincode"), max_length=6)

    class Meta:
        verbose_name = _("pincode served")
        verbose_name_plural = _("pincodes served")
        constraints = [
            models.UniqueConstraint(fields=["pincode", "provider"], name="servicepincode_unique")
        ]

    def __str__(self) -> str:
        return self.pincode


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyWindow(models.Model):
    """Hours on duty on a weekday, in minutes since local midnight (end 1440 = midnight).

    Windows of one weekday never overlap or touch: the service merges them, so one window
    always covers any on-duty stretch of that day.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="weekly_windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(_("from (minute of day)"))
    end_minute = models.PositiveSmallIntegerField(_("to (minute of day)"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weeklywindow_weekday_0_6"
            ),
            models.CheckConstraint(
                condition=Q(
                    start_minute__gte=0,
                    end_minute__lte=1440,
                    start_minute__lt=models.F("end_minute"),
                ),
                name="weeklywindow_start_before_end",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "weekday", "start_minute"], name="weeklywindow_lookup")
        ]

    def __str__(self) -> str:
        start, end = divmod(self.start_minute, 60), divmod(self.end_minute, 60)
        return (
            f"{self.get_weekday_display()} {start[0]:02d}:{start[1]:02d}–{end[0]:02d}:{end[1]:02d}"
        )


class Leave(models.Model):
    """Days off: the provider is not on duty from starts_on to ends_on inclusive."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["provider", "starts_on", "ends_on"], name="leave_lookup")]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    POLICE_VERIFICATION = "police", _("Police verification certificate")


class IdType(models.TextChoices):
    AADHAAR = "aadhaar", _("Aadhaar")
    VOTER_ID = "voter_id", _("Voter ID")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PAN = "pan", _("PAN card")
    PASSPORT = "passport", _("Passport")
    RATION_CARD = "ration_card", _("Ration card")


class Document(models.Model):
    """Evidence for verification. Never a full ID number: its type and last four characters,
    plus the reference of the check that was made (DPDP Act: collect the minimum)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    last4 = models.CharField(_("last four characters"), max_length=4, blank=True)
    reference = models.CharField(_("verification reference"), max_length=64, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    # A scan of the certificate (image or PDF, checked by content). MEDIA_ROOT is outside the
    # web root: providers.web.views.document_file serves it to who may see it.
    file = models.FileField(_("file"), upload_to="providers/documents/", blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="identity") | (~Q(id_type="") & ~Q(last4="")),
                name="document_identity_has_type_and_last4",
            ),
            models.CheckConstraint(
                condition=~Q(kind="police") | (~Q(reference="") & Q(expires_on__isnull=False)),
                name="document_police_has_reference_and_expiry",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "kind", "expires_on"], name="document_validity")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.last4 or self.reference}"


class BlockKind(models.TextChoices):
    BOOKING = "booking", _("Booking")
    HOLD = "hold", _("Hold")


class CalendarBlock(models.Model):
    """Time taken on a provider's one calendar (every channel books into it).

    busy_from/busy_until are the block widened by the provider's travel buffer, so that
    "is the provider free for [s, e)?" is one overlap test. A hold with expires_at in the
    past no longer blocks anything, whether or not a job has cleaned it up yet.
    The booking engine (bookings app) owns how blocks are created.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="calendar_blocks")
    kind = models.CharField(_("kind"), max_length=8, choices=BlockKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    busy_from = models.DateTimeField()
    busy_until = models.DateTimeField()
    expires_at = models.DateTimeField(_("hold expires"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar block")
        verbose_name_plural = _("calendar blocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at"))
                & Q(busy_from__lte=models.F("starts_at"))
                & Q(busy_until__gte=models.F("ends_at")),
                name="calendarblock_well_formed",
            ),
            models.CheckConstraint(
                condition=~Q(kind="hold") | Q(expires_at__isnull=False),
                name="calendarblock_hold_expires",
            ),
        ]
        indexes = [
            models.Index(
                fields=["provider", "busy_from", "busy_until"], name="calendarblock_overlap"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d/%m/%Y %H:%M}"
