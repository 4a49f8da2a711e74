"""The front door: every contact about a child, the checks made with partner agencies, the threshold
decision, and the referral that starts a child in need episode.

Working Together to Safeguard Children 2023, ch.3 ("Referral"): within one working day of a referral
being received, a local authority social worker should acknowledge receipt to the referrer and make a
decision about the type of response required. That clock is the compliance engine's ``contact_decision``
duty: recording a contact opens its ``Deadline`` (due by the end of the next working day after it arrived),
and the decision meets it. A contact still awaiting a decision after that day is overdue.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property

from safeguard.compliance.models import Deadline, DeadlineQuerySet
from safeguard.compliance.registry import duty
from safeguard.core.calendar import working_days_between
from safeguard.core.models import Recorded
from safeguard.organisation.models import Area, Team
from safeguard.people.models import Child, EducationStatus


class Consent(models.TextChoices):
    """Whether the family agreed to the contact being made and information being shared (Working Together
    2023 ch.1 and the government's "Information sharing" advice, 2024: consent is sought unless doing so
    would place a child at increased risk of harm)."""

    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT_RISK = "not_sought_risk", "Not sought: asking would increase the risk to the child"
    NOT_KNOWN = "not_known", "Not known"


class ContactStatus(models.TextChoices):
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"
    RECORDED_IN_ERROR = "recorded_in_error", "Recorded in error"


class Rag(models.TextChoices):
    """Priority: red (respond today), amber, green. Set by the worker on arrival, confirmed at decision."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, "": 3}

# The compliance duty that is the one-working-day clock (compliance/data/duties.csv).
DECISION_DUTY = "contact_decision"


class ContactImportBatch(Recorded):
    """One uploaded file of notifications (e.g. a police domestic abuse batch), imported all or nothing."""

    file_name = models.CharField(max_length=200)
    source = models.CharField(max_length=3, help_text="ReferralSource code for every row (reference data)")
    rows = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} rows)"


class ContactQuerySet(models.QuerySet):
    def with_decision_due(self) -> "ContactQuerySet":
        """Each contact's ``decision_due`` read from its deadline in the same query, so that a list of
        contacts (the queue) costs no query per row. Served by the deadlines' scope index."""
        due = decision_deadlines().filter(scope_id=OuterRef("pk")).order_by().values("due_on")[:1]
        return self.annotate(decision_due=Subquery(due))


