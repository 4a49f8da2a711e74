"""Learning actions: what must change after a serious incident's rapid review or its local child safeguarding
practice review (LCSPR), who will do it, by when, and the evidence that it was done.

Working Together to Safeguard Children 2023, ch.5 asks the safeguarding partners to act on the learning from
rapid reviews and practice reviews and to check that the improvements are made; no national limit applies,
so the clock is the due date agreed for each action (the ``learning_action`` duty, ``local``, its period
taken from this record: ``statutory_period``). An overdue action is a breach in the legal exposure register.

Every action here comes from an incident: the deadline engine keeps its clocks on a child's record (the
incident's subject), and a review with no child (a thematic review) has no record to keep one on (ADR 0019).
Case audit actions (``oversight.CaseAuditAction``) are learning actions too: they raise the same events and
are counted in the same report, but stay where the audit that set them lives.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguard.compliance.registry import Period
from safeguard.core.models import Recorded
from safeguard.incidents.models import SeriousIncident
from safeguard.organisation.models import Area, Team, Worker

DUTY = "learning_action"


class Source(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    PRACTICE_REVIEW = "practice_review", "Local child safeguarding practice review"


# The report counts case audit actions beside these, under this key (they live in oversight).
CASE_AUDIT = "case_audit"
SOURCE_LABELS = {**dict(Source.choices), CASE_AUDIT: "Case audit"}


class Status(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class LearningAction(Recorded):
    """One action agreed after a review of a serious incident.

    ``team`` and ``area`` answer for it (the incident's, else the owner's): the report and the legal exposure
    register scope it by them. ``version`` guards against a second save overwriting the first.
    """

    incident = models.ForeignKey(SeriousIncident, on_delete=models.PROTECT, related_name="learning_actions")
    source = models.CharField(max_length=20, choices=Source.choices)
    description = models.TextField("what must change")
    owner = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="learning_actions")
    agreed_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(blank=True, help_text="What was done, and where it is recorded")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(
        blank=True, help_text="Why it is no longer needed (a manager's decision)"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="learning_action_owner_idx"),
            models.Index(fields=["incident", "due_on"], name="learning_action_incident_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="learning_action_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="learning_action_status_valid"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("agreed_on")), name="learning_action_due_after"),
            # Done only with evidence and a date; no longer needed only with a reason; open with neither.
            models.CheckConstraint(
                condition=Q(status=Status.OPEN, completed_on__isnull=True, closed_reason="")
                | (Q(status=Status.DONE, completed_on__isnull=False) & ~Q(evidence=""))
                | (Q(status=Status.NOT_NEEDED, completed_on__isnull=False) & ~Q(closed_reason="")),
                name="learning_action_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description[:40]} ({self.get_status_display()})"

    @property
    def child(self):
        """The child whose record carries the deadline: the incident's subject."""
        return self.incident.child

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and today > self.due_on

    def days_overdue(self, today: datetime.date) -> int:
        return max(0, (today - self.due_on).days) if self.is_open else 0

    def statutory_period(self, duty_code: str, on: datetime.date) -> Period | None:
        """The clock runs to the due date agreed (Working Together 2023 ch.5 sets none): from ``on``, the day
        it was agreed or last rescheduled, to ``due_on``."""
        if duty_code != DUTY:
            return None
        return Period(max(0, (self.due_on - on).days), "days")


class Entry(models.TextChoices):
    AGREED = "agreed", "Agreed"
    PROGRESS = "progress", "Progress"
    DUE_DATE_CHANGED = "due_date_changed", "Due date changed"
    COMPLETED = "completed", "Completed"
    NOT_NEEDED = "not_needed", "No longer needed"


class LearningActionEntry(models.Model):
    """The action's history, one row per step, never edited: what the page shows (the ``AuditEvent`` holds the
    same for the audit log). A due date change keeps both dates and the reason."""

    action = models.ForeignKey(LearningAction, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Entry.choices)
    note = models.TextField(blank=True)
    old_due_on = models.DateField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)
    recorded_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Entry.values), name="learning_entry_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.recorded_on}"
