"""Forms for the register and for emergency access. They check the shape of what was typed; the rules (who
may, the password, a sealed record) are the services', whose ``ValidationError`` is put back on the form."""

from django import forms

from safeguard.organisation.models import Worker
from safeguard.people.models import Child
from safeguard.restrictions.models import ConnectionKind, EmergencyReason, RestrictionKind, ReviewOutcome
from safeguard.ui.forms import GovukDateField, text_area


class ChildByLocalIdField(forms.CharField):
    """A child named by their local child ID: the governance officer sets a restriction without searching the
    records (a search would be an access of its own)."""

    def clean(self, value):
        value = super().clean(value).strip()
        child = Child.objects.filter(la_child_id__iexact=value).first()
        if child is None:
            raise forms.ValidationError("No child has that local child ID")
        return child


def _worker_field(label: str, error: str) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label,
        queryset=Worker.objects.filter(user__is_active=True).select_related("user", "team"),
        empty_label="Choose",
        error_messages={"required": error, "invalid_choice": error},
    )
    field.label_from_instance = lambda worker: (
        f"{worker.name}, {worker.get_role_display().lower()}"
        + (f", {worker.team.name}" if worker.team_id else "")
    )
    return field


class RestrictionForm(forms.Form):
    child = ChildByLocalIdField(
        label="Local child ID",
        max_length=20,
        error_messages={"required": "Enter the child's local child ID"},
        help_text="As on the child's record, for example C000123",
    )
    kind = forms.ChoiceField(
        label="Why is the record restricted?",
        choices=RestrictionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the record is restricted"},
    )
    reason = text_area(
        "What the restriction protects, and who decided it", required="Enter why the record is restricted"
    )


class AccessListForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _worker_field("Who may open the record?", "Choose who may open the record")
        self.fields["reason"] = forms.CharField(
            label="Why they need to see it",
            max_length=300,
            error_messages={"required": "Enter why they need to see the record"},
        )
        self.fields["end_date"] = GovukDateField(
            label="Last day of access (optional)",
            error_name="The last day of access",
            required=False,
            not_in_future=False,
            help_text="Leave empty for no end. For example, 27 3 2027",
        )


class LiftForm(forms.Form):
    reason = text_area("Why is the restriction lifted?", required="Enter why the restriction is lifted")


class StaffConnectionForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _worker_field("Member of staff", "Choose the member of staff")
        self.fields["child"] = ChildByLocalIdField(
            label="Child's local child ID",
            max_length=20,
            error_messages={"required": "Enter the child's local child ID"},
        )
        self.fields["kind"] = forms.ChoiceField(
            label="How are they connected?",
            choices=ConnectionKind.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose how they are connected"},
        )
        self.fields["details"] = forms.CharField(label="Details (optional)", max_length=300, required=False)


class EmergencyAccessForm(forms.Form):
    reason_category = forms.ChoiceField(
        label="What is the emergency?",
        choices=EmergencyReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of emergency"},
    )
    reason = text_area(
        "Why you need this record now",
        required="Enter what the emergency is and why you need this record",
        help_text="The Caldicott Guardian and the child's team manager read this at once.",
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password"},
        help_text="The password you signed in with, to confirm it is you.",
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the emergency access was justified"},
    )
    notes = text_area(
        "What you checked and what you found", required="Enter what you checked and what you found"
    )
