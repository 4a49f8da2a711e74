"""The council's children's services as an organisation: devolved areas, teams, workers, posts, allocations.

Imports ``core`` and ``people`` only.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.models import Recorded
from safeguard.people.models import Child, Dated, DatedQuerySet, dates_in_order


class Area(Recorded):
    """A devolved locality with its own head of service: the unit a large city is run and reported by."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door (MASH)"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    DISABLED_CHILDREN = "disabled_children", "Disabled children"
    SAFEGUARDING_UNIT = "safeguarding_unit", "Safeguarding and reviewing (IROs and CP chairs)"


class Team(Recorded):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=TeamKind.choices)

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=TeamKind.values), name="team_kind_valid")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a worker does, which (with their team and area) decides what the access policy lets them see."""

    FRONT_DOOR_WORKER = "front_door_worker", "Front door worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    FAMILY_SUPPORT_WORKER = "family_support_worker", "Family support worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    DIRECTOR = "director", "Director of Children's Services"
    IRO = "iro", "Independent reviewing officer"
    INSPECTOR = "inspector", "Inspector (read only)"
    ADMINISTRATOR = "administrator", "System administrator"
    # Reads only the records of children whose case file they have been assigned to audit, and only while
    # the audit is open (safeguard/oversight/policies.py; ADR 7).
    AUDITOR = "auditor", "Quality assurance auditor"
    # Prepares the statutory returns (safeguard/returns): sees the census facts of every child in a return and
    # the validation report, but opens no case record (ADR 11).
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    # Information governance (the council's data protection function, UK GDPR arts. 37-39): answers subject
    # access requests, reviews records for disposal, reads the access logs and owns the restricted-records
    # register. Opens no case record by role; a subject access request assigned to them is the only route
    # (issue 8, docs/security.md).
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"
    # Staff of a partner agency (police, health, a school) given a sign-in: they see only the fields of a
    # child's record that a share gives them, and only until the share ends (safeguard/sharing; issue 8).
    PARTNER_AGENCY = "partner_agency", "Partner agency user"


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class Worker(Recorded):
    """A member of staff (or an inspector) who signs in. Every user of the service has exactly one.

    A child in need must have a qualified allocated social worker, registered with Social Work England
    (Children and Social Work Act 2017 Part 2); ``is_qualified`` and ``swe_number`` record that.
    ``qualified_on`` is the day they first registered as a social worker: the twelve months after it are
    their Assessed and Supported Year in Employment (ASYE), in which they are supervised more often
    (safeguard/oversight/supervision.py).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="worker")
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="workers")
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="heads_of_service",
        help_text="For a head of service: the area they lead.",
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="direct_reports"
    )
    job_title = models.CharField(max_length=100, blank=True)
    is_qualified = models.BooleanField("qualified social worker", default=False)
    qualified_on = models.DateField(
        "date qualified",
        null=True,
        blank=True,
        help_text="The day they first registered with Social Work England. The year after it is their "
        "assessed and supported year in employment (ASYE).",
    )
    swe_number = models.CharField("Social Work England number", max_length=12, blank=True)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=1)
    employment = models.CharField(max_length=10, choices=Employment.choices, default=Employment.PERMANENT)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="worker_role_valid"),
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="worker_fte_range"),
            models.CheckConstraint(
                condition=~Q(role=Role.HEAD_OF_SERVICE) | Q(area__isnull=False),
                name="head_of_service_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Grade(models.TextChoices):
    """The grade of a post in the establishment: what the post-holder does, which decides whether a qualified
    social worker must hold it and whether it holds cases (and so counts towards capacity).

    The qualified grades are the "children and family social workers" of the DfE children's social work
    workforce census: social workers registered with Social Work England working in children's services,
    whether they hold cases, manage or review (explore-education-statistics.service.gov.uk, "Children's social
    work workforce", methodology).
    """

    ASYE = "asye", "Newly qualified social worker (ASYE)"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior social worker or practitioner"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    REVIEWING_OFFICER = "reviewing_officer", "Independent reviewing officer or child protection chair"
    FAMILY_SUPPORT_WORKER = "family_support_worker", "Family support worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    SUPPORT_OFFICER = "support_officer", "Front door or support officer"


# Grades whose holders hold cases: their filled FTE is the service's capacity (safeguard/workforce/capacity.py).
CASE_HOLDING_GRADES = frozenset(
    {Grade.ASYE, Grade.SOCIAL_WORKER, Grade.SENIOR_PRACTITIONER, Grade.ADVANCED_PRACTITIONER}
)
# Grades that only a qualified (registered) social worker may hold.
QUALIFIED_GRADES = CASE_HOLDING_GRADES | {Grade.TEAM_MANAGER, Grade.REVIEWING_OFFICER}


class PostQuerySet(models.QuerySet):
    def established_on(self, day: datetime.date) -> "PostQuerySet":
        return self.filter(established_on__lte=day).filter(
            Q(disestablished_on__isnull=True) | Q(disestablished_on__gt=day)
        )


class Post(Recorded):
    """A funded post in a team's establishment, from the day it was established until the day it was cut.

    Who held it, and when, is its ``fillings`` (``PostFilling``): a post with no filling on a day was vacant
    that day; one filled by an agency worker was covered, and still counts as a vacancy in the DfE's vacancy
    rate (safeguard/workforce/rates.py). The establishment on any past day is therefore a query, not a memory
    (ADR 9). A post is never deleted: a cut post keeps ``disestablished_on`` (the first day it no longer
    exists) and the reason.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=100)
    grade = models.CharField(max_length=30, choices=Grade.choices, default=Grade.SOCIAL_WORKER)
    fte = models.DecimalField(
        "FTE", max_digits=3, decimal_places=2, default=1, help_text="Full-time equivalent: 1 is full time."
    )
    is_social_work_post = models.BooleanField(
        "a qualified social worker is required",
        default=True,
        help_text="Only a social worker registered with Social Work England may hold it; the DfE workforce "
        "census counts these posts.",
    )
    established_on = models.DateField(help_text="The first day the post existed.")
    disestablished_on = models.DateField(
        null=True, blank=True, help_text="The first day the post no longer existed (it was cut)."
    )
    disestablished_reason = models.CharField(max_length=300, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["team__name", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="post_grade_valid"),
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="post_fte_range"),
            models.CheckConstraint(
                condition=Q(disestablished_on__isnull=True)
                | Q(disestablished_on__gt=models.F("established_on")),
                name="post_cut_after_established",
            ),
            models.CheckConstraint(
                condition=Q(disestablished_on__isnull=True, disestablished_reason="")
                | (Q(disestablished_on__isnull=False) & ~Q(disestablished_reason="")),
                name="post_cut_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.team}"

    def exists_on(self, day: datetime.date) -> bool:
        return self.established_on <= day and (self.disestablished_on is None or day < self.disestablished_on)

    @property
    def holds_cases(self) -> bool:
        return self.grade in CASE_HOLDING_GRADES


class LeavingReason(models.TextChoices):
    """Why a post's filling ended. Every reason but ``MOVED`` is a leaver from the council, which the DfE
    workforce census counts in turnover (for permanent staff); a move to another post in the council is not."""

    MOVED = "moved", "Moved to another post in the council (not a leaver)"
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    CONTRACT_ENDED = "contract_ended", "Fixed-term contract ended"
    REDUNDANCY = "redundancy", "Redundancy"
    DISMISSED = "dismissed", "Dismissed"
    AGENCY_ENDED = "agency_ended", "Agency assignment ended"
    DIED = "died", "Died in service"
    OTHER = "other", "Other or not known"


class PostFillingQuerySet(models.QuerySet):
    def current_on(self, day: datetime.date) -> "PostFillingQuerySet":
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class PostFilling(Recorded):
    """A worker in a post, from the day they started in it to their last day in it (inclusive): the history
    that vacancy, agency and turnover rates are computed from.

    ``employment`` is the worker's at the time (permanent employee or agency cover), kept here because a worker
    may later change from one to the other. ``moved_within_council`` marks a start that followed a move from
    another post in the council: not a starter, as the leaving filling was not a leaver.
    One worker holds one post at a time, and a post has one holder at a time (``workforce.services`` refuses
    overlaps; the constraints below guard the open rows).
    """

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="fillings")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="post_fillings")
    employment = models.CharField(max_length=10, choices=Employment.choices, default=Employment.PERMANENT)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day in the post.")
    leaving_reason = models.CharField(max_length=20, choices=LeavingReason.choices, blank=True)
    moved_within_council = models.BooleanField(
        default=False, help_text="Started after moving from another post in the council (not a starter)."
    )

    objects = PostFillingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["post", "start_date"], name="post_filling_post_idx"),
            models.Index(fields=["end_date"], name="post_filling_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="post_filling_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, leaving_reason="")
                | (Q(end_date__isnull=False) & Q(leaving_reason__in=LeavingReason.values)),
                name="post_filling_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(employment__in=Employment.values), name="post_filling_employment_valid"
            ),
            models.UniqueConstraint(
                fields=["post"], condition=Q(end_date__isnull=True), name="one_open_filling_per_post"
            ),
            models.UniqueConstraint(
                fields=["worker"], condition=Q(end_date__isnull=True), name="one_open_filling_per_worker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} in {self.post} from {self.start_date}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_leaver(self) -> bool:
        return self.end_date is not None and self.leaving_reason != LeavingReason.MOVED


class AllocationRole(models.TextChoices):
    """Why a worker is named on a child's record."""

    SOCIAL_WORKER = "social_worker", "Allocated worker"
    IRO = "iro", "Independent reviewing officer"


class AllocationQuerySet(DatedQuerySet):
    def current(self, on: datetime.date | None = None) -> "AllocationQuerySet":
        """Allocations held on ``on`` (end day included: the record of who held the case that day, which
        caseloads, the queue and the statutory returns count); without ``on``, those in force at this
        moment (``in_force``), which is what the access policy reads."""
        if on is None:
            return self.in_force()
        return self.current_on(on)

    def in_force(self) -> "AllocationQuerySet":
        """Allocations that give their worker the case right now: started, and not ended.

        An allocation's ``end_date`` is its last day, and the service cannot set it in the future
        (``allocation.services._check_end``), so an end date of today means it was ended today. Access ends
        when it is ended, on the very next request, not at midnight (issue 8: "removing an allocation takes
        effect on the very next request"; Caldicott principle 4, need to know). The day still counts as held
        for history: ``current(on=today)`` includes it."""
        today = timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gt=today),
        )


