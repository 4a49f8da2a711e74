"""Forms for child in need and child protection casework.

They check only the shape of what was typed (a real date, a choice from the list); the rules (CIN census
validation, dates in order, one open assessment) live in ``casework.services``, whose ``ValidationError`` is
put back on the form with :func:`add_service_errors` so the page shows it in the GOV.UK error summary, with
what the user typed kept. A form for a record that may be changed by two people at once carries the
``version`` it was read at (``VersionedForm``): the service refuses a save at an older version.
"""

import datetime
import re

from django import forms

from safeguard.casework.models import (
    AssessmentOutcome,
    ConferenceDecision,
    S47Outcome,
    StrategyOutcome,
    VisitLocation,
)
from safeguard.casework.policies import CHAIR_ROLES
from safeguard.casework.services import NO_FACTORS
from safeguard.compliance.registry import Period
from safeguard.core.reference import codes_valid_on
from safeguard.organisation.models import Worker
from safeguard.ui.forms import GovukDateField, govuk_field_params, text_area

YES_NO = [("yes", "Yes"), ("no", "No")]


_text = text_area


def _date(label: str, error_name: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    """A date in three boxes, not in the future. ``error_name`` names it in messages: "Enter the date of
    the visit", "The date of the visit must include a year"."""
    return GovukDateField(
        label=label,
        error_name=error_name,
        required=required,
        not_in_future=True,
        help_text=help_text or "For example, 27 3 2026",
    )


def _choice(label: str, required: str, **kwargs) -> forms.ChoiceField:
    """Radios; ``required`` is the message when none is chosen."""
    return forms.ChoiceField(
        label=label, widget=forms.RadioSelect, error_messages={"required": required}, **kwargs
    )


class VersionedForm(forms.Form):
    """Carries the version of the record the user read, so that a later save by someone else is not
    overwritten (``casework.services._guarded_update`` raises ``VersionConflict``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    conflict = False  # set when the service said someone else saved first

    def take_version(self, version: int) -> None:
        """After the user has been told of a conflict, the form carries the version now stored, so that
        saving again is a decision made with the other person's change in view, not a silent overwrite."""
        data = self.data.copy()
        data["version"] = str(version)
        self.data = data


# ----------------------------------------------------------------------------------------------------------
# Periods: "how often", typed as people say it


_PERIOD = re.compile(r"(?:every\s+)?(\d{1,3})\s*(working[\s_-]*days?|days?|weeks?|months?)", re.IGNORECASE)


def period_text(value: str) -> str:
    """``"10 working_days"`` (how the services and settings write a period) as a person reads it."""
    try:
        return str(Period.parse(value)) if value else ""
    except ValueError:  # what the user typed, shown back to them as it was
        return value


class PeriodField(forms.CharField):
    """How often something happens ("6 weeks", "every 3 months", "10 working days"), cleaned to the form
    the services take (``"10 working_days"``); blank for the council's usual interval."""

    default_error_messages = {
        "invalid": "Enter how often as a number and weeks, months or working days, like “6 weeks”",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-10"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return period_text(value) if isinstance(value, str) else value

    def to_python(self, value) -> str:
        text = super().to_python(value).strip()
        if not text:
            return ""
        match = _PERIOD.fullmatch(text)
        if not match or int(match[1]) == 0:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        unit = match[2].lower()
        if unit.startswith("working"):
            unit = "working_days"
        elif not unit.endswith("s"):
            unit += "s"
        return f"{int(match[1])} {unit}"


# ----------------------------------------------------------------------------------------------------------
# Assessments


class AssessmentStartForm(forms.Form):
    start_date = _date("When did the assessment start?", "The start date")


FACTOR_GROUPS = (
    ("child", "Concerns about the child"),
    ("parent", "Concerns about a parent or carer"),
    ("other", "Concerns about another person in the household"),
    ("none", "Anything else"),
)
_BY_LETTER = {"A": "child", "B": "parent", "C": "other"}


def factor_group(code: str) -> str:
    """Which group an assessment factor code is shown in (DOMAIN.md §3, CIN census FactorsIdentifiedAtAssessment).

    Factors 1 to 6 take a letter for whom the concern is about: A the child, B a parent or carer, C another
    person in the household. The other lettered factors are all about the child: 8B-8F are kinds of private
    fostering, 18B/C and 19B/C say who harmed the child. 20 (other) and 21 (none) have no letter.
    """
    match = re.fullmatch(r"(\d+)([A-Z]?)", code)
    if match is None or not match[2]:
        return "none"
    if int(match[1]) <= 6:
        return _BY_LETTER.get(match[2], "child")
    return "child"


def factor_label(label: str) -> str:
    """Within its group a factor needs no "concerns about the child" of its own."""
    return label.split(": concerns about", 1)[0]


class AssessmentForm(VersionedForm):
    """The assessment as it is worked on: each field may be saved empty and filled in later; the submit
    step (``assessment_submit``) is where everything must be there."""

    child_seen_on = _date(
        "When was the child seen for this assessment?",
        "The date the child was seen",
        required=False,
        help_text="Leave blank if the child has not been seen yet",
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified at the assessment",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    analysis = _text(
        "Analysis of risk and need",
        rows=12,
        help_text="What is happening for the child, what it means for them, and what needs to change",
    )
    outcome = forms.ChoiceField(
        label="What should happen next?",
        choices=AssessmentOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, start_date: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [
            (code, factor_label(label))
            for code, label in codes_valid_on("assessment_factor", start_date).items()
        ]

    def factor_groups(self) -> list[dict]:
        """The factors as one govukCheckboxes per group (A the child, B a parent, C another person), sharing
        the one field's name. The first group's first box has the field's id, for the error summary's link;
        "no factors identified" unticks the others (GOV.UK's exclusive checkbox; rule 8869 in the service)."""
        _component, params = govuk_field_params(self["factors"])
        by_group: dict[str, list[dict]] = {key: [] for key, _legend in FACTOR_GROUPS}
        for item in params["items"]:
            if item["value"] == NO_FACTORS:
                by_group["none"].append({"divider": "or"})
                item = {**item, "behaviour": "exclusive"}
            by_group[factor_group(item["value"])].append(item)
        groups = []
        for key, legend in FACTOR_GROUPS:
            items = by_group[key]
            if not items:
                continue
            if items[0].get("divider"):
                items = items[1:]
            prefix = params["idPrefix"] if not groups else f"{params['idPrefix']}-{key}"
            fieldset = {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}}
            if self["factors"].errors:
                fieldset["describedBy"] = f"{params['idPrefix']}-error"  # the one message, above the groups
            groups.append(
                {
                    "name": params["name"],
                    "idPrefix": prefix,
                    "fieldset": fieldset,
                    "items": items,
                    "classes": "govuk-checkboxes--small",
                }
            )
        return groups


class SubmitForm(VersionedForm):
    """No questions: the button sends the assessment to a manager. Carries the service's reasons if not."""


class AuthoriseForm(VersionedForm):
    primary_need = _choice("The child's primary need", "Choose the child's primary need")
    rationale = _text(
        "Your reasons for authorising",
        rows=5,
        required="Give your reasons for authorising the assessment",
        help_text="Your oversight of the analysis and the decision: what the worker and an auditor will read",
    )

    def __init__(self, *args, on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_need"].choices = list(codes_valid_on("primary_need", on).items())


class ReturnForm(VersionedForm):
    reason = _text(
        "What more does the assessment need?", rows=6, required="Say what more the assessment needs"
    )


class WithdrawForm(VersionedForm):
    reason = _text(
        "Why is the assessment being withdrawn?", rows=5, required="Say why the assessment is withdrawn"
    )


class DelayForm(VersionedForm):
    reason = _text(
        "Why is it late?",
        rows=5,
        required="Enter the reason for the delay",
        help_text="What caused the delay and what is being done about it. Ofsted and the legal exposure "
        "register read this",
    )


# ----------------------------------------------------------------------------------------------------------
# Child in need plans


class CinPlanStartForm(forms.Form):
    start_date = _date("When did the plan start?", "The start date")
    summary = _text(
        "What is the plan for, and who will do what?", rows=8, required="Say what the plan is for"
    )
    review_every = PeriodField(label="How often will the plan be reviewed? (optional)")

    def __init__(self, *args, usual_review: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        usual = f"Leave blank for the usual {usual_review}. " if usual_review else ""
        self.fields["review_every"].help_text = f"{usual}For example, 6 weeks or 3 months"


class CinPlanReviewForm(forms.Form):
    held_on = _date("When was the review held?", "The date of the review")
    summary = _text("What did the review find and decide?", rows=8, required="Summarise the review")


class CinPlanEndForm(VersionedForm):
    end_date = _date("When did the plan end?", "The end date")
    reason = _text("Why is the plan ending? (optional)", rows=4)


# ----------------------------------------------------------------------------------------------------------
# Strategy discussions, section 47 enquiries, conferences, core groups


class StrategyDiscussionForm(forms.Form):
    held_on = _date("When was the strategy discussion held?", "The date of the discussion")
    participants = _text(
        "Who took part?",
        rows=4,
        required="Say who took part, and for which agency",
        help_text="Each person's name, and the agency they spoke for",
    )
    concerns = _text(
        "What is known, and what are the concerns?", rows=8, required="Record what is known and the concerns"
    )
    outcome = _choice(
        "What did the discussion decide?",
        "Choose whether a section 47 enquiry starts",
        choices=StrategyOutcome.choices,
    )


class S47ConcludeForm(VersionedForm):
    concluded_on = _date("When did the enquiry conclude?", "The date the enquiry concluded")
    findings = _text("What did the enquiry find?", rows=8, required="Record what the enquiry found")
    outcome = _choice(
        "Is an initial child protection conference needed?",
        "Choose whether an initial child protection conference is needed",
        choices=S47Outcome.choices,
    )


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, worker: Worker) -> str:
        return f"{worker.name}, {worker.team.name}" if worker.team_id else worker.name


def _chair_field() -> ChairChoiceField:
    return ChairChoiceField(
        label="Who chaired it?",
        error_messages={
            "required": "Choose the independent chair",
            "invalid_choice": "Choose the independent chair from the list",
        },
        queryset=Worker.objects.filter(role__in=CHAIR_ROLES).select_related("user", "team"),
        empty_label="Choose the chair",
        help_text="The independent chair: an independent reviewing officer or child protection chair",
    )


def _category_choices(on: datetime.date) -> list[tuple[str, str]]:
    return list(codes_valid_on("abuse_category", on).items())


class InitialConferenceForm(forms.Form):
    held_on = _date("When was the conference held?", "The date of the conference")
    chair = _chair_field()
    decision = _choice(
        "Does the child need a child protection plan?",
        "Choose whether the child needs a child protection plan",
        choices=[(ConferenceDecision.PLAN, "Yes"), (ConferenceDecision.NO_PLAN, "No")],
    )
    category = forms.ChoiceField(label="Category of abuse", required=False, widget=forms.RadioSelect)
    visit_every = PeriodField(label="How often will the child be visited? (optional)")
    summary = _text("What did the conference decide, and why? (optional)", rows=6)

    def __init__(self, *args, on: datetime.date, usual_visit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(on)
        usual = f"Leave blank for the usual {usual_visit}. " if usual_visit else ""
        self.fields["visit_every"].help_text = f"{usual}For example, 10 working days or 4 weeks"


UNCHANGED = "same"  # a radio needs a value: "the category has not changed" is this, and "" to the service


class ReviewConferenceForm(VersionedForm):
    """A review conference. Ending the plan is a review conference that decides so (``ending=True`` asks
    only that: the decision is not a question on that page)."""

    held_on = _date("When was the review conference held?", "The date of the conference")
    chair = _chair_field()
    decision = _choice(
        "Does the plan continue?",
        "Choose whether the plan continues or ends",
        choices=[(ConferenceDecision.CONTINUE, "Yes, it continues"), (ConferenceDecision.END, "No, it ends")],
    )
    category = forms.ChoiceField(label="Category of abuse", required=False, widget=forms.RadioSelect)
    summary = _text("What did the conference decide, and why? (optional)", rows=6)

    def __init__(self, *args, on: datetime.date, current_category: str = "", ending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ending = ending
        categories = _category_choices(on)
        if ending:
            del self.fields["category"]
            self.fields["decision"].choices = [(ConferenceDecision.END, "It ends")]
            self.fields["decision"].widget = forms.HiddenInput()
            self.fields["decision"].required = False
            self.fields["decision"].initial = ConferenceDecision.END
            self.fields["summary"].label = "Why is the plan ending?"
            self.fields["summary"].required = True
            self.fields["summary"].error_messages["required"] = "Say why the plan is ending"
        else:
            current = dict(categories).get(current_category, current_category)
            self.fields["category"].choices = [
                (UNCHANGED, f"No, it is still {current.lower()}" if current else "No"),
                *[(code, f"Yes: {text.lower()}") for code, text in categories if code != current_category],
            ]
            self.fields["category"].label = "Has the category of abuse changed?"
            self.fields["category"].required = True
            self.fields["category"].error_messages["required"] = (
                "Choose whether the category of abuse has changed"
            )
            self.fields["category"].initial = UNCHANGED

    def clean_decision(self) -> str:
        return ConferenceDecision.END if self.ending else self.cleaned_data["decision"]

    def clean_category(self) -> str:
        category = self.cleaned_data.get("category", "")
        return "" if category == UNCHANGED else category


class CoreGroupForm(forms.Form):
    held_on = _date("When did the core group meet?", "The date of the meeting")
    summary = _text("What did the core group agree? (optional)", rows=6)


# ----------------------------------------------------------------------------------------------------------
# Visits and closing the case


class VisitForm(forms.Form):
    visited_on = _date("When was the visit?", "The date of the visit")
    location = _choice(
        "Where was the visit?", "Choose where the visit took place", choices=VisitLocation.choices
    )
    child_seen = _choice("Was the child seen?", "Choose whether the child was seen", choices=YES_NO)
    seen_alone = forms.ChoiceField(
        label="Was the child seen alone?", choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    summary = _text(
        "What did you see, hear and do?",
        rows=10,
        required="Record what was seen, heard and done",
        help_text="Include the child's words and wishes, and how they seemed",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["child_seen"] = cleaned.get("child_seen") == "yes"
        cleaned["seen_alone"] = cleaned["child_seen"] and cleaned.get("seen_alone") == "yes"
        return cleaned


class ClosureRequestForm(forms.Form):
    """A worker's request that the case close (``closure.closure_request``): the census closure fields, the
    closure summary and the analysis of risk; why no assessment is needed only when the episode has no
    authorised assessment; the primary need only when no assessment recorded it."""

    closure_date = _date("When should the case close?", "The closure date")
    reason = _choice("Why is the case closing?", "Choose the reason the case is closing")
    referral_nfa = forms.BooleanField(
        label="The referral led to no further action",
        required=False,
        help_text="Tick only if the case is closing on the referral itself, with no assessment (ReferralNFA)",
    )
    primary_need = forms.ChoiceField(
        label="The child's primary need",
        required=False,
        widget=forms.RadioSelect,
        help_text="No assessment recorded it. Choose “Not stated” if it was never assessed.",
    )
    summary = _text(
        "Closure summary",
        rows=8,
        required="Write the closure summary: what was done, and what changed for the child",
        help_text="What was done with the child and family, what changed, and what they were told about the "
        "case closing",
    )
    risk_analysis = _text(
        "Analysis of risk",
        rows=8,
        required="Write the analysis of risk: why it is safe to close the case",
        help_text="The risks that remain, what keeps the child safe now, and who will notice and act if "
        "things get worse",
    )
    no_assessment_reason = _text(
        "Why can the case close without an assessment?",
        rows=4,
        help_text="There is no authorised assessment in this episode. That is allowed only if the child was "
        "adopted, has died, is subject to a child arrangements or special guardianship order, has moved to "
        "another council or to adult services, or the referral led to no further action",
    )

    def __init__(
        self,
        *args,
        on: datetime.date,
        needs_primary_need: bool = False,
        needs_no_assessment_reason: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = list(codes_valid_on("closure_reason", on).items())
        if needs_primary_need:
            self.fields["primary_need"].choices = list(codes_valid_on("primary_need", on).items())
        else:
            del self.fields["primary_need"]
        if not needs_no_assessment_reason:
            del self.fields["no_assessment_reason"]


APPROVE, RETURN = "approve", "return"


class ClosureDecisionForm(VersionedForm):
    decision = _choice(
        "Do you approve the closure?",
        "Choose whether to approve the closure or return the request",
        choices=[(APPROVE, "Yes, close the case"), (RETURN, "No, return the request to the worker")],
    )
    rationale = _text(
        "Your reasons",
        rows=6,
        required="Give the reasons for your decision",
        help_text="Your oversight of the closure: the worker reads this, and it is kept with the request",
    )


class ClosureWithdrawForm(VersionedForm):
    reason = _text("Why is the request being withdrawn?", rows=4, required="Say why the request is withdrawn")


class ReopenForm(forms.Form):
    reopened_on = _date("When does the case reopen?", "The date the case reopens")
    referral_source = forms.ChoiceField(
        label="Who raised the concerns?",
        error_messages={"required": "Choose who raised the concerns that reopen the case"},
        help_text="The referral source the CIN census records for the new episode",
    )
    reason = _text(
        "Why is the case reopening?",
        rows=6,
        required="Say why the case is reopening",
        help_text="What has happened since the case closed",
    )

    def __init__(self, *args, on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_source"].choices = [
            ("", "Choose the source"),
            *codes_valid_on("referral_source", on).items(),
        ]


class AcknowledgeForm(VersionedForm):
    note = _text(
        "What did you find, and what have you done?",
        rows=6,
        required="Say what you found and what you have done about it",
        help_text="For example, that you have read the closures and whether any case should be reopened",
    )
