"""Forms for children looked after and care leavers.

They check only the shape of what was typed (a real date, a choice from the list); the rules (the SSDA903
rules checked at entry, dates in order, one open period of care) live in ``lookedafter.services``, whose
``ValidationError`` is put back on the form so the page shows it in the GOV.UK error summary with what the
user typed kept. Each form's fields are named as its service's arguments, so ``cleaned_data`` is passed
straight through. A form for a record two people may change at once carries the ``version`` it was read at.

Code lists offer the codes in use today; the service checks the code against the date entered.
"""

import datetime

from django import forms
from django.utils import timezone

from safeguard.core.reference import codes_valid_on
from safeguard.lookedafter.models import (
    CareLeaverEndReason,
    CareLeaverStatus,
    HealthCheckKind,
    MissingKind,
    UascEndReason,
)
from safeguard.lookedafter.services import LAC_NEED_CODES, SDQ_AGE_REASON
from safeguard.organisation.models import Role, Worker
from safeguard.ui.forms import GovukDateField

YES_NO = [("yes", "Yes"), ("no", "No")]
# Who may be named as a personal adviser (CPPCR 2010 reg 44): staff who hold cases.
ADVISER_ROLES = (Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER, Role.TEAM_MANAGER)


def _date(label: str, *, required: bool = True, help_text: str = "For example, 17 12 2026") -> GovukDateField:
    return GovukDateField(label=label, required=required, not_in_future=True, help_text=help_text)


