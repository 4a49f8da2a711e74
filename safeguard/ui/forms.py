"""Django forms, rendered with the GOV.UK Frontend macros.

Views keep using ordinary Django forms; templates render them with the macros in ``ui/forms.html``::

    {% from "ui/forms.html" import error_summary, field %}
    {{ error_summary(form) }}
    {{ field(form.first_name, autocomplete="given-name") }}

Those macros call the two functions here: :func:`govuk_field_params`, which picks the GOV.UK component for
a bound field's widget and builds that component's parameters (label, hint, error message, the value the
user typed, names and ids that match Django's), and :func:`error_summary_items`, which lists a form's errors
for the error summary, each linking to the id of the input it is about.

GOV.UK asks for dates as three boxes (day, month, year), so :class:`GovukDateField` takes them and checks them
with the Design System's messages ("Date of birth must include a year").
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import pretty_name
from django.forms.widgets import Input
from django.utils import timezone
from django.utils.safestring import SafeData
from markupsafe import Markup

# Component names are those of GOV.UK Frontend (the folder of each macro in govuk_frontend_jinja).
INPUT = "input"
TEXTAREA = "textarea"
SELECT = "select"
RADIOS = "radios"
CHECKBOXES = "checkboxes"
CHECKBOX = "checkbox"  # a single checkbox (a BooleanField), rendered with govukCheckboxes
DATE_INPUT = "date-input"
PASSWORD_INPUT = "password-input"  # noqa: S105 (a component's name, not a password)
FILE_UPLOAD = "file-upload"
HIDDEN = "hidden"  # rendered by Django itself: nothing to show

# Components whose question is a <legend> in a <fieldset> rather than a <label>.
FIELDSET_COMPONENTS = frozenset({RADIOS, CHECKBOXES, DATE_INPUT})

DATE_PARTS = ("day", "month", "year")


# ----------------------------------------------------------------------------------------------------------
# Dates as three boxes


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, posted as ``<name>_day``, ``<name>_month`` and ``<name>_year``.

    ``ui/forms.html`` renders it with govukDateInput. Outside it (the admin), Django's own MultiWidget
    template shows three plain text boxes.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


_MONTH_NAMES = {
    **{calendar.month_name[i].lower(): i for i in range(1, 13)},
    **{calendar.month_abbr[i].lower(): i for i in range(1, 13)},
    "sept": 9,
}


def format_date(value: datetime.date) -> str:
    """GOV.UK style: 5 January 2026 (no leading zero, no comma, no ordinal)."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


