"""Children looked after and care leavers, shaped as the SSDA903 return shapes them, so that the return is a
view of these tables rather than an extraction project.

A child's time in care is a **period of care**, from the day they start to be looked after to the day they
cease (Children Act 1989 s22), made of **episodes** (SSDA903 Episodes: DECOM, RNE, LS, CIN, PLACE,
PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN). A new episode begins whenever the
legal status or the placement changes; the one before ends the same day with reason X1, so that inside a
period the episodes follow one another with no gap and no overlap. The period's own dates are those of its
first and last episodes. Reviews, health assessments, personal education plans, missing episodes and the
care and placement plans belong to the period, which is the scope of every looked-after deadline.

A **care leaver** record (Children Act 1989 ss23A-24; Care Planning, Placement and Case Review (England)
Regulations 2010 (CPPCR) Part 7; Care Leavers (England) Regulations 2010 (CLR)) is the scope of the
care-leaving deadlines: the needs assessment, the pathway plan and its reviews, the personal adviser's
visits; with the young person's contacts, accommodation and activity as the SSDA903 OC3 table records them.

Every statutory clock lives in ``compliance.Deadline``; the models here say only what the law says about one
row (``PeriodOfCare.statutory_period``), and the services raise the events.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q

from safeguard.casework.models import Versioned
from safeguard.compliance.registry import Period
from safeguard.core.calendar import add_calendar_months
from safeguard.core.models import Recorded
from safeguard.core.reference import label
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.rules import PLACEMENT_REASONS, is_temporary
from safeguard.organisation.models import Worker
from safeguard.people.models import Child

LONG_TERM_VISIT_INTERVAL = Period(3, "months")
UNDER_FIVE_HEALTH_REVIEW_INTERVAL = Period(6, "months")


@dataclass(frozen=True)
class Placement:
    """Where a child is living on a day, as regulation 28 counts placements: a run of episodes that changed
    only the legal status, or were a temporary move (SSDA903 T0-T4) and the return from it, is one
    placement. ``settled`` is the episode of the usual placement (the one before a temporary move)."""

    started_on: datetime.date
    episode: "LacEpisode"
    settled: "LacEpisode"

    @property
    def long_term(self) -> bool:
        return self.settled.long_term


def placements_of(episodes: Iterable["LacEpisode"]) -> Iterator[Placement]:
    """Each episode (in date order) with the placement it belongs to."""
    started_on = None
    settled = None
    previous = None
    for episode in episodes:
        new_placement = previous is None or (
            episode.reason_new_episode in PLACEMENT_REASONS
            and not episode.is_temporary
            and not previous.is_temporary
        )
        if new_placement:
            started_on = episode.start_date
        if not episode.is_temporary or settled is None:
            settled = episode
        yield Placement(started_on=started_on, episode=episode, settled=settled)
        previous = episode


PEP_DUTIES = ("pep_initial", "pep_review")
COMPULSORY_SCHOOL_AGES = (5, 15)  # ages on the day; see PeriodOfCare.duty_applies


class PeriodOfCareQuerySet(models.QuerySet):
    def open(self) -> "PeriodOfCareQuerySet":
        return self.filter(end_date__isnull=True)


class PeriodOfCare(Recorded, Versioned):
    """A period of being looked after (Children Act 1989 s22(1)): from DECOM of its first episode to DEC of
    its last. A child has at most one open period; one period does not begin until the last has ended
    (SSDA903 rules 431, 501)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="periods_of_care")
    start_date = models.DateField(help_text="The day the child started to be looked after (DECOM)")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The day the child ceased to be looked after (DEC of the last episode)",
    )
    end_reason = models.CharField(
        max_length=3, blank=True, help_text="Reason the last episode ceased (REC, reference data)"
    )
    # Previous permanence (SSDA903 PrevPerm; DfE SSDA903 guide: "previous permanence option"), asked when a
    # child starts to be looked after (rule 630): whether they had been adopted, or left care (or were made
    # subject) under a special guardianship order or a residence or child arrangements order before, and if so
    # where and when. Blank for a period recorded before the question was asked.
    previous_permanence = models.CharField(
        max_length=2,
        blank=True,
        help_text="PREV_PERM (reference data previous_permanence: P1-P3 an order, P4 not known, Z1 none)",
    )
    previous_permanence_la = models.CharField(
        "local authority that arranged it",
        max_length=3,
        blank=True,
        help_text="LA_PERM: the council's three-digit code, or WAL, SCO, NIR or NUK outside England",
    )
    previous_permanence_on = models.DateField(
        "date of the order", null=True, blank=True, help_text="DATE_PERM"
    )

    objects = PeriodOfCareQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "periods of care"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="period_of_care_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_period_of_care"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="period_of_care_dates_in_order",
            ),
            # SSDA903 rule 148: a date ceased and a reason together; X1 continues a period, never ends it.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="") & ~Q(end_reason="X1")),
                name="period_of_care_end_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Period of care from {self.start_date} for {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def end_reason_label(self) -> str:
        return label("reason_episode_ceased", self.end_reason) if self.end_reason else ""

    def includes(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def placement_on(self, day: datetime.date) -> Placement | None:
        """The placement the child was in on ``day`` (one query)."""
        found = None
        for placement in placements_of(self.episodes.filter(start_date__lte=day).order_by("start_date")):
            found = placement
        return found

    def statutory_period(self, duty_code: str, on: datetime.date) -> Period | None:
        """The period of care sets two intervals (the deadline engine asks: ``period_from_record``).

        - ``lac_visit``: visits at most 6 weeks apart in the first year of a placement; after that, at most
          3 months apart where the child has been in the same placement for at least a year and it is
          intended to last until they are 18 (CPPCR 2010 reg 28(2)(b)). ``on`` is the day of the visit from
          which the next is counted.
        - ``health_assessment_review``: review health assessments every 6 months for a child under 5, and
          every 12 months from 5 (Promoting the health and well-being of looked-after children, statutory
          guidance 2015). ``on`` is the day of the last assessment.

        ``None`` keeps the registry's period (6 weeks; 12 months).
        """
        if duty_code == "lac_visit":
            placement = self.placement_on(on)
            if (
                placement is not None
                and placement.long_term
                and on >= add_calendar_months(placement.started_on, 12)
            ):
                return LONG_TERM_VISIT_INTERVAL
            return None
        if duty_code == "health_assessment_review":
            age = self.child.person.age_on(on)
            if age is not None and age < 5:
                return UNDER_FIVE_HEALTH_REVIEW_INTERVAL
        return None

    def duty_applies(self, duty_code: str, on: datetime.date) -> bool:
        """Whether a duty applies to this child at all on ``on`` (the deadline engine asks before starting one).

        A personal education plan is for a child of compulsory school age (Promoting the education of
        looked-after and previously looked-after children, statutory guidance 2018; compulsory school age,
        Education Act 1996 s8: from the term after the fifth birthday to the last Friday in June of the
        school year in which the child turns 16). Approximated here as aged 5 to 15 on the day, so that a
        baby in care has no PEP deadline to breach; councils that keep early-years and post-16 PEPs record
        them all the same.
        """
        if duty_code in PEP_DUTIES:
            age = self.child.person.age_on(on)
            return age is not None and COMPULSORY_SCHOOL_AGES[0] <= age <= COMPULSORY_SCHOOL_AGES[1]
        return True


class LacEpisodeQuerySet(models.QuerySet):
    def open(self) -> "LacEpisodeQuerySet":
        return self.filter(end_date__isnull=True)


class LacEpisode(Recorded, Versioned):
    """An SSDA903 episode: one legal status, one placement. A child has at most one open episode (rule 142);
    within a period each begins the day the one before ended with X1 (rules 433, 501)."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="lac_episodes")
    start_date = models.DateField("episode start", help_text="DECOM")
    reason_new_episode = models.CharField(max_length=1, help_text="RNE (reference data)")
    legal_status = models.CharField(max_length=2, help_text="LS (reference data)")
    need_code = models.CharField(
        "category of need", max_length=2, help_text="CIN: N1-N8, as at the start of the period (rule 504)"
    )
    placement_type = models.CharField(max_length=3, help_text="PLACE (reference data)")
    placement_provider = models.CharField(
        max_length=3,
        blank=True,
        help_text="PLACE_PROVIDER (reference data); blank for temporary and other placements",
    )
    provider_name = models.CharField("provider's name", max_length=200, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True, help_text="HOME_POST")
    placement_postcode = models.CharField(max_length=8, blank=True, help_text="PL_POST")
    urn = models.CharField("Ofsted URN", max_length=8, blank=True, help_text="URN")
    long_term = models.BooleanField(
        "placement intended to last until 18",
        default=False,
        help_text="CPPCR 2010 reg 28(2)(b)(ii): visits become 3-monthly after the placement's first year",
    )
    end_date = models.DateField("episode end", null=True, blank=True, help_text="DEC")
    end_reason = models.CharField(max_length=3, blank=True, help_text="REC (reference data)")
    reason_place_change = models.CharField(
        "reason for the placement change", max_length=6, blank=True, help_text="REASON_PLACE_CHANGE"
    )

    objects = LacEpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = "looked-after episode"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="lac_episode_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_lac_episode"
            ),
            # A new episode begins after the one before: no two begin the same day in a period (rule 501).
            models.UniqueConstraint(fields=["period", "start_date"], name="lac_episode_one_start_a_day"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="lac_episode_dates_in_order",
            ),
            # Rule 148: a date ceased and a reason ceased together.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="lac_episode_end_with_reason",
            ),
            # Rule 233: a reason for a placement change only on an episode that has ceased.
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(reason_place_change=""),
                name="lac_episode_place_change_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.start_date}: {self.legal_status} {self.placement_type}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def is_temporary(self) -> bool:
        return is_temporary(self.placement_type)

    @property
    def legal_status_label(self) -> str:
        return label("legal_status", self.legal_status)

    @property
    def placement_type_label(self) -> str:
        return label("placement_type", self.placement_type)

    @property
    def placement_provider_label(self) -> str:
        return label("placement_provider", self.placement_provider) if self.placement_provider else ""

    @property
    def reason_new_episode_label(self) -> str:
        return label("reason_new_episode", self.reason_new_episode)

    @property
    def end_reason_label(self) -> str:
        return label("reason_episode_ceased", self.end_reason) if self.end_reason else ""

    @property
    def reason_place_change_label(self) -> str:
        return label("reason_place_change", self.reason_place_change) if self.reason_place_change else ""


class LacPlanKind(models.TextChoices):
    CARE_PLAN = "care_plan", "Care plan"
    PLACEMENT_PLAN = "placement_plan", "Placement plan"


class LacPlan(Recorded):
    """A care plan (CPPCR 2010 reg 4: before the first placement or within 10 working days of it) or a
    placement plan (reg 9: before the placement or within 5 working days of it) completed. A placement plan
    belongs to the episode that began the placement."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="lac_plans")
    kind = models.CharField(max_length=20, choices=LacPlanKind.choices)
    episode = models.ForeignKey(
        LacEpisode, null=True, blank=True, on_delete=models.PROTECT, related_name="placement_plans"
    )
    completed_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LacPlanKind.values), name="lac_plan_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=LacPlanKind.CARE_PLAN, episode__isnull=True)
                | Q(kind=LacPlanKind.PLACEMENT_PLAN, episode__isnull=False),
                name="lac_plan_placement_plan_has_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} completed {self.completed_on}"


