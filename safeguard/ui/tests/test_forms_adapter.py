"""The Django-form to GOV.UK adapter: ui/forms.html's macros and safeguard/ui/forms.py. No database needed."""

import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django import forms
from django.template import engines

from safeguard.ui.forms import (
    GovukDateField,
    component_for,
    deep_merge,
    error_summary_items,
    govuk_field_params,
)

# ----------------------------------------------------------------------------------------------------------
# Helpers


class _Elements(HTMLParser):
    """Every start tag's attributes, in order, to ask "is there an input named X with value Y?"."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


PRESENT = object()  # match a boolean attribute (checked, selected, required) by its presence


def elements(html, tag=None, **match):
    parser = _Elements()
    parser.feed(html)
    return [
        attrs
        for name, attrs in parser.elements
        if (tag is None or name == tag)
        and all((k in attrs) if v is PRESENT else attrs.get(k) == v for k, v in match.items())
    ]


def has_class(html, css_class):
    return any(css_class in attrs.get("class", "").split() for attrs in elements(html))


def ids(html):
    return {attrs["id"] for attrs in elements(html) if "id" in attrs}


def render(source, **context):
    return (
        engines["jinja2"]
        .from_string('{% from "ui/forms.html" import error_summary, field, fields %}' + source)
        .render(context)
    )


def render_field(bound_field, **overrides):
    return render("{{ field(bf, **overrides) }}", bf=bound_field, overrides=overrides)


def render_form(form):
    return render("{{ error_summary(form) }}{{ fields(form) }}", form=form)


COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        help_text="As on their birth certificate",
        widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}),
    )
    email = forms.EmailField(required=False)
    age = forms.IntegerField(min_value=0, max_value=25)
    notes = forms.CharField(widget=forms.Textarea)
    colour = forms.ChoiceField(choices=[("", "Choose a colour"), *COLOURS])
    shade = forms.ChoiceField(choices=COLOURS, widget=forms.RadioSelect)
    likes = forms.MultipleChoiceField(choices=COLOURS, widget=forms.CheckboxSelectMultiple)
    dislikes = forms.MultipleChoiceField(choices=COLOURS, required=False)  # SelectMultiple
    consent = forms.BooleanField(label="I have the family's consent")
    date_of_birth = GovukDateField(label="Date of birth")
    seen_on = forms.DateField(required=False)  # a plain DateInput: one box
    secret = forms.CharField(widget=forms.PasswordInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "Nobody":
            raise forms.ValidationError("Those details do not match a child we know about")
        return cleaned


GOOD_DATA = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "age": "12",
    "notes": "Some notes",
    "colour": "green",
    "shade": "blue",
    "likes": ["red", "blue"],
    "consent": "true",
    "date_of_birth_day": "10",
    "date_of_birth_month": "12",
    "date_of_birth_year": "2013",
    "secret": "correct horse battery staple",
}


# ----------------------------------------------------------------------------------------------------------
# Which component for which widget


@pytest.mark.parametrize(
    ("field_name", "css_class"),
    [
        ("name", "govuk-input"),
        ("email", "govuk-input"),
        ("age", "govuk-input"),
        ("notes", "govuk-textarea"),
        ("colour", "govuk-select"),
        ("shade", "govuk-radios"),
        ("likes", "govuk-checkboxes"),
        ("dislikes", "govuk-checkboxes"),
        ("consent", "govuk-checkboxes"),
        ("date_of_birth", "govuk-date-input"),
        ("seen_on", "govuk-input"),
        ("secret", "govuk-password-input"),
    ],
)
def test_each_widget_renders_its_govuk_component(field_name, css_class):
    html = render_field(EveryWidgetForm()[field_name])
    assert has_class(html, css_class)
    assert has_class(html, "govuk-form-group")


def test_input_types_follow_the_widget():
    form = EveryWidgetForm()
    assert elements(render_field(form["email"]), "input", id="id_email")[0]["type"] == "email"
    # GOV.UK asks for numbers with a text box and a numeric keypad, not type="number".
    age = elements(render_field(form["age"]), "input", id="id_age")[0]
    assert age["type"] == "text"
    assert age["inputmode"] == "numeric"
    assert "min" not in age and "max" not in age
    assert elements(render_field(form["secret"]), "input", id="id_secret")[0]["type"] == "password"


def test_hidden_fields_are_rendered_by_django():
    html = render_field(EveryWidgetForm()["token"])
    assert elements(html, "input", type="hidden", name="token", id="id_token")
    assert "govuk-form-group" not in html


def test_select_date_widget_renders_as_three_boxes():
    class F(forms.Form):
        when = forms.DateField(widget=forms.SelectDateWidget)

    html = render_field(F({"when_day": "4", "when_month": "", "when_year": "2024"})["when"])
    assert "govuk-date-input" in html
    assert elements(html, "input", name="when_day", value="4", id="id_when-day")
    assert elements(html, "input", name="when_year", value="2024")


def test_an_unknown_widget_is_refused_clearly():
    class Odd(forms.Widget):
        pass

    with pytest.raises(TypeError, match="No GOV.UK component for Odd"):
        component_for(Odd())


# ----------------------------------------------------------------------------------------------------------
# Labels, hints, attributes, ids and names


def test_label_hint_and_widget_attributes():
    html = render_field(EveryWidgetForm()["name"])
    assert elements(html, "label", **{"for": "id_name", "class": "govuk-label"})
    assert "Full name" in html
    assert elements(html, "div", id="id_name-hint", **{"class": "govuk-hint"})
    name = elements(html, "input", id="id_name")[0]
    assert name["name"] == "name"
    assert name["aria-describedby"] == "id_name-hint"
    assert name["autocomplete"] == "name"
    assert "required" in name


def test_required_is_only_added_when_the_widget_asks_for_it():
    # GOV.UK forms are validated by the server (forms carry `novalidate`): Django's automatic `required`
    # is not copied, only one written into the widget's attrs.
    html = render_field(EveryWidgetForm()["notes"])
    assert "required" not in elements(html, "textarea", id="id_notes")[0]


def test_label_as_page_heading():
    form = EveryWidgetForm()
    html = render_field(form["name"], page_heading=True)
    assert '<h1 class="govuk-label-wrapper">' in html
    assert "govuk-label--l" in html
    html = render_field(form["shade"], page_heading=True)
    assert "govuk-fieldset__heading" in html
    assert "govuk-fieldset__legend--l" in html


def test_overrides_are_merged_into_the_macro_parameters():
    form = EveryWidgetForm()
    html = render_field(form["name"], classes="govuk-input--width-20", label={"classes": "govuk-label--s"})
    assert "govuk-input govuk-input--width-20" in html
    assert "govuk-label govuk-label--s" in html
    assert "Full name" in html  # the label's text survives the merge
    # For fieldset components, `label` means the legend.
    html = render_field(form["shade"], label={"text": "Which shade?"})
    assert "Which shade?" in html and "<legend" in html


def test_a_single_checkbox_can_have_a_question_and_its_own_text():
    html = render_field(
        EveryWidgetForm()["consent"],
        label={"text": "Yes, the family agreed"},
        fieldset={"legend": {"text": "Consent"}},
    )
    assert "<legend" in html and "Consent" in html
    assert "Yes, the family agreed" in html
    assert "I have the family&#39;s consent" not in html


def test_item_hints_and_conditional_reveals():
    html = render_field(
        EveryWidgetForm()["shade"],
        item_hints={"green": "Like grass"},
        conditionals={"blue": '<p class="govuk-body">Which blue?</p>'},
    )
    assert elements(html, "div", id="id_shade-2-item-hint")
    assert "Like grass" in html
    assert elements(html, "div", id="conditional-id_shade-3")
    assert "Which blue?" in html


def test_ids_and_names_follow_prefix_and_auto_id():
    form = EveryWidgetForm(prefix="child", auto_id="field-%s")
    html = render_field(form["name"])
    assert elements(html, "input", id="field-child-name", name="child-name")
    html = render_field(form["date_of_birth"])
    assert elements(html, "input", id="field-child-date_of_birth-day", name="child-date_of_birth_day")


def test_names_posted_back_are_the_ones_the_form_reads():
    """Fill in every input the page shows with the form's good data: the form must accept it."""
    html = render_form(EveryWidgetForm())
    posted = {}
    for attrs in elements(html, "input") + elements(html, "select") + elements(html, "textarea"):
        name = attrs.get("name")
        if name is None or name == "token":
            continue
        if attrs.get("type") in ("checkbox", "radio"):
            wanted = GOOD_DATA.get(name)
            wanted = wanted if isinstance(wanted, list) else [wanted]
            if attrs["value"] in wanted:
                posted.setdefault(name, []).append(attrs["value"])
        else:
            posted[name] = GOOD_DATA.get(name, "")
    assert set(posted) >= set(GOOD_DATA)
    form = EveryWidgetForm(_QueryDict(posted))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["consent"] is True
    assert form.cleaned_data["date_of_birth"] == datetime.date(2013, 12, 10)
    assert form.cleaned_data["likes"] == ["red", "blue"]