class Allocation(Recorded, Dated):
    """A child allocated to a worker in a team, from a date until a date.

    The minimal form the access policy needs; the allocation module builds the queue and caseloads on it.
    At most one current allocated worker per child (and one IRO); a change of worker ends one row and starts
    another, so who held the case on any day is never lost.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(
        max_length=20, choices=AllocationRole.choices, default=AllocationRole.SOCIAL_WORKER
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["worker", "end_date"], name="allocation_worker_idx"),
            models.Index(fields=["team", "end_date"], name="allocation_team_idx"),
            models.Index(fields=["child", "end_date"], name="allocation_child_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__isnull=False), name="allocation_has_start"),
            models.CheckConstraint(condition=dates_in_order(), name="allocation_dates_in_order"),
            models.CheckConstraint(condition=Q(role__in=AllocationRole.values), name="allocation_role_valid"),
            models.UniqueConstraint(
                fields=["child", "role"],
                condition=Q(end_date__isnull=True),
                name="one_open_allocation_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.worker} ({self.get_role_display()})"


# -- the city in numbers (issue 9) ----------------------------------------------------------------------------

# The first and last years an area's figures may be recorded for: the DfE's rates series begins with the
# children in need census of 2009-10, and nothing is known about a year this far ahead.
FIGURES_FIRST_YEAR = 2000
FIGURES_LAST_YEAR = 2100


class AreaPopulation(Recorded):
    """How many children aged 0 to 17 live in an area, as estimated for the middle of a calendar year.

    The denominator of every rate per 10,000 children. The DfE divides a count at (or the year to) 31 March
    by the ONS mid-year estimate of children aged 0 to 17 for the calendar year before (the rates for the year
    ending 31 March 2025 use the mid-2024 estimates: DfE 'Children in need' methodology, docs/domain.md §5a),
    so ``year`` is the estimate's year, not the statistical year it is used for. ``source_note`` says where
    the figure came from (the ONS release, or the council's own estimate for a locality the ONS does not
    publish), so anyone reading a rate can check its denominator.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the mid-year (30 June) estimate")
    children_0_17 = models.PositiveIntegerField("children aged 0 to 17")
    source_note = models.CharField(max_length=300)

    class Meta:
        ordering = ["area__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_population_one_per_year"),
            models.CheckConstraint(condition=Q(children_0_17__gt=0), name="area_population_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=FIGURES_FIRST_YEAR) & Q(year__lte=FIGURES_LAST_YEAR),
                name="area_population_year_range",
            ),
            models.CheckConstraint(condition=~Q(source_note=""), name="area_population_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.children_0_17:,} children aged 0 to 17 ({self.year})"


class AreaDeprivation(Recorded):
    """The deprivation around an area's children in a year: context beside its rates, not a measure.

    ``children_in_relative_poverty_percent``: children living in households below 60% of the median income
    (after housing costs, where the source says so: the note records which), as the DWP's 'Children in low
    income families' or the End Child Poverty Coalition's local estimates publish it.
    ``fsm_eligible_percent``: pupils eligible for free school meals, as the DfE's 'Schools, pupils and their
    characteristics' publishes it each January. Either may be unknown, not both.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="deprivation")
    year = models.PositiveSmallIntegerField(help_text="The year the figures describe")
    children_in_relative_poverty_percent = models.DecimalField(
        "children in relative poverty (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    fsm_eligible_percent = models.DecimalField(
        "pupils eligible for free school meals (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    source_note = models.CharField(max_length=300)

    class Meta:
        ordering = ["area__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_deprivation_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIGURES_FIRST_YEAR) & Q(year__lte=FIGURES_LAST_YEAR),
                name="area_deprivation_year_range",
            ),
            models.CheckConstraint(
                condition=Q(children_in_relative_poverty_percent__isnull=True)
                | (
                    Q(children_in_relative_poverty_percent__gte=0)
                    & Q(children_in_relative_poverty_percent__lte=100)
                ),
                name="area_deprivation_poverty_percent",
            ),
            models.CheckConstraint(
                condition=Q(fsm_eligible_percent__isnull=True)
                | (Q(fsm_eligible_percent__gte=0) & Q(fsm_eligible_percent__lte=100)),
                name="area_deprivation_fsm_percent",
            ),
            models.CheckConstraint(
                condition=Q(children_in_relative_poverty_percent__isnull=False)
                | Q(fsm_eligible_percent__isnull=False),
                name="area_deprivation_has_a_figure",
            ),
            models.CheckConstraint(condition=~Q(source_note=""), name="area_deprivation_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: deprivation ({self.year})"