def _text(label: str, *, rows: int = 4, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def _short(label: str, *, width: int = 10, max_length: int = 8, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": f"govuk-input--width-{width}", "spellcheck": "false"}),
    )


def _choices(code_set: str, today: datetime.date, *, blank: str, only=None) -> list[tuple[str, str]]:
    codes = codes_valid_on(code_set, today)
    return [("", blank)] + [
        (code, f"{code}: {text}") for code, text in codes.items() if only is None or code in only
    ]


class VersionedForm(forms.Form):
    """Carries which record the user read (``record``, its id) and at what ``version``: a save by someone else
    since, or a new record in its place (a new period of care begun), is not overwritten. The view checks
    ``record`` and passes ``version`` to the service."""

    record = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def take_version(self, record: int, version: int) -> None:
        """After a conflict: saving again (what the user typed is kept) is then their decision."""
        self.data = self.data.copy()
        self.data["record"] = str(record)
        self.data["version"] = str(version)


class CodedForm(forms.Form):
    """A form whose select fields list reference codes in use on ``today``: ``codes = {field: (set, blank)}``."""

    codes: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name, (code_set, blank) in self.codes.items():
            if name in self.fields:
                self.fields[name].choices = _choices(code_set, self.today, blank=blank)


class PlacementFields(forms.Form):
    placement_type = forms.ChoiceField(label="Type of placement")
    placement_provider = forms.ChoiceField(
        label="Who provides the placement",
        required=False,
        help_text="Leave blank for a temporary placement (T0 to T4) or an ‘other’ placement (Z11 to Z14)",
    )
    provider_name = forms.CharField(
        label="Name of the carer or provider (optional)", max_length=200, required=False
    )
    placement_postcode = _short("Placement postcode", help_text="For example, B1 1BB")
    urn = _short(
        "Ofsted URN of the provider",
        max_length=8,
        help_text="For example, SC123456. Enter XXXXXXX if the provider has none (for example, outside England). "
        "Leave blank for placements with parents, in hospital, custody, care homes, temporary and other placements",
    )
    long_term = forms.BooleanField(
        label="The placement is intended to last until the child is 18",
        required=False,
        help_text="Visits may then be 3-monthly once the child has been there a year (CPPCR 2010 reg 28(2))",
    )


class PreviousPermanenceFields(forms.Form):
    """SSDA903 PrevPerm, asked when a child starts to be looked after (``services._check_previous_permanence``)."""

    previous_permanence = forms.ChoiceField(
        label="Had the child been adopted, or left care under a special guardianship or child arrangements "
        "order, before?",
        required=False,
    )
    previous_permanence_la = _short(
        "Council that arranged the order",
        width=5,
        max_length=3,
        help_text="Its three-digit DfE code, or WAL, SCO, NIR or NUK outside England. Blank if none or not known",
    )
    previous_permanence_on = _date("Date of the order", required=False)


class PeriodStartForm(CodedForm, PlacementFields, PreviousPermanenceFields):
    codes = {
        "legal_status": ("legal_status", "Choose a legal status"),
        "placement_type": ("placement_type", "Choose a type of placement"),
        "placement_provider": ("placement_provider", "No provider"),
    }

    start_date = _date("Date the child started to be looked after")
    legal_status = forms.ChoiceField(label="Legal status")
    need_code = forms.ChoiceField(label="Category of need")
    home_postcode = _short(
        "Child's home postcode", help_text="Where they lived before they were looked after"
    )
    field_order = [
        "start_date",
        "legal_status",
        "need_code",
        "home_postcode",
        "placement_type",
        "placement_provider",
        "provider_name",
        "placement_postcode",
        "urn",
        "long_term",
        "previous_permanence",
        "previous_permanence_la",
        "previous_permanence_on",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_code"].choices = _choices(
            "primary_need", self.today, blank="Choose a category of need", only=LAC_NEED_CODES
        )
        self.fields["previous_permanence"].choices = _choices(
            "previous_permanence", self.today, blank="Not asked yet"
        )


class PlacementChangeForm(CodedForm, VersionedForm, PlacementFields):
    codes = {
        "placement_type": ("placement_type", "Choose a type of placement"),
        "placement_provider": ("placement_provider", "No provider"),
        "reason_place_change": (
            "reason_place_change",
            "No reason: a temporary placement, or the return from one",
        ),
        "legal_status": ("legal_status", "No change"),
    }

    on = _date("Date of the move")
    reason_place_change = forms.ChoiceField(label="Reason for the change", required=False)
    same_carers = forms.BooleanField(
        label="The child stays with the same carers",
        required=False,
        help_text="For example, fostering to adoption",
    )
    legal_status = forms.ChoiceField(label="New legal status, if it changed the same day", required=False)
    field_order = [
        "record",
        "version",
        "on",
        "placement_type",
        "placement_provider",
        "provider_name",
        "placement_postcode",
        "urn",
        "long_term",
        "same_carers",
        "reason_place_change",
        "legal_status",
    ]


class PlacementDetailsForm(VersionedForm):
    provider_name = forms.CharField(label="Name of the carer or provider", max_length=200, required=False)
    placement_postcode = PlacementFields.base_fields["placement_postcode"]
    home_postcode = _short("Child's home postcode")
    urn = PlacementFields.base_fields["urn"]
    long_term = PlacementFields.base_fields["long_term"]


class LegalStatusForm(CodedForm, VersionedForm):
    codes = {"legal_status": ("legal_status", "Choose a legal status")}

    on = _date("Date the legal status changed")
    legal_status = forms.ChoiceField(label="New legal status")


class PeriodEndForm(CodedForm, VersionedForm):
    codes = {"reason": ("reason_episode_ceased", "Choose a reason")}

    end_date = _date("Date the child ceased to be looked after")
    reason = forms.ChoiceField(label="Why the child ceased to be looked after")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # X1 continues a period with a new episode; it never ends one.
        self.fields["reason"].choices = [
            choice for choice in self.fields["reason"].choices if choice[0] != "X1"
        ]


class PlanForm(forms.Form):
    completed_on = _date("Date completed", help_text="If it was made before the placement, enter that date")
    summary = _text("Summary (optional)")


class ReviewForm(CodedForm):
    codes = {"participation": ("review_participation", "Choose how the child took part")}

    held_on = _date("Date of the review")
    participation = forms.ChoiceField(label="How the child took part")
    summary = _text("Decisions and actions (optional)", rows=5)


class HealthForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of check", choices=HealthCheckKind.choices, widget=forms.RadioSelect)
    done_on = _date("Date of the check")
    notes = _text("Notes (optional)")


class PepForm(forms.Form):
    completed_on = _date("Date of the personal education plan meeting")
    summary = _text("Summary (optional)")


class MissingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Was the child missing, or away without authorisation?",
        choices=MissingKind.choices,
        widget=forms.RadioSelect,
    )
    start_date = _date("Date they went missing")
    end_date = _date("Date they returned (if they have)", required=False)