class GovukDateField(forms.MultiValueField):
    """A date entered in three boxes, checked with the GOV.UK Design System's error messages.

    The messages name the question: ``error_name`` if given, otherwise the field's label, otherwise the
    field's name as Django shows it ("date_of_birth" becomes "Date of birth"). Options:

    - ``min_value`` / ``max_value``: the earliest and latest date allowed;
    - ``not_in_future`` / ``not_in_past``: the date must be today or before it / today or after it.

    Each error names the boxes it is about (``ValidationError.params["date_parts"]``), so that only those
    boxes are outlined in red and the error summary links to the first of them.
    """

    widget = GovukDateWidget
    default_error_messages = {
        # {name} is the question as it starts a sentence; {name_lower} as it appears mid-sentence.
        "required": "Enter {name_lower}",
        "incomplete": "{name} must include a {missing}",
        "invalid": "{name} must be a real date",
        "year_length": "Year must include 4 numbers",
        "min_value": "{name} must be the same as or after {date}",
        "max_value": "{name} must be the same as or before {date}",
        "future": "{name} must be today or in the past",
        "past": "{name} must be today or in the future",
    }

    def __init__(
        self,
        *,
        error_name: str | None = None,
        min_value: datetime.date | None = None,
        max_value: datetime.date | None = None,
        not_in_future: bool = False,
        not_in_past: bool = False,
        **kwargs: Any,
    ) -> None:
        self.error_name = error_name
        self.min_value = min_value
        self.max_value = max_value
        self.not_in_future = not_in_future
        self.not_in_past = not_in_past
        self._bound_name: str | None = None
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        # Each form instance works on a deep copy of its fields, so remembering the name here is safe; it is
        # the last resort for the question's name in messages when no label or error_name was given.
        self._bound_name = field_name
        return super().get_bound_field(form, field_name)

    # The question's name in messages.
    def _name(self) -> str:
        name = self.error_name or self.label
        if not name and self._bound_name:
            name = pretty_name(self._bound_name)
        return str(name or "Date")

    def _name_lower(self) -> str:
        name = self._name()
        first_word = name.split(" ", 1)[0]
        if first_word.isupper() and len(first_word) > 1:  # an acronym ("CIN plan start date") stays as it is
            return name
        return name[:1].lower() + name[1:]

    def _error(self, code: str, parts: Iterable[str] = DATE_PARTS, **fmt: Any) -> forms.ValidationError:
        message = self.error_messages[code].format(name=self._name(), name_lower=self._name_lower(), **fmt)
        # ValidationError applies "message % params" when there are params: escape any literal percent sign.
        return forms.ValidationError(
            message.replace("%", "%%"), code=code, params={"date_parts": tuple(parts)}
        )

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        # Not used by clean() below (which does its own checking); kept for MultiValueField's contract.
        if not data_list:
            return None
        day, month, year = data_list
        return datetime.date(int(year), int(month), int(day))

    def clean(self, value: Any) -> datetime.date | None:
        if self.disabled and not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        if isinstance(value, datetime.date):
            value = self.widget.decompress(value)
        if not isinstance(value, (list, tuple)):
            value = [None, None, None]
        raw = [str(v).strip() if v is not None else "" for v in (list(value) + [None, None, None])[:3]]
        day_s, month_s, year_s = raw

        if not any(raw):
            if self.required:
                raise self._error("required")
            return None

        missing = [part for part, text in zip(DATE_PARTS, raw, strict=True) if not text]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))

        bad = []
        day = int(day_s) if day_s.isdigit() else None
        if day is None or not 1 <= day <= 31:
            bad.append("day")
        month = int(month_s) if month_s.isdigit() else _MONTH_NAMES.get(month_s.lower().rstrip("."))
        if month is None or not 1 <= month <= 12:
            bad.append("month")
        if not year_s.isdigit():
            bad.append("year")
        if bad:
            raise self._error("invalid", bad)
        if len(year_s) != 4:
            raise self._error("year_length", ["year"])
        try:
            result = datetime.date(int(year_s), month, day)
        except ValueError:  # 31 April, 29 February in a common year
            raise self._error("invalid", ["day"]) from None

        today = timezone.localdate()
        if self.not_in_future and result > today:
            raise self._error("future")
        if self.not_in_past and result < today:
            raise self._error("past")
        if self.min_value is not None and result < self.min_value:
            raise self._error("min_value", date=format_date(self.min_value))
        if self.max_value is not None and result > self.max_value:
            raise self._error("max_value", date=format_date(self.max_value))

        self.validate(result)
        self.run_validators(result)
        return result

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        parts = data if isinstance(data, (list, tuple)) else self.widget.decompress(data)
        if not any(str(p).strip() for p in parts if p is not None):
            return initial is not None
        try:
            return self.clean(parts) != initial
        except forms.ValidationError:
            return True


# ----------------------------------------------------------------------------------------------------------
# Widget to component


def id_from_query(query: Mapping[str, str], name: str) -> int | None:
    """An optional id from a query string (``?team=12``); anything else is ignored, so a mistyped link
    shows the whole of the user's scope rather than an error."""
    raw = query.get(name) or ""
    return int(raw) if raw.isdigit() else None


