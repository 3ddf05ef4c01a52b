"""Sevamitra pages. The registration and dashboard pages are placeholders until they land."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sevamitra.accounts.permissions import can_view_provider
from sevamitra.providers.models import Provider


def register(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


@require_safe
def photo(request: HttpRequest, provider_id: int) -> FileResponse:
    """A provider's photo. Uploads have no public URL (settings.MEDIA_ROOT is outside the web
    root): anyone may see a verified provider's photo, others only who may see the provider."""
    provider = get_object_or_404(Provider, pk=provider_id)
    if not provider.photo or not can_view_provider(request.user, provider):
        raise Http404
    content_type = mimetypes.guess_type(provider.photo.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    response = FileResponse(provider.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "max-age=3600, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