class Contact(Recorded):
    """Something reported to children's services about a child. Every contact gets a decision."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=3, help_text="CIN census ReferralSource code (reference data)")
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact_details = models.CharField(max_length=200, blank=True)
    external_reference = models.CharField(
        max_length=60, blank=True, help_text="The referrer's own reference, e.g. a police occurrence number"
    )
    reported = models.TextField(help_text="What was reported, in the referrer's words as far as possible")
    worry = models.TextField(help_text="What the worry is for the child")
    immediate_risk = models.BooleanField(default=False)
    consent = models.CharField(max_length=20, choices=Consent.choices)
    rag = models.CharField("priority", max_length=5, choices=Rag.choices, blank=True)
    status = models.CharField(
        max_length=20, choices=ContactStatus.choices, default=ContactStatus.AWAITING_DECISION
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the referrer was told it arrived"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="contacts")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="contacts", help_text="The area the child lives in"
    )
    batch = models.ForeignKey(
        ContactImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # Led by team: a city has one front door team, and SQLite otherwise reads every contact through
            # the team_id index (85 ms for the queue at 180,000 contacts; docs/benchmarks.md). The due dates
            # are the deadlines', found through their scope index from the few contacts awaiting.
            models.Index(
                fields=["team", "received_at"],
                name="contact_awaiting_idx",
                condition=Q(status="awaiting_decision"),
            ),
            models.Index(fields=["child", "received_at"], name="contact_child_idx"),
            # The year's contacts counted by area (the area dashboards: ``dashboard.front_door_by_area``),
            # read from the index alone instead of every row of the year.
            models.Index(fields=["received_at", "area", "status"], name="contact_received_area_idx"),
            # The year's referrals counted by their contact's area, without reading each contact's row.
            models.Index(fields=["id", "area", "status"], name="contact_area_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ContactStatus.values), name="contact_status_valid"),
            models.CheckConstraint(condition=Q(consent__in=Consent.values), name="contact_consent_valid"),
            models.CheckConstraint(condition=Q(rag__in=[*Rag.values, ""]), name="contact_rag_valid"),
            models.UniqueConstraint(
                fields=["source", "external_reference", "child"],
                condition=~Q(external_reference=""),
                name="contact_external_reference_once_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk} about {self.child_id} on {self.received_at:%Y-%m-%d}"

    @staticmethod
    def decision_due_for(received_at: datetime.datetime) -> datetime.date:
        """The end of the next working day after arrival (WT 2023 ch.3: a decision within one working day),
        as the ``contact_decision`` duty counts it.

        A contact that arrives on a Friday is due by the end of Monday; one that arrives on Christmas Eve
        2026 (a Thursday) by the end of Tuesday 29 December, after the Christmas and Boxing Day holidays.
        """
        return duty(DECISION_DUTY).due_date(timezone.localtime(received_at).date())

    @cached_property
    def decision_due(self) -> datetime.date | None:
        """The last day for the decision: its deadline's ``due_on``, fixed when the contact was recorded, so
        that a later change to the calendar does not move a clock already running. ``None`` only for a
        contact written without ``contact_record``. ``ContactQuerySet.with_decision_due`` fills it in."""
        return decision_deadlines().filter(scope_id=self.pk).values_list("due_on", flat=True).first()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Awaiting a decision after the end of its due day (its open deadline is past due)."""
        due = self.decision_due
        return (
            self.status == ContactStatus.AWAITING_DECISION
            and due is not None
            and (today or timezone.localdate()) > due
        )

    def working_days_waited(self, today: datetime.date | None = None) -> int:
        """Whole working days since the day it arrived (0 on the day itself)."""
        return working_days_between(
            timezone.localtime(self.received_at).date(), today or timezone.localdate()
        )


# How a deadline names the contact it belongs to (``Deadline.scope_type``, as ``compliance_event`` sets it).
CONTACT_SCOPE = Contact._meta.label_lower


def decision_deadlines() -> DeadlineQuerySet:
    """Every contact's decision deadline (one per contact); narrow it with ``scope_id``."""
    return Deadline.objects.filter(duty_id=DECISION_DUTY, scope_type=CONTACT_SCOPE)


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    EARLY_HELP = "early_help", "Early help"