def text_area(label: str, *, rows: int = 5, required: str = "", help_text: str = "") -> forms.CharField:
    """A textarea field; ``required`` is the error message when it is left empty (none: it is optional), so
    every required box says in plain words what is missing."""
    return forms.CharField(
        label=label,
        required=bool(required),
        help_text=help_text,
        error_messages={"required": required} if required else None,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def component_for(widget: forms.Widget) -> str:
    """The GOV.UK component that renders a Django widget. Subclasses come before the classes they extend."""
    if isinstance(widget, (GovukDateWidget, forms.SelectDateWidget)):
        return DATE_INPUT
    if isinstance(widget, (forms.HiddenInput, forms.MultipleHiddenInput)):
        return HIDDEN
    if isinstance(widget, forms.PasswordInput):
        return PASSWORD_INPUT
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.SelectMultiple):  # GOV.UK has no multiple select: use checkboxes
        return CHECKBOXES
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.FileInput):
        return FILE_UPLOAD
    if isinstance(widget, Input):
        # TextInput, EmailInput, NumberInput, URLInput, TelInput, SearchInput, DateInput (one box: a date
        # field that should have three boxes uses GovukDateField), ...
        return INPUT
    raise TypeError(
        f"No GOV.UK component for {type(widget).__name__}: render it by hand, or add it to component_for()"
    )


def field_id(bound_field: BoundField) -> str:
    """The id of the field's (first) input, as Django's auto_id gives it: the error summary links here."""
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


def error_anchor(bound_field: BoundField) -> str:
    """The id the error summary should link to: the first input the error is about."""
    base = field_id(bound_field)
    if component_for(bound_field.field.widget) == DATE_INPUT:
        parts = _date_parts_in_error(bound_field) or DATE_PARTS
        first = next(part for part in DATE_PARTS if part in parts)
        return f"{base}-{first}"
    # Radios and checkboxes: GOV.UK gives the first item the group's id (the others get -2, -3, ...).
    return base


def error_summary_items(*forms_on_page: forms.BaseForm | None) -> list[dict[str, str]]:
    """The error summary's list for one or more forms on a page: each form's errors about the whole form
    first, then each field's in the page's order, linking to the input they are about."""
    items: list[dict[str, str]] = []
    for form in forms_on_page:
        if form is None or not form.errors:
            continue
        items.extend({"text": str(error)} for error in form.non_field_errors())
        for bound_field in form:
            for error in bound_field.errors:
                if bound_field.is_hidden:  # nothing on the page to link to
                    items.append({"text": f"{bound_field.label}: {error}"})
                else:
                    items.append({"text": str(error), "href": f"#{error_anchor(bound_field)}"})
    return items


# ----------------------------------------------------------------------------------------------------------
# Parameters for each component


# Widget attributes that GOV.UK macros take as parameters of their own; anything else goes to `attributes`.
_PARAM_ATTRS = {
    INPUT: {"autocomplete", "autocapitalize", "spellcheck", "inputmode", "pattern"},
    TEXTAREA: {"autocomplete", "spellcheck", "rows"},
    PASSWORD_INPUT: {"autocomplete"},
}
_DROPPED_ATTRS = {"id", "class", "cols", "disabled"}


