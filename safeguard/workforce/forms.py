"""Forms for the establishment: they check the shape of what was typed (a date, a choice, a number); the rules
(overlaps, dates in the post's life, who may change what) are ``workforce.services``', whose ``ValidationError``
is put back on the form, so the page shows it in the GOV.UK error summary with what the user typed kept."""

from django import forms

from safeguard.organisation.models import Grade, LeavingReason
from safeguard.ui.forms import GovukDateField, text_area


def _date(label: str, error_name: str, *, not_in_future: bool = True) -> GovukDateField:
    return GovukDateField(
        label=label, error_name=error_name, not_in_future=not_in_future, help_text="For example, 27 3 2026"
    )


class PostForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=100, error_messages={"required": "Enter the post's title"}
    )
    grade = forms.ChoiceField(
        label="Grade",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the post's grade"},
        help_text="Social worker grades, team managers and reviewing officers need a qualified social worker.",
    )
    fte = forms.CharField(
        label="FTE (full-time equivalent)",
        max_length=5,
        initial="1",
        help_text="1 for full time; 0.6 for three days a week",
        error_messages={"required": "Enter the post's FTE"},
    )
    established_on = _date("Established from", "The date the post is established from", not_in_future=False)


class FillForm(forms.Form):
    def __init__(self, *args, workers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            label="Who started in the post?",
            queryset=workers,
            empty_label="Choose",
            error_messages={"required": "Choose who started in the post"},
            help_text="Staff of the team not in a post today. A new member of staff's account is made by the "
            "system administrator first.",
        )
        field.label_from_instance = lambda worker: (
            f"{worker.name}, {worker.get_employment_display().lower()}"
            + (", qualified social worker" if worker.is_qualified else "")
        )
        self.fields["worker"] = field
        self.fields["start_date"] = _date("Their first day in the post", "Their first day in the post")


class LeaverForm(forms.Form):
    end_date = _date("Their last day in the post", "Their last day in the post")
    reason = forms.ChoiceField(
        label="Why did they leave the post?",
        choices=LeavingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why they left the post"},
    )


class CutForm(forms.Form):
    on = _date("Cut from", "The date the post is cut from", not_in_future=False)
    reason = text_area("Why is the post cut?", rows=3, required="Enter why the post is cut")


class OnDateForm(forms.Form):
    on = _date("Figures on", "The date of the figures")