class MissingReturnForm(VersionedForm):
    end_date = _date("Date the child returned")


class ReturnInterviewForm(VersionedForm):
    offered_on = _date("Date the return interview was offered")
    accepted_on = _date("Date the child accepted it (if they did)", required=False)


class AdviserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        return f"{obj.name} ({obj.team.name})" if obj.team_id else obj.name


def _adviser_field() -> AdviserField:
    return AdviserField(
        label="Personal adviser",
        required=False,
        empty_label="Not appointed yet",
        queryset=Worker.objects.filter(role__in=ADVISER_ROLES).select_related("user", "team"),
    )


class CareLeaverStartForm(forms.Form):
    status = forms.ChoiceField(
        label="Eligibility", choices=CareLeaverStatus.choices, widget=forms.RadioSelect
    )
    start_date = _date(
        "Date the young person became a care leaver", help_text="For example, their 16th birthday"
    )
    personal_adviser = _adviser_field()


class CareLeaverUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Eligibility", choices=CareLeaverStatus.choices, widget=forms.RadioSelect
    )
    status_since = _date(
        "Date of the change of eligibility", help_text="Leave as it is if it has not changed"
    )
    personal_adviser = _adviser_field()


class CareLeaverEndForm(VersionedForm):
    end_date = _date("Date leaving care support ended")
    reason = forms.ChoiceField(
        label="Why it ended", choices=CareLeaverEndReason.choices, widget=forms.RadioSelect
    )


class NeedsAssessmentForm(forms.Form):
    completed_on = _date("Date the needs assessment was completed")
    summary = _text("Summary (optional)")


class PathwayPlanForm(forms.Form):
    started_on = _date("Date the pathway plan was agreed")
    summary = _text("Summary (optional)")


class PathwayReviewForm(forms.Form):
    reviewed_on = _date("Date of the review")
    summary = _text("Summary (optional)")


class CareLeaverContactForm(CodedForm):
    codes = {"in_touch": ("care_leaver_in_touch", "Choose one")}

    contacted_on = _date("Date of the contact")
    in_touch = forms.ChoiceField(label="Is the local authority in touch with the young person?")
    notes = _text("Notes (optional)")


