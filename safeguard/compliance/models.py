"""Statutory duties and the deadlines they set for each child.

A ``Deadline`` is one running clock: this duty, for this child, started on this day, due on that day. It
belongs to the record whose life bounds it (``scope``: the contact, the child in need episode, the period of
care, the care leaver's record), so that ending that record cancels its clocks and no others. It is met,
cancelled, or left open; an open deadline past its day is breached, and so is one met or cancelled after
it. The breach is recorded (``breached_on``, the first day it was late, and at closure ``days_late``), so
the legal exposure register reads rows rather than recomputing the law.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.calendar import working_days_between
from safeguard.core.models import Recorded
from safeguard.organisation.models import Area, Team
from safeguard.people.models import Child


class StatutoryDuty(models.Model):
    """The registry as a table (loaded from ``data/duties.csv``), so reports can join to a duty's name and
    citation. The engine itself reads the file (``registry.duties()``)."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=200)
    citation = models.TextField()
    verified = models.BooleanField(help_text="Checked against the primary text")
    local = models.BooleanField(help_text="Set by local procedure: no national limit")
    period = models.CharField(max_length=40)

    class Meta:
        verbose_name_plural = "statutory duties"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    CANCELLED = "cancelled", "No longer applies"


# A deadline that is, or may become, a breach: closed late, or still open. The legal exposure register's
# partial index holds these rows only.
EXPOSED = Q(breached_on__isnull=False) | Q(status=DeadlineStatus.OPEN)


class DeadlineQuerySet(models.QuerySet):
    def open(self) -> "DeadlineQuerySet":
        return self.filter(status=DeadlineStatus.OPEN)

    def overdue(self, today: datetime.date | None = None) -> "DeadlineQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def breached(self, today: datetime.date | None = None) -> "DeadlineQuerySet":
        """Every breach: closed late, or open past its day (whether or not the daily sweep has run).

        The first filter is implied by the second. It is spelled out because it is the condition of the
        partial index ``deadline_exposure_idx``, and SQLite reads a partial index only for a query that
        repeats its condition: the register then reads that index (a few per cent of the table) instead of
        every deadline ever opened.
        """
        today = today or timezone.localdate()
        return self.filter(EXPOSED).filter(
            Q(breached_on__isnull=False) | Q(status=DeadlineStatus.OPEN, due_on__lt=today)
        )

    def for_scope(self, scope: models.Model) -> "DeadlineQuerySet":
        return self.filter(scope_type=scope._meta.label_lower, scope_id=scope.pk)


class Deadline(Recorded):
    duty = models.ForeignKey(StatutoryDuty, on_delete=models.PROTECT, related_name="deadlines")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="deadlines")
    scope_type = models.CharField(max_length=60, help_text="The record the clock belongs to (app.model)")
    scope_id = models.PositiveBigIntegerField()
    started_by = models.CharField(max_length=40, help_text="The event that started the clock")
    starts_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True, help_text="When it was met or stopped applying")
    closed_by = models.CharField(max_length=40, blank=True, help_text="The event that met or cancelled it")
    breached_on = models.DateField(
        null=True, blank=True, help_text="The first day it was late: the day after it fell due"
    )
    days_late = models.PositiveIntegerField(
        null=True, blank=True, help_text="Calendar days from the due day to its closure, if closed late"
    )
    delay_reason = models.TextField(blank=True, help_text="Why it was (or will be) late, as recorded")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    version = models.PositiveIntegerField(default=1)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # "What is due" for a child, a worker's children or a team, and the overdue counts.
            models.Index(
                fields=["child", "due_on"], name="deadline_open_child_idx", condition=Q(status="open")
            ),
            models.Index(
                fields=["team", "due_on"], name="deadline_open_team_idx", condition=Q(status="open")
            ),
            models.Index(
                fields=["duty", "due_on"], name="deadline_open_duty_idx", condition=Q(status="open")
            ),
            models.Index(fields=["scope_type", "scope_id"], name="deadline_scope_idx"),
            models.Index(fields=["child", "starts_on"], name="deadline_child_idx"),
            # The legal exposure register (compliance.register) reads the breached and open deadlines only:
            # by team (a manager's scope), with every column it counts by, so its grouped counts read this
            # index alone; in the order it lists them; and from the longest-running down.
            models.Index(
                fields=["team", "due_on", "status", "duty", "area", "child", "breached_on", "days_late"],
                name="deadline_exposure_idx",
                condition=EXPOSED,
            ),
            models.Index(fields=["due_on"], name="deadline_exposed_due_idx", condition=EXPOSED),
            # A duty's deadlines due in a period, met or not, with what the performance measures count them by
            # (leadership.measures: visits and reviews on time), read from the index alone.
            models.Index(
                fields=["duty", "due_on", "status", "area", "closed_on", "breached_on"],
                name="deadline_duty_due_idx",
            ),
            models.Index(
                fields=["days_late", "due_on"],
                name="deadline_late_idx",
                condition=Q(breached_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeadlineStatus.values), name="deadline_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="deadline_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status=DeadlineStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=DeadlineStatus.OPEN) & Q(closed_on__isnull=False)),
                name="deadline_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(breached_on__isnull=True) | Q(breached_on__gt=models.F("due_on")),
                name="deadline_breached_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duty_id} for child {self.child_id}, due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on

    def was_breached(self, today: datetime.date | None = None) -> bool:
        return self.breached_on is not None or self.is_overdue(today)

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Calendar days it has run (or ran) past its day; 0 if on time."""
        if self.is_open:
            return max(0, ((today or timezone.localdate()) - self.due_on).days)
        return self.days_late or 0

    def working_days_left(self, today: datetime.date | None = None) -> int:
        """Working days from today to the due day (negative once overdue)."""
        today = today or timezone.localdate()
        if today <= self.due_on:
            return working_days_between(today, self.due_on, counting="exclusive")
        return -working_days_between(self.due_on, today, counting="exclusive")

    @property
    def citation(self) -> str:
        from safeguard.compliance.registry import duty

        return duty(self.duty_id).citation


def first_day_late(due_on: datetime.date) -> datetime.date:
    return due_on + datetime.timedelta(days=1)
