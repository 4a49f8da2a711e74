from django import forms

from safeguard.people.identifiers import NHS_NUMBER_ERROR, is_valid_nhs_number
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
