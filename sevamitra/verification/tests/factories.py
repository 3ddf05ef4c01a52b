"""Test data for verification: a pending provider ready to approve, and their officer."""

import datetime as dt

from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.providers.models import Document, DocumentKind, Provider, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, police_document


def identity_document(provider: Provider, last4: str = "4821") -> Document:
    return Document.objects.create(
        provider=provider, kind=DocumentKind.IDENTITY, id_type="voter_id", last4=last4
    )


def pending_provider(*, offers=(("electrician", "300", "50"),), police_days=None, **fields):  # type: ignore[no-untyped-def]
    """A pending provider with an identity document (and a police certificate valid for
    `police_days` more days, if given)."""
    provider = ProviderFactory(
        verification_status=VerificationStatus.PENDING, offers=list(offers), **fields
    )
    identity_document(provider)
    if police_days is not None:
        police_document(provider, timezone.localdate() + dt.timedelta(days=police_days))
    return provider


def officer_for(provider: Provider, **fields):  # type: ignore[no-untyped-def]
    return user_with_roles(Role.DISTRICT_OFFICER, district=provider.district, **fields)
