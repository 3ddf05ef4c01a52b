"""The OpenID Connect provider's endpoints (django-oauth-toolkit's views, with our consent rules
and the audit of every refusal) and the person's page of connected portals.

Authorization (/o/authorize/): a visitor who is not signed in is first checked (an unknown
client or an unregistered redirect URI gets an error page, never a redirect), then sent to sign
in with mobile number and code. A signed-in person who has already allowed the portal what it
asks goes straight back to it; otherwise they see the consent screen (Hindi/English).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from oauth2_provider import views as dot
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.openid.connect.core.exceptions import ConsentRequired

from sevamitra.core.errors import DomainError
from sevamitra.core.middleware import SecurityHeadersMiddleware
from sevamitra.sso import refusals, selectors, services
from sevamitra.sso.scopes import describe

SUPPORTED_GRANT_TYPES = ("authorization_code", "refresh_token")


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def _csp_allowing_form_to(uri: str) -> str:
    """Our CSP, with the client's origin added to form-action: the consent form's answer is a
    redirect to the portal, which browsers check against form-action."""
    return SecurityHeadersMiddleware.CSP.replace(
        "form-action 'self'", f"form-action 'self' {_origin(uri)}"
    )


def _same_origin_navigation(request: HttpRequest) -> bool:
    """Did the browser come here from one of our own pages (e.g. the sign-in form)?"""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site == "same-origin"
    referer = request.headers.get("Referer", "")
    return bool(referer) and urlsplit(referer).netloc == request.get_host()


def _basic_client_id(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    kind, _sep, value = auth.partition(" ")
    if kind != "Basic" or not value:
        return ""
    try:
        decoded = base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return unquote_plus(decoded.split(":", 1)[0])


@method_decorator(never_cache, name="dispatch")
class AuthorizeView(dot.AuthorizationView):
    template_name = "sso/consent.html"

    # --- Before sign-in ------------------------------------------------------------------

    def handle_no_permission(self):
        """Not signed in: refuse a bad request now (error page or redirect to the client), so
        nobody signs in only to be refused; then on to the sign-in page (or login_required)."""
        prompt = set(self.request.GET.get("prompt", "").split())
        if self.request.method == "GET" and "none" not in prompt:
            try:
                self.validate_authorization_request(self.request)
            except OAuthToolkitError as error:
                return self.error_response(error, application=None)
        return super().handle_no_permission()

    # --- Signed in -----------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        application = Application.objects.get(client_id=credentials["client_id"])
        prompt = set(request.GET.get("prompt", "").split())
        if "login" in prompt:
            # Sign in again (OpenID Connect prompt=login): end this session first.
            logout(request)
            return self.handle_prompt_login()

        consent = selectors.consent_active(user=request.user, application=application)
        covered = consent is not None and set(scopes) <= consent.scope_set
        if covered and "consent" not in prompt:
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
            except OAuthToolkitError as error:
                return self.error_response(error, application)
            return self._to_client(uri, application)
        if "none" in prompt:
            error = ConsentRequired(state=credentials.get("state"))
            return self.error_response(
                OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"]),
                application,
            )
        return self._consent_screen(scopes, credentials, application, consent)

    def _consent_screen(self, scopes, credentials, application, consent) -> HttpResponse:
        self.oauth2_data = {
            "redirect_uri": credentials["redirect_uri"],
            "scopes": scopes,
            "nonce": credentials.get("nonce"),
            "client_id": credentials["client_id"],
            "state": credentials.get("state"),
            "response_type": credentials["response_type"],
            "code_challenge": credentials.get("code_challenge"),
            "code_challenge_method": credentials.get("code_challenge_method"),
            "claims": json.dumps(credentials["claims"]) if credentials.get("claims") else None,
        }
        earlier = consent.scope_set if consent is not None else set()
        context = {
            "form": self.get_form(self.get_form_class()),
            "application": application,
            "policy": selectors.policy_of(application=application),
            "scopes": describe(scopes),
            "asks_more": bool(earlier) and not set(scopes) <= earlier,
        }
        response = self.render_to_response(context)
        response["Content-Security-Policy"] = _csp_allowing_form_to(credentials["redirect_uri"])
        return response

    def form_valid(self, form):
        """The consent form's answer."""
        data = form.cleaned_data
        application = selectors.application_by_client_id(data.get("client_id"))
        credentials = {
            "client_id": data.get("client_id"),
            "redirect_uri": data.get("redirect_uri"),
            "response_type": data.get("response_type"),
            "state": data.get("state") or None,
        }
        for optional in ("code_challenge", "code_challenge_method", "nonce", "claims"):
            if data.get(optional):
                credentials[optional] = data[optional]
        scopes = data.get("scope") or ""

        if not data.get("allow"):
            # "Don't allow": access_denied goes back to the portal, but only to a redirect URI
            # it registered (the form's fields come from the browser).
            if application is None or not application.redirect_uri_allowed(
                credentials["redirect_uri"] or ""
            ):
                fatal = errors.MismatchingRedirectURIError()
                if application is None:
                    fatal = errors.InvalidClientIdError()
                return self.error_response(FatalClientError(error=fatal), application)
            denied = errors.AccessDeniedError(state=credentials["state"])
            return self.error_response(
                OAuthToolkitError(error=denied, redirect_uri=credentials["redirect_uri"]),
                application,
            )
        try:
            uri, _headers, _body, _status = self.create_authorization_response(
                request=self.request, scopes=scopes, credentials=credentials, allow=True
            )
        except OAuthToolkitError as error:
            return self.error_response(error, application)
        services.consent_grant(
            user=self.request.user,
            application=application,
            scopes=scopes.split(),
            acting_user=self.request.user,
        )
        return self.redirect(uri, application)

    def form_invalid(self, form):
        fatal = errors.InvalidRequestFatalError(description="Incomplete consent form.")
        return self.error_response(FatalClientError(error=fatal), application=None)

    # --- Answers -------------------------------------------------------------------------

    def _to_client(self, uri: str, application: Application) -> HttpResponse:
        """Back to the portal. After our own sign-in form a 302 would be checked against that
        form's CSP (form-action 'self') and blocked, so then a page takes the person on."""
        if _same_origin_navigation(self.request) and urlsplit(uri).scheme in (
            application.get_allowed_schemes()
        ):
            return render(
                self.request,
                "sso/continue.html",
                {"url": uri, "policy": selectors.policy_of(application=application)},
            )
        return self.redirect(uri, application)

    def error_response(self, error, application, **kwargs):
        """Every refusal is audited (not the person's own "no", nor login/consent_required).
        A fatal one (unknown client, unregistered redirect URI) is an error page, never a
        redirect; the others go back to the client's redirect URI as the specification says."""
        request = self.request
        oauthlib_error = error.oauthlib_error
        client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
        if application is None:
            application = selectors.application_by_client_id(client_id)
        reason = refusals.authorize_reason(oauthlib_error)
        if not isinstance(oauthlib_error, refusals.NOT_REFUSALS):
            services.refusal_record(
                reason=reason,
                error=oauthlib_error.error,
                application=application,
                user=_user(request),
                client_id=client_id,
            )
        redirect_uri = oauthlib_error.redirect_uri
        if isinstance(error, FatalClientError) or not redirect_uri or application is None:
            context = {"reason": reason, "error": oauthlib_error.error}
            return render(request, "sso/refused.html", context, status=400)
        separator = "&" if "?" in redirect_uri else "?"
        return self.redirect(redirect_uri + separator + oauthlib_error.urlencoded, application)