class LacReview(Recorded):
    """A looked-after review (CPPCR 2010 reg 33: the first within 20 working days of the child becoming
    looked after, the second within 3 months of the first, then at most 6 months apart), with how the child
    took part (SSDA903 Reviews: REVIEW, REVIEW_CODE PN0-PN7)."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="lac_reviews")
    held_on = models.DateField(help_text="REVIEW")
    participation = models.CharField(max_length=3, help_text="REVIEW_CODE (reference data)")
    summary = models.TextField(blank=True)

    class Meta:
        verbose_name = "looked-after review"
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "held_on"], name="one_lac_review_a_day"),
        ]

    def __str__(self) -> str:
        return f"Looked-after review on {self.held_on}"

    @property
    def participation_label(self) -> str:
        return label("review_participation", self.participation)


class HealthCheckKind(models.TextChoices):
    INITIAL = "initial", "Initial health assessment"
    REVIEW = "review", "Review health assessment"
    DENTAL = "dental", "Dental check"


class HealthAssessment(Recorded):
    """A health assessment (initial, or review: Promoting the health and well-being of looked-after children,
    statutory guidance 2015; CPPCR 2010 reg 7), or a dental check (SSDA903 OC2 TEETH_CHECK; Annex A list 8
    "last health and dental checks"). One initial assessment in a period."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="health_assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_assessments")
    kind = models.CharField(max_length=10, choices=HealthCheckKind.choices)
    done_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HealthCheckKind.values), name="health_check_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(kind=HealthCheckKind.INITIAL),
                name="one_initial_health_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.done_on}"


