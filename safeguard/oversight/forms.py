"""Forms for supervision, management decisions and case audits.

They check the shape of what was typed (a real date, a choice from the list, a decision for each case ticked);
the rules (who may supervise whom, which cases, the completion guard) live in ``oversight.services``, whose
``ValidationError`` is put back on the form (``casework.views.common.run_service``), so the page shows it in
the GOV.UK error summary with what the user typed kept.
"""

from functools import partial

from django import forms

from safeguard.oversight.models import AnswerGrade, DecisionKind, Grade
from safeguard.oversight.questions import Question
from safeguard.oversight.services import ActionDue, CaseDiscussed
from safeguard.people.models import Child
from safeguard.ui.forms import GovukDateField, text_area

ACTIONS_PER_CASE = 2  # action rows offered for each case discussed in supervision


_text = partial(text_area, rows=4)


def _past_date(label: str, error_name: str, *, required: bool = True) -> GovukDateField:
    return GovukDateField(
        label=label,
        error_name=error_name,
        required=required,
        not_in_future=True,
        help_text="For example, 27 3 2026",
    )


def _worker_choice(label: str, required: str, workers) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label, queryset=workers, empty_label="Choose", error_messages={"required": required}
    )
    field.label_from_instance = lambda worker: (
        f"{worker.name}, {worker.get_role_display().lower()}"
        + (f", {worker.team.name}" if worker.team_id else "")
    )
    return field


