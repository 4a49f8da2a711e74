"""The page layout (ui/base.html), the error pages, the Jinja2 environment and the front-end build.

No database: requests come from RequestFactory, with a stand-in user where a signed-in one is needed.
"""

import datetime
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory

from safeguard.ui.context_processors import service
from safeguard.ui.jinja import format_date, format_datetime, format_time, nhs_number, thousands

FRONTEND = Path(settings.BASE_DIR) / "frontend"
BUILD = FRONTEND / "build"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Outside DEBUG, settings use the manifest storage, which needs `collectstatic` first; these tests are
    # about the pages, not the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class SignedInUser:
    is_authenticated = True
    is_anonymous = False


def make_request(path="/", user=None, with_csp=True):
    request = RequestFactory().get(path)
    if with_csp:
        ContentSecurityPolicyMiddleware(lambda r: None).process_request(request)
    if user is not None:
        request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def page(source, request=None, **context):
    """Render a template that extends ui/base.html, as a view would."""
    template = engines["jinja2"].from_string(source)
    return template.render(context, request=request)


CHILD_PAGE = (
    '{% extends "ui/base.html" %}{% block title %}Find a child{% endblock %}'
    '{% block beforeContent %}<a href="/" class="govuk-back-link">Back</a>{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Find a child</h1>{% endblock %}'
)


# ----------------------------------------------------------------------------------------------------------
# The layout


def test_base_layout_uses_local_assets_and_the_csp_nonce():
    request = make_request()
    html = page(CHILD_PAGE, request)
    nonce = str(request._csp_nonce)
    assert nonce
    # The one inline script (GOV.UK's js-enabled marker) carries the nonce; every other script is a file.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [f' nonce="{nonce}"']
    assert '<script type="module" src="/static/init.mjs"></script>' in html
    assert '<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">' in html
    assert '<link rel="stylesheet" href="/static/app.css">' in html
    # Safeguard's own icon, not GOV.UK's crown (which is for services on GOV.UK only).
    assert '<link rel="icon" href="/static/icon.svg" type="image/svg+xml">' in html
    assert "favicon.ico" not in html and "govuk-icon" not in html
    # Nothing from another origin: no CDN, no fonts or scripts from elsewhere.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    assert " style=" not in html  # the CSP allows no inline style


def test_page_title_and_blocks():
    html = page(CHILD_PAGE, make_request())
    assert "<title>Find a child – Safeguard</title>" in html
    assert '<a href="/" class="govuk-back-link">Back</a>' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert html.index("govuk-back-link") < html.index('id="main-content"') < html.index("Find a child</h1>")
    assert '<html lang="en-GB"' in html


def test_page_title_says_error_when_the_form_has_errors():
    class F(forms.Form):
        name = forms.CharField()

    assert "<title>Error: Find a child – Safeguard</title>" in page(CHILD_PAGE, make_request(), form=F({}))
    assert "<title>Find a child – Safeguard</title>" in page(CHILD_PAGE, make_request(), form=F())


def test_a_page_without_a_title_is_named_after_the_service():
    html = page('{% extends "ui/base.html" %}', make_request())
    assert "<title>Safeguard</title>" in html


def test_header_names_the_council_and_the_service_without_the_crown():
    html = page(CHILD_PAGE, make_request())
    assert "govuk-generic-header" in html
    assert settings.SAFEGUARD["LA_NAME"] in html
    assert "govuk-service-navigation__service-name" in html
    assert "Safeguard" in html
    assert "govuk-header__logotype" not in html  # GOV.UK's crown logo
    assert "govuk-footer__crown" not in html
    assert "Crown copyright" not in html


def test_signed_out_pages_have_no_navigation_or_sign_out():
    html = page(CHILD_PAGE, make_request())
    assert "Find a child</a>" not in html.replace("\n", "").replace(" ", "")
    assert "Sign out" not in html


