from django import forms

from safeguard.people.identifiers import NHS_NUMBER_ERROR, is_valid_nhs_number
from safeguard.people.models import EducationSetting, EducationSource
from safeguard.people.selectors import ChildSearch
from safeguard.ui.forms import GovukDateField


class NhsNumberField(forms.CharField):
    """An optional NHS number, typed with or without spaces; cleaned to 10 digits with a valid check digit."""

    def __init__(self, *, label: str = "NHS number", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(label=label, **kwargs)

    def clean(self, value) -> str:
        number = super().clean(value).replace(" ", "")
        if number and not is_valid_nhs_number(number):
            raise forms.ValidationError(NHS_NUMBER_ERROR)
        return number


class ChildSearchForm(forms.Form):
    """Find a child by any of name, date of birth, NHS number or local child ID (at least one)."""

    name = forms.CharField(
        required=False,
        max_length=100,
        help_text="First name, last name, or the start of either",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(required=False, not_in_future=True, help_text="For example, 27 3 2015")
    nhs_number = NhsNumberField()
    la_child_id = forms.CharField(
        label="Local child ID",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError("Enter a name, date of birth, NHS number or local child ID")
        return cleaned

    def search(self) -> ChildSearch:
        data = self.cleaned_data
        return ChildSearch(
            name=data.get("name") or "",
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number") or "",
            la_child_id=data.get("la_child_id") or "",
        )


def school_name_field() -> forms.CharField:
    """The school, asked wherever a child's education is recorded (here and at the front door's check)."""
    return forms.CharField(label="School (for a child on a school roll)", max_length=200, required=False)


def school_urn_field() -> forms.CharField:
    return forms.CharField(
        label="School URN (if known)",
        max_length=6,
        required=False,
        help_text="6 digits, from Get Information about Schools",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )


class EducationStatusForm(forms.Form):
    """A change in where a child is educated (issue 9). The rules (a school for a child on roll, a note for
    "other", no future date) are the service's; this checks only the shape of what was typed."""

    setting = forms.ChoiceField(
        label="Where is the child educated now?", choices=EducationSetting.choices, widget=forms.RadioSelect
    )
    changed_on = GovukDateField(
        label="Since when",
        error_name="The date it changed",
        not_in_future=True,
        help_text="The day the child's education changed to this. For example, 3 9 2026",
    )
    school_name = school_name_field()
    school_urn = school_urn_field()
    source = forms.ChoiceField(
        label="Who told you", choices=EducationSource.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        help_text='Needed for "Not in school: other" and for a correction',
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    corrects = forms.ChoiceField(
        label="Is this a correction?",
        required=False,
        help_text="A correction replaces a status recorded wrongly; the wrong one stays in the history, marked",
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        corrected = {status.corrects_id for status in statuses}
        self.statuses = {str(status.pk): status for status in statuses if status.pk not in corrected}
        self.fields["corrects"].choices = [("", "No: the child's education changed")] + [
            (pk, f"Yes, it corrects: {status.describe}, from {status.changed_on:%-d %B %Y}")
            for pk, status in self.statuses.items()
        ]

    def clean_corrects(self):
        return self.statuses.get(self.cleaned_data["corrects"])
