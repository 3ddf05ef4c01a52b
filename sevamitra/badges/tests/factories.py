import datetime as dt

from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.badges import services
from sevamitra.badges.models import Badge
from sevamitra.providers.tests.factories import ProviderFactory


def issued_badge(provider=None, **provider_fields) -> Badge:
    """A badge issued today by an officer of the provider's district."""
    provider = provider or ProviderFactory(offers=[("electrician", "300", "50")], **provider_fields)
    officer = user_with_roles(Role.DISTRICT_OFFICER, district=provider.district)
    return services.badge_issue(provider=provider, acting_user=officer)


def backdate(badge: Badge, *, issued_days_ago: int, valid_days: int) -> Badge:
    today = timezone.localdate()
    Badge.objects.filter(pk=badge.pk).update(
        issued_on=today - dt.timedelta(days=issued_days_ago),
        valid_until=today - dt.timedelta(days=issued_days_ago) + dt.timedelta(days=valid_days),
    )
    badge.refresh_from_db()
    return badge