def _attrs_to_params(component: str, attrs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split widget attrs into (macro parameters, extra HTML attributes)."""
    params: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, value in attrs.items():
        if name in _DROPPED_ATTRS or value is None or value is False:
            continue
        if name in _PARAM_ATTRS.get(component, ()):
            if name == "spellcheck":
                value = value if isinstance(value, bool) else str(value).lower() == "true"
            params[name] = value
        elif value is True:
            attributes[name] = {"value": True, "optional": True}  # a boolean attribute: `required`
        else:
            attributes[name] = str(value)
    return params, attributes


def _text_or_html(value: Any) -> dict[str, str]:
    """GOV.UK's {text} (escaped) or, for strings already marked safe by the form's author, {html}."""
    if isinstance(value, SafeData):
        return {"html": str(value)}
    return {"text": str(value)}


def _error_message(bound_field: BoundField) -> dict[str, Any] | None:
    errors = [str(error) for error in bound_field.errors]
    if not errors:
        return None
    if len(errors) == 1:
        return {"text": errors[0]}
    return {"html": str(Markup("<br>").join(errors))}


def _date_parts_in_error(bound_field: BoundField) -> set[str]:
    parts: set[str] = set()
    for error in bound_field.errors.as_data():
        named = (error.params or {}).get("date_parts") if isinstance(error.params, dict) else None
        parts.update(named or DATE_PARTS)  # an error that does not say (a form's clean_<field>) is about all
    return parts


def deep_merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``overrides`` into ``base``: dictionaries merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _choice_options(bound_field: BoundField) -> list[dict[str, Any]]:
    """The widget's choices, flattened from any groups, each with Django's own `selected` flag."""
    widget = bound_field.field.widget
    value = widget.format_value(bound_field.value())
    return [
        option
        for _group, options, _index in widget.optgroups(bound_field.html_name, value)
        for option in options
    ]


def _date_items(bound_field: BoundField, id_: str, attrs: Mapping[str, Any]) -> list[dict[str, Any]]:
    widget = bound_field.field.widget
    name = bound_field.html_name
    if isinstance(widget, GovukDateWidget):
        names = [name + suffix for suffix in widget.widgets_names]
        value = bound_field.value()
        values = value if isinstance(value, (list, tuple)) else widget.decompress(value)
    else:  # SelectDateWidget: read what was typed, as its value_from_datadict loses incomplete dates
        names = [widget.day_field % name, widget.month_field % name, widget.year_field % name]
        if bound_field.form.is_bound:
            values = [bound_field.form.data.get(n) for n in names]
        else:
            values = GovukDateWidget().decompress(bound_field.value())
    in_error = _date_parts_in_error(bound_field)
    autocomplete = attrs.get("autocomplete")
    items = []
    for part, part_name, part_value in zip(DATE_PARTS, names, values, strict=True):
        item: dict[str, Any] = {
            "name": part_name,
            "id": f"{id_}-{part}",
            "label": part.capitalize(),
            "value": "" if part_value is None else str(part_value),
            "classes": "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
        }
        if part in in_error:
            item["classes"] += " govuk-input--error"
        if autocomplete == "bday":  # the browser may fill in the user's own birthday
            item["autocomplete"] = f"bday-{part}"
        items.append(item)
    return items


def govuk_field_params(bound_field: BoundField, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """The GOV.UK component for a bound field, and the parameters for its macro.

    ``overrides`` are GOV.UK macro parameters, merged over what the field gives (dictionaries key by key):
    ``classes="govuk-input--width-10"``, ``hint={"text": "..."}``, ``label={"classes": "govuk-label--m"}``.
    For fieldset components (radios, checkboxes, date input) ``label`` overrides apply to the legend; for a
    single checkbox, to the box's own text (add a question above it with ``fieldset={"legend": {...}}``).
    Shortcuts:

    - ``page_heading=True``: the label (or legend) is the page's <h1>, in the large size;
    - ``item_hints={value: "hint"}``: a hint under particular radios or checkboxes;
    - ``conditionals={value: html}``: content revealed when that radio or checkbox is chosen.
    """
    page_heading = overrides.pop("page_heading", False)
    item_hints = overrides.pop("item_hints", None) or {}
    conditionals = overrides.pop("conditionals", None) or {}

    field = bound_field.field
    widget = field.widget
    component = component_for(widget)
    if component == HIDDEN:
        return component, {}

    id_ = field_id(bound_field)
    attrs = dict(widget.attrs)
    params: dict[str, Any] = {"name": bound_field.html_name}
    question = _text_or_html(bound_field.label)
    if field.help_text:
        params["hint"] = _text_or_html(field.help_text)
    error_message = _error_message(bound_field)
    if error_message:
        params["errorMessage"] = error_message
    css_classes = attrs.get("class")

    if component in (INPUT, TEXTAREA, PASSWORD_INPUT, FILE_UPLOAD, SELECT):
        params["id"] = id_
        params["label"] = question
        extra, attributes = _attrs_to_params(component, attrs)
        params.update(extra)
        if component == INPUT:
            params["type"] = widget.input_type
            if isinstance(widget, forms.NumberInput):
                # GOV.UK: ask for whole numbers with a text box and a numeric keypad, not type="number"
                # (which rounds, and changes on a mouse wheel). The field's own checks still apply.
                params["type"] = "text"
                params.setdefault("inputmode", "numeric")
                params.setdefault("spellcheck", False)
                for name in ("min", "max", "step"):
                    attributes.pop(name, None)
        if component in (INPUT, TEXTAREA):
            value = widget.format_value(bound_field.value())
            if value not in (None, ""):
                params["value"] = str(value)
        if component == PASSWORD_INPUT and getattr(widget, "render_value", False):
            value = widget.format_value(bound_field.value())
            if value not in (None, ""):
                params["value"] = str(value)
        if component == SELECT:
            params["items"] = [
                {
                    "value": str(option["value"]),
                    "text": str(option["label"]),
                    "selected": bool(option["selected"]),
                }
                for option in _choice_options(bound_field)
            ]
        if attributes:
            params["attributes"] = attributes

    elif component in (RADIOS, CHECKBOXES):
        params["idPrefix"] = id_
        params["fieldset"] = {"legend": question}
        _extra, item_attributes = _attrs_to_params(component, attrs)
        items = []
        for option in _choice_options(bound_field):
            value = "" if option["value"] is None else str(option["value"])
            if value == "":  # the blank choice ("---------") is not an answer among radios or checkboxes
                continue
            item: dict[str, Any] = {
                "value": value,
                "text": str(option["label"]),
                "checked": bool(option["selected"]),
            }
            if value in item_hints:
                item["hint"] = _text_or_html(item_hints[value])
            if value in conditionals:
                item["conditional"] = {"html": str(conditionals[value])}
            if item_attributes:
                item["attributes"] = item_attributes
            if field.disabled:
                item["disabled"] = True
            items.append(item)
        params["items"] = items

    elif component == CHECKBOX:
        component = CHECKBOXES
        params["idPrefix"] = id_
        _extra, item_attributes = _attrs_to_params(component, attrs)
        item = {
            "value": "true",  # CheckboxInput reads "true" as True
            **question,
            "checked": bool(widget.check_test(bound_field.value())),
        }
        if item_attributes:
            item["attributes"] = item_attributes
        if field.disabled:
            item["disabled"] = True
        if "label" in overrides:  # the box's own text ({"text": ...} or {"html": ...})
            label = overrides.pop("label")
            item = deep_merge({k: v for k, v in item.items() if k not in ("text", "html")}, label)
        params["items"] = [item]

    elif component == DATE_INPUT:
        params.pop("name")
        params["id"] = id_
        params["fieldset"] = {"legend": question}
        params["items"] = _date_items(bound_field, id_, attrs)

    if field.disabled and component not in (RADIOS, CHECKBOXES, DATE_INPUT):
        params["disabled"] = True
    if css_classes:
        params["classes"] = str(css_classes)

    # Overrides: "label" means the legend for fieldset components; page_heading sizes it as the page's <h1>.
    if component in FIELDSET_COMPONENTS and "fieldset" in params:
        if "label" in overrides:
            legend = overrides.pop("label")
            overrides["fieldset"] = deep_merge({"legend": legend}, overrides.get("fieldset", {}))
        if page_heading:
            params["fieldset"]["legend"].update(isPageHeading=True, classes="govuk-fieldset__legend--l")
    elif page_heading and "label" in params:
        params["label"].update(isPageHeading=True, classes="govuk-label--l")
    return component, deep_merge(params, overrides)


def add_service_errors(form, error, renamed: dict[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` on ``form``: each field's message on that field (``renamed`` maps a
    service's argument to the form's field); anything else, and a message about a field the form does not
    ask, about the whole form (the error summary shows both)."""
    renamed = renamed or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = renamed.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
