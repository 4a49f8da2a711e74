"""Every change in management oversight: supervision, management decisions, case audits and their actions.

Each service checks who is acting (``policies``), validates, runs in one transaction, guards a status
transition against a concurrent one, and writes its own ``AuditEvent``; bad input raises ``ValidationError``
(keyed by the argument it is about) and changes nothing. Nothing happens in a signal.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.policy import may_change, worker_for
from safeguard.audit.services import audit_event_record
from safeguard.casework.models import CinEpisode
from safeguard.casework.services import create_once
from safeguard.compliance.services import compliance_event
from safeguard.organisation.models import Worker
from safeguard.oversight import policies
from safeguard.oversight.models import (
    ActionStatus,
    AnswerGrade,
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    CaseAuditAnswer,
    DecisionKind,
    Grade,
    ManagementDecision,
    Supervision,
    SupervisionAction,
    SupervisionCase,
)
from safeguard.oversight.questions import questions
from safeguard.people.models import Child

# A grade that needs its reasons written down.
NEEDS_COMMENT = {AnswerGrade.REQUIRES_IMPROVEMENT, AnswerGrade.INADEQUATE}
# An inadequate answer limits the overall grade to "requires improvement" at best (as a serious weakness in
# one area limits an Ofsted judgement: a case cannot be good overall where the child is not safe or seen).
LIMITED_BY_INADEQUATE = {Grade.OUTSTANDING, Grade.GOOD}


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _not_future(errors: dict, key: str, day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[key] = f"The date of {what} cannot be in the future"


def episode_on(child: Child, on: datetime.date) -> CinEpisode | None:
    """The child in need episode open on ``on``, if any (a decision hangs from it, as the census's spine)."""
    return (
        CinEpisode.objects.filter(child=child, referral_date__lte=on)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=on))
        .order_by("-referral_date", "-pk")
        .first()
    )


# -- supervision ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDue:
    description: str
    due_on: datetime.date | None


@dataclass(frozen=True)
class CaseDiscussed:
    """A child's case discussed in supervision, and the decision made about it."""

    child: Child
    decision: str
    rationale: str
    discussion: str = ""
    actions: Sequence[ActionDue] = field(default_factory=tuple)


def supervision_record(
    *,
    worker: Worker,
    supervised_by,
    held_on: datetime.date,
    notes: str = "",
    cases: Sequence[CaseDiscussed] = (),
) -> Supervision:
    """Record a supervision of ``worker`` by the signed-in ``supervised_by``, with a management decision on
    the file of each child discussed.

    The supervisor must be the worker's line manager, a team manager of their team or the head of service
    for their area (``policies.supervision_refusal``); each child discussed must be held by the worker or
    their team on the day, and be a record the supervisor may change; the date cannot be in the future.
    Errors about the cases are listed under ``cases``, each naming its child.
    """
    supervisor = worker_for(supervised_by)
    refusal = policies.supervision_refusal(supervisor, worker)
    if refusal:
        raise PermissionDenied(refusal)
    errors: dict = {}
    case_errors: list[str] = []
    if held_on is None:
        errors["held_on"] = "Enter the date of the supervision"
    _not_future(errors, "held_on", held_on, "the supervision")
    held = policies.held_children(worker, held_on) if held_on else set()
    seen: set[int] = set()
    for case in cases:
        name = case.child.person.full_name
        if case.child.pk in seen:
            case_errors.append(f"{name} is listed twice: record one decision for each child")
            continue
        seen.add(case.child.pk)
        if case.child.pk not in held:
            case_errors.append(f"{name} is not a child {worker.name} or their team holds")
        elif not may_change(supervised_by, case.child).allowed:
            case_errors.append(f"You cannot record a decision on {name}'s file")
        if not case.decision.strip():
            case_errors.append(f"Enter the decision for {name}")
        if not case.rationale.strip():
            case_errors.append(f"Enter the reasons for the decision for {name}")
        for action in case.actions:
            if not action.description.strip():
                case_errors.append(f"Describe each action for {name}")
            if action.due_on is None:
                case_errors.append(f"Enter when each action for {name} is due")
            elif held_on and action.due_on < held_on:
                case_errors.append(f"An action for {name} cannot be due before the supervision")
    if case_errors:
        errors["cases"] = case_errors
    _raise(errors)
    with transaction.atomic():
        supervision = Supervision.objects.create(
            worker=worker,
            supervisor=supervisor,
            held_on=held_on,
            notes=notes.strip(),
            created_by=supervised_by,
            modified_by=supervised_by,
        )
        audit_event_record(
            actor=supervised_by,
            action="supervision.recorded",
            entity=supervision,
            changes={
                "worker": [None, worker.pk],
                "supervisor": [None, supervisor.pk],
                "held_on": [None, held_on.isoformat()],
                "cases": [None, [case.child.pk for case in cases]],
            },
        )
        for case in cases:
            decision = _decision_create(
                child=case.child,
                decided_by=supervised_by,
                decided_on=held_on,
                kind=DecisionKind.SUPERVISION,
                decision=case.decision,
                rationale=case.rationale,
                episode=episode_on(case.child, held_on),
                supervision=supervision,
            )
            discussed = SupervisionCase.objects.create(
                supervision=supervision,
                child=case.child,
                discussion=case.discussion.strip(),
                decision=decision,
            )
            SupervisionAction.objects.bulk_create(
                SupervisionAction(
                    case=discussed, description=action.description.strip(), due_on=action.due_on
                )
                for action in case.actions
            )
    return supervision


