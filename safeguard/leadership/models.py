"""The improvement plan: what the council's leaders said they would do, who owns each action, by when, what
shows it was done, and whether the measure it was meant to move has moved.

An Ofsted judgement of "requires improvement" or "inadequate" is followed by a plan the council writes
and the inspectors return to (Ofsted, ILACS framework: monitoring visits); a plan is only as good as its
record of who did what by when. So: an action's status changes only through ``services`` (each change a
``ActionStatusChange`` row and an ``AuditEvent``), "done" needs evidence and "dropped" a reason (both also
enforced by constraints), and an action linked to a measure keeps the measure's value when it was linked
(the baseline), so progress is read against where it started and the target, not against memory.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.casework.models import Versioned
from safeguard.core.models import Recorded
from safeguard.organisation.models import Area, Worker


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class ImprovementActionQuerySet(models.QuerySet):
    def still_open(self) -> "ImprovementActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def late(self, today: datetime.date) -> "ImprovementActionQuerySet":
        """Not done (nor dropped) and past their due date; the due day itself is still in time."""
        return self.still_open().filter(due_on__lt=today)


class ImprovementAction(Recorded, Versioned):
    """One action of the improvement plan, for one area or the whole council (``area`` empty).

    An action may be linked to a performance measure (``measure``, a code of ``leadership.measures``) with a
    target; ``baseline`` and its numerator and denominator are the measure's value for the action's area
    over the 12 months to ``baseline_on``, the day it was linked.
    """

    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What will be done, and why")
    owner = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="improvement_actions")
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
        help_text="Empty for an action of the whole council",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence = models.TextField(blank=True, help_text="What shows it was done, and where it is recorded")
    completed_on = models.DateField(null=True, blank=True)
    dropped_reason = models.TextField(blank=True)
    measure = models.CharField(max_length=40, blank=True, help_text="A code of leadership.measures")
    target = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    baseline = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    baseline_numerator = models.PositiveIntegerField(null=True, blank=True)
    baseline_denominator = models.PositiveIntegerField(null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True, help_text="The day the measure was linked")

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="improvement_action_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="improvement_action_status_valid"
            ),
            # Done only with evidence and the day it was done; dropped only with the reason.
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | (Q(completed_on__isnull=False) & ~Q(evidence="")),
                name="improvement_action_done_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DROPPED) | ~Q(dropped_reason=""),
                name="improvement_action_dropped_has_reason",
            ),
            # A measure comes with a target and the day its baseline was taken.
            models.CheckConstraint(
                condition=Q(measure="", target__isnull=True, baseline_on__isnull=True)
                | (~Q(measure="") & Q(target__isnull=False, baseline_on__isnull=False)),
                name="improvement_action_measure_has_target",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0, target__lte=100),
                name="improvement_action_target_is_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_late(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today


class ActionStatusChange(models.Model):
    """One change of an action's status: from what, to what, when, by whom, and the note given (the evidence
    when done, the reason when dropped). The history of the plan, never edited."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    changed_on = models.DateField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=ActionStatus.values), name="action_status_change_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.changed_on}"
