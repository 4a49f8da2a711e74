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


class Post(Recorded):
    """A funded post in a team's establishment. A post with no holder is a vacancy; cover may be agency."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=100)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=1)
    is_social_work_post = models.BooleanField(default=True)
    holder = models.OneToOneField(
        Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="post"
    )
    vacant_since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(holder__isnull=False) | Q(vacant_since__isnull=False), name="vacant_post_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.team}"

    @property
    def is_vacant(self) -> bool:
        return self.holder_id is None


class AllocationRole(models.TextChoices):
    """Why a worker is named on a child's record."""

    SOCIAL_WORKER = "social_worker", "Allocated worker"
    IRO = "iro", "Independent reviewing officer"


class AllocationQuerySet(DatedQuerySet):
    def current(self, on: datetime.date | None = None) -> "AllocationQuerySet":
        return self.current_on(on or timezone.localdate())


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
