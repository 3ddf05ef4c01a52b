"""Uploaded files of providers. Uploads have no public URL (settings.MEDIA_ROOT is outside the
web root): these views check who is asking, then serve the file."""

import mimetypes

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from sevamitra.accounts.permissions import can_view_provider
from sevamitra.providers import selectors
from sevamitra.providers.models import Provider

# Re-exported for the URLconf: the pages live in their own modules.
from sevamitra.providers.web.register import pending, profile_edit, register, register_step
from sevamitra.providers.web.verification import documents_add, verification_resubmit
from sevamitra.providers.web.work import (
    dashboard,
    earnings,
    job,
    leave,
    leave_cancel,
    profile,
)

__all__ = [
    "dashboard",
    "document_file",
    "documents_add",
    "earnings",
    "job",
    "leave",
    "leave_cancel",
    "pending",
    "photo",
    "profile",
    "profile_edit",
    "register",
    "register_step",
    "verification_resubmit",
]


@require_safe
def photo(request: HttpRequest, provider_id: int) -> FileResponse:
    """A provider's photo: anyone may see a verified provider's photo, others only who may
    see the provider."""
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


@require_safe
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    """A document's scan, for the provider themself, the district officer of their district
    and administrators; 404 for anyone else. A PDF is downloaded, a picture shown."""
    document = selectors.document_get_for_viewer(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    content_type = mimetypes.guess_type(document.file.name)[0] or ""
    if content_type not in ("application/pdf", "image/jpeg"):
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=document.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