# -- management decisions --------------------------------------------------------------------------------------


def _decision_create(*, child, decided_by, decided_on, kind, decision, rationale, episode, supervision=None):
    made = ManagementDecision.objects.create(
        child=child,
        episode=episode,
        decided_by=decided_by,
        decided_on=decided_on,
        kind=kind,
        decision=decision.strip(),
        rationale=rationale.strip(),
        supervision=supervision,
        created_by=decided_by,
        modified_by=decided_by,
    )
    audit_event_record(
        actor=decided_by,
        action="management_decision.recorded",
        entity=made,
        child=child,
        changes={
            "kind": [None, kind],
            "decided_on": [None, decided_on.isoformat()],
            "decision": [None, made.decision],
            "supervision": [None, supervision.pk if supervision else None],
        },
        reason=made.rationale,
    )
    return made


def management_decision_record(
    *,
    child: Child,
    decided_by,
    kind: str,
    decision: str,
    rationale: str,
    decided_on: datetime.date | None = None,
    episode: CinEpisode | None = None,
) -> ManagementDecision:
    """A manager records a decision on ``child``'s file, outside supervision (a decision made in supervision
    is recorded with it, by ``supervision_record``). The episode is the one open on the day unless given."""
    if not policies.may_decide(decided_by, child):
        raise PermissionDenied(
            "Only a team manager, head of service or the director who may change this child's record "
            "records a management decision"
        )
    decided_on = decided_on or timezone.localdate()
    errors: dict = {}
    if kind == DecisionKind.SUPERVISION:
        errors["kind"] = "A decision made in supervision is recorded with the supervision"
    elif kind not in DecisionKind.values:
        errors["kind"] = "Choose what kind of decision this is"
    if not decision.strip():
        errors["decision"] = "Enter the decision"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    _not_future(errors, "decided_on", decided_on, "the decision")
    if episode is not None and episode.child_id != child.pk:
        errors["episode"] = "That episode is not this child's"
    _raise(errors)
    with transaction.atomic():
        return _decision_create(
            child=child,
            decided_by=decided_by,
            decided_on=decided_on,
            kind=kind,
            decision=decision,
            rationale=rationale,
            episode=episode or episode_on(child, decided_on),
        )


# -- case audits ----------------------------------------------------------------------------------------------


def case_audit_start(
    *, child: Child, started_by, auditor: Worker | None, started_on: datetime.date | None = None
) -> CaseAudit:
    """A manager commissions an audit of ``child``'s case file, carried out by ``auditor`` (themself, another
    manager, or a quality assurance auditor, who from now reaches the child's record until it is completed).
    One audit of a child's case file is in progress at a time."""
    if not policies.may_commission_audit(started_by, child):
        raise PermissionDenied(
            "Only a team manager, head of service or the director who may change this child's record "
            "starts an audit of it"
        )
    started_on = started_on or timezone.localdate()
    errors: dict = {}
    refusal = policies.auditor_refusal(auditor, child, started_on)
    if refusal:
        errors["auditor"] = refusal
    _not_future(errors, "started_on", started_on, "the start of the audit")
    _raise(errors)
    with transaction.atomic():
        audit = create_once(
            CaseAudit,
            {"auditor": "An audit of this case file is already in progress"},
            child=child,
            episode=episode_on(child, started_on),
            auditor=auditor,
            started_on=started_on,
            created_by=started_by,
            modified_by=started_by,
        )
        audit_event_record(
            actor=started_by,
            action="case_audit.started",
            entity=audit,
            child=child,
            changes={"auditor": [None, auditor.pk], "started_on": [None, started_on.isoformat()]},
        )
    return audit