class PersonalEducationPlan(Recorded):
    """A personal education plan completed or reviewed: part of the care plan (Promoting the education of
    looked-after and previously looked-after children, statutory guidance 2018), reviewed each term."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="education_plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="education_plans")
    completed_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        verbose_name = "personal education plan"
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"Personal education plan on {self.completed_on}"


class MissingKind(models.TextChoices):
    """SSDA903 Missing: MISSING."""

    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class MissingEpisode(Recorded, Versioned):
    """A time the child was missing, or away without authorisation, from their placement (SSDA903 Missing:
    MISSING, MIS_START, MIS_END), and the independent return interview offered within 72 hours of their
    return (Children who run away or go missing from home or care, statutory guidance 2014). One open at a
    time, none overlapping (rule 574)."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="missing_episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind.choices, help_text="MISSING")
    start_date = models.DateField("date missing from", help_text="MIS_START")
    end_date = models.DateField("date returned", null=True, blank=True, help_text="MIS_END")
    interview_offered_on = models.DateField("return interview offered", null=True, blank=True)
    interview_accepted_on = models.DateField("return interview accepted", null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="missing_episode_child_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MissingKind.values), name="missing_kind_valid"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_missing_episode"
            ),
            models.CheckConstraint(  # rule 567
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="missing_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(interview_offered_on__isnull=True)
                | Q(end_date__isnull=False, interview_offered_on__gte=F("end_date")),
                name="return_interview_offered_after_return",
            ),
            models.CheckConstraint(
                condition=Q(interview_accepted_on__isnull=True)
                | Q(interview_offered_on__isnull=False, interview_accepted_on__gte=F("interview_offered_on")),
                name="return_interview_accepted_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


# -- care leavers ---------------------------------------------------------------------------------------------


class CareLeaverStatus(models.TextChoices):
    """Who the leaving care duties are owed to (Children Act 1989 ss19B, 23A, 23C, 24)."""

    ELIGIBLE = "eligible", "Eligible (aged 16 or 17 and still looked after)"
    RELEVANT = "relevant", "Relevant (aged 16 or 17 and has left care)"
    FORMER_RELEVANT = "former_relevant", "Former relevant (aged 18 to 25)"
    QUALIFYING = "qualifying", "Qualifying (advice and assistance only)"


class CareLeaverEndReason(models.TextChoices):
    AGED_OUT = "aged_out", "Reached 21, or 25 where support continued"
    NO_LONGER_WANTED = "declined", "No longer wants support"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class CareLeaverQuerySet(models.QuerySet):
    def open(self) -> "CareLeaverQuerySet":
        return self.filter(end_date__isnull=True)


class CareLeaver(Recorded, Versioned):
    """A young person the local authority owes leaving care duties: their status, their personal adviser
    (CPPCR 2010 reg 44; CA89 s23B(2), s23C(3)), from when to when. One open record per young person; it is
    the scope of the needs assessment, pathway plan and personal adviser visit deadlines."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_records")
    status = models.CharField("eligibility", max_length=20, choices=CareLeaverStatus.choices)
    status_since = models.DateField("eligibility since")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=CareLeaverEndReason.choices, blank=True)
    personal_adviser = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="advised_care_leavers"
    )

    objects = CareLeaverQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(
                fields=["personal_adviser"],
                name="care_leaver_open_pa_idx",
                condition=Q(end_date__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_care_leaver"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CareLeaverStatus.values), name="care_leaver_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & Q(end_reason__in=CareLeaverEndReason.values)),
                name="care_leaver_end_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="care_leaver_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=F("start_date")), name="care_leaver_status_since_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Care leaver ({self.get_status_display()}) from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def includes(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class NeedsAssessment(Recorded):
    """The assessment of an eligible or relevant child's needs (CPPCR 2010 regs 40-42; CLR 2010 reg 5):
    within 3 months of their 16th birthday or becoming eligible."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="needs_assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="needs_assessments")
    completed_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"Needs assessment on {self.completed_on}"


