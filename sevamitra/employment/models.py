"""Linked employment-exchange profiles and the work-history records shared with the exchange.

- `EmploymentLink`: a person's registration at a sibling portal, linked to their account, with
  a snapshot of what the portal held when they linked (it prefills the Sevamitra registration).
  One active link per registration number, and one per account and portal (partial unique
  constraints); unlinking keeps the row with `unlinked_at`.
- `WorkHistoryShare`: the person's consent to give the exchange their Sevamitra work history
  as a signed record (a compact JWS, see selectors.work_history_record), the record last
  built and when it was delivered; withdrawing ends it (`withdrawn_at`). One active share per
  account and portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Portal(models.TextChoices):
    """Sibling portals that hold job-seeker registrations (names of EMPLOYMENT_ADAPTERS)."""

    SEWAYOJAN = "sewayojan", _("Employment exchange (Sewayojan)")


class EmploymentLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employment_links",
        verbose_name=_("account"),
    )
    portal = models.CharField(_("portal"), max_length=32, choices=Portal.choices)
    registration_number = models.CharField(_("registration number"), max_length=32)
    # What the portal held when the person linked: name, district_code, pincode, gender,
    # date_of_birth, education, experience_years, skills, certificates (selectors.snapshot).
    imported = models.JSONField(_("imported details"), default=dict)
    linked_at = models.DateTimeField(_("linked on"), default=timezone.now)
    unlinked_at = models.DateTimeField(_("unlinked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked employment-exchange registration")
        verbose_name_plural = _("linked employment-exchange registrations")
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "registration_number"],
                condition=Q(unlinked_at__isnull=True),
                name="employmentlink_number_linked_once",
            ),
            models.UniqueConstraint(
                fields=["user", "portal"],
                condition=Q(unlinked_at__isnull=True),
                name="employmentlink_one_per_account_and_portal",
            ),
            models.CheckConstraint(
                condition=Q(unlinked_at__isnull=True) | Q(unlinked_at__gte=F("linked_at")),
                name="employmentlink_unlinked_after_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_portal_display()} {self.registration_number}"

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


class WorkHistoryShare(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="work_history_shares",
        verbose_name=_("account"),
    )
    portal = models.CharField(_("portal"), max_length=32, choices=Portal.choices)
    # The registration the record is about; null once the person's data is erased.
    link = models.ForeignKey(
        EmploymentLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("linked registration"),
    )
    consented_at = models.DateTimeField(_("consent given on"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("consent withdrawn on"), null=True, blank=True)
    # The signed record (compact JWS) last built for the exchange, and when it was signed.
    record = models.TextField(_("signed record"), blank=True)
    record_issued_at = models.DateTimeField(_("record signed on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("record delivered on"), null=True, blank=True)
    withdrawal_sent_at = models.DateTimeField(_("withdrawal delivered on"), null=True, blank=True)
    last_error = models.CharField(_("last delivery problem"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("work-history share")
        verbose_name_plural = _("work-history shares")
        ordering = ["-consented_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "portal"],
                condition=Q(withdrawn_at__isnull=True),
                name="workhistoryshare_one_active_per_portal",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("consented_at")),
                name="workhistoryshare_withdrawn_after_consent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["record_issued_at"],
                name="workhistoryshare_active_issued",
                condition=Q(withdrawn_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_portal_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