def _locked_draft(audit: CaseAudit) -> CaseAudit:
    """The audit row, locked for this transaction, refusing once it is completed."""
    current = CaseAudit.objects.select_for_update().get(pk=audit.pk)
    if current.status != AuditStatus.DRAFT:
        raise ValidationError("This audit has been completed: it can no longer change")
    return current


def case_audit_answer(
    *, audit: CaseAudit, answered_by, answers: Mapping[str, tuple[str, str]]
) -> list[CaseAuditAnswer]:
    """The auditor grades questions (``{code: (grade, comment)}``), in as many sittings as they need; a
    question left without a grade stays unanswered. A grade below good needs a comment saying why. Errors are
    keyed ``<code>.grade`` and ``<code>.comment``."""
    if not policies.is_auditor(answered_by, audit):
        raise PermissionDenied("Only the audit's auditor answers its questions")
    asked = questions()
    errors: dict = {}
    wanted: dict[str, tuple[str, str]] = {}
    for code, (grade, comment) in answers.items():
        comment = (comment or "").strip()
        if code not in asked:
            errors[f"{code}.grade"] = f"There is no question {code!r}"
            continue
        if not grade:
            if comment:
                errors[f"{code}.grade"] = f"Choose a grade for “{asked[code].theme}”"
            continue
        if grade not in AnswerGrade.values:
            errors[f"{code}.grade"] = f"Choose a grade for “{asked[code].theme}”"
            continue
        if grade in NEEDS_COMMENT and not comment:
            errors[f"{code}.comment"] = (
                f"Say why “{asked[code].theme}” is graded {AnswerGrade(grade).label.lower()}"
            )
            continue
        wanted[code] = (grade, comment)
    _raise(errors)
    with transaction.atomic():
        audit = _locked_draft(audit)
        existing = {answer.question: answer for answer in audit.answers.all()}
        changed: dict[str, list] = {}
        saved = []
        for code, (grade, comment) in wanted.items():
            answer = existing.get(code)
            if answer is None:
                answer = CaseAuditAnswer.objects.create(
                    audit=audit, question=code, question_text=asked[code].text, grade=grade, comment=comment
                )
                changed[code] = [None, grade]
            elif (answer.grade, answer.comment) != (grade, comment):
                changed[code] = [answer.grade, grade]
                answer.grade, answer.comment = grade, comment
                answer.save(update_fields=["grade", "comment"])
            saved.append(answer)
        if changed:
            CaseAudit.objects.filter(pk=audit.pk).update(modified_by=answered_by, modified_at=timezone.now())
            audit_event_record(
                actor=answered_by,
                action="case_audit.answered",
                entity=audit,
                child=audit.child,
                changes=changed,
            )
    return saved


def case_audit_complete(
    *,
    audit: CaseAudit,
    completed_by,
    overall_grade: str,
    summary: str,
    completed_on: datetime.date | None = None,
) -> CaseAudit:
    """The auditor completes the audit with an overall grade and what it found. Every question must be
    answered; an inadequate answer limits the overall grade to "requires improvement" at best. Once completed
    the answers and grade do not change, and a quality assurance auditor no longer reaches the child."""
    if not policies.is_auditor(completed_by, audit):
        raise PermissionDenied("Only the audit's auditor completes it")
    completed_on = completed_on or timezone.localdate()
    errors: dict = {}
    if audit.status != AuditStatus.DRAFT:
        raise ValidationError("This audit has already been completed")
    answered = {answer.question: answer.grade for answer in audit.answers.all()}
    missing = [question.theme for code, question in questions().items() if code not in answered]
    if missing:
        errors["__all__"] = (
            f"Answer every question before completing the audit. Not answered: {', '.join(missing)}"
        )
    if overall_grade not in Grade.values:
        errors["overall_grade"] = "Choose the overall grade"
    elif overall_grade in LIMITED_BY_INADEQUATE and AnswerGrade.INADEQUATE in answered.values():
        errors["overall_grade"] = (
            "The overall grade cannot be good or outstanding when a question is graded inadequate"
        )
    if not summary.strip():
        errors["summary"] = "Summarise what the audit found"
    _not_future(errors, "completed_on", completed_on, "completion")
    if completed_on < audit.started_on:
        errors["completed_on"] = "The audit cannot be completed before it started"
    _raise(errors)
    with transaction.atomic():
        updated = CaseAudit.objects.filter(pk=audit.pk, status=AuditStatus.DRAFT).update(
            status=AuditStatus.COMPLETED,
            overall_grade=overall_grade,
            summary=summary.strip(),
            completed_on=completed_on,
            modified_by=completed_by,
            modified_at=timezone.now(),
        )
        if not updated:
            raise ValidationError("This audit has already been completed")
        audit.status, audit.overall_grade = AuditStatus.COMPLETED, overall_grade
        audit.summary, audit.completed_on = summary.strip(), completed_on
        audit_event_record(
            actor=completed_by,
            action="case_audit.completed",
            entity=audit,
            child=audit.child,
            changes={
                "status": [AuditStatus.DRAFT, AuditStatus.COMPLETED],
                "overall_grade": [None, overall_grade],
                "completed_on": [None, completed_on.isoformat()],
            },
            reason=audit.summary,
        )
    return audit


