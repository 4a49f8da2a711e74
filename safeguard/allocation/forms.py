"""Forms for allocating and ending allocations.

They check the shape of what was typed (a worker from the list, a real date); the rules (who may allocate,
start dates, the caseload limit and its reason) live in ``allocation.services``, whose ``ValidationError`` is
put back on the form (``ui.forms.add_service_errors``), so the page shows it with what the user typed kept.
"""

from django import forms

from safeguard.ui.forms import GovukDateField

WORKER_RADIOS_UP_TO = 12  # more workers than this are offered in a select


def _date(label: str, error_name: str) -> GovukDateField:
    return GovukDateField(
        label=label, error_name=error_name, not_in_future=True, help_text="For example, 27 3 2026"
    )


class AllocateForm(forms.Form):
    """Who the child (and any siblings ticked) is allocated to, from when, and why if it is over the limit.

    ``siblings`` are (child id, text) choices for the child's siblings with open cases the manager allocates
    (the page chooses among them first, so that the caseloads it shows include them); ``workers`` (worker id,
    text) the workers they may allocate to.
    """

    # Chosen above the form (a GET form that also recalculates the caseloads), carried here hidden.
    siblings = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    worker = forms.ChoiceField(
        label="Who will be the allocated social worker?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the social worker",
            "invalid_choice": "Choose a worker from the list",
        },
    )
    start_date = _date("When does the allocation start?", "The start date")
    over_limit_reason = forms.CharField(
        label="Why allocate over the worker's caseload limit?",
        required=False,
        help_text="Only if the allocation takes the worker over their limit. The decision is recorded with your "
        "reason and reported to managers.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    change_reason = forms.ChoiceField(
        label="Why is the social worker changing?",
        widget=forms.RadioSelect,
        help_text="Returned to the Department for Education with the child's social worker episodes (SSDA903)",
        error_messages={"required": "Choose why the social worker is changing"},
    )

    def __init__(
        self,
        *args,
        siblings: list[tuple[int, str]],
        workers: list[tuple[int, str]],
        change_reasons: list[tuple[str, str]] | None = None,
        **kwargs,
    ):
        """``change_reasons``: the reasons to choose from when the child has had a social worker in this case;
        None for a case's first social worker, who is a first contact and is not asked."""
        super().__init__(*args, **kwargs)
        if change_reasons is None:
            del self.fields["change_reason"]
        else:
            self.fields["change_reason"].choices = change_reasons
        self.fields["siblings"].choices = [(str(pk), text) for pk, text in siblings]
        worker = self.fields["worker"]
        worker.choices = [(str(pk), text) for pk, text in workers]
        if len(workers) > WORKER_RADIOS_UP_TO:
            # A head of service chooses among a whole area's workers: a list that long is a select (GOV.UK:
            # radios for a few options), each option with its figures, the table above it with the details.
            worker.widget = forms.Select()
            worker.choices = [("", "Choose a worker"), *worker.choices]


class EndAllocationsForm(forms.Form):
    end_date = _date("What was their last day holding these cases?", "The end date")
    reason = forms.CharField(
        label="Why are the allocations ending?",
        help_text="For example, they have left the council, or moved to another team",
        error_messages={"required": "Say why the allocations end"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why did the social worker change?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the social worker changed"},
    )

    def __init__(self, *args, reasons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons
