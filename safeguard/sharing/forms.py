"""Forms for sharing a record and revoking a share. They check the shape of what was typed; the rules (who may,
how long, which agency's users) are the services', whose ``ValidationError`` is put back on the form."""

from django import forms

from safeguard.organisation.models import Role, Worker
from safeguard.sharing.catalogue import FIELD_CHOICES
from safeguard.sharing.models import (
    MAX_SHARE_DAYS,
    MAX_STAFF_SHARE_DAYS,
    LawfulBasis,
    PartnerAgency,
    PartnerUser,
)
from safeguard.ui.forms import GovukDateField, text_area


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Which agency?",
        queryset=PartnerAgency.objects.all(),
        empty_label="Choose",
        error_messages={"required": "Choose the agency", "invalid_choice": "Choose the agency"},
    )
    partner_user = forms.ModelChoiceField(
        label="Only this person at the agency (optional)",
        queryset=PartnerUser.objects.select_related("worker__user", "agency"),
        required=False,
        empty_label="Everyone at the agency with a sign-in",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )
    fields = forms.MultipleChoiceField(
        label="What will you share?",
        choices=FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one thing to share",
            "invalid_choice": "Choose only from the list",
        },
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lawful basis for sharing"},
    )
    purpose = text_area(
        "Why does the agency need this information?", required="Enter why the agency needs this information"
    )
    last_day = GovukDateField(
        label="Last day of the share",
        error_name="The last day of the share",
        not_in_past=True,
        help_text=f"At most {MAX_SHARE_DAYS} days from today. The share ends at midnight at the end of this "
        "day. For example, 27 3 2027",
    )


class RevokeForm(forms.Form):
    reason = text_area("Why is the share revoked?", rows=3, required="Enter why the share is revoked")


class StaffShareForm(forms.Form):
    worker = forms.ModelChoiceField(
        label="Who needs access?",
        queryset=Worker.objects.filter(user__is_active=True)
        .exclude(role__in=[Role.PARTNER_AGENCY, Role.ADMINISTRATOR])
        .select_related("user", "team"),
        empty_label="Choose",
        error_messages={"required": "Choose who needs access", "invalid_choice": "Choose who needs access"},
    )
    reason = text_area("Why do they need access?", rows=3, required="Enter why they need access")
    last_day = GovukDateField(
        label="Last day of access",
        error_name="The last day of access",
        not_in_past=True,
        help_text=f"At most {MAX_STAFF_SHARE_DAYS} days from today. Access ends at midnight at the end of this "
        "day. For example, 27 3 2027",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].label_from_instance = lambda worker: (
            f"{worker.name}, {worker.get_role_display().lower()}"
            + (f", {worker.team.name}" if worker.team_id else "")
        )
