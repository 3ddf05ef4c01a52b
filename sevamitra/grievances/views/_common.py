"""What the three areas' pages share: the complaint's page context and the file view."""

import mimetypes
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from sevamitra.grievances import selectors
from sevamitra.grievances.models import Complaint


def complaint_context(complaint: Complaint, *, with_hearings: bool = False) -> dict[str, Any]:
    """Both sides of a complaint, its files and its sanctions (with their appeals)."""
    return {
        "complaint": complaint,
        "booking": complaint.booking,
        "entries": selectors.complaint_entries(complaint=complaint, with_hearings=with_hearings),
        "attachments": selectors.complaint_attachments(complaint=complaint),
        "sanctions": selectors.sanctions_of_complaint(complaint=complaint),
        "now": timezone.now(),
    }


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A complaint's photo or PDF, for the complainant, the provider concerned, the officers
    of the provider's district, administrators and the appellate officer; 404 for anyone
    else (whether or not it exists). A PDF is downloaded, a picture shown."""
    found = selectors.attachment_get_for_viewer(user=request.user, attachment_id=attachment_id)
    if found is None or not found.file:
        raise Http404
    content_type = mimetypes.guess_type(found.file.name)[0] or ""
    if content_type not in ("application/pdf", "image/jpeg"):
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=found.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
