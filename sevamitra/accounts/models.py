from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.phone import normalize_phone


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    PROVIDER = "provider", _("Sevamitra")
    AGENT = "agent", _("Call-centre agent")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


# Roles whose holders work in the back office (Django admin).
STAFF_ROLES = frozenset(
    {Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR}
)
# Roles that may be limited to one district (a district officer always is).
DISTRICT_SCOPED_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.AGENT})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra) -> "User":
        user = self.model(phone=normalize_phone(phone), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, keyed by an Indian mobile number (10 digits, stored without +91)."""

    phone = models.CharField(_("mobile number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="hi"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.name or _('User')} ({self.masked_phone})"

    @property
    def masked_phone(self) -> str:
        """The number as another party may see it: only the last four digits."""
        return f"XXXXXX{self.phone[-4:]}" if self.phone else ""


class RoleGrant(models.Model):
    """A role held by a user; district officers and agents may be scoped to a district."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    district = models.ForeignKey(
        "geo.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=models.Q(district__isnull=False),
                name="rolegrant_unique_in_district",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(district__isnull=True),
                name="rolegrant_unique_unscoped",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="district_officer") | models.Q(district__isnull=False),
                name="rolegrant_district_officer_has_district",
            ),
            models.CheckConstraint(
                condition=models.Q(district__isnull=True)
                | models.Q(role__in=["district_officer", "agent"]),
                name="rolegrant_district_only_for_scoped_roles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"


class OtpChallenge(models.Model):
    """One sign-in code sent to a number. The code itself is never stored, only its HMAC."""

    phone = models.CharField(max_length=10, db_index=True)
    code_hash = models.CharField(max_length=64)
    # Random per challenge, mixed into the HMAC: equal codes never give equal hashes.
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["phone", "-created_at"], name="otp_phone_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gte=models.F("created_at")),
                name="otpchallenge_expires_not_before_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.created_at):%d/%m/%Y %H:%M} XXXXXX{self.phone[-4:]}"


class Address(models.Model):
    """A place a citizen has saved to book services at (home, parents' home, office)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("name for this address"), max_length=40)
    line = models.TextField(_("house, street and landmark"), max_length=300)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    pincode = models.CharField(_("pincode"), max_length=6)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "label"], name="address_label_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def one_line(self) -> str:
        parts = [self.line, self.locality, self.pincode]
        return ", ".join(p for p in parts if p)
