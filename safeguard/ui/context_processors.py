"""What every page's layout (ui/base.html) needs: the service's name, the council's, and the navigation.

Safe on any request, including one with no ``user`` (a RequestFactory request in tests, an error page): a
request without a signed-in user gets no navigation and no sign-out button. The only database access is
loading the user, which LoginRequiredMiddleware has already done on an ordinary page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

SERVICE_NAME = "Safeguard"

# (text, URL name, path if that name is not routed yet, how the item is "current").
# "exact": only on that page; "section": on that page and every page under it.
NAVIGATION = [
    ("Home", "home", "/", "exact"),
    ("Find a child", "children:search", "/children/search/", "section"),
]


# Items an app adds for the users it serves (from its AppConfig.ready), so this module imports no app:
# (text, URL name, the path prefix of its section, who sees it).
EXTRA_NAVIGATION: list[tuple[str, str, str, Callable[[Any], bool]]] = []


def register_navigation(text: str, url_name: str, *, section: str, visible_to: Callable[[Any], bool]) -> None:
    if all(existing[1] != url_name for existing in EXTRA_NAVIGATION):
        EXTRA_NAVIGATION.append((text, url_name, section, visible_to))


def _reverse(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _navigation(path: str) -> list[dict[str, Any]]:
    items = []
    for text, name, fallback, match in NAVIGATION:
        href = _reverse(name, fallback)
        item: dict[str, Any] = {"text": text, "href": href}
        if path == href:
            item["current"] = True  # aria-current="page"
        elif match == "section" and path.startswith(href.rsplit("/", 2)[0] + "/"):
            item["active"] = True  # aria-current="true": somewhere inside that section
        items.append(item)
    return items


def _extra_navigation(user, path: str) -> list[dict[str, Any]]:
    items = []
    for text, name, section, visible_to in EXTRA_NAVIGATION:
        if visible_to(user):
            href = reverse(name)
            item: dict[str, Any] = {"text": text, "href": href}
            if path == href:
                item["current"] = True
            elif path.startswith(section):
                item["active"] = True
            items.append(item)
    return items


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    try:
        signed_in = bool(getattr(user, "is_authenticated", False))
    except DatabaseError:
        # Loading the user needs the session and user tables: an error page about a database failure must
        # still render, as a signed-out page.
        signed_in = False
    path = getattr(request, "path", "") or ""
    return {
        "service_name": SERVICE_NAME,
        "service_url": _reverse("home", "/"),
        "la_name": settings.SAFEGUARD.get("LA_NAME", ""),
        "signed_in": signed_in,
        "service_navigation": _navigation(path) + _extra_navigation(user, path) if signed_in else [],
        # Signing out is a POST with the CSRF token (Django's LogoutView refuses GET): base.html renders it
        # as a one-button form at the end of the service navigation.
        "sign_out_url": _reverse("account_logout", "/sign-out/") if signed_in else None,
        "account_url": _reverse("mfa_index", "/account/security/") if signed_in else None,
        # Development and demonstration instances run with DEBUG on and hold only synthetic data: say so.
        "show_demo_banner": bool(settings.DEBUG),
    }
