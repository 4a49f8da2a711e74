"""Forms for subject access requests: they check the shape of what was typed; the rules (dates against each
other, who may act, the one-month notice for an extension, that redacted text is really there) are the
services', whose ``ValidationError`` is put back on the form with what the user typed kept."""

from django import forms

from safeguard.organisation.models import Role, Worker
from safeguard.sar.models import RedactionReason, RequesterKind
from safeguard.ui.forms import GovukDateField, text_area


def _date(label: str, error_name: str, *, required: bool = True) -> GovukDateField:
    return GovukDateField(
        label=label,
        error_name=error_name,
        not_in_future=True,
        required=required,
        help_text="For example, 27 3 2026",
    )


def _officers():
    return Worker.objects.filter(role=Role.INFORMATION_GOVERNANCE, user__is_active=True).select_related(
        "user"
    )


class ReceiveForm(forms.Form):
    la_child_id = forms.CharField(
        label="The person's local child ID",
        max_length=20,
        help_text="As on the request or found by the records team; the request is matched to one record only",
        error_messages={"required": "Enter the person's local child ID"},
    )
    date_of_birth = _date("Their date of birth", "Their date of birth")
    requester_kind = forms.ChoiceField(
        label="Who made the request?",
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who made the request"},
    )
    requester_name = forms.CharField(
        label="Name of the person who asked, if not the person themself", max_length=200, required=False
    )
    requester_authority = text_area(
        "Their authority to act for the person",
        rows=3,
        help_text="Parental responsibility, written consent, a court order",
    )
    received_on = _date("Date the request was received", "The date the request was received")
    identity_requested = forms.BooleanField(
        label="We had to ask for proof of identity or authority after the request arrived",
        required=False,
        help_text="The month then runs from the day the proof arrived",
    )
    identity_checked_on = _date("Date identity was checked", "The date identity was checked", required=False)
    assigned_to = forms.ModelChoiceField(
        label="Assign to",
        queryset=Worker.objects.none(),
        required=False,
        empty_label="Not yet assigned",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _officers()


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label="Assign to",
        queryset=Worker.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose an information governance officer"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _officers()


class IdentityForm(forms.Form):
    checked_on = _date("Date identity was checked", "The date identity was checked")


class ExtendForm(forms.Form):
    reason = text_area(
        "Why the request needs longer",
        required="Enter why the request needs longer (how it is complex, or how many requests)",
    )
    told_on = _date("Date the requester was told", "The date the requester was told")


class MoveForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = text_area("Reason", required="Enter the reason")


class RedactionForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    field = forms.ChoiceField(label="What to withhold", required=False)
    text = forms.CharField(
        label="Exact text to withhold (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Copy it exactly from the field; leave empty to withhold the whole field or record",
    )
    everywhere = forms.BooleanField(
        label="Withhold this text wherever it appears in the package",
        required=False,
        help_text="For a name or address that is also in other records and in the change log",
    )
    reason = forms.ChoiceField(
        label="Exemption",
        choices=[("", "Choose"), *RedactionReason.choices],
        error_messages={"required": "Choose the exemption you are relying on"},
    )
    explanation = text_area("Why it applies here", rows=3, required="Explain why the exemption applies here")

    def __init__(self, *args, item=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "The whole record")]
        if item is not None:
            choices += [(f.name, f"Field: {f.label}") for f in item.fields]
        self.fields["field"].choices = choices


class WithdrawForm(forms.Form):
    reason = text_area(
        "Why the redaction is withdrawn", rows=2, required="Enter why the redaction is withdrawn"
    )


class DiscloseForm(forms.Form):
    sent_to = forms.CharField(
        label="Sent to", max_length=300, error_messages={"required": "Enter who the package is being sent to"}
    )
    method = forms.CharField(
        label="How it is sent",
        max_length=200,
        help_text="Secure email, recorded post, collected in person",
        error_messages={"required": "Enter how it is being sent"},
    )
