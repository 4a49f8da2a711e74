"""Casework for children in need and child protection, shaped as the CIN census shapes it.

The spine is the **child in need episode** (CIN census ``CINdetails``): from the referral to closure, with its
source, primary need and closure reason. Assessments, child in need plans, strategy discussions and section
47 enquiries, conferences and child protection plans hang from it. Every statutory clock these records
start lives in ``compliance.Deadline``; the models here say only what the law says about one row
(``statutory_period``), and the services raise the events.

Children Act 1989 s17 (children in need) and s47 (enquiries where a child is suffering, or likely to
suffer, significant harm); Working Together to Safeguard Children 2023 ch.3; the DfE CIN census
specification (DOMAIN.md §3).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.compliance.registry import Period
from safeguard.core.models import Recorded
from safeguard.core.reference import label
from safeguard.organisation.models import Area, Team, Worker
from safeguard.people.models import Child


class Versioned(models.Model):
    """Optimistic concurrency: a form carries the version it was read at, and a save at an older version is
    refused with what changed (``casework.services.save_versioned``)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class CinEpisodeQuerySet(models.QuerySet):
    def open(self) -> "CinEpisodeQuerySet":
        return self.filter(closure_date__isnull=True)


class CinEpisode(Recorded, Versioned):
    """A child in need episode (CIN census CINdetails): CINreferralDate, ReferralSource, PrimaryNeedCode,
    CINclosureDate, ReasonForClosure, ReferralNFA. A child has at most one open episode (rules 8815-8820)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cin_episodes")
    referral = models.OneToOneField(
        "frontdoor.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="cin_episode"
    )
    referral_date = models.DateField(help_text="CINreferralDate")
    referral_source = models.CharField(max_length=3, help_text="ReferralSource (reference data)")
    primary_need = models.CharField(max_length=2, blank=True, help_text="PrimaryNeedCode (reference data)")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cin_episodes")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cin_episodes")
    closure_date = models.DateField(null=True, blank=True, help_text="CINclosureDate")
    closure_reason = models.CharField(max_length=3, blank=True, help_text="ReasonForClosure (reference data)")
    referral_nfa = models.BooleanField(default=False, help_text="ReferralNFA: no further action on referral")
    # The child's episode this one follows: a re-referral within 12 months of the last closure, or a case a
    # manager reopened (``cin_episode_open``, ``closure.cin_episode_reopen``). The CIN census has no
    # "reopen": each is a new CINdetails with its own referral date; the link is for the people reading.
    previous_episode = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_episodes",
        help_text="The closed episode this one follows (a re-referral within 12 months, or reopened)",
    )
    reopen_reason = models.TextField(blank=True, help_text="Why a manager reopened the case, if they did")

    objects = CinEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "-pk"]
        indexes = [
            models.Index(fields=["child", "referral_date"], name="cin_episode_child_idx"),
            # The open cases each team holds, counted per team by the oversight dashboard and the queue.
            models.Index(
                fields=["team"], condition=Q(closure_date__isnull=True), name="cin_episode_open_team_idx"
            ),
            # The referrals of a period, with the child and area the performance measures count them by
            # (leadership.measures: re-referrals), read from the index alone.
            models.Index(fields=["referral_date", "child", "area"], name="cin_episode_referral_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(closure_date__isnull=True), name="one_open_cin_episode"
            ),
            # 8805/8810: a closure date and a reason come together.
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True, closure_reason="")
                | (Q(closure_date__isnull=False) & ~Q(closure_reason="")),
                name="cin_closure_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=models.F("referral_date")),
                name="cin_closure_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(previous_episode__isnull=True) | ~Q(previous_episode=models.F("pk")),
                name="cin_previous_episode_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need episode from {self.referral_date} for {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted for authorisation"
    AUTHORISED = "authorised", "Authorised"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_ASSESSMENT = (AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED)


class AssessmentOutcome(models.TextChoices):
    """What the assessment concluded should happen (Working Together 2023 ch.3: the outcomes of an assessment)."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CIN_PLAN = "cin_plan", "Child in need plan"
    SECTION_47 = "s47", "Strategy discussion and section 47 enquiry"
    LOOKED_AFTER = "looked_after", "Looked after"


