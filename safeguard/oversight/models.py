"""Management oversight: supervision of workers, management decisions on a child's file, and case audits.

Three records, kept apart on purpose:

- a **supervision** is about the worker (their practice, wellbeing and development), so its notes are seen by
  the worker, their supervisor and their managers, not by everyone who may open a child's record;
- a **management decision** is about a child and belongs on the child's file (and chronology), whoever reads
  it; one made in supervision points back to the session (``supervision``), and one can also be recorded
  directly from the case file;
- a **case audit** grades a child's case file against set questions (``data/audit_questions.csv``) on
  Ofsted's four-point scale, with actions tracked until they are done.

Statuses are ``TextChoices`` backed by check constraints; the services (``services.py``) guard every
transition and write the audit log.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguard.core.models import Recorded
from safeguard.organisation.models import Worker
from safeguard.people.models import Child

# -- supervision --------------------------------------------------------------------------------------------


class Supervision(Recorded):
    """One supervision session: a supervisor with the worker they supervise, on a day.

    The LGA's Standards for employers of social workers in England (2020) ask for regular, protected,
    reflective supervision; Ofsted's ILACS framework (evaluation criteria, "the impact of leaders on social
    work practice") looks at its quality and at management oversight of children's cases.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="supervisions_given")
    held_on = models.DateField("date of the supervision")
    notes = models.TextField(
        "general notes", blank=True, help_text="About the worker: workload, wellbeing, learning."
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["worker", "held_on"], name="supervision_worker_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(supervisor=F("worker")), name="supervision_not_self"),
        ]

    def __str__(self) -> str:
        return f"Supervision of {self.worker} by {self.supervisor} on {self.held_on}"


class DecisionKind(models.TextChoices):
    """What a management decision is: the case direction a manager gives, a change to the child's plan, or
    one made in a worker's supervision (which then points to the session)."""

    SUPERVISION = "supervision", "Supervision"
    CASE_DIRECTION = "case_direction", "Case direction"
    PLAN_CHANGE = "plan_change", "Change to the plan"
    OTHER = "other", "Other"


class ManagementDecision(Recorded):
    """A manager's decision on a child's case, with why, on the child's file.

    Working Together to Safeguard Children 2023 (ch.3) makes managers answerable for decisions on a child's
    case; inspectors found oversight "generally poor" where decisions and their reasons were not on file. The
    decision is the child's record (the chronology shows it); the supervision it came from is the worker's.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="management_decisions")
    episode = models.ForeignKey(
        "casework.CinEpisode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="management_decisions",
        help_text="The child in need episode open on the day, if any.",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("date of the decision")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    decision = models.TextField()
    rationale = models.TextField()
    supervision = models.ForeignKey(
        Supervision, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["child", "decided_on"], name="decision_child_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"),
            # A supervision decision comes from a session, and only a supervision decision does.
            models.CheckConstraint(
                condition=Q(kind=DecisionKind.SUPERVISION, supervision__isnull=False)
                | (~Q(kind=DecisionKind.SUPERVISION) & Q(supervision__isnull=True)),
                name="decision_supervision_kind",
            ),
            models.CheckConstraint(condition=~Q(decision="") & ~Q(rationale=""), name="decision_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} decision for {self.child_id} on {self.decided_on}"


class SupervisionCase(models.Model):
    """A child's case discussed in a supervision: what was discussed (the worker's record) and the decision
    it led to (the child's)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    discussion = models.TextField(blank=True)
    decision = models.OneToOneField(ManagementDecision, on_delete=models.PROTECT, related_name="discussion")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "child"], name="supervision_case_once"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.supervision}"


