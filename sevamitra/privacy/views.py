"""/my/data/: a person downloads their data or asks for it to be erased."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.core.errors import DomainError
from sevamitra.privacy.forms import EraseForm
from sevamitra.privacy.selectors import person_data
from sevamitra.privacy.services import grievances_in_progress, live_bookings, person_erase


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html")


@never_cache
@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    body = json.dumps(
        person_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"sevamitra-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    """Asks first (GET, with a tick box); erases on POST and signs the person out."""
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(user=request.user, acting_user=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            logout(request)
            messages.success(request, _("Your data has been erased and you have been signed out."))
            return redirect("/")
    has_live = live_bookings(request.user).exists()
    has_grievance = not has_live and grievances_in_progress(request.user)
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "has_live": has_live, "has_grievance": has_grievance},
    )