class Assessment(Recorded, Versioned):
    """A single assessment under the Children Act 1989 s17 (CIN census Assessments): started, child seen,
    factors identified, the analysis of risk and need, an outcome, submitted, and authorised by a manager."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField(help_text="AssessmentActualStartDate")
    child_seen_on = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True, help_text="FactorsIdentifiedAtAssessment codes")
    analysis = models.TextField(blank=True, help_text="The analysis of risk and need")
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_on = models.DateField(null=True, blank=True, help_text="AssessmentAuthorisationDate")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorisation_rationale = models.TextField(
        blank=True, help_text="The manager's reasons for authorising: their oversight of the analysis"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["child", "start_date"], name="assessment_child_idx"),
            # The few waiting for a manager, among every assessment ever made (the approvals queue).
            models.Index(
                fields=["episode"],
                condition=Q(status=AssessmentStatus.SUBMITTED),
                name="assessment_submitted_idx",
            ),
            # The assessments authorised in a period (leadership.measures: within 45 working days).
            models.Index(
                fields=["authorised_on", "start_date", "episode"],
                condition=Q(status=AssessmentStatus.AUTHORISED),
                name="assessment_authorised_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*AssessmentOutcome.values, ""]), name="assessment_outcome_valid"
            ),
            # 8896: one open assessment per child.
            models.UniqueConstraint(
                fields=["child"], condition=Q(status__in=OPEN_ASSESSMENT), name="one_open_assessment"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.AUTHORISED)
                | Q(authorised_on__isnull=False, submitted_on__isnull=False),
                name="assessment_authorised_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(authorised_on__isnull=True) | Q(authorised_on__gte=models.F("start_date")),
                name="assessment_authorised_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.start_date} for {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSESSMENT


class CinPlan(Recorded, Versioned):
    """A child in need plan (CIN census CINPlanDates). Not concurrent with a child protection plan (4001)."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="cin_plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField(help_text="CINPlanStartDate")
    end_date = models.DateField(null=True, blank=True, help_text="CINPlanEndDate")
    review_every = models.CharField(
        max_length=30, blank=True, help_text="e.g. '3 months'; blank for the council's default"
    )
    summary = models.TextField(blank=True, help_text="What the plan is for and who does what")

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_cin_plan"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cin_plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need plan from {self.start_date} for {self.child_id}"

    def statutory_period(self, duty_code: str, on: datetime.date) -> Period | None:
        """The plan may set its own review interval (no national limit: Working Together 2023 ch.3)."""
        if duty_code == "cin_plan_review" and self.review_every:
            return Period.parse(self.review_every)
        return None


class CinPlanReview(Recorded):
    plan = models.ForeignKey(CinPlan, on_delete=models.PROTECT, related_name="reviews")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cin_plan_reviews")
    held_on = models.DateField()
    summary = models.TextField()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"CIN plan review on {self.held_on}"


class StrategyOutcome(models.TextChoices):
    SECTION_47 = "s47", "Section 47 enquiry"
    NO_SECTION_47 = "no_s47", "No section 47 enquiry: support as a child in need"


class StrategyDiscussion(Recorded):
    """A strategy discussion: children's social care, the police, health and others, whenever there is
    reasonable cause to suspect a child is suffering, or likely to suffer, significant harm (WT 2023 ch.3)."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="strategy_discussions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="strategy_discussions")
    held_on = models.DateField()
    participants = models.TextField(help_text="Who took part, and for which agency")
    concerns = models.TextField(help_text="What is known and the concerns")
    outcome = models.CharField(max_length=10, choices=StrategyOutcome.choices)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=StrategyOutcome.values), name="strategy_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Strategy discussion on {self.held_on}"


class S47Outcome(models.TextChoices):
    CONFERENCE = "conference", "Initial child protection conference needed"
    NO_CONFERENCE = "no_conference", "No conference needed (ICPCnotRequired)"


class S47Enquiry(Recorded, Versioned):
    """A section 47 enquiry (CIN census Section47): started at the strategy discussion that decided it. Its
    outcome says whether an initial conference is needed; the conference is due 15 working days after the
    strategy discussion (the ``initial_cp_conference`` deadline). One open enquiry per child (8839/8890)."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="s47_enquiries")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="s47_enquiries")
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="s47"
    )
    start_date = models.DateField(help_text="S47ActualStartDate")
    outcome = models.CharField(max_length=20, choices=S47Outcome.choices, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(concluded_on__isnull=True), name="one_open_s47"
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True, outcome="")
                | (Q(concluded_on__isnull=False) & ~Q(outcome="")),
                name="s47_concluded_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("start_date")),
                name="s47_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ConferenceDecision(models.TextChoices):
    PLAN = "plan", "Child protection plan"
    NO_PLAN = "no_plan", "No child protection plan"
    CONTINUE = "continue", "Plan continues"
    END = "end", "Plan ends"