class MashCheck(Recorded):
    """A request to a partner agency for what it knows, and its answer (WT 2023 ch.2: multi-agency
    information sharing at the front door)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="checks")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    # The education check's answer also says where the child is educated (issue 9): the status it recorded.
    education_status = models.OneToOneField(
        EducationStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="mash_check"
    )

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(agency__in=Agency.values), name="mash_check_agency_valid"),
            models.UniqueConstraint(fields=["contact", "agency"], name="one_check_per_agency_per_contact"),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""), name="mash_response_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} check for contact {self.contact_id}"

    @property
    def is_outstanding(self) -> bool:
        return self.responded_on is None


class LevelOfNeed(models.TextChoices):
    """The levels of a local threshold document ("continuum of need"), as Working Together 2023 ch.2 asks
    each safeguarding partnership to publish."""

    UNIVERSAL = "universal", "Universal"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (s17)"
    CHILD_PROTECTION = "child_protection", "Child protection (s47)"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    SIGNPOST = "signpost", "Signpost to universal services"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Referral for assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (urgent child protection)"


# Outcomes that make the contact a referral to children's social care (a CIN census episode).
REFERRAL_OUTCOMES = (Outcome.ASSESSMENT, Outcome.STRATEGY_DISCUSSION)


class ThresholdDecision(Recorded):
    """A manager's decision on a contact: the level of need, the priority, why, and what happens next."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="decision")
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level_of_need = models.CharField(max_length=20, choices=LevelOfNeed.choices)
    # Blank only for a decision imported from another system that did not say it (an Ofsted Annex A list 2
    # row): the service gives every decision made here a priority.
    rag = models.CharField("priority", max_length=5, choices=Rag.choices, blank=True)
    rationale = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(level_of_need__in=LevelOfNeed.values), name="decision_level_valid"
            ),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="decision_outcome_valid"),
            models.CheckConstraint(condition=Q(rag__in=[*Rag.values, ""]), name="decision_rag_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for contact {self.contact_id}"

    @property
    def was_on_time(self) -> bool:
        """Decided (in local time) by the end of the contact's due day: the deadline met, not breached."""
        due = self.contact.decision_due
        return due is not None and timezone.localtime(self.decided_at).date() <= due


class Referral(Recorded):
    """A referral to children's social care: the start of a child in need episode as the CIN census counts
    it (CINdetails: CINreferralDate, ReferralSource; the episode's primary need, closure date and reason
    are added by casework). One contact makes at most one referral."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="referral")
    referral_date = models.DateField(
        db_index=True, help_text="CINreferralDate: when the referral was received"
    )
    source = models.CharField(max_length=3, help_text="ReferralSource code (reference data)")
    urgent_child_protection = models.BooleanField(
        default=False, help_text="A strategy discussion is needed (Children Act 1989 s47)"
    )

    class Meta:
        ordering = ["-referral_date"]
        indexes = [models.Index(fields=["child", "referral_date"], name="referral_child_date_idx")]

    def __str__(self) -> str:
        return f"Referral of {self.child_id} on {self.referral_date}"


class EducationWithdrawal(Recorded):
    """A child taken off a school roll (to home education, or out of school) while they or a sibling were
    known to children's social care on that day (issue 9; the report that began this project named a
    seven-year-old who died after being withdrawn from school). Raised by
    ``frontdoor.education.education_status_change`` in the transaction that records the change.

    Home education is lawful (Education Act 1996 s7) and not in itself a sign of harm, but a child known to
    the service who leaves school loses the daily sight of school staff; the flag asks a manager to consider
    what that means for the plan. It stays on the child's record, on the records of the known
    siblings and in the front door queue until a manager records that it has been considered, with a note
    (ADR 0020). It is never deleted."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="education_withdrawals")
    status = models.OneToOneField(EducationStatus, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_on = models.DateField()
    # Why the child counted as known on that day ("an open child in need episode"), blank if only a sibling was.
    known_because = models.CharField(max_length=300, blank=True)
    # Siblings and household children known to the service that day: the flag shows on their records too.
    known_siblings = models.ManyToManyField(Child, blank=True, related_name="sibling_education_withdrawals")
    considered_at = models.DateTimeField(null=True, blank=True)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consideration = models.TextField(blank=True, help_text="The manager's note: what was considered and done")

    class Meta:
        ordering = ["-withdrawn_on", "-pk"]
        indexes = [
            # The open flags of a child (the record, the queue's tag), read per page without scanning history.
            models.Index(
                fields=["child", "withdrawn_on"],
                name="education_withdrawal_open_idx",
                condition=Q(considered_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(considered_at__isnull=True) | ~Q(consideration=""),
                name="education_withdrawal_considered_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Withdrawn from school on {self.withdrawn_on} ({self.child_id})"

    @property
    def is_open(self) -> bool:
        return self.considered_at is None

    @property
    def while_known(self) -> str:
        """How the notice ends: the child known, or only a sibling."""
        if self.known_because:
            return "while known to children's social care"
        return "while a sibling was known to children's social care"
