"""Forms at the front door. They check only the shape of what was typed; the rules live in the services, whose
``ValidationError`` is put back on the form with :func:`add_service_errors` so the page shows it the GOV.UK way.
"""

import datetime
import re

from django import forms
from django.utils import timezone

from safeguard.core.reference import codes, codes_valid_on
from safeguard.frontdoor.education import NOT_KNOWN
from safeguard.frontdoor.models import Agency, Consent, LevelOfNeed, Outcome, Rag
from safeguard.organisation.models import Area
from safeguard.people.forms import NhsNumberField, school_name_field, school_urn_field
from safeguard.people.models import EducationSetting, Sex
from safeguard.ui.forms import GovukDateField

YES_NO = [("yes", "Yes"), ("no", "No")]


def parse_time(text: str) -> datetime.time | None:
    """ "14:30", "1430", "2:30pm", "2pm", "9.15" as a time of day; None if it is not one."""
    text = text.strip().lower().replace(" ", "").replace(".", ":")
    if text in ("midday", "noon"):
        return datetime.time(12, 0)
    if text == "midnight":
        return datetime.time(0, 0)
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?(am|pm)?", text)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class NewChildForm(forms.Form):
    """A child new to the service. ``confirm_new`` is asked only once likely duplicates have been shown."""

    first_name = forms.CharField(
        max_length=100, required=False, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    last_name = forms.CharField(
        max_length=100, required=False, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    date_of_birth = GovukDateField(required=False, not_in_future=True, help_text="For example, 27 3 2015")
    expected_date_of_birth = GovukDateField(
        required=False,
        label="Or, for an unborn child, the expected date of birth",
        error_name="Expected date of birth",
        help_text="For example, 14 8 2027",
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect)
    nhs_number = NhsNumberField(label="NHS number (if known)")
    ethnicity = forms.ChoiceField(label="Ethnicity (optional)", required=False)
    confirm_new = forms.BooleanField(required=False, label="None of these is the child: create a new record")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = [("", "Not known yet"), *codes("ethnicity").items()]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            if not (cleaned.get("first_name", "").strip() or cleaned.get("last_name", "").strip()):
                self.add_error("first_name", "Enter the child's first name or last name")
            if not cleaned.get("date_of_birth") and not cleaned.get("expected_date_of_birth"):
                self.add_error(
                    "date_of_birth",
                    "Enter the child's date of birth, or the expected date for an unborn child",
                )
        return cleaned


class NewContactForm(forms.Form):
    received_on = GovukDateField(label="Date received", not_in_future=True)
    received_time = forms.CharField(
        label="Time received",
        max_length=8,
        help_text="For example, 14:30 or 2:30pm",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-5"}),
    )
    source = forms.ChoiceField(label="Who made the contact")
    referrer_name = forms.CharField(label="Referrer's name", max_length=200, required=False)
    referrer_organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    referrer_contact_details = forms.CharField(
        label="How to contact the referrer",
        max_length=200,
        required=False,
        help_text="Phone number or email address",
    )
    external_reference = forms.CharField(
        label="Their reference (optional)",
        max_length=60,
        required=False,
        help_text="For example, a police occurrence number",
    )
    reported = forms.CharField(label="What was reported", widget=forms.Textarea(attrs={"rows": 4}))
    worry = forms.CharField(label="What is the worry for the child", widget=forms.Textarea(attrs={"rows": 3}))
    immediate_risk = forms.ChoiceField(
        label="Is the child at immediate risk of harm?", choices=YES_NO, widget=forms.RadioSelect
    )
    rag = forms.ChoiceField(
        label="Priority (optional)", choices=Rag.choices, required=False, widget=forms.RadioSelect
    )
    consent = forms.ChoiceField(
        label="Did the family consent to the contact?", choices=Consent.choices, widget=forms.RadioSelect
    )
    area = forms.ModelChoiceField(
        label="Area the child lives in", queryset=Area.objects.order_by("name"), empty_label="Choose an area"
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["source"].choices = [
            ("", "Choose a source"),
            *codes_valid_on("referral_source", today).items(),
        ]

    def clean_received_time(self) -> datetime.time:
        parsed = parse_time(self.cleaned_data["received_time"])
        if parsed is None:
            raise forms.ValidationError("Enter the time received, like 14:30 or 2:30pm")
        return parsed

    def received_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["received_on"], data["received_time"]))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "received_at": self.received_at(),
            "source": data["source"],
            "referrer_name": data["referrer_name"],
            "referrer_organisation": data["referrer_organisation"],
            "referrer_contact_details": data["referrer_contact_details"],
            "external_reference": data["external_reference"],
            "reported": data["reported"],
            "worry": data["worry"],
            "immediate_risk": data["immediate_risk"] == "yes",
            "rag": data["rag"],
            "consent": data["consent"],
            "area": data["area"],
        }


# A service names the moment a contact arrived ``received_at``; the form asks for it as a date and a time.
CONTACT_RENAMED = {"received_at": "received_on"}


class AcknowledgeForm(forms.Form):
    """No questions: the button says the referrer has been told. Carries the service's refusal if any."""


class CheckRequestForm(forms.Form):
    agency = forms.ChoiceField(label="Ask an agency what it knows")

    def __init__(self, *args, asked: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (value, text) for value, text in Agency.choices if value not in asked
        ]


class CheckResponseForm(forms.Form):
    responded_on = GovukDateField(
        label="Date the agency responded", not_in_future=True, help_text="For example, 3 12 2026"
    )
    response = forms.CharField(label="What the agency said", widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    level_of_need = forms.ChoiceField(
        label="Level of need", choices=LevelOfNeed.choices, widget=forms.RadioSelect
    )
    rag = forms.ChoiceField(label="Priority", choices=Rag.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why: what an auditor and the family will read",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    outcome = forms.ChoiceField(label="What happens next", choices=Outcome.choices, widget=forms.RadioSelect)
    primary_need = forms.ChoiceField(
        label="For a referral: the child's primary need as it appears now",
        required=False,
        widget=forms.RadioSelect,
        help_text="The main reason the child may need social care. The manager who authorises the assessment "
        "confirms or changes it. Leave it for any other outcome.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_need"].choices = list(
            codes_valid_on("primary_need", timezone.localdate()).items()
        )


class EducationCheckResponseForm(CheckResponseForm):
    """The education check's answer also says where the child is educated and since when (issue 9); if
    education could not say, no status is recorded."""

    setting = forms.ChoiceField(
        label="Where is the child educated, as education told you?",
        choices=[*EducationSetting.choices, (NOT_KNOWN, "Education could not say")],
        widget=forms.RadioSelect,
    )
    changed_on = GovukDateField(
        label="Since when",
        error_name="The date it changed",
        required=False,
        not_in_future=True,
        help_text="The day the child joined the school roll, or left it. For example, 3 9 2026",
    )
    school_name = school_name_field()
    school_urn = school_urn_field()
    notes = forms.CharField(
        label="Notes about the child's education",
        required=False,
        help_text='Needed for "Not in school: other"',
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        dated = cleaned.get("changed_on") or "changed_on" in self.errors
        if cleaned.get("setting") in EducationSetting.values and not dated:
            self.add_error("changed_on", "Enter the date the child's education changed to this")
        return cleaned


class WithdrawalConsideredForm(forms.Form):
    note = forms.CharField(
        label="What was considered, and what will happen",
        help_text="For example: spoke to the parents and the EHE team; visit arranged; plan reviewed",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