def case_audit_action_add(
    *, audit: CaseAudit, added_by, description: str, owner: Worker | None, due_on: datetime.date | None
) -> CaseAuditAction:
    """Set an action from an audit: what, who (someone who may act on the child's record) and by when."""
    if not policies.may_add_action(added_by, audit):
        raise PermissionDenied(
            "Only the auditor, or a manager who may change this child's record, sets actions"
        )
    errors: dict = {}
    if not description.strip():
        errors["description"] = "Describe what needs to be done"
    if owner is None or not owner.user.is_active:
        errors["owner"] = "Choose who will do it"
    elif not may_change(owner.user, audit.child).allowed:
        errors["owner"] = (
            f"{owner.name} cannot act on this child's record: choose someone who works with the child"
        )
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or in the future"
    _raise(errors)
    with transaction.atomic():
        action = CaseAuditAction.objects.create(
            audit=audit,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            created_by=added_by,
            modified_by=added_by,
        )
        audit_event_record(
            actor=added_by,
            action="case_audit_action.added",
            entity=action,
            child=audit.child,
            changes={
                "audit": [None, audit.pk],
                "owner": [None, owner.pk],
                "due_on": [None, due_on.isoformat()],
                "description": [None, action.description],
            },
        )
        # A case audit action is a learning action: its due date is a clock on the child's record, and an
        # overdue one a breach in the legal exposure register (Working Together 2023 ch.5; ADR 0019).
        compliance_event(
            event="learning_action.agreed",
            child=audit.child,
            on=timezone.localdate(),
            scope=action,
            actor=added_by,
            team=owner.team,
            area=owner.team.area if owner.team_id else owner.area,
        )
    return action


def case_audit_action_complete(
    *, action: CaseAuditAction, completed_by, evidence: str, completed_on: datetime.date | None = None
) -> CaseAuditAction:
    """Mark an audit action done, with the evidence of what was done: by its owner or a manager."""
    if not policies.may_complete_action(completed_by, action):
        raise PermissionDenied(
            "Only the action's owner, or a manager who may change this child's record, completes it"
        )
    completed_on = completed_on or timezone.localdate()
    errors: dict = {}
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been completed")
    if not evidence.strip():
        errors["evidence"] = "Describe what was done, and where it is recorded"
    _not_future(errors, "completed_on", completed_on, "completion")
    if completed_on < timezone.localdate(action.created_at):
        errors["completed_on"] = "The action cannot be completed before it was set"
    _raise(errors)
    with transaction.atomic():
        updated = CaseAuditAction.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE,
            completed_on=completed_on,
            completed_by=completed_by,
            evidence=evidence.strip(),
            modified_by=completed_by,
            modified_at=timezone.now(),
        )
        if not updated:
            raise ValidationError("This action has already been completed")
        action.status, action.completed_on = ActionStatus.DONE, completed_on
        action.completed_by, action.evidence = completed_by, evidence.strip()
        audit_event_record(
            actor=completed_by,
            action="case_audit_action.completed",
            entity=action,
            child=action.audit.child,
            changes={
                "status": [ActionStatus.OPEN, ActionStatus.DONE],
                "completed_on": [None, completed_on.isoformat()],
            },
            reason=action.evidence,
        )
        compliance_event(
            event="learning_action.completed",
            child=action.audit.child,
            on=completed_on,
            scope=action,
            actor=completed_by,
        )
    return action
