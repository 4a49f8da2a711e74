"""Forms for the improvement plan. They check the shape of what was typed; the rules (who may own an action,
which transitions are allowed, evidence to mark done) are ``leadership.services``', whose ``ValidationError``
is put back on the form so the page shows it in the GOV.UK error summary with what the user typed kept."""

from django import forms

from safeguard.leadership.measures import definitions
from safeguard.leadership.models import ActionStatus
from safeguard.leadership.services import TRANSITIONS
from safeguard.organisation.services import (
    DEPRIVATION,
    FIGURE_KINDS,
    FIGURE_MAX_BYTES,
    FIGURE_MAX_ROWS,
    POPULATION,
    SOURCE_NOTE_MAX,
    figure_row_check,
)
from safeguard.ui.forms import GovukDateField, text_area

WHOLE_COUNCIL = ""


def _measure_choices() -> list[tuple[str, str]]:
    return [("", "No measure"), *((code, d.name) for code, d in definitions().items())]


class ActionForm(forms.Form):
    """An action's details; ``area`` is asked only when the action is set (``with_area``)."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the action"}
    )
    description = text_area("What will be done, and why", required="Describe what will be done")
    due_on = GovukDateField(label="Due by", error_name="The due date", help_text="For example, 31 3 2027")
    measure = forms.ChoiceField(
        label="Measure it should move (optional)",
        required=False,
        help_text="Its value for the action's area over the last 12 months is kept as the baseline",
    )
    target = forms.DecimalField(
        label="Target (%)",
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text="For example, 85 or 22.5",
        error_messages={"invalid": "The target must be a number, like 85 or 22.5"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, areas=None, council_wide: bool = False, **kwargs) -> None:
        """``areas``: those the user may set an action for (no area field when None, as when editing);
        ``council_wide``: whether they may also set one for the whole council (the director)."""
        super().__init__(*args, **kwargs)
        owner = forms.ModelChoiceField(
            label="Owner",
            queryset=owners,
            empty_label="Choose",
            error_messages={
                "required": "Choose who owns the action",
                "invalid_choice": "Choose an owner from the list",
            },
        )
        owner.label_from_instance = lambda worker: (
            f"{worker.name}, {worker.get_role_display().lower()}"
            + (f", {worker.team.name}" if worker.team_id else "")
        )
        self.fields["owner"] = owner
        self.fields["measure"].choices = _measure_choices()
        if areas is not None:
            # A head of service is offered their own area only (chosen already), not a choice they would be
            # refused.
            self.fields["area"] = forms.ModelChoiceField(
                label="Area",
                queryset=areas,
                required=not council_wide,
                empty_label="The whole council" if council_wide else None,
                error_messages={
                    "required": "Choose the area",
                    "invalid_choice": "Choose an area from the list",
                },
            )
        self.order_fields(["title", "description", "area", "owner", "due_on", "measure", "target"])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "title": data["title"],
            "description": data["description"],
            "owner": data["owner"],
            "due_on": data["due_on"],
            "measure": data.get("measure") or "",
            "target": data.get("target"),
        }
        if "area" in self.fields:
            arguments["area"] = data.get("area")
        return arguments


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's new status"},
    )
    note = text_area(
        "Evidence or reason",
        help_text="To mark it done: the evidence of what was done and where it is recorded. To drop it: why.",
    )
    on = GovukDateField(
        label="On",
        error_name="The date",
        required=False,
        not_in_future=True,
        help_text="Leave empty for today",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[ActionStatus(current)]
        self.fields["status"].choices = [(s.value, s.label) for s in ActionStatus if s in allowed]


# -- the city in numbers: areas' populations and deprivation (issue 9) ------------------------------------------


class FiguresImportForm(forms.Form):
    """A CSV file of one kind of figures. Its rows are checked by ``organisation.services``."""

    kind = forms.ChoiceField(
        label="What the file holds",
        choices=list(FIGURE_KINDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV file (UTF-8) of at most {FIGURE_MAX_ROWS:,} rows",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > FIGURE_MAX_BYTES:
            raise forms.ValidationError("The selected file is too big: split it into smaller files")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The selected file must be saved as UTF-8 text") from None


class FiguresEntryForm(forms.Form):
    """One area's figures for one year, typed in: its population, its deprivation, or both."""

    area = forms.ChoiceField(label="Area", error_messages={"required": "Choose the area"})
    year = forms.IntegerField(
        label="Year",
        help_text="The year of the estimate, for example 2024 (the rates for the year ending 31 March 2025 use 2024's)",
        error_messages={"required": "Enter the year", "invalid": "The year must be a number, like 2024"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    children_0_17 = forms.CharField(
        label="Children aged 0 to 17 (optional)",
        required=False,
        help_text="The area's population aged 0 to 17, a whole number",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    children_in_relative_poverty_percent = forms.CharField(
        label="Children in relative poverty, % (optional)", required=False, help_text="For example, 31.5"
    )
    fsm_eligible_percent = forms.CharField(
        label="Pupils eligible for free school meals, % (optional)",
        required=False,
        help_text="For example, 24.6",
    )
    source_note = forms.CharField(
        label="Source",
        max_length=SOURCE_NOTE_MAX,
        help_text="Where the figures come from: the release and its date, or how the council estimated them",
        error_messages={"required": "Say where the figures come from"},
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {area.code: area for area in areas}
        self.fields["area"].choices = [("", "Choose an area"), *((a.code, a.name) for a in areas)]
        self.rows = []

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        raw = {key: str(value) if value is not None else "" for key, value in data.items()}
        raw["area_code"] = raw.pop("area")
        wanted = []
        if raw["children_0_17"].strip():
            wanted.append(POPULATION)
        if raw["children_in_relative_poverty_percent"].strip() or raw["fsm_eligible_percent"].strip():
            wanted.append(DEPRIVATION)
        if not wanted:
            raise forms.ValidationError("Give the population, a deprivation figure, or both")
        areas = {code.upper(): (area.pk, area.name) for code, area in self.codes.items()}
        shown = set()
        for kind in wanted:
            row, problems = figure_row_check(kind, raw, areas=areas)
            for problem in problems:
                field = "area" if problem.column == "area_code" else problem.column
                if (field, problem.message) not in shown:  # both kinds check the area, year and source
                    shown.add((field, problem.message))
                    self.add_error(field if field in self.fields else None, problem.message)
            if row is not None:
                self.rows.append(row)
        return data
