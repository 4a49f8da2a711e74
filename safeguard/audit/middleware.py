import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


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
