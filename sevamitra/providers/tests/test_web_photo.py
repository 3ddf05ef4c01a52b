"""The provider photo view: public for verified providers, else only for who may see them."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.providers.models import VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district

pytestmark = pytest.mark.django_db


def with_photo(**fields):
    provider = ProviderFactory(**fields)
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, "JPEG")
    provider.photo.save("face.jpg", ContentFile(out.getvalue()))
    return provider, out.getvalue()


def photo_url(provider):
    return reverse("providers:photo", args=[provider.pk])


def test_a_verified_providers_photo_is_public(client):
    provider, data = with_photo()
    response = client.get(photo_url(provider))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "max-age=3600, private"
    assert b"".join(response.streaming_content) == data
    assert client.post(photo_url(provider)).status_code == 405


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.SUSPENDED])
def test_an_unverified_providers_photo_only_for_allowed_users(client, status):
    provider, _data = with_photo(verification_status=status)
    url = photo_url(provider)
    assert client.get(url).status_code == 404  # anonymous
    for stranger in (
        UserFactory(),
        ProviderFactory().user,
        user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR")),
    ):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    for allowed in (
        provider.user,
        user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")),
        user_with_roles(Role.ADMINISTRATOR),
        user_with_roles(Role.AUDITOR),
    ):
        client.force_login(allowed)
        assert client.get(url).status_code == 200


def test_no_photo_is_404(client):
    provider = ProviderFactory()
    assert client.get(photo_url(provider)).status_code == 404
    assert client.get(reverse("providers:photo", args=[provider.pk + 1000])).status_code == 404


def test_a_photo_that_is_not_an_image_type_is_404(client):
    provider = ProviderFactory()
    provider.photo.save("notes.txt", ContentFile(b"hello"))
    assert client.get(photo_url(provider)).status_code == 404