class PathwayPlan(Recorded):
    """The pathway plan that follows the needs assessment (CPPCR 2010 reg 43; CLR 2010 reg 6), reviewed at
    least every 6 months (CLR reg 7). One for each care leaver record: it is revised at its reviews."""

    care_leaver = models.OneToOneField(CareLeaver, on_delete=models.PROTECT, related_name="pathway_plan")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pathway_plans")
    started_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"Pathway plan from {self.started_on}"


class PathwayPlanReview(Recorded):
    plan = models.ForeignKey(PathwayPlan, on_delete=models.PROTECT, related_name="reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pathway_plan_reviews")
    reviewed_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reviewed_on"], name="one_pathway_review_a_day")
        ]

    def __str__(self) -> str:
        return f"Pathway plan review on {self.reviewed_on}"


class CareLeaverContact(Recorded):
    """Whether the local authority is in touch with the young person (SSDA903 OC3 IN_TOUCH), as found on a
    day; the return reads the contact nearest each birthday from 17 to 25."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="contacts")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    contacted_on = models.DateField()
    in_touch = models.CharField(max_length=4, help_text="IN_TOUCH (reference data)")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"Contact on {self.contacted_on}: {self.in_touch}"

    @property
    def in_touch_label(self) -> str:
        return label("care_leaver_in_touch", self.in_touch)


class CareLeaverAccommodation(Recorded):
    """Where the young person lives from a date (SSDA903 OC3 ACCOM: the letter, then 1 suitable or 2 not),
    and whether the local authority provides it (CLR 2010 reg 8: then the personal adviser visits within 7
    days and at most every 2 months)."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="accommodation")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_accommodation")
    start_date = models.DateField()
    code = models.CharField(max_length=1, help_text="ACCOM letter (reference data)")
    suitable = models.BooleanField()
    provided_by_la = models.BooleanField("provided by the local authority", default=False)

    class Meta:
        verbose_name_plural = "care leaver accommodation"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_leaver", "start_date"], name="one_accommodation_change_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Accommodation {self.oc3_code} from {self.start_date}"

    @property
    def oc3_code(self) -> str:
        return f"{self.code}{1 if self.suitable else 2}"

    @property
    def code_label(self) -> str:
        return label("care_leaver_accommodation", self.code)