class AccommodationForm(CodedForm):
    codes = {"code": ("care_leaver_accommodation", "Choose the accommodation")}

    start_date = _date("Date they moved in")
    code = forms.ChoiceField(label="Accommodation")
    suitable = forms.TypedChoiceField(
        label="Is it suitable?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    provided_by_la = forms.BooleanField(label="The local authority provides it", required=False)


class ActivityForm(CodedForm):
    codes = {"code": ("care_leaver_activity", "Choose the activity")}

    start_date = _date("Date it started")
    code = forms.ChoiceField(label="Education, training or employment")


# -- outcomes for a year (SSDA903 OC2) and UASC status --------------------------------------------------------


def _yes_no(label: str, *, help_text: str = "") -> forms.TypedChoiceField:
    """A 0/1 item: yes, no, or (not chosen) blank; the service says when it must be answered."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def yes_no_initial(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class OutcomeForm(CodedForm):
    """A year's outcomes (SSDA903 OC2) as a worker records them. Items that do not apply at the child's age
    are left out (``sdq``, ``convictions``); SDQ1 is offered only when the child turned 4 or 17 in the year
    (``sdq_age_reason``). ``today`` is the year's last day, so the reasons are those in use that year."""

    codes = {"sdq_reason": ("sdq_reason", "None: the score is entered")}

    sdq_score = forms.IntegerField(
        label="SDQ total difficulties score",
        required=False,
        help_text="From 0 to 40: the total from the strengths and difficulties questionnaire completed in the year",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    sdq_reason = forms.ChoiceField(label="If there is no score, why not", required=False)
    immunisations = _yes_no("Are the child's immunisations up to date?")
    convicted = _yes_no(
        "Was the child convicted of an offence in the year?",
        help_text="Final warnings and reprimands are not convictions",
    )
    substance_misuse = _yes_no("Was a substance misuse problem identified in the year?")
    intervention_received = _yes_no(
        "Did the child receive an intervention for their substance misuse?",
        help_text="Only if a substance misuse problem was identified",
    )
    intervention_offered = _yes_no(
        "Was an intervention offered?", help_text="Only if the child did not receive an intervention"
    )
    notes = _text("Notes (optional)")

    def __init__(
        self, *args, sdq: bool = True, sdq_age_reason: bool = True, convictions: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not sdq:
            del self.fields["sdq_score"], self.fields["sdq_reason"]
        elif not sdq_age_reason:
            self.fields["sdq_reason"].choices = [
                choice for choice in self.fields["sdq_reason"].choices if choice[0] != SDQ_AGE_REASON
            ]
        if not convictions:
            del self.fields["convicted"]

    def clean_sdq_reason(self) -> str:
        return self.cleaned_data.get("sdq_reason") or ""


class OutcomeChangeForm(OutcomeForm, VersionedForm):
    field_order = ["record", "version"]


class UascForm(forms.Form):
    start_date = _date(
        "Date the child became an unaccompanied asylum-seeking child",
        help_text="Usually the day they started to be looked after. For example, 17 12 2026",
    )
    end_date = _date(
        "Date UASC status ceased (if it has)", required=False, help_text="At the latest, their 18th birthday"
    )
    end_reason = forms.ChoiceField(
        label="Why it ceased",
        required=False,
        choices=[("", "It has not ceased"), *UascEndReason.choices],
    )
    notes = _text("Notes (optional)")


class UascChangeForm(UascForm, VersionedForm):
    field_order = ["record", "version"]


class DeprivationOfLibertyForm(forms.Form):
    start_date = _date(
        "Date the deprivation of liberty order started",
        help_text="The day the court's order took effect. For example, 17 12 2026",
    )
    end_date = _date(
        "Date the order ended (if it has)",
        required=False,
        help_text="By the day the child ceased to be looked after at the latest",
    )
    notes = _text("Notes (optional)", help_text="For example, the court and the conditions of the order")


class DeprivationOfLibertyChangeForm(DeprivationOfLibertyForm, VersionedForm):
    field_order = ["record", "version"]


class AdoptionForm(CodedForm):
    """A child's adoption journey (``models.Adoption``): the decision, then each step as it happens."""

    codes = {
        "reversal_reason": ("adoption_reversal", "Not reversed"),
        "adopters_sex": ("adopter_sex", "Not yet known"),
        "adopters_legal_status": ("adopter_legal_status", "Not yet known"),
    }

    decided_on = _date(
        "Date of the agency decision maker's decision that the child should be placed for adoption"
    )
    ffa_or_concurrency_on = _date(
        "Date placed for fostering for adoption or concurrent planning (if they were)", required=False
    )
    matched_on = _date("Date matched with the prospective adopters (if they have been)", required=False)
    placed_on = _date("Date placed with the prospective adopters (if they have been)", required=False)
    order_on = _date("Date of the adoption order (if it has been made)", required=False)
    reversed_on = _date(
        "Date of the decision that the child should no longer be placed for adoption (if there was one)",
        required=False,
    )
    reversal_reason = forms.ChoiceField(label="Why the decision was reversed", required=False)
    adopted_by_foster_carers = forms.TypedChoiceField(
        label="Are the adopters the child's foster carers?",
        required=False,
        choices=[("", "Not yet known"), *YES_NO],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    number_of_adopters = forms.TypedChoiceField(
        label="Number of adopters",
        required=False,
        choices=[("", "Not yet known"), ("1", "One"), ("2", "Two")],
        coerce=int,
        empty_value=None,
    )
    adopters_sex = forms.ChoiceField(label="The adopters' sexes", required=False)
    adopters_legal_status = forms.ChoiceField(label="The adopters' legal status", required=False)
    notes = _text("Notes (optional)")


class AdoptionChangeForm(AdoptionForm, VersionedForm):
    field_order = ["record", "version"]


class PreviousPermanenceForm(CodedForm, VersionedForm, PreviousPermanenceFields):
    codes = {"previous_permanence": ("previous_permanence", "Choose an answer")}
    field_order = ["record", "version"]
