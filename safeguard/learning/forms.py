"""Forms for learning actions. They check the shape of what was typed; the rules (who may, dates, a second
save) are the services', whose ``ValidationError`` is put back on the form."""

from django import forms

from safeguard.casework.forms import VersionedForm
from safeguard.learning.models import Source
from safeguard.organisation.models import Worker
from safeguard.ui.forms import GovukDateField, text_area


def _owner_field() -> forms.ModelChoiceField:
    error = "Choose who will do it"
    field = forms.ModelChoiceField(
        label="Who will do it?",
        queryset=Worker.objects.filter(user__is_active=True).select_related("user", "team"),
        empty_label="Choose",
        error_messages={"required": error, "invalid_choice": error},
    )
    field.label_from_instance = lambda worker: (
        f"{worker.name}, {worker.get_role_display().lower()}"
        + (f", {worker.team.name}" if worker.team_id else "")
    )
    return field


class AgreeForm(forms.Form):
    source = forms.ChoiceField(
        label="Which review is it from?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the review the action comes from"},
    )
    description = text_area("What must change?", required="Describe what must change")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field()
        self.fields["due_on"] = GovukDateField(
            label="Due date", error_name="The due date", not_in_past=True, help_text="For example, 27 3 2027"
        )


class ProgressForm(forms.Form):
    note = text_area("What has been done so far?", required="Describe the progress made")


class _Versioned(VersionedForm):
    """Several forms share the action's page, each with a prefix: after a conflict, the version now stored
    goes into this form's own field."""

    def take_version(self, version: int) -> None:
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


class DueDateForm(_Versioned):
    due_on = GovukDateField(
        label="New due date",
        error_name="The new due date",
        not_in_past=True,
        help_text="For example, 27 3 2027",
    )
    reason = text_area("Why does the due date change?", required="Enter why the due date changes")


class CompleteForm(_Versioned):
    evidence = text_area(
        "Evidence that it was done",
        required="Describe what was done, and where it is recorded",
        help_text="What was done, and where the evidence is (a document, a meeting's minutes, a training record)",
    )


class NotNeededForm(_Versioned):
    reason = text_area("Why is it no longer needed?", required="Enter why the action is no longer needed")