class CareLeaverActivity(Recorded):
    """What the young person is doing from a date: education, training, employment or not (SSDA903 OC3
    ACTIV)."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="activities")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_leaver_activities")
    start_date = models.DateField()
    code = models.CharField(max_length=2, help_text="ACTIV (reference data)")

    class Meta:
        verbose_name_plural = "care leaver activities"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["care_leaver", "start_date"], name="one_activity_change_a_day")
        ]

    def __str__(self) -> str:
        return f"Activity {self.code} from {self.start_date}"

    @property
    def code_label(self) -> str:
        return label("care_leaver_activity", self.code)


# -- SSDA903 OC2 and UASC ---------------------------------------------------------------------------------------
#
# A collection year runs from 1 April to 31 March and is named by the year it ends: 2025 is 1 April 2024 to
# 31 March 2025 (the DfE's "2024-25"; ``core.years.CollectionYear``).


def _birthday(born: datetime.date, years: int) -> datetime.date:
    return add_calendar_months(born, 12 * years)


def sdq_applies(born: datetime.date, year_end: int) -> bool:
    """Whether an SDQ score, or the reason there is none, is returned for the child (SSDA903 rules 186, 188,
    189, 197B): not for a child under 4 at the end of the year, nor one 17 or over at its start. The SDQ is
    for ages 4 to 16 (Promoting the health and well-being of looked-after children, statutory guidance 2015)."""
    return (
        _birthday(born, 4) <= CollectionYear(year_end).end
        and _birthday(born, 17) > CollectionYear(year_end).start
    )


def sdq_age_reason_allowed(born: datetime.date, year_end: int) -> bool:
    """Whether SDQ1 (no SDQ: the child was under 4 or over 17 when it was due) may be the reason: only for a
    child who turned 4 or 17 in the year. Rule 157 refuses it for a child 4 or over at the start of the year
    and 16 or under at its end (the DfE's wording, "not yet 17"; the validator reads "16 or under" as "turns
    16 on or after 31 March", which refuses it for fewer children)."""
    return (
        _birthday(born, 4) > CollectionYear(year_end).start
        or _birthday(born, 17) <= CollectionYear(year_end).end
    )


def convictions_apply(born: datetime.date, year_end: int) -> bool:
    """CONVICTED is returned for a child aged 10 or over at 31 March, and only for them (rules 542, 543; the
    age of criminal responsibility, Children and Young Persons Act 1933 s50)."""
    return _birthday(born, 10) <= CollectionYear(year_end).end


def health_check_applies(born: datetime.date, year_end: int) -> bool:
    """HEALTH_CHECK (development checks up to date) is returned for a child under 5 at 31 March, and only for
    them (rules 545, 546)."""
    return _birthday(born, 5) > CollectionYear(year_end).end


def derived_health_items(
    born: datetime.date | None, year_end: int, checks: Iterable[tuple[str, datetime.date]]
) -> dict[str, bool | None]:
    """The OC2 items Safeguard already knows from the child's ``HealthAssessment`` rows (``checks``: kind and
    day), for a child looked after continuously for 12 months at 31 March of ``year_end``:

    - ``teeth_check`` (TEETH_CHECK): a dental check done in the year;
    - ``health_assessment`` (HEALTH_ASSESSMENT): an initial or review health assessment done in the year;
    - ``health_check`` (HEALTH_CHECK, under 5 at 31 March only): the child's health assessments were up to
      date at 31 March, the last done within the 6 months before it. For a child under 5 the review health
      assessment is 6-monthly and carries the development checks of the Healthy Child Programme (statutory
      guidance 2015), so a worker is not asked again whether the development checks were done.
    """
    start, end = CollectionYear(year_end).start, CollectionYear(year_end).end
    in_year = [(kind, day) for kind, day in checks if start <= day <= end]
    assessments = sorted(day for kind, day in checks if kind != HealthCheckKind.DENTAL and day <= end)
    health_check = None
    if born is not None and health_check_applies(born, year_end):
        months = UNDER_FIVE_HEALTH_REVIEW_INTERVAL.length
        health_check = bool(assessments) and add_calendar_months(assessments[-1], months) >= end
    return {
        "health_check": health_check,
        "teeth_check": any(kind == HealthCheckKind.DENTAL for kind, _ in in_year),
        "health_assessment": any(kind != HealthCheckKind.DENTAL for kind, _ in in_year),
    }


class AnnualOutcome(Recorded, Versioned):
    """Outcomes for a child looked after continuously for 12 months at 31 March (SSDA903 OC2), one record for
    each child for each collection year (``year_end``: 2025 for 1 April 2024 to 31 March 2025). The cohort is
    the DfE's: looked after throughout the year (a period of care that began by 1 April and had not ended
    before 31 March) with no short break (V3, V4) in it (``selectors.oc2_cohort``).

    **Derived, never typed** (``derived_health_items``, from the child's ``HealthAssessment`` rows):
    TEETH_CHECK (a dental check in the year), HEALTH_ASSESSMENT (an initial or review health assessment in
    the year) and, under 5, HEALTH_CHECK (health assessments, which carry the development checks, up to date
    at 31 March).

    **Recorded once a year by a worker** (the service, ``annual_outcome_record``, checks them against the
    DfE's rules): the SDQ total (SDQ_SCORE, 0-40; rule 180) or the reason there is none (SDQ_REASON,
    reference data ``sdq_reason``; rule 196), ages 4 to 16 only (rules 186, 188, 189, 197B; SDQ1 only for a
    child who turned 4 or 17 in the year, rule 157), never both (197a); whether immunisations are up to date
    (IMMUNISATIONS; rule 191); for a child 10 or over at 31 March, whether convicted of an offence in the
    year (CONVICTED; rules 542, 543); whether a substance misuse problem was identified in the year
    (SUBSTANCE_MISUSE; 191), and only then whether the child received an intervention for it
    (INTERVENTION_RECEIVED; 192, 193), and only if not, whether one was offered (INTERVENTION_OFFERED; 158,
    159). Each 0/1 item is a nullable boolean: blank where the return leaves it blank. The constraints below
    hold whatever the child's age; the age rules need the date of birth and are the service's.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="annual_outcomes")
    year_end = models.PositiveSmallIntegerField(
        "collection year", help_text="The year in which the collection year ends: 2025 for 2024-25"
    )
    sdq_score = models.PositiveSmallIntegerField(
        "SDQ total score", null=True, blank=True, help_text="SDQ_SCORE: 0 to 40"
    )
    sdq_reason = models.CharField(
        "reason for no SDQ score", max_length=4, blank=True, help_text="SDQ_REASON (reference data)"
    )
    convicted = models.BooleanField(
        "convicted of an offence in the year", null=True, blank=True, help_text="CONVICTED: 10 or over"
    )
    immunisations = models.BooleanField(
        "immunisations up to date", null=True, blank=True, help_text="IMMUNISATIONS"
    )
    substance_misuse = models.BooleanField(
        "substance misuse problem identified in the year", null=True, blank=True, help_text="SUBSTANCE_MISUSE"
    )
    intervention_received = models.BooleanField(
        "received an intervention for substance misuse",
        null=True,
        blank=True,
        help_text="INTERVENTION_RECEIVED",
    )
    intervention_offered = models.BooleanField(
        "offered an intervention for substance misuse",
        null=True,
        blank=True,
        help_text="INTERVENTION_OFFERED",
    )
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "outcomes for a year looked after (OC2)"
        verbose_name_plural = "outcomes for years looked after (OC2)"
        ordering = ["-year_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "year_end"], name="one_annual_outcome_a_year"),
            models.CheckConstraint(  # rule 180
                condition=Q(sdq_score__isnull=True) | Q(sdq_score__gte=0, sdq_score__lte=40),
                name="annual_outcome_sdq_score_0_to_40",
            ),
            models.CheckConstraint(  # rule 197a
                condition=Q(sdq_score__isnull=True) | Q(sdq_reason=""),
                name="annual_outcome_sdq_score_or_reason",
            ),
            # Rule 193: interventions only where a substance misuse problem was identified.
            models.CheckConstraint(
                condition=Q(intervention_received__isnull=True, intervention_offered__isnull=True)
                | Q(substance_misuse__isnull=False, substance_misuse=True),
                name="annual_outcome_intervention_with_misuse",
            ),
            models.CheckConstraint(  # rule 192
                condition=~Q(substance_misuse=True) | Q(intervention_received__isnull=False),
                name="annual_outcome_misuse_intervention_received_given",
            ),
            models.CheckConstraint(  # rule 158
                condition=~Q(intervention_received=True) | Q(intervention_offered__isnull=True),
                name="annual_outcome_offered_blank_when_received",
            ),
            models.CheckConstraint(  # rule 159
                condition=~Q(intervention_received=False) | Q(intervention_offered__isnull=False),
                name="annual_outcome_offered_given_when_not_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcomes for {self.year_end - 1}-{self.year_end % 100:02d}"

    @property
    def year_label(self) -> str:
        return f"{self.year_end - 1}-{self.year_end % 100:02d}"

    @property
    def sdq_reason_label(self) -> str:
        return label("sdq_reason", self.sdq_reason) if self.sdq_reason else ""


class UascEndReason(models.TextChoices):
    AGED_18 = "aged_18", "Turned 18"
    AGE_ASSESSED = "age_assessed", "Assessed as 18 or over"
    OTHER = "other", "No longer unaccompanied or seeking asylum"


class UascStatusQuerySet(models.QuerySet):
    def open(self) -> "UascStatusQuerySet":
        return self.filter(end_date__isnull=True)


class UascStatus(Recorded, Versioned):
    """A time the child was an unaccompanied asylum-seeking child (UASC): a child under 18 who has applied for
    asylum in their own right and is separated from both parents and any other adult who by law or custom
    has responsibility for them (Home Office, Children's asylum claims; DfE SSDA903 guide: UASC). From
    ``start_date`` (usually the day they started to be looked after) to the date the status ceased
    (``end_date``, SSDA903 UASC: DUC), at 18 at the latest. One open at a time, none overlapping.

    The SSDA903 UASC table (SEX, DOB, DUC) has a row for each child looked after in the year who was UASC in
    it (rules 1014, 205A-D); while the status lasts its DUC is the child's 18th birthday (rule 205B as the
    DfE-community validator reads it: ``UascStatus.date_ceased_for_return``). A child who is or was UASC has
    no postcodes or placement distance (rules 392B, 406)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="uasc_statuses")
    start_date = models.DateField("UASC since")
    end_date = models.DateField("date UASC status ceased", null=True, blank=True, help_text="DUC")
    end_reason = models.CharField(
        "why UASC status ceased", max_length=20, choices=UascEndReason.choices, blank=True
    )
    notes = models.TextField(blank=True)

    objects = UascStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "UASC status"
        verbose_name_plural = "UASC statuses"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="uasc_status_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_uasc_status"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="uasc_status_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | Q(end_date__isnull=False, end_reason__in=UascEndReason.values),
                name="uasc_status_end_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"UASC from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def date_ceased_for_return(self, year_end: int) -> datetime.date | None:
        """DUC in the return of ``year_end``: the day the status ceased if it had by 31 March, otherwise the
        child's 18th birthday (rule 205B), or None if their date of birth is unknown."""
        if self.end_date is not None and self.end_date <= CollectionYear(year_end).end:
            return self.end_date
        born = self.child.person.date_of_birth
        return _birthday(born, 18) if born else None


