"""Sign-in pages: step 1 asks for the mobile number, step 2 for the code sent to it."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sevamitra.accounts.forms import CodeForm, PhoneForm
from sevamitra.accounts.services import otp_request, otp_verify
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