class SupervisionAction(models.Model):
    """Something to be done for a child, agreed in supervision, by a date."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.description[:40]} by {self.due_on}"


# -- case audits --------------------------------------------------------------------------------------------


class Grade(models.TextChoices):
    """Ofsted's four-point scale (ILACS: outstanding, good, requires improvement to be good, inadequate),
    best first. A case audit uses it for its overall grade and for each question."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class AnswerGrade(models.TextChoices):
    """A question's grade: the four-point scale, or not applicable (no plan yet to judge, say)."""

    OUTSTANDING = Grade.OUTSTANDING.value, Grade.OUTSTANDING.label
    GOOD = Grade.GOOD.value, Grade.GOOD.label
    REQUIRES_IMPROVEMENT = Grade.REQUIRES_IMPROVEMENT.value, Grade.REQUIRES_IMPROVEMENT.label
    INADEQUATE = Grade.INADEQUATE.value, Grade.INADEQUATE.label
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AuditStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed"


class CaseAudit(Recorded):
    """A quality audit of one child's case file, by a manager or a quality assurance auditor.

    In progress (draft) the auditor answers the questions; completing it sets the overall grade and freezes
    the answers. While it is in progress, an assigned quality assurance auditor reaches the child's record
    (read only); once it is completed they no longer do (``policies.AUDITOR_REACH``).
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_audits")
    episode = models.ForeignKey(
        "casework.CinEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    auditor = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="case_audits")
    started_on = models.DateField()
    status = models.CharField(max_length=10, choices=AuditStatus.choices, default=AuditStatus.DRAFT)
    overall_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    summary = models.TextField("what the audit found", blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["auditor", "status"], name="case_audit_auditor_idx"),
            models.Index(fields=["child", "status"], name="case_audit_child_idx"),
            models.Index(fields=["status", "completed_on"], name="case_audit_completed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AuditStatus.values), name="case_audit_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(overall_grade="") | Q(overall_grade__in=Grade.values),
                name="case_audit_grade_valid",
            ),
            # Completed, and only completed, audits have a grade, a finding and a date.
            models.CheckConstraint(
                condition=Q(status=AuditStatus.DRAFT, overall_grade="", completed_on__isnull=True)
                | (
                    Q(status=AuditStatus.COMPLETED, completed_on__isnull=False)
                    & ~Q(overall_grade="")
                    & ~Q(summary="")
                ),
                name="case_audit_completed_has_grade",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="case_audit_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(status=AuditStatus.DRAFT), name="one_audit_in_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"Case audit of {self.child_id} started {self.started_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == AuditStatus.DRAFT


class CaseAuditAnswer(models.Model):
    """The auditor's grade and comment on one question. The question's text is kept as it was asked, so a
    later change to the questions file does not rewrite a completed audit."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="answers")
    question = models.CharField(max_length=30)
    question_text = models.TextField()
    grade = models.CharField(max_length=30, choices=AnswerGrade.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="case_audit_answer_once"),
            models.CheckConstraint(condition=Q(grade__in=AnswerGrade.values), name="case_audit_answer_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.grade}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class CaseAuditActionQuerySet(models.QuerySet):
    def open(self) -> "CaseAuditActionQuerySet":
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: datetime.date) -> "CaseAuditActionQuerySet":
        """Open past their due date (the due date itself is still in time)."""
        return self.open().filter(due_on__lt=today)


class CaseAuditAction(Recorded):
    """What an audit found must be done, by whom and by when; done only with evidence of what was done."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(blank=True, help_text="What was done, and where it is recorded.")

    objects = CaseAuditActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="audit_action_due_idx"),
            models.Index(fields=["owner", "status"], name="audit_action_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="audit_action_status"),
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN, completed_on__isnull=True)
                | (Q(status=ActionStatus.DONE, completed_on__isnull=False) & ~Q(evidence="")),
                name="audit_action_done_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description[:40]} ({self.get_status_display()})"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today

    def statutory_period(self, duty_code: str, on: datetime.date):
        """A case audit action is a learning action: its clock (the ``learning_action`` duty, Working Together
        2023 ch.5, no national limit) runs to the due date agreed (``safeguard.learning``, ADR 0019)."""
        from safeguard.compliance.registry import Period

        if duty_code != "learning_action":
            return None
        return Period(max(0, (self.due_on - on).days), "days")