class TokenView(dot.TokenView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusals.reset()
        if request.POST.get("grant_type") not in SUPPORTED_GRANT_TYPES:
            response: HttpResponse = JsonResponse({"error": "unsupported_grant_type"}, status=400)
            response["Cache-Control"] = "no-store"
        else:
            response = super().post(request, *args, **kwargs)
        noted = refusals.collect()
        if response.status_code >= 400:
            self._audit(request, response, noted)
        return response

    @staticmethod
    def _audit(request: HttpRequest, response: HttpResponse, noted: refusals.Noted | None) -> None:
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            body = {}
        error = str(body.get("error", ""))
        if noted is not None and noted.reason == "code_replayed" and noted.redeemed is not None:
            services.code_replay_refuse(redeemed=noted.redeemed, error=error)
            return
        client_id = request.POST.get("client_id") or _basic_client_id(request)
        application = (noted.application if noted else None) or selectors.application_by_client_id(
            client_id
        )
        reason = (
            noted.reason
            if noted
            else refusals.token_reason(
                error,
                grant_type=request.POST.get("grant_type", ""),
                description=str(body.get("error_description", "")),
            )
        )
        services.refusal_record(
            reason=reason,
            error=error,
            application=application,
            user=noted.user if noted else None,
            client_id=client_id,
        )


class UserInfoView(dot.UserInfoView):
    def _create_userinfo_response(self, request):
        refusals.reset()
        if "access_token" in request.GET:
            # RFC 9700 §4.3.2: never an access token in the URL (logs, history, referrers).
            refusals.note("token_in_query")
            response = JsonResponse({"error": "invalid_request"}, status=400)
            response["WWW-Authenticate"] = 'Bearer error="invalid_request"'
        else:
            response = super()._create_userinfo_response(request)
        noted = refusals.collect()
        if response.status_code >= 400:
            try:
                error = str(json.loads(response.content or b"{}").get("error", ""))
            except ValueError:
                error = ""
            services.refusal_record(
                reason=noted.reason if noted else refusals.userinfo_reason(error),
                error=error or "invalid_token",
                application=noted.application if noted else None,
                user=noted.user if noted else None,
            )
        response["Cache-Control"] = "no-store"
        return response


class DiscoveryView(dot.ConnectDiscoveryInfoView):
    """DOT's discovery document, saying exactly what this provider does."""

    def get(self, request, *args, **kwargs):
        data = json.loads(super().get(request, *args, **kwargs).content)
        data.update(
            {
                "grant_types_supported": list(SUPPORTED_GRANT_TYPES),
                "id_token_signing_alg_values_supported": ["RS256"],
                "prompt_values_supported": ["none", "login", "consent"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "revocation_endpoint": self._get_endpoint_url(request, "revoke-token"),
            }
        )
        response = JsonResponse(data)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={oauth2_settings.OIDC_JWKS_MAX_AGE_SECONDS}"
        return response


# --- The person's connected portals ---------------------------------------------------------


@never_cache
@login_required
def connected_portals(request: HttpRequest) -> HttpResponse:
    consents = [
        {
            "consent": consent,
            "policy": selectors.policy_of(application=consent.application),
            "scopes": describe(consent.scopes.split()),
        }
        for consent in selectors.consents_of(user=request.user)
    ]
    return render(request, "sso/connected_portals.html", {"consents": consents})


@never_cache
@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for(user=request.user, consent_id=consent_id)
    if consent is None:
        raise Http404
    policy = selectors.policy_of(application=consent.application)
    try:
        services.consent_withdraw(consent=consent, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        portal = policy.name if policy is not None else consent.application.name
        messages.success(
            request,
            _("%(portal)s can no longer use your Sevamitra sign-in. It will ask you again.")
            % {"portal": portal},
        )
    return redirect("sso:connected_portals")
