"""Every page of the service declares who may use it (safeguard/audit/views.py), or it does not ship."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # Django's admin checks staff status and model permissions itself on every one of its views.
            if getattr(entry, "urlconf_module", None) is admin.site.urls[0] or entry.app_name == "admin":
                continue
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_declares_its_access_policy():
    undeclared = [
        route for route, view in walk(get_resolver().url_patterns) if not getattr(view, "access_policy", "")
    ]
    assert undeclared == [], f"views without an access policy: {undeclared}"


def test_the_walk_finds_the_services_pages():
    routes = {route for route, _ in walk(get_resolver().url_patterns)}
    assert {"", "sign-in/", "children/search/", "children/<opaque:child_id>/"} <= routes
