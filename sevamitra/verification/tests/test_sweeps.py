"""Police certificates: reminders before they lapse (each once), what a lapse does to search
and booking, renewal; re-verification falling due and lapsing; the administrator's policy."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.audit.models import AuditEntry
from sevamitra.bookings.calendar import check_bookable
from sevamitra.bookings.errors import NotBookable
from sevamitra.catalog.matching import invalidate_catalog_index
from sevamitra.core.errors import DomainError, PermissionDenied
from sevamitra.notifications.models import Message
from sevamitra.providers.models import Provider, VerificationStatus
from sevamitra.providers.services import document_add_police_verification
from sevamitra.providers.tests.factories import (
    LUCKNOW,
    ProviderFactory,
    category,
    local,
    next_weekday,
    police_document,
)
from sevamitra.tasks.registry import periodic_jobs
from sevamitra.verification import services, tasks
from sevamitra.verification.models import (
    Decision,
    ReminderKind,
    VerificationDecision,
    VerificationPolicy,
    VerificationReminder,
)
from sevamitra.verification.selectors import verification_policy_get
from sevamitra.verification.tests.factories import officer_for, pending_provider

pytestmark = pytest.mark.django_db
S = VerificationStatus
TODAY = dt.date(2026, 6, 1)


def sitter(expires_on: dt.date, **fields) -> Provider:  # type: ignore[no-untyped-def]
    provider = ProviderFactory(offers=[("babysitter", "150", "0")], **fields)
    police_document(provider, expires_on)
    return provider


def texts(provider: Provider, event: str) -> list[str]:
    return list(
        Message.objects.filter(user=provider.user, event=event)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def run_days(first: dt.date, last: dt.date) -> None:
    """The sweep, four times a day (as the worker would) from `first` to `last`."""
    day = first
    while day <= last:
        for _ in range(4):
            services.verification_police_reminders_send(today=day)
        day += dt.timedelta(days=1)


# --- police reminders --------------------------------------------------------------------------


def test_the_sweeps_are_registered_every_six_hours():
    jobs = periodic_jobs()
    assert jobs["verification.police_reminders"] == dt.timedelta(hours=6)
    assert jobs["verification.reverification"] == dt.timedelta(hours=6)


def test_reminders_at_30_7_and_1_days_and_on_lapsing_each_once():
    provider = sitter(TODAY + dt.timedelta(days=40))
    run_days(TODAY, TODAY + dt.timedelta(days=48))
    reminders = VerificationReminder.objects.filter(provider=provider).order_by("sent_at", "pk")
    assert [r.days_before for r in reminders] == [30, 7, 1, 0]
    bodies = texts(provider, "verification.police_expiring")
    assert len(bodies) == 3
    assert bodies[0] == (
        "सेवामित्र: आपका पुलिस सत्यापन प्रमाण पत्र 11/07/2026 तक मान्य है। समय पर अपनी "
        "प्रोफ़ाइल पर नया प्रमाण पत्र जोड़ें, वरना बच्चों की देखभाल के लिए आपकी बुकिंग नहीं होगी।"
    )
    assert len(texts(provider, "verification.police_lapsed")) == 1


def test_which_reminder_on_which_day():
    expires = TODAY + dt.timedelta(days=30)
    provider = sitter(expires)
    assert services.verification_police_reminders_send(today=TODAY - dt.timedelta(days=1)) == 0
    assert services.verification_police_reminders_send(today=TODAY) == 1  # 30 days before
    assert services.verification_police_reminders_send(today=TODAY) == 0  # once
    assert services.verification_police_reminders_send(today=expires - dt.timedelta(days=8)) == 0
    assert services.verification_police_reminders_send(today=expires - dt.timedelta(days=7)) == 1
    assert services.verification_police_reminders_send(today=expires) == 1  # the "1 day" one
    assert services.verification_police_reminders_send(today=expires) == 0
    assert services.verification_police_reminders_send(today=expires + dt.timedelta(days=1)) == 1
    assert services.verification_police_reminders_send(today=expires + dt.timedelta(days=9)) == 0
    assert VerificationReminder.objects.filter(provider=provider).count() == 4


def test_a_certificate_added_late_gets_the_nearest_reminder_only():
    provider = sitter(TODAY + dt.timedelta(days=5))
    assert services.verification_police_reminders_send(today=TODAY) == 1
    assert list(VerificationReminder.objects.values_list("days_before", flat=True)) == [7]
    assert len(texts(provider, "verification.police_expiring")) == 1


def test_the_reminder_days_come_from_the_policy():
    services.verification_policy_update(
        acting_user=user_with_roles(Role.ADMINISTRATOR), police_reminder_days="14, 2"
    )
    sitter(TODAY + dt.timedelta(days=20))
    run_days(TODAY, TODAY + dt.timedelta(days=19))
    assert sorted(VerificationReminder.objects.values_list("days_before", flat=True)) == [2, 14]


def test_the_text_is_in_the_providers_language():
    provider = sitter(TODAY + dt.timedelta(days=1))
    provider.user.preferred_language = "en"
    provider.user.save()
    services.verification_police_reminders_send(today=TODAY)
    assert texts(provider, "verification.police_expiring") == [
        "Sevamitra: your police verification certificate is valid until 02/06/2026. Add the "
        "renewed certificate on your profile page in time, or you cannot be booked for "
        "Babysitter."
    ]


def test_no_reminder_once_renewed_or_without_a_service_that_needs_it():
    renewed = sitter(TODAY + dt.timedelta(days=3))
    police_document(renewed, TODAY + dt.timedelta(days=400))
    electrician = ProviderFactory(offers=[("electrician", "300", "0")])
    police_document(electrician, TODAY + dt.timedelta(days=3))
    rejected = sitter(TODAY + dt.timedelta(days=3), verification_status=S.REJECTED)
    assert services.verification_police_reminders_send(today=TODAY) == 0
    assert not Message.objects.filter(
        user__in=[renewed.user, electrician.user, rejected.user]
    ).exists()


def test_an_erased_account_gets_no_text_and_the_sweep_goes_on():
    erased = sitter(TODAY + dt.timedelta(days=3))
    erased.user.phone, erased.user.is_active = "E000000001", False
    erased.user.save()
    other = sitter(TODAY + dt.timedelta(days=3))
    services.verification_police_reminders_send(today=TODAY)
    assert not Message.objects.filter(user=erased.user).exists()
    assert len(texts(other, "verification.police_expiring")) == 1


def test_the_periodic_job_runs_the_sweep():
    provider = sitter(timezone.localdate() + dt.timedelta(days=1))
    tasks.police_reminders()
    tasks.police_reminders()
    assert len(texts(provider, "verification.police_expiring")) == 1


# --- a lapsed certificate: search and booking ---------------------------------------------------


@pytest.fixture
def _catalog():
    invalidate_catalog_index()
    yield
    invalidate_catalog_index()


def found(client, q: str, day: dt.date) -> list[int]:  # type: ignore[no-untyped-def]
    response = client.get(
        "/api/v1/search",
        {
            "q": q,
            "lat": LUCKNOW[0],
            "lng": LUCKNOW[1],
            "start": local(day, "10:00").isoformat(),
            "end": local(day, "12:00").isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    return [hit["id"] for hit in response.json()["results"]]


def test_a_lapsed_certificate_hides_only_the_services_that_need_it_until_renewed(client, _catalog):
    day = next_weekday(0, after_days=2)
    provider = ProviderFactory(offers=[("babysitter", "150", "0"), ("electrician", "300", "0")])
    police_document(provider, timezone.localdate() - dt.timedelta(days=1))
    now = timezone.now()
    start, end = local(day, "10:00"), local(day, "12:00")

    def bookable(slug: str) -> None:
        check_bookable(provider=provider, category=category(slug), start=start, end=end, now=now)

    assert found(client, "babysitter", day) == []
    assert found(client, "electrician", day) == [provider.pk]
    with pytest.raises(NotBookable) as error:
        bookable("babysitter")
    assert error.value.code == "police_verification_lapsed"
    bookable("electrician")  # raises if not

    document_add_police_verification(
        provider=provider,
        reference="UPPOL/LKO/2",
        expires_on=timezone.localdate() + dt.timedelta(days=365),
        acting_user=provider.user,
    )
    assert found(client, "babysitter", day) == [provider.pk]
    bookable("babysitter")  # raises if not


# --- re-verification ---------------------------------------------------------------------------


def approved(today: dt.date) -> Provider:
    provider = pending_provider()
    services.verification_approve(
        provider=provider,
        documents_checked=provider.documents.all(),
        acting_user=officer_for(provider),
        today=today,
    )
    provider.refresh_from_db()
    return provider


def test_re_verification_due_is_told_once_then_lapses_after_the_grace():
    provider = approved(dt.date(2024, 6, 1))
    assert (provider.reverification_due_on, provider.verified_until) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
    )
    Message.objects.all().delete()

    assert services.verification_reverification_sweep(today=dt.date(2026, 5, 31)) == {
        "notified": 0,
        "lapsed": 0,
    }
    assert services.verification_reverification_sweep(today=TODAY) == {"notified": 1, "lapsed": 0}
    assert services.verification_reverification_sweep(today=TODAY) == {"notified": 0, "lapsed": 0}
    assert texts(provider, "verification.reverification_due") == [
        "सेवामित्र: आपके दोबारा सत्यापन का समय हो गया है। बुकिंग मिलती रहे, इसके लिए "
        "01/07/2026 से पहले अपने दस्तावेज़ लेकर ज़िला कार्यालय आएँ।"
    ]
    assert services.verification_reverification_sweep(today=dt.date(2026, 7, 1)) == {
        "notified": 0,
        "lapsed": 0,
    }
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED

    assert services.verification_reverification_sweep(today=dt.date(2026, 7, 2)) == {
        "notified": 0,
        "lapsed": 1,
    }
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING
    assert not provider.is_bookable
    decision = VerificationDecision.objects.filter(provider=provider).latest("pk")
    assert (decision.decision, decision.reason, decision.decided_by) == (
        Decision.LAPSED,
        "reverification_due",
        None,
    )
    entry = AuditEntry.objects.get(action="verification.lapsed")
    assert (entry.actor_id, entry.actor_role) == (None, "system")
    assert AuditEntry.objects.get(action="provider.returned_to_pending").after == {
        "verification_status": "pending",
        "reason_given": True,
    }
    assert len(texts(provider, "verification.lapsed")) == 1
    assert services.verification_reverification_sweep(today=dt.date(2026, 7, 3)) == {
        "notified": 0,
        "lapsed": 0,
    }


def test_approving_again_in_time_keeps_the_provider_verified():
    provider = approved(dt.date(2024, 6, 1))
    services.verification_approve(
        provider=provider,
        documents_checked=provider.documents.all(),
        acting_user=officer_for(provider),
        today=dt.date(2026, 6, 10),
    )
    assert services.verification_reverification_sweep(today=dt.date(2026, 7, 2))["lapsed"] == 0
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED
    assert provider.reverification_due_on == dt.date(2028, 6, 10)


def test_a_suspended_or_unscheduled_provider_does_not_lapse():
    suspended = approved(dt.date(2024, 1, 1))
    Provider.objects.filter(pk=suspended.pk).update(verification_status=S.SUSPENDED)
    unscheduled = ProviderFactory()  # verified before re-verification existed (no dates)
    assert services.verification_reverification_sweep(today=TODAY) == {"notified": 0, "lapsed": 0}
    suspended.refresh_from_db()
    unscheduled.refresh_from_db()
    assert (suspended.verification_status, unscheduled.verification_status) == (
        S.SUSPENDED,
        S.VERIFIED,
    )


def test_lapse_is_refused_before_verified_until():
    provider = approved(timezone.localdate())
    with pytest.raises(DomainError) as error:
        services.verification_lapse(provider=provider)
    assert error.value.code == "not_lapsed"
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED


def test_the_periodic_job_lapses_overdue_providers():
    provider = approved(timezone.localdate() - dt.timedelta(days=800))
    tasks.reverification()
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING


# --- the policy --------------------------------------------------------------------------------


def test_the_policy_row_exists_with_the_defaults():
    policy = VerificationPolicy.objects.get()
    assert (policy.pk, policy.reverify_months, policy.grace_days, policy.reminder_days) == (
        1,
        24,
        30,
        [30, 7, 1],
    )


def test_a_policy_change_is_audited_and_applies_from_the_next_approval():
    earlier = approved(dt.date(2026, 1, 10))
    admin = user_with_roles(Role.ADMINISTRATOR)
    services.verification_policy_update(
        acting_user=admin, reverify_months=12, grace_days=10, police_reminder_days="7, 30"
    )
    policy = verification_policy_get()
    assert (policy.reverify_months, policy.grace_days, policy.police_reminder_days) == (
        12,
        10,
        "30,7",
    )
    assert policy.updated_by == admin
    entry = AuditEntry.objects.get(action="verification_policy.updated")
    assert entry.actor_id == admin.pk
    assert entry.before == {
        "reverify_months": 24,
        "grace_days": 30,
        "police_reminder_days": "30,7,1",
    }
    assert entry.after == {"reverify_months": 12, "grace_days": 10, "police_reminder_days": "30,7"}

    earlier.refresh_from_db()
    assert earlier.reverification_due_on == dt.date(2028, 1, 10)  # not shortened
    later = approved(dt.date(2026, 1, 10))
    assert (later.reverification_due_on, later.verified_until) == (
        dt.date(2027, 1, 10),
        dt.date(2027, 1, 20),
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reverify_months": 0}, "reverify_months"),
        ({"reverify_months": 121}, "reverify_months"),
        ({"grace_days": 400}, "grace_days"),
        ({"police_reminder_days": "30,30"}, "police_reminder_days"),
        ({"police_reminder_days": "0"}, "police_reminder_days"),
        ({"police_reminder_days": "a week"}, "police_reminder_days"),
        ({"police_reminder_days": ""}, "police_reminder_days"),
    ],
)
def test_an_invalid_policy_is_refused_and_changes_nothing(fields, field):
    with pytest.raises(DomainError) as error:
        services.verification_policy_update(
            acting_user=user_with_roles(Role.ADMINISTRATOR), **fields
        )
    assert (error.value.code, error.value.field) == ("invalid_policy", field)
    policy = VerificationPolicy.objects.get()
    assert (policy.reverify_months, policy.grace_days, policy.police_reminder_days) == (
        24,
        30,
        "30,7,1",
    )
    assert not AuditEntry.objects.filter(action="verification_policy.updated").exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.AUDITOR, Role.CITIZEN])
def test_only_administrators_change_the_policy(role):
    with pytest.raises(PermissionDenied):
        services.verification_policy_update(acting_user=user_with_roles(role), reverify_months=6)
    assert VerificationPolicy.objects.get().reverify_months == 24


POLICY_URL = reverse("admin:verification_verificationpolicy_change", args=[1])


def test_the_administrator_changes_the_policy_in_the_admin_and_it_is_audited(client):
    admin = user_with_roles(Role.ADMINISTRATOR)
    client.force_login(admin)
    listing = client.get(reverse("admin:verification_verificationpolicy_changelist"))
    assert listing.status_code == 302 and listing["Location"] == POLICY_URL
    response = client.post(
        POLICY_URL, {"reverify_months": "36", "grace_days": "15", "police_reminder_days": "60,7"}
    )
    assert response.status_code == 302
    policy = VerificationPolicy.objects.get()
    assert (policy.reverify_months, policy.grace_days, policy.police_reminder_days) == (
        36,
        15,
        "60,7",
    )
    assert AuditEntry.objects.get(action="verification_policy.updated").actor_id == admin.pk


def test_a_bad_value_in_the_admin_is_a_form_error(client):
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    response = client.post(
        POLICY_URL, {"reverify_months": "24", "grace_days": "30", "police_reminder_days": "x"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["police_reminder_days"] == [
        "1 से 365 तक दिनों की ज़्यादा से ज़्यादा छह अलग-अलग संख्याएँ कॉमा लगाकर लिखें, जैसे 30,7,1।"
    ]
    assert VerificationPolicy.objects.get().police_reminder_days == "30,7,1"


@pytest.mark.parametrize(
    ("role", "status"), [(Role.DISTRICT_OFFICER, 403), (Role.AUDITOR, 403), (Role.AGENT, 302)]
)
def test_others_cannot_change_the_policy_in_the_admin(client, role, status):
    client.force_login(user_with_roles(role))
    response = client.post(
        POLICY_URL, {"reverify_months": "6", "grace_days": "0", "police_reminder_days": "1"}
    )
    assert response.status_code == status
    assert VerificationPolicy.objects.get().reverify_months == 24


def test_reminder_kinds_are_unique_per_document_and_day():
    from django.db import IntegrityError, transaction

    provider = sitter(TODAY + dt.timedelta(days=3))
    document = provider.documents.get()
    VerificationReminder.objects.create(
        provider=provider,
        kind=ReminderKind.POLICE_EXPIRY,
        document=document,
        due_on=document.expires_on,
        days_before=7,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationReminder.objects.create(
            provider=provider,
            kind=ReminderKind.POLICE_EXPIRY,
            document=document,
            due_on=document.expires_on,
            days_before=7,
        )
