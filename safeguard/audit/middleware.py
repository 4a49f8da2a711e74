import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve


class NoStoreMiddleware:
    """No page of case data may be kept by a browser or proxy cache (ASVS 5.0 V14.3; a shared
    computer in a family centre must not show the last worker's pages). Static files are served by
    WhiteNoise before this runs, so they stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


class PermissionsPolicyMiddleware:
    """No page may use the camera, microphone, location, payment, USB or other powerful browser features, nor
    let a page it embeds use them (ASVS 5.0 V3.4.8). Security keys (WebAuthn) stay allowed for this origin
    only, for signing in."""

    POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), serial=(), hid=(), display-capture=(), "
        "publickey-credentials-create=(self), publickey-credentials-get=(self)"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class SessionTimeoutMiddleware:
    """A signed-in session ends after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after sign-in, however busy (ASVS 5.0 V7.3: idle and absolute
    timeouts). A worker who leaves a case file open on a shared computer is signed out before the next person
    sits down; stolen session cookies stop working at the end of the working day.

    The times are kept in the session: when it began (``SIGNED_IN``) and the last request (``LAST_SEEN``),
    written at most once a minute so that reading pages does not write the session on every request. Django's
    own cookie age cannot be the absolute limit, because writing the session renews it."""

    SIGNED_IN = "safeguard_signed_in_at"
    LAST_SEEN = "safeguard_last_seen_at"
    WRITE_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in = session.setdefault(self.SIGNED_IN, now)
            last_seen = session.get(self.LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            if idle or now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity: sign in again"
                    if idle
                    else "You were signed out at the end of your session: sign in again",
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= self.WRITE_EVERY or self.LAST_SEEN not in session:
                session[self.LAST_SEEN] = now
        return self.get_response(request)


class MultiFactorRequiredMiddleware:
    """Everyone signs in with a second factor (ASVS 5.0 V6.3.3). allauth asks for it at sign-in from anyone who
    has one; somebody who has none yet (a new account) is signed in with their password alone, and may then
    only set one up: every other page sends them to "Set up your authenticator app". Once they have one it
    is noted in the session, so the check costs a query only until then."""

    ENROLLED = "safeguard_mfa_enrolled"
    # Setting up a factor, confirming one's password for it, and signing out.
    ALLOWED = {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "account_login",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.session.get(self.ENROLLED):
            if has_second_factor(user):
                request.session[self.ENROLLED] = True
            elif self._allowed(request):
                pass
            else:
                messages.info(request, "Set up an authenticator app before you use Safeguard")
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _allowed(self, request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.ALLOWED


def has_second_factor(user) -> bool:
    """An authenticator app or a security key (recovery codes alone are a fallback, not a factor to rely on)."""
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
