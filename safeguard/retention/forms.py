"""Forms for retention: they check the shape of what was typed; the rules (a legal hold refuses an approval,
a record not yet due cannot be approved, who may do what) are ``retention.services``', whose
``ValidationError`` comes back onto the form, so the page shows it in the GOV.UK error summary."""

from django import forms

from safeguard.retention.models import HoldReason, ReviewDecision
from safeguard.ui.forms import GovukDateField, text_area


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to keep the record or approve it for disposal"},
    )
    retain_until = GovukDateField(
        label="Keep the record until",
        error_name="The date to keep the record until",
        not_in_past=True,
        required=False,
        help_text="Only if you keep the record. For example, 27 3 2031",
    )
    reason = text_area(
        "Reason for your decision",
        rows=4,
        required="Enter the reason for your decision",
        help_text="For example, the record is part of a sibling group's adoption file and is kept with theirs",
    )


class HoldForm(forms.Form):
    reason_kind = forms.ChoiceField(
        label="Why is the record held?",
        choices=HoldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the record is held"},
    )
    reason = text_area(
        "What is the hold for?",
        rows=3,
        required="Enter what the hold is for, e.g. the claim or inquiry",
        help_text="Name the claim, inquiry or request and its reference",
    )


class LiftForm(forms.Form):
    reason = text_area("Why is the hold lifted?", rows=3, required="Enter why the hold is lifted")


class ConfirmForm(forms.Form):
    confirm = forms.ChoiceField(
        label="Do you confirm this approval for disposal?",
        choices=[("yes", "Yes, approve the record for disposal"), ("no", "No, do not approve it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you confirm the approval"},
    )
    note = text_area("Note", rows=3, help_text="Required if you do not confirm: say why")


class WithinForm(forms.Form):
    within = forms.IntegerField(
        label="Include records due within this many days",
        min_value=0,
        max_value=366,
        required=False,
        error_messages={
            "invalid": "Enter a whole number of days, like 30",
            "min_value": "The number of days must be 0 or more",
            "max_value": "The number of days must be 366 or fewer",
        },
    )


class FindForm(forms.Form):
    la_child_id = forms.CharField(
        label="Local child ID",
        max_length=20,
        error_messages={"required": "Enter the local child ID of the record"},
    )
