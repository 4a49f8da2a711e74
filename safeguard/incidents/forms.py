"""Forms for a serious incident and what follows it. They check the shape of what was typed; the rules (the
order of the dates, who may) are the services', whose ``ValidationError`` is put back on the form."""

from django import forms

from safeguard.incidents.models import AbuseOrNeglect, Harm, Recipient, ReviewDecision
from safeguard.incidents.policies import RECORDING_ROLES
from safeguard.organisation.models import Role, Worker
from safeguard.ui.forms import GovukDateField, text_area

YES_NO = [("yes", "Yes"), ("no", "No")]


def _radios(label: str, choices, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": required}
    )


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


class IncidentForm(forms.Form):
    harm = _radios(
        "What happened to the child?", Harm.choices, "Choose whether the child died or was seriously harmed"
    )
    abuse_or_neglect = _radios(
        "Is abuse or neglect known or suspected?",
        AbuseOrNeglect.choices,
        "Choose whether abuse or neglect is known or suspected",
    )
    occurred_on = GovukDateField(
        label="When did it happen? (if known)",
        error_name="The date of the incident",
        required=False,
        not_in_future=True,
        help_text="For example, 23 12 2026",
    )
    became_aware_on = GovukDateField(
        label="When did the council become aware of it?",
        error_name="The date the council became aware",
        not_in_future=True,
        help_text="Every statutory clock runs from this day",
    )
    looked_after = _radios(
        "Was the child looked after when it happened?", YES_NO, "Choose whether the child was looked after"
    )
    summary = text_area("What happened?", required="Enter what happened")
    lead = WorkerChoice(
        label="Lead officer",
        queryset=Worker.objects.filter(role__in=RECORDING_ROLES, user__is_active=True).select_related("user"),
        empty_label="Choose",
        error_messages={"required": "Choose the lead officer", "invalid_choice": "Choose the lead officer"},
    )


class NotificationForm(forms.Form):
    recipient = _radios("Who was notified?", Recipient.choices, "Choose who was notified")
    notified_on = GovukDateField(
        label="Date of the notification", error_name="The date of the notification", not_in_future=True
    )
    reference = forms.CharField(
        label="Their reference",
        required=False,
        max_length=40,
        help_text="The Panel's reference is needed for a notification to the Panel",
    )
    in_placement = forms.BooleanField(
        label="A serious incident in the child's placement (for Ofsted)", required=False
    )
    notes = text_area("Notes (optional)", rows=3)


class RapidReviewForm(forms.Form):
    completed_on = GovukDateField(
        label="Date the rapid review was completed",
        error_name="The date the rapid review was completed",
        not_in_future=True,
    )
    sent_to_panel_on = GovukDateField(
        label="Date it was sent to the Panel",
        error_name="The date it was sent to the Panel",
        not_in_future=True,
    )
    decision = _radios(
        "What did the safeguarding partners decide?",
        ReviewDecision.choices,
        "Choose what the rapid review decided",
    )
    summary = text_area("Findings", required="Enter the rapid review's findings")


class PracticeReviewForm(forms.Form):
    reviewer = forms.CharField(label="Reviewer", required=False, max_length=200)
    report_sent_on = GovukDateField(
        label="Date the final report was sent to the Panel and the Secretary of State",
        error_name="The date the report was sent",
        required=False,
        not_in_future=True,
        help_text="At least 7 working days before publication",
    )
    published_on = GovukDateField(
        label="Date of publication", error_name="The date of publication", required=False, not_in_future=True
    )


class AccessForm(forms.Form):
    worker = WorkerChoice(
        label="Who needs to see this incident?",
        queryset=Worker.objects.exclude(role=Role.ADMINISTRATOR)
        .filter(user__is_active=True)
        .select_related("user"),
        empty_label="Choose",
        error_messages={
            "required": "Choose who needs to see the incident",
            "invalid_choice": "Choose who needs to see the incident",
        },
    )
    reason = forms.CharField(
        label="Why do they need to see it?",
        max_length=300,
        error_messages={"required": "Enter why they need to see it"},
    )


class InErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this incident recorded in error?",
        help_text="For example, it was recorded on the wrong child, or the harm was found not to be serious. "
        "The incident is kept, marked, with this reason.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the incident was recorded in error"},
    )