class AdoptionQuerySet(models.QuerySet):
    def open(self) -> "AdoptionQuerySet":
        """Decisions that still stand: neither reversed nor ended in an adoption order."""
        return self.filter(reversed_on__isnull=True, order_on__isnull=True)


class Adoption(Recorded, Versioned):
    """A child's adoption journey, from the agency decision maker's decision that they should be placed for
    adoption (Adoption Agencies Regulations 2005 reg 19) to the adoption order (Adoption and Children Act 2002
    s46) or the decision that they should no longer be placed (reversed, with the reason).

    It is what the SSDA903 returns about adoption (DfE SSDA903 guide; DOMAIN.md §4) and Ofsted's Annex A list
    10 asks:

    - ``decided_on``: the date of the decision that the child should be placed for adoption (PlacedAdoption
      DATE_PLACED; AD1 DATE_INT, the same day: rule 523). On or after the child started to be looked after
      (rules 334, 1003), on or before the first placement for adoption (A3-A6; rules 521, 552) and any
      placement or freeing order (E1, D1; rules 554, 556);
    - ``ffa_or_concurrency_on``: the day the child was placed in a fostering for adoption or concurrent
      planning placement (U2, U5), where they were (Annex A list 10);
    - ``matched_on``: the date the child was matched with the prospective adopters (AD1 DATE_MATCH), on or
      after the decision (333) and on or before the placement (331), before the adoption order (582);
    - ``placed_on``: the day the child was placed with the prospective adopters (the A3-A6 episode begins);
    - ``order_on``: the day the adoption order was granted (the episode ends E11 or E12);
    - ``reversed_on`` and ``reversal_reason``: the decision that the child should no longer be placed for
      adoption (PlacedAdoption DATE_PLACED_CEASED and REASON_PLACED_CEASED, reference data
      ``adoption_reversal``, RD1-RD4), both or neither (rule 119), never before the decision (522), never for
      a child adopted (558);
    - the adopters, for the AD1 table of the year the child was adopted: whether they were the child's foster
      carers (FOSTER_CARE), how many (NB_ADOPTR, 1 or 2; rule 175), their sexes (SEX_ADOPTR, reference data
      ``adopter_sex``) and legal status (LS_ADOPTR, ``adopter_legal_status``), which agree with each other
      (rules 511, 514, 517-520, 524). All four or none (rule 151).

    A child has at most one decision standing at a time (rules 579, 583): a new one follows a reversal.
    ``services.adoption_record`` and ``adoption_update`` check the rest against the child's episodes.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adoptions")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="adoptions")
    decided_on = models.DateField(
        "date of the decision that the child should be placed for adoption", help_text="DATE_PLACED, DATE_INT"
    )
    ffa_or_concurrency_on = models.DateField(
        "date placed for fostering for adoption or concurrent planning", null=True, blank=True
    )
    matched_on = models.DateField(
        "date matched with the adopters", null=True, blank=True, help_text="DATE_MATCH"
    )
    placed_on = models.DateField("date placed with the adopters", null=True, blank=True)
    order_on = models.DateField("date of the adoption order", null=True, blank=True)
    reversed_on = models.DateField(
        "date of the decision that the child should no longer be placed for adoption",
        null=True,
        blank=True,
        help_text="DATE_PLACED_CEASED",
    )
    reversal_reason = models.CharField(
        max_length=3, blank=True, help_text="REASON_PLACED_CEASED (reference data adoption_reversal)"
    )
    adopted_by_foster_carers = models.BooleanField(
        "adopted by the child's foster carers", null=True, blank=True, help_text="FOSTER_CARE"
    )
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True, help_text="NB_ADOPTR")
    adopters_sex = models.CharField(
        max_length=2, blank=True, help_text="SEX_ADOPTR (reference data adopter_sex)"
    )
    adopters_legal_status = models.CharField(
        max_length=3, blank=True, help_text="LS_ADOPTR (reference data adopter_legal_status)"
    )
    notes = models.TextField(blank=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["child", "decided_on"], name="adoption_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(reversed_on__isnull=True, order_on__isnull=True),
                name="one_open_adoption_decision",
            ),
            models.CheckConstraint(  # rule 119
                condition=Q(reversed_on__isnull=True, reversal_reason="")
                | (Q(reversed_on__isnull=False) & ~Q(reversal_reason="")),
                name="adoption_reversed_with_reason",
            ),
            models.CheckConstraint(  # rule 558: adopted, so never reversed
                condition=Q(reversed_on__isnull=True) | Q(order_on__isnull=True),
                name="adoption_not_both_reversed_and_ordered",
            ),
            models.CheckConstraint(  # rule 522
                condition=Q(reversed_on__isnull=True) | Q(reversed_on__gte=F("decided_on")),
                name="adoption_reversed_after_decided",
            ),
            models.CheckConstraint(  # rule 333
                condition=Q(matched_on__isnull=True) | Q(matched_on__gte=F("decided_on")),
                name="adoption_matched_after_decided",
            ),
            models.CheckConstraint(  # rule 175
                condition=Q(number_of_adopters__isnull=True) | Q(number_of_adopters__in=(1, 2)),
                name="adoption_one_or_two_adopters",
            ),
        ]

    def __str__(self) -> str:
        return f"Adoption decision of {self.decided_on} for {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.reversed_on is None and self.order_on is None

    @property
    def reversal_reason_label(self) -> str:
        return label("adoption_reversal", self.reversal_reason) if self.reversal_reason else ""


class DeprivationOfLibertyQuerySet(models.QuerySet):
    def open(self) -> "DeprivationOfLibertyQuerySet":
        return self.filter(end_date__isnull=True)


class DeprivationOfLiberty(Recorded, Versioned):
    """A deprivation of liberty order (DoLO): a court's authorisation to deprive a looked-after child of their
    liberty, made by the High Court under its inherent jurisdiction where no secure accommodation order
    (Children Act 1989 s25) applies, from ``start_date`` to ``end_date`` (blank while it is in force).

    It is what the SSDA903 returns from 2026-27 in its DoLo table (CHILD, DOB, DOLO_START, DOLO_END; rules
    700-710): an order begins and ends within a period of care (707), after the child's birth (708), no
    sooner than the one before it has ended (705, one open at a time), and while it lasts the child is
    placed in a children's home (K2) or an other placement Z12 or Z13 (709), never a secure children's home,
    with parents, a young offender institution or supported accommodation (710)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="deprivations_of_liberty")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="deprivations_of_liberty")
    start_date = models.DateField("date the order started", help_text="DOLO_START")
    end_date = models.DateField("date the order ended", null=True, blank=True, help_text="DOLO_END")
    notes = models.TextField(blank=True)

    objects = DeprivationOfLibertyQuerySet.as_manager()

    class Meta:
        verbose_name = "deprivation of liberty order"
        verbose_name_plural = "deprivation of liberty orders"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="dolo_child_idx")]
        constraints = [
            models.UniqueConstraint(  # rule 705
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_dolo"
            ),
            models.CheckConstraint(  # rule 702
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="dolo_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Deprivation of liberty order from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None
