"""The Jinja2 environment for Safeguard's pages (settings.TEMPLATES[0]["OPTIONS"]["environment"]).

Templates are found in two places:

- ``<app>/templates/`` of every installed Safeguard app (``safeguard.*``), in INSTALLED_APPS order, so
  ``ui/base.html`` is ``safeguard/ui/templates/ui/base.html``;
- the GOV.UK Frontend macros of govuk-frontend-jinja, under the prefix ``govuk_frontend_jinja/``::

    {% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}

Globals: ``static``, ``static_url``, ``url``, and ``govuk_field_params`` and ``error_summary_items`` (used
by ``ui/forms.html``).
Filters: ``date`` ("5 January 2026"; ``date(short=true)`` "5 Jan 2026"), ``datetime`` ("5 January 2026 at
2:30pm"), ``time`` ("2:30pm", "midday"), ``thousands`` ("12,345"), ``nhs_number`` ("485 777 3456").
"""

from __future__ import annotations

import calendar
import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)

from safeguard.ui.forms import error_summary_items, govuk_field_params
from safeguard.ui.forms import format_date as format_long_date


def template_dirs() -> list[Path]:
    """``templates/`` of each installed Safeguard app, in INSTALLED_APPS order (the first match wins)."""
    return [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("safeguard.")
    ]


def build_loader() -> ChoiceLoader:
    return ChoiceLoader(
        [
            FileSystemLoader([str(path) for path in template_dirs()]),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )


def static_url() -> str:
    """settings.STATIC_URL, for paths that are folders rather than files (GOV.UK's ``assetPath``)."""
    return iri_to_uri(settings.STATIC_URL)


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``{{ url("children:detail", child.pk) }}`` or ``{{ url("children:detail", pk=child.pk) }}``."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(value: datetime.date | datetime.datetime | None, short: bool = False) -> str:
    """GOV.UK style: "5 January 2026", or "5 Jan 2026" when ``short`` (for tables). Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    if short:
        return f"{value.day} {calendar.month_abbr[value.month]} {value.year}"
    return format_long_date(value)


def format_time(value: datetime.datetime | datetime.time | None) -> str:
    """GOV.UK style: "9am", "2:30pm", "midday", "midnight". Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value: datetime.datetime | None, short: bool = False) -> str:
    """GOV.UK style: "5 January 2026 at 2:30pm", in the service's time zone. Empty for None."""
    if value is None or value == "":
        return ""
    return f"{format_date(value, short=short)} at {format_time(value)}"


def thousands(value: int | float | None) -> str:
    """12345 as "12,345". Empty for None."""
    if value is None or value == "":
        return ""
    return f"{value:,}"


def nhs_number(value: str | None) -> str:
    """An NHS number as 3-3-4 digits ("485 777 3456"), as health colleagues read them out. Empty for None;
    anything that is not 10 digits is shown as it was stored."""
    if not value:
        return ""
    digits = str(value).replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return str(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def environment(**options: Any) -> Environment:
    # Django's Jinja2 backend always passes a `loader` (a FileSystemLoader over DIRS, plus each app's
    # jinja2/ folder when APP_DIRS is on). Ours replaces it: see the module docstring.
    options.pop("loader", None)
    options.pop("autoescape", None)
    # The GOV.UK macros read optional nested parameters (`params.label.html` with no label) and print optional
    # values (a textarea's `params.value`) unguarded, as Nunjucks allows. Django's defaults break them: plain
    # Undefined raises on the nested read, and DebugUndefined (its default when DEBUG is on) prints
    # "{{ no such element ... }}" into the page. ChainableUndefined, as the govuk/nhsuk Jinja ports advise,
    # makes both empty. The cost: a misspelt variable in our own templates renders as nothing, so tests
    # assert on what pages show.
    options["undefined"] = ChainableUndefined
    env = Environment(loader=build_loader(), autoescape=True, **options)
    env.globals.update(
        static=static,
        static_url=static_url,
        url=url,
        govuk_field_params=govuk_field_params,
        error_summary_items=error_summary_items,
    )
    env.filters.update(
        date=format_date,
        datetime=format_datetime,
        time=format_time,
        thousands=thousands,
        nhs_number=nhs_number,
    )
    return env
