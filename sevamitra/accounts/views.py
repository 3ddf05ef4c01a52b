"""Sign-in pages: step 1 asks for the mobile number, step 2 for the code sent to it."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.accounts.forms import AddressForm, CodeForm, PhoneForm
from sevamitra.accounts.models import Address
from sevamitra.accounts.services import (
    MAX_ADDRESSES,
    address_create,
    address_update,
    otp_request,
    otp_verify,
)
from sevamitra.accounts.services import address_delete as services_address_delete
from sevamitra.bookings.selectors import address_get_for, address_list_for
from sevamitra.core.errors import DomainError

SESSION_PHONE = "accounts_signin_phone"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind a reverse proxy, the proxy must set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _signin_url(next_url: str) -> str:
    url = reverse("accounts:signin")
    return f"{url}?{urlencode({'next': next_url})}" if next_url != "/" else url


def _format_phone(phone: str) -> str:
    return f"+91 {phone[:5]} {phone[5:]}"


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    phone = request.session.get(SESSION_PHONE)
    phone_form = PhoneForm()
    code_form = CodeForm()

    if request.method == "GET" and request.user.is_authenticated and not phone:
        return HttpResponseRedirect(next_url)

    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "change":
            request.session.pop(SESSION_PHONE, None)
            return redirect(_signin_url(next_url))
        if action == "resend" and phone:
            try:
                otp_request(phone=phone, ip=client_ip(request))
            except DomainError as exc:
                code_form.add_error(None, str(exc.message))
            else:
                return redirect(_signin_url(next_url))
        elif action == "verify" and phone:
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                try:
                    user = otp_verify(phone=phone, code=code_form.cleaned_data["code"])
                except DomainError as exc:
                    code_form.add_error("code", str(exc.message))
                else:
                    login(request, user, backend=AUTH_BACKEND)
                    request.session.pop(SESSION_PHONE, None)
                    return HttpResponseRedirect(next_url)
        else:  # step 1, or a stale step-2 form whose session has gone
            phone_form = PhoneForm(request.POST)
            if phone_form.is_valid():
                number = phone_form.cleaned_data["phone"]
                try:
                    otp_request(phone=number, ip=client_ip(request))
                except DomainError as exc:
                    phone_form.add_error("phone", str(exc.message))
                else:
                    request.session[SESSION_PHONE] = number
                    return redirect(_signin_url(next_url))
            phone = None

    context = {
        "step": "code" if phone else "phone",
        "phone_form": phone_form,
        "code_form": code_form,
        "phone_display": _format_phone(phone) if phone else "",
        "next": next_url,
        "code_minutes": settings.OTP_TTL_SECONDS // 60,
    }
    return render(request, "accounts/signin.html", context)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/")


# --- Saved addresses (/my/addresses/, routed in bookings/urls.py with the citizen's pages) ---


def _address_or_404(request: HttpRequest, address_id: int) -> Address:
    address = address_get_for(user=request.user, address_id=address_id)
    if address is None:
        raise Http404
    return address


def _address_errors(form: AddressForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@never_cache
@login_required
def address_list(request: HttpRequest) -> HttpResponse:
    addresses = address_list_for(user=request.user)
    return render(
        request,
        "accounts/addresses.html",
        {"addresses": addresses, "can_add": len(addresses) < MAX_ADDRESSES, "max": MAX_ADDRESSES},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address_create(user=request.user, acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            _address_errors(form, exc)
        else:
            messages.success(request, _("Address saved."))
            return redirect("bookings:addresses")
    return render(request, "accounts/address_form.html", {"form": form, "address": None})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    address = _address_or_404(request, address_id)
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                address_update(address=address, acting_user=request.user, **form.cleaned_data)
            except DomainError as exc:
                _address_errors(form, exc)
            else:
                messages.success(request, _("Address saved."))
                return redirect("bookings:addresses")
    else:
        form = AddressForm(
            initial={
                "label": address.label,
                "line": address.line,
                "locality": address.locality,
                "pincode": address.pincode,
            }
        )
    return render(request, "accounts/address_form.html", {"form": form, "address": address})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    """Asks first (GET), deletes on POST."""
    address = _address_or_404(request, address_id)
    if request.method == "POST":
        try:
            services_address_delete(address=address, acting_user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Address deleted."))
        return redirect("bookings:addresses")
    return render(request, "accounts/address_delete.html", {"address": address})