class _QueryDict(dict):
    """Enough of a QueryDict: getlist for multiple values, get for the last one."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[-1] if isinstance(value, list) and value else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


# ----------------------------------------------------------------------------------------------------------
# Errors: the summary, the inline messages, and what the user typed


BAD_DATA = {
    "name": "Ada <script>",
    "email": "not an email",
    "age": "twelve",
    "notes": "",
    "colour": "green",
    "shade": "blue",
    "likes": ["red"],
    "dislikes": ["green"],
    "date_of_birth_day": "31",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2015",
    "secret": "hunter2",
}


def bad_form():
    return EveryWidgetForm(_QueryDict(BAD_DATA))


def test_error_summary_links_to_every_field_in_error():
    form = bad_form()
    html = render_form(form)
    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    hrefs = [attrs["href"] for attrs in elements(summary, "a")]
    assert (
        hrefs
        == [
            "#id_email",
            "#id_age",
            "#id_notes",
            "#id_consent",
            "#id_date_of_birth-day",
            "#id_secret",
        ][: len(hrefs)]
    )
    assert "#id_consent" in hrefs and "#id_date_of_birth-day" in hrefs
    # Every link lands on an element of the page.
    assert {href[1:] for href in hrefs} <= ids(html)


def test_every_error_summary_link_lands_on_an_input_for_choice_fields():
    form = EveryWidgetForm(_QueryDict({**BAD_DATA, "shade": "", "likes": []}))
    html = render_form(form)
    hrefs = {item["href"][1:] for item in error_summary_items(form) if "href" in item}
    assert {"id_shade", "id_likes"} <= hrefs
    for anchor in hrefs:
        assert elements(html, id=anchor), anchor
    assert elements(html, "input", id="id_shade", type="radio")  # the first radio carries the group's id


def test_non_field_errors_come_first_without_a_link():
    form = EveryWidgetForm(_QueryDict({**GOOD_DATA, "name": "Nobody"}))
    assert not form.is_valid()
    items = error_summary_items(form)
    assert items == [{"text": "Those details do not match a child we know about"}]
    assert "Those details do not match a child we know about" in render(
        "{{ error_summary(form) }}", form=form
    )


def test_no_summary_without_errors():
    assert render("{{ error_summary(form) }}", form=EveryWidgetForm()).strip() == ""
    assert render("{{ error_summary(form) }}", form=EveryWidgetForm(_QueryDict(GOOD_DATA))).strip() == ""
    assert render("{{ error_summary(nothing) }}").strip() == ""


def test_error_summary_of_several_forms():
    html = render("{{ error_summary(a, b) }}", a=EveryWidgetForm(_QueryDict(GOOD_DATA)), b=bad_form())
    assert 'href="#id_email"' in html


def test_inline_error_messages():
    html = render_field(bad_form()["email"])
    assert "govuk-form-group--error" in html
    assert elements(html, "p", id="id_email-error", **{"class": "govuk-error-message"})
    assert "Enter a valid email address." in html
    email = elements(html, "input", id="id_email")[0]
    assert "govuk-input--error" in email["class"]
    assert email["aria-describedby"] == "id_email-error"


def test_what_the_user_typed_is_kept():
    form = bad_form()
    assert elements(render_field(form["name"]), "input", value="Ada <script>")
    assert "Ada &lt;script&gt;" in render_field(form["name"])  # and escaped
    assert elements(render_field(form["age"]), "input", value="twelve")
    assert elements(render_field(form["email"]), "input", value="not an email")
    assert elements(render_field(form["colour"]), "option", value="green", selected=PRESENT)
    assert elements(render_field(form["shade"]), "input", value="blue", checked=PRESENT)
    assert not elements(render_field(form["shade"]), "input", value="red", checked=PRESENT)
    likes = render_field(form["likes"])
    assert elements(likes, "input", value="red", checked=PRESENT)
    assert not elements(likes, "input", value="blue", checked=PRESENT)
    date = render_field(form["date_of_birth"])
    assert elements(date, "input", name="date_of_birth_day", value="31")
    assert elements(date, "input", name="date_of_birth_month", value="2")
    assert elements(date, "input", name="date_of_birth_year", value="2015")


def test_passwords_are_not_sent_back():
    assert "hunter2" not in render_field(bad_form()["secret"])


def test_initial_values_are_shown_on_an_unbound_form():
    form = EveryWidgetForm(
        initial={
            "name": "Grace",
            "consent": True,
            "date_of_birth": datetime.date(2012, 3, 7),
            "likes": ["blue"],
        }
    )
    assert elements(render_field(form["name"]), "input", value="Grace")
    assert elements(render_field(form["consent"]), "input", value="true", checked=PRESENT)
    date = render_field(form["date_of_birth"])
    assert elements(date, "input", name="date_of_birth_day", value="7")
    assert elements(date, "input", name="date_of_birth_year", value="2012")
    assert elements(render_field(form["likes"]), "input", value="blue", checked=PRESENT)


def test_only_the_date_boxes_in_error_are_outlined():
    form = EveryWidgetForm(
        _QueryDict(
            {**GOOD_DATA, "date_of_birth_day": "3", "date_of_birth_month": "", "date_of_birth_year": ""}
        )
    )
    html = render_field(form["date_of_birth"])
    assert "Date of birth must include a month and year" in html
    day, month, year = (
        elements(html, "input", id=f"id_date_of_birth-{p}")[0] for p in ("day", "month", "year")
    )
    assert "govuk-input--error" not in day["class"]
    assert "govuk-input--error" in month["class"]
    assert "govuk-input--error" in year["class"]
    assert [i["href"] for i in error_summary_items(form)] == ["#id_date_of_birth-month"]


def test_a_date_error_from_the_form_outlines_every_box():
    class F(forms.Form):
        start = GovukDateField()

        def clean_start(self):
            raise forms.ValidationError("Start date must be after the referral")

    form = F({"start_day": "1", "start_month": "1", "start_year": "2020"})
    html = render_field(form["start"])
    assert html.count("govuk-input--error") == 3
    assert error_summary_items(form)[0]["href"] == "#id_start-day"


def test_help_text_marked_safe_is_html_and_plain_help_text_is_escaped():
    from django.utils.safestring import mark_safe

    class F(forms.Form):
        a = forms.CharField(help_text="Use <b>capitals</b>")
        b = forms.CharField(help_text=mark_safe("Use <b>capitals</b>"))

    assert "Use &lt;b&gt;capitals&lt;/b&gt;" in render_field(F()["a"])
    assert "Use <b>capitals</b>" in render_field(F()["b"])


def test_deep_merge():
    assert deep_merge({"a": {"b": 1, "c": 2}, "d": 1}, {"a": {"c": 3}, "d": 2}) == {
        "a": {"b": 1, "c": 3},
        "d": 2,
    }


def test_params_for_a_bound_field_can_be_used_directly():
    component, params = govuk_field_params(EveryWidgetForm()["colour"])
    assert component == "select"
    assert params["items"][0] == {"value": "", "text": "Choose a colour", "selected": True}


# ----------------------------------------------------------------------------------------------------------
# GovukDateField's checks and messages


class DateForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", not_in_future=True)
    visit_date = GovukDateField(
        required=False,
        min_value=datetime.date(2020, 1, 1),
        max_value=datetime.date(2030, 12, 31),
    )
    review = GovukDateField(required=False, error_name="The review date", not_in_past=True)


def date_errors(field="date_of_birth", day="", month="", year="", **other):
    data = {f"{field}_day": day, f"{field}_month": month, f"{field}_year": year, **other}
    if field != "date_of_birth":
        data.update(date_of_birth_day="1", date_of_birth_month="1", date_of_birth_year="2010")
    form = DateForm(data)
    form.is_valid()
    return form.errors.get(field, [])


@time_machine.travel(datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("", "4", "2015", "Date of birth must include a day"),
        ("4", "", "2015", "Date of birth must include a month"),
        ("4", "5", "", "Date of birth must include a year"),
        ("", "", "2015", "Date of birth must include a day and month"),
        ("4", "", "", "Date of birth must include a month and year"),
        ("", "5", "", "Date of birth must include a day and year"),
        ("31", "4", "2015", "Date of birth must be a real date"),
        ("29", "2", "2023", "Date of birth must be a real date"),
        ("32", "1", "2015", "Date of birth must be a real date"),
        ("1", "13", "2015", "Date of birth must be a real date"),
        ("a", "1", "2015", "Date of birth must be a real date"),
        ("1", "1", "15", "Year must include 4 numbers"),
        ("16", "1", "2026", "Date of birth must be today or in the past"),
    ],
)
def test_date_messages(day, month, year, message):
    assert date_errors(day=day, month=month, year=year) == [message]


@time_machine.travel(datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_dates_that_are_accepted():
    form = DateForm(
        {
            "date_of_birth_day": " 05 ",
            "date_of_birth_month": "Jan",
            "date_of_birth_year": "2026",
            "visit_date_day": "29",
            "visit_date_month": "2",
            "visit_date_year": "2024",
            "review_day": "15",
            "review_month": "january",
            "review_year": "2026",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "date_of_birth": datetime.date(2026, 1, 5),
        "visit_date": datetime.date(2024, 2, 29),
        "review": datetime.date(2026, 1, 15),
    }


@time_machine.travel(datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_date_limits_and_names():
    # No label: the field's name as Django shows it.
    assert date_errors("visit_date", "31", "12", "2019") == [
        "Visit date must be the same as or after 1 January 2020"
    ]
    assert date_errors("visit_date", "1", "1", "2031") == [
        "Visit date must be the same as or before 31 December 2030"
    ]
    assert date_errors("visit_date", "1", "", "") == ["Visit date must include a month and year"]
    # error_name wins over the label.
    assert date_errors("review", "14", "1", "2026") == ["The review date must be today or in the future"]


def test_an_optional_date_left_empty_is_none():
    form = DateForm({"date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "2010"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["visit_date"] is None


def test_acronyms_stay_capitalised_in_the_required_message():
    class F(forms.Form):
        start = GovukDateField(label="CIN plan start date")

    form = F({})
    assert form.errors["start"] == ["Enter CIN plan start date"]


def test_a_percent_sign_in_the_label_survives():
    class F(forms.Form):
        when = GovukDateField(label="Date 100% confirmed")

    assert F({})["when"].errors == ["Enter date 100% confirmed"]


def test_date_has_changed():
    field = GovukDateField()
    assert not field.has_changed(datetime.date(2020, 1, 2), ["2", "01", "2020"])
    assert field.has_changed(datetime.date(2020, 1, 2), ["3", "1", "2020"])
    assert field.has_changed(None, ["3", "1", "2020"])
    assert not field.has_changed(None, ["", "", ""])