class ChooseWorkerForm(forms.Form):
    def __init__(self, *args, workers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _worker_choice("Who did you supervise?", "Choose who you supervised", workers)


class SupervisionForm(forms.Form):
    """A supervision: the date, general notes, and for each case ticked the discussion, the decision, its
    reasons and up to ``ACTIONS_PER_CASE`` actions with due dates. The per-case fields are named
    ``case-<child id>-<what>``, so that each child's answers stay with them when the page is shown again."""

    held_on = _past_date("When was the supervision?", "The date of the supervision")
    notes = _text(
        "General notes",
        rows=6,
        help_text="About the worker: workload, wellbeing, learning and development. Only the worker and "
        "their managers see these notes.",
    )

    def __init__(self, *args, children: list[Child], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["cases"] = forms.MultipleChoiceField(
            label="Which cases did you discuss?",
            required=False,
            choices=[(str(child.pk), child.person.full_name) for child in children],
            widget=forms.CheckboxSelectMultiple,
            help_text="The children allocated to this worker. Each decision goes on the child's file.",
        )
        for child in children:
            prefix = f"case-{child.pk}"
            self.fields[f"{prefix}-discussion"] = _text("What was discussed", rows=3)
            self.fields[f"{prefix}-decision"] = _text("Decision", rows=3)
            self.fields[f"{prefix}-rationale"] = _text("Reasons for the decision", rows=3)
            for number in range(1, ACTIONS_PER_CASE + 1):
                self.fields[f"{prefix}-action-{number}"] = forms.CharField(
                    label=f"Action {number} (optional)", required=False
                )
                self.fields[f"{prefix}-action-{number}-due"] = GovukDateField(
                    label=f"Action {number} due by",
                    error_name=f"The due date of action {number}",
                    required=False,
                    help_text="For example, 27 3 2026",
                )

    def case_fields(self, child: Child) -> list[str]:
        prefix = f"case-{child.pk}"
        names = [f"{prefix}-discussion", f"{prefix}-decision", f"{prefix}-rationale"]
        for number in range(1, ACTIONS_PER_CASE + 1):
            names += [f"{prefix}-action-{number}", f"{prefix}-action-{number}-due"]
        return names

    def clean(self):
        cleaned = super().clean()
        ticked = {int(value) for value in cleaned.get("cases") or []}
        # A case not ticked is not part of the supervision: what is typed in its (hidden) boxes is ignored.
        for pk, child in self.children.items():
            if pk not in ticked:
                for name in self.case_fields(child):
                    self._errors.pop(name, None)
        name_of = {pk: child.person.full_name for pk, child in self.children.items()}
        for value in cleaned.get("cases") or []:
            pk = int(value)
            prefix = f"case-{pk}"
            if not (cleaned.get(f"{prefix}-decision") or "").strip():
                self.add_error(f"{prefix}-decision", f"Enter the decision for {name_of[pk]}")
            if not (cleaned.get(f"{prefix}-rationale") or "").strip():
                self.add_error(f"{prefix}-rationale", f"Enter the reasons for the decision for {name_of[pk]}")
            for number in range(1, ACTIONS_PER_CASE + 1):
                text = (cleaned.get(f"{prefix}-action-{number}") or "").strip()
                due_name = f"{prefix}-action-{number}-due"
                if text and cleaned.get(due_name) is None and due_name not in self.errors:
                    self.add_error(due_name, f"Enter when action {number} for {name_of[pk]} is due")
                if not text and cleaned.get(due_name) is not None:
                    self.add_error(f"{prefix}-action-{number}", f"Describe action {number} for {name_of[pk]}")
        return cleaned

    def service_arguments(self) -> dict:
        """What ``supervision_record`` takes, from the cleaned data."""
        data = self.cleaned_data
        cases = []
        for value in data.get("cases") or []:
            pk = int(value)
            prefix = f"case-{pk}"
            actions = [
                ActionDue(description=data[f"{prefix}-action-{n}"], due_on=data[f"{prefix}-action-{n}-due"])
                for n in range(1, ACTIONS_PER_CASE + 1)
                if (data.get(f"{prefix}-action-{n}") or "").strip()
            ]
            cases.append(
                CaseDiscussed(
                    child=self.children[pk],
                    discussion=data.get(f"{prefix}-discussion") or "",
                    decision=data.get(f"{prefix}-decision") or "",
                    rationale=data.get(f"{prefix}-rationale") or "",
                    actions=actions,
                )
            )
        return {"held_on": data["held_on"], "notes": data.get("notes") or "", "cases": cases}


DIRECT_KINDS = [(kind.value, kind.label) for kind in DecisionKind if kind != DecisionKind.SUPERVISION]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of decision is it?",
        choices=DIRECT_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of decision this is"},
    )
    decision = _text("What have you decided?", rows=5, required="Enter the decision")
    rationale = _text(
        "Why?",
        rows=6,
        required="Enter the reasons for the decision",
        help_text="What you considered: the risks, the child's wishes and feelings, what has changed",
    )
    decided_on = _past_date("When was the decision made?", "The date of the decision")


class AuditStartForm(forms.Form):
    def __init__(self, *args, auditors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = _worker_choice(
            "Who will carry out the audit?", "Choose who will carry out the audit", auditors
        )
        field.help_text = (
            "Someone independent of the case: not its worker, their line manager or its team manager"
        )
        self.fields["auditor"] = field


class AuditAnswersForm(forms.Form):
    """One grade and comment per question, named ``<code>-grade`` and ``<code>-comment``."""

    def __init__(self, *args, questions: dict[str, Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for code, question in questions.items():
            self.fields[f"{code}-grade"] = forms.ChoiceField(
                label=question.text,
                choices=AnswerGrade.choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=f"Guidance: {question.guidance}",
            )
            self.fields[f"{code}-comment"] = _text(
                "Comment", rows=3, help_text="Say why, with examples from the record. Needed below good."
            )

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            code: (data.get(f"{code}-grade") or "", data.get(f"{code}-comment") or "")
            for code in self.questions
        }

    def renamed(self) -> dict[str, str]:
        """The service's error keys (``<code>.grade``) to this form's field names."""
        names = {}
        for code in self.questions:
            names[f"{code}.grade"] = f"{code}-grade"
            names[f"{code}.comment"] = f"{code}-comment"
        return names


class AuditCompleteForm(forms.Form):
    overall_grade = forms.ChoiceField(
        label="What is the overall grade?",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the overall grade"},
    )
    summary = _text(
        "What did the audit find?",
        rows=8,
        required="Summarise what the audit found",
        help_text="What is working well, what needs to improve, and the difference it makes to the child",
    )


class ActionAddForm(forms.Form):
    description = _text("What needs to be done?", rows=4, required="Describe what needs to be done")
    due_on = GovukDateField(
        label="When is it due?",
        error_name="The due date",
        not_in_past=True,
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _worker_choice("Who will do it?", "Choose who will do it", owners)
        self.order_fields(["description", "owner", "due_on"])


class ActionCompleteForm(forms.Form):
    evidence = _text(
        "What was done?",
        rows=6,
        required="Describe what was done, and where it is recorded",
        help_text="Say where the evidence is on the child's record (a case note, a visit, the plan)",
    )
    completed_on = _past_date("When was it done?", "The date it was done")