def test_signed_in_navigation_and_sign_out_form():
    html = page(CHILD_PAGE, make_request("/children/search/", user=SignedInUser()))
    assert "govuk-service-navigation__list" in html
    assert re.search(r'href="/"[^>]*>\s*Home', html)
    assert re.search(r'href="/children/search/"\s+aria-current="page"', html)
    form = re.search(
        r'<form method="post" action="([^"]+)" class="app-service-navigation__form">(.*?)</form>', html, re.S
    )
    assert form, "sign out is a POST form"
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert '<button type="submit"' in form.group(2) and "Sign out" in form.group(2)


def test_messages_are_notification_banners():
    request = make_request()
    messages.success(request, "Case note saved")
    messages.warning(request, "The <b>plan</b> is overdue")
    html = page(CHILD_PAGE, request)
    assert "govuk-notification-banner govuk-notification-banner--success" in html
    assert 'role="alert"' in html and "Case note saved" in html
    assert 'aria-labelledby="message-2-title"' in html and "Important" in html
    assert "The &lt;b&gt;plan&lt;/b&gt; is overdue" in html
    assert html.index("Case note saved") < html.index("Find a child</h1>")


def test_demonstration_banner_only_when_debug(settings):
    settings.DEBUG = True
    assert "govuk-phase-banner" in page(CHILD_PAGE, make_request())
    assert "synthetic data" in page(CHILD_PAGE, make_request())
    settings.DEBUG = False
    assert "govuk-phase-banner" not in page(CHILD_PAGE, make_request())


# ----------------------------------------------------------------------------------------------------------
# Error pages


def test_403_page_says_the_refusal_was_recorded():
    html = render_to_string("ui/403.html", request=make_request(user=SignedInUser()))
    assert "<title>You do not have access to this page – Safeguard</title>" in html
    assert "the refusal has been recorded" in html
    assert "Sign out" in html  # the usual layout, for a signed-in user


def test_404_page():
    html = render_to_string("ui/404.html", request=make_request())
    assert "<title>Page not found – Safeguard</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html


def test_500_page_renders_without_a_request():
    # Django's server_error renders the template with no request and no context processors.
    html = render_to_string("ui/500.html")
    assert "<title>Sorry, there is a problem with the service – Safeguard</title>" in html
    assert "Try again later." in html
    assert "/static/govuk/govuk-frontend.min.css" in html
    assert "Sign out" not in html
    assert "{{" not in html and "None" not in html


def test_500_page_renders_with_a_request_too():
    html = render_to_string("ui/500.html", request=make_request(user=SignedInUser()))
    assert "Sorry, there is a problem with the service" in html


def test_context_processor_without_a_user_or_with_an_anonymous_one():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    assert service(request)["service_navigation"] == []
    assert service(request)["sign_out_url"] is None
    request.user = AnonymousUser()
    context = service(request)
    assert context["service_name"] == "Safeguard"
    assert context["la_name"] == settings.SAFEGUARD["LA_NAME"]
    assert context["signed_in"] is False
    assert context["service_navigation"] == []


def test_context_processor_for_a_signed_in_user():
    request = RequestFactory().get("/children/123/")
    request.user = SignedInUser()
    context = service(request)
    texts = [item["text"] for item in context["service_navigation"]]
    assert texts == ["Home", "Find a child"]
    find = context["service_navigation"][1]
    assert (
        find["active"] is True and "current" not in find
    )  # inside the children section, not the search page
    assert context["sign_out_url"]


# ----------------------------------------------------------------------------------------------------------
# The Jinja2 environment


def test_environment_loads_our_templates_and_the_govuk_macros():
    env = engines["jinja2"].env
    assert isinstance(env.loader, jinja2.ChoiceLoader)
    assert env.autoescape is True
    html = env.from_string(
        '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
        '{{ govukButton({"text": "Save <now>"}) }}'
    ).render()
    assert 'class="govuk-button"' in html and "Save &lt;now&gt;" in html
    assert env.get_template("ui/base.html").filename.endswith("safeguard/ui/templates/ui/base.html")