class ChildProtectionConference(Recorded):
    """An initial or review child protection conference, chaired independently (WT 2023 ch.3)."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="conferences")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    s47 = models.OneToOneField(
        S47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="initial_conference"
    )
    plan = models.ForeignKey(
        "CPPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="review_conferences"
    )
    held_on = models.DateField()
    chair = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="chaired")
    decision = models.CharField(max_length=10, choices=ConferenceDecision.choices)
    category = models.CharField(max_length=3, blank=True, help_text="Category of abuse (reference data)")
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["chair", "held_on"], name="conference_chair_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConferenceKind.values), name="conference_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=ConferenceKind.INITIAL, s47__isnull=False, plan__isnull=True)
                | Q(kind=ConferenceKind.REVIEW, s47__isnull=True, plan__isnull=False),
                name="conference_initial_from_s47_review_of_plan",
            ),
            models.CheckConstraint(
                condition=Q(kind=ConferenceKind.INITIAL, decision__in=["plan", "no_plan"])
                | Q(kind=ConferenceKind.REVIEW, decision__in=["continue", "end"]),
                name="conference_decision_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class CPPlan(Recorded, Versioned):
    """A child protection plan (CIN census ChildProtectionPlans). It starts on the day of the initial
    conference that decided it (rule 2885), and carries the initial and latest category of abuse."""

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="cp_plans")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cp_plans")
    initial_conference = models.OneToOneField(
        ChildProtectionConference, on_delete=models.PROTECT, related_name="plan_started"
    )
    start_date = models.DateField(help_text="CPPstartDate")
    end_date = models.DateField(null=True, blank=True, help_text="CPPendDate")
    initial_category = models.CharField(max_length=3, help_text="InitialCategoryOfAbuse")
    latest_category = models.CharField(max_length=3, help_text="LatestCategoryOfAbuse")
    visit_every = models.CharField(
        max_length=30, blank=True, help_text="e.g. '10 working_days'; blank for the council's default"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "child protection plan"
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["child", "start_date"], name="cp_plan_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_cp_plan"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cp_plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def statutory_period(self, duty_code: str, on: datetime.date) -> Period | None:
        """The plan sets how often the child is visited (no national frequency: WT 2023 ch.3)."""
        if duty_code == "cp_visit" and self.visit_every:
            return Period.parse(self.visit_every)
        return None

    def duty_applies(self, duty_code: str, on: datetime.date) -> bool:
        """A child protection visit is one in which the child is seen: none is due while the child is unborn
        (a pre-birth plan, Working Together 2023 ch.3). The visit clock starts at the first core group or
        review after the birth (``cp_visit`` is also started by those events, when none is running)."""
        if duty_code == "cp_visit":
            born = self.child.person.date_of_birth
            return born is not None and born <= on
        return True


class CoreGroupMeeting(Recorded):
    plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="core_groups")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Core group on {self.held_on}"


class VisitLocation(models.TextChoices):
    HOME = "home", "At home"
    PLACEMENT = "placement", "In their placement"
    SCHOOL = "school", "At school or nursery"
    OFFICE = "office", "At the office"
    COMMUNITY = "community", "Elsewhere in the community"


class Visit(Recorded):
    """A visit to a child by their worker: whether the child was seen, seen alone, and where. A visit in
    which the child was seen meets the statutory visit that was due (CP, looked after, care leaver)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    visited_by = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="visits")
    location = models.CharField(max_length=20, choices=VisitLocation.choices)
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    summary = models.TextField(help_text="What was seen, heard and done")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__in=VisitLocation.values), name="visit_location_valid"
            ),
            models.CheckConstraint(
                condition=Q(child_seen=True) | Q(seen_alone=False), name="seen_alone_needs_seen"
            ),
        ]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on}"


# -- safe closure -----------------------------------------------------------------------------------------


class ClosureRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager's decision"
    APPROVED = "approved", "Approved: the case closed"
    RETURNED = "returned", "Returned to the worker"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ClosureRequest(Recorded, Versioned):
    """A worker's request that a child in need episode close, and a manager's decision on it (issue 5, safe
    closure; Working Together 2023 ch.3: the decision to end involvement is a management decision, recorded
    with its reasons). Nothing closes a case but an approved request (``closure.closure_decide``).

    The request carries what the CIN census records at closure (CINclosureDate, ReasonForClosure,
    ReferralNFA and, where no assessment set it, PrimaryNeedCode), the closure summary and the analysis of
    risk the manager weighs, and, where the case closes without an authorised assessment (only for the
    reasons ``closure.NO_ASSESSMENT_NEEDED`` allows), why none is needed. Every request is kept, decided or
    not: a returned one with the manager's reasons, next to the request that followed it.
    """

    episode = models.ForeignKey(CinEpisode, on_delete=models.PROTECT, related_name="closure_requests")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="closure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    closure_date = models.DateField(help_text="The proposed CINclosureDate")
    reason = models.CharField(max_length=3, help_text="The proposed ReasonForClosure (reference data)")
    referral_nfa = models.BooleanField(default=False, help_text="ReferralNFA: no further action on referral")
    primary_need = models.CharField(
        max_length=2, blank=True, help_text="PrimaryNeedCode, where no authorised assessment recorded it"
    )
    summary = models.TextField(help_text="The closure summary: what was done, and what changed for the child")
    risk_analysis = models.TextField(
        help_text="Why it is safe to close: the risks that remain, and who holds them"
    )
    no_assessment_reason = models.TextField(
        blank=True,
        help_text="Why the case closes without an authorised assessment (RC1-RC6, or NFA on referral)",
    )
    status = models.CharField(
        max_length=10, choices=ClosureRequestStatus.choices, default=ClosureRequestStatus.PENDING
    )
    # The team and area that held the case when it was asked and (again) when it was decided: the bulk
    # closure alert and the dashboards count approvals by the team that made them.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="closure_requests")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="closure_requests")
    # Who ended the request, when and why: the manager's decision and rationale (approved or returned), or
    # the withdrawal and its reason.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "requested_on"], name="closure_request_child_idx"),
            models.Index(fields=["status", "team", "decided_on"], name="closure_request_team_idx"),
            models.Index(fields=["status", "area", "decided_on"], name="closure_request_area_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClosureRequestStatus.values), name="closure_request_status_valid"
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status=ClosureRequestStatus.PENDING),
                name="one_pending_closure_request",
            ),
            models.CheckConstraint(
                condition=~Q(summary="") & ~Q(risk_analysis=""), name="closure_request_summary_and_risk"
            ),
            # Pending: nobody has decided. Anything else: who, when and why are all recorded.
            models.CheckConstraint(
                condition=Q(
                    status=ClosureRequestStatus.PENDING,
                    decided_by__isnull=True,
                    decided_on__isnull=True,
                    decision_rationale="",
                )
                | (
                    ~Q(status=ClosureRequestStatus.PENDING)
                    & Q(decided_by__isnull=False, decided_on__isnull=False)
                    & ~Q(decision_rationale="")
                ),
                name="closure_request_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="closure_request_decided_after_request",
            ),
            # The four-eyes rule (closure.closure_decide): whoever asked does not approve or return.
            models.CheckConstraint(
                condition=Q(status__in=[ClosureRequestStatus.PENDING, ClosureRequestStatus.WITHDRAWN])
                | ~Q(decided_by=models.F("requested_by")),
                name="closure_request_decider_not_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure request of {self.requested_on} for {self.child_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ClosureRequestStatus.PENDING

    @property
    def reason_label(self) -> str:
        return f"{label('closure_reason', self.reason)} ({self.reason})"

    def age_in_days(self, today: datetime.date) -> int:
        """Calendar days the request has waited (until its decision, if decided)."""
        return ((self.decided_on or today) - self.requested_on).days

    def age_in_working_days(self, today: datetime.date) -> int:
        """Working days the request has waited (until its decision, if decided)."""
        from safeguard.core.calendar import working_days_between

        return working_days_between(self.requested_on, self.decided_on or today)


class BulkClosureAlert(Recorded, Versioned):
    """A team approved closures of more than ``SAFEGUARD["BULK_CLOSURE_SHARE"]`` of its caseload within
    ``SAFEGUARD["BULK_CLOSURE_DAYS"]`` days: the head of service for the area and the director are told, with
    the list, until one of them acknowledges it with a note (issue 5: "there is no bulk closure"; closing
    many cases quickly is the sign of cases closed because there are too few workers to hold them).

    Raised by the approval that crossed the threshold, in its transaction (``closure._bulk_closure_check``).
    One alert per run: while it is unacknowledged, later approvals whose window overlaps it extend its
    window and count rather than raise another. ``caseload`` is the team's open episodes at the start of the
    window (ADR 0006).
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="bulk_closure_alerts")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="bulk_closure_alerts")
    raised_on = models.DateField()
    window_start = models.DateField()
    window_end = models.DateField(help_text="The day of the latest approval counted")
    window_days = models.PositiveSmallIntegerField(help_text="BULK_CLOSURE_DAYS when it was raised")
    threshold = models.DecimalField(
        max_digits=4, decimal_places=3, help_text="BULK_CLOSURE_SHARE when raised"
    )
    closures = models.PositiveIntegerField(help_text="Closures the team approved in the window")
    caseload = models.PositiveIntegerField(help_text="The team's open episodes at the start of the window")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True, help_text="What the head of service or director found")

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "window_end"], name="bulk_closure_team_idx"),
            models.Index(
                fields=["area", "raised_on"],
                condition=Q(acknowledged_on__isnull=True),
                name="bulk_closure_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")), name="bulk_closure_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True, acknowledged_by__isnull=True, acknowledgement="")
                | (Q(acknowledged_on__isnull=False, acknowledged_by__isnull=False) & ~Q(acknowledgement="")),
                name="bulk_closure_acknowledged_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Bulk closure alert for team {self.team_id} from {self.window_start}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_on is None

    @property
    def share(self) -> float | None:
        """Closures as a share of the caseload (None for a team that held no case at the window's start)."""
        return self.closures / self.caseload if self.caseload else None