def test_optional_govuk_parameters_render_as_nothing():
    # A textarea with no value: Django's DebugUndefined would print "{{ no such element }}" into it.
    env = engines["jinja2"].env
    html = env.from_string(
        '{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}'
        '{{ govukTextarea({"name": "note", "id": "note", "label": {"text": "Note"}}) }}'
    ).render()
    assert re.search(r"<textarea[^>]*></textarea>", html)


def test_globals():
    env = engines["jinja2"].env
    assert env.from_string("{{ static('app.css') }}").render() == "/static/app.css"
    assert env.from_string("{{ static_url() }}").render() == "/static/"
    assert env.from_string("{{ url('admin:index') }}").render() == "/admin/"
    assert env.from_string("{{ url('admin:app_list', app_label='auth') }}").render() == "/admin/auth/"
    assert env.from_string("{{ url('admin:app_list', 'auth') }}").render() == "/admin/auth/"


def test_date_and_time_filters():
    london = ZoneInfo("Europe/London")
    assert format_date(datetime.date(2026, 1, 5)) == "5 January 2026"
    assert format_date(datetime.date(2026, 9, 25), short=True) == "25 Sep 2026"
    assert format_date(None) == ""
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    assert format_date(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)) == "1 July 2026"
    assert format_time(datetime.time(0, 0)) == "midnight"
    assert format_time(datetime.time(12, 0)) == "midday"
    assert format_time(datetime.time(9, 0)) == "9am"
    assert format_time(datetime.time(14, 30)) == "2:30pm"
    assert format_time(datetime.time(0, 5)) == "12:05am"
    assert format_datetime(datetime.datetime(2026, 1, 5, 14, 30, tzinfo=london)) == "5 January 2026 at 2:30pm"
    assert format_datetime(None) == ""
    env = engines["jinja2"].env
    assert env.from_string("{{ d | date }}").render(d=datetime.date(2026, 1, 5)) == "5 January 2026"


def test_number_filters():
    assert thousands(1234567) == "1,234,567"
    assert thousands(None) == ""
    assert nhs_number("4857773456") == "485 777 3456"
    assert nhs_number("485 777 3456") == "485 777 3456"
    assert nhs_number("") == ""
    assert nhs_number("12345") == "12345"


# ----------------------------------------------------------------------------------------------------------
# The front-end build (`npm run build` runs before the tests: see the Makefile)


def test_govuk_frontend_is_pinned_exactly():
    package = json.loads((FRONTEND / "package.json").read_text())
    pinned = {**package.get("dependencies", {}), **package.get("devDependencies", {})}["govuk-frontend"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin govuk-frontend exactly: no ^ or ~"
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == pinned


def test_build_output_exists_and_css_asset_urls_are_rewritten():
    css_path = BUILD / "govuk" / "govuk-frontend.min.css"
    assert css_path.exists(), "run `cd frontend && npm install && npm run build` first"
    css = css_path.read_text()
    assert "url(/assets/" not in css
    assert not re.search(r"""url\(\s*["']?/assets/""", css)
    assert "url(/static/govuk/assets/images/" in css
    # GDS Transport is licensed for GOV.UK services only; ours falls back to Arial.
    assert "@font-face" not in css and not (BUILD / "govuk" / "assets" / "fonts").exists()
    for url in re.findall(r"url\(/static/([^)]+)\)", css):
        assert (BUILD / url).exists(), f"the CSS refers to {url}, which the build did not copy"
    for name in ("govuk/govuk-frontend.min.js", "govuk/assets/manifest.json", "app.css", "init.mjs"):
        assert (BUILD / name).exists(), name
    init = (BUILD / "init.mjs").read_text()
    assert "from './govuk/govuk-frontend.min.js'" in init and "initAll()" in init


def test_build_and_node_modules_are_not_committed():
    ignored = (FRONTEND / ".gitignore").read_text().split()
    assert "build/" in ignored and "node_modules/" in ignored


def test_context_processor_survives_a_database_failure_loading_the_user():
    from django.db import OperationalError
    from django.utils.functional import SimpleLazyObject

    def broken():
        raise OperationalError("database is down")

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(broken)
    assert service(request)["signed_in"] is False
