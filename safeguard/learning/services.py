"""Every change to a learning action: agree it, record progress, change its due date (with a reason), complete
it (with evidence), or decide it is no longer needed (a manager, with a reason).

Each service checks who is acting (``policies``), validates, runs in one transaction, writes a history entry
and its own ``AuditEvent``, and raises the ``learning_action`` duty's events so that the deadline on the
child's record follows the action (``compliance_event``). A change made on a stale page (``version``) is
refused with what changed: never a silent overwrite.

A due date changed before the action fell due cancels its clock (no breach) and starts one to the new date. A
due date changed after it fell due keeps the first clock's breach, as it happened (``breached_on``, days
late), and starts the new one: the legal exposure register still shows that it ran late (ADR 0019).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record
from safeguard.casework.services import VersionConflict
from safeguard.compliance.services import compliance_event
from safeguard.incidents.models import SeriousIncident
from safeguard.learning import policies
from safeguard.learning.models import Entry, LearningAction, LearningActionEntry, Source, Status
from safeguard.organisation.models import Worker


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _due_date_errors(errors: dict, due_on: datetime.date | None, today: datetime.date) -> None:
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif due_on < today:
        errors["due_on"] = "The due date must be today or in the future"


def _guarded(action: LearningAction, *, version: int, actor, **values) -> None:
    """Save ``values`` only if nobody saved the action since this user read it (``version``)."""
    updated = LearningAction.objects.filter(pk=action.pk, version=version).update(
        version=version + 1, modified_by=actor, modified_at=timezone.now(), **values
    )
    if not updated:
        current = LearningAction.objects.select_related("modified_by").get(pk=action.pk)
        who = current.modified_by.get_full_name() if current.modified_by else "Someone else"
        when = timezone.localtime(current.modified_at).strftime("%-d %B %Y at %H:%M")
        raise VersionConflict(
            f"{who} changed this action on {when}, after you opened it: it is now "
            f"{current.get_status_display().lower()}, due {current.due_on:%-d %B %Y}. "
            "Nothing you typed has been saved: read their change, then save yours again if it is still needed."
        )
    for name, value in values.items():
        setattr(action, name, value)
    action.version = version + 1


def _entry(action, *, kind, by, on, note="", old_due_on=None, new_due_on=None) -> LearningActionEntry:
    return LearningActionEntry.objects.create(
        action=action,
        kind=kind,
        note=note,
        old_due_on=old_due_on,
        new_due_on=new_due_on,
        recorded_on=on,
        recorded_by=by,
    )


def _team_and_area(incident: SeriousIncident, owner: Worker):
    """Who answers for the action: the incident's team and area, else the owner's."""
    team = incident.team or owner.team
    area = incident.area or (team.area if team is not None else owner.area)
    return team, area


def learning_action_agree(
    *,
    incident: SeriousIncident,
    agreed_by,
    source: str,
    description: str,
    owner: Worker | None,
    due_on: datetime.date | None,
) -> LearningAction:
    """Agree an action from the incident's rapid review or practice review: what, who and by when."""
    if not policies.may_add_action(agreed_by, incident):
        raise PermissionDenied("Only a manager who may see this incident agrees its learning actions")
    today = timezone.localdate()
    errors: dict = {}
    if source not in Source.values:
        errors["source"] = "Choose the review the action comes from"
    if not description.strip():
        errors["description"] = "Describe what must change"
    if owner is None or not owner.user.is_active:
        errors["owner"] = "Choose who will do it"
    _due_date_errors(errors, due_on, today)
    _raise(errors)
    team, area = _team_and_area(incident, owner)
    with transaction.atomic():
        action = LearningAction.objects.create(
            incident=incident,
            source=source,
            description=description.strip(),
            owner=owner,
            agreed_on=today,
            due_on=due_on,
            team=team,
            area=area,
            created_by=agreed_by,
            modified_by=agreed_by,
        )
        _entry(action, kind=Entry.AGREED, by=agreed_by, on=today, new_due_on=due_on)
        audit_event_record(
            actor=agreed_by,
            action="learning_action.agreed",
            entity=action,
            child=incident.child,
            changes={
                "incident": [None, incident.pk],
                "source": [None, source],
                "owner": [None, owner.pk],
                "due_on": [None, due_on.isoformat()],
                "description": [None, action.description],
            },
        )
        compliance_event(
            event="learning_action.agreed",
            child=incident.child,
            on=today,
            scope=action,
            actor=agreed_by,
            team=team,
            area=area,
        )
    return action


def _require_open(action: LearningAction) -> None:
    if action.status != Status.OPEN:
        raise ValidationError(f"This action is already {action.get_status_display().lower()}")


def learning_action_record_progress(*, action: LearningAction, recorded_by, note: str) -> LearningActionEntry:
    """A note of what has been done so far (the action stays open; its clock runs on)."""
    if not policies.may_update_action(recorded_by, action):
        raise PermissionDenied(
            "Only the action's owner, or a manager who may see the incident, records progress"
        )
    _require_open(action)
    if not note.strip():
        raise ValidationError({"note": "Describe the progress made"})
    with transaction.atomic():
        entry = _entry(
            action, kind=Entry.PROGRESS, by=recorded_by, on=timezone.localdate(), note=note.strip()
        )
        audit_event_record(
            actor=recorded_by,
            action="learning_action.progress_recorded",
            entity=action,
            child=action.incident.child,
            reason=entry.note,
        )
    return entry


def learning_action_change_due_date(
    *, action: LearningAction, changed_by, due_on: datetime.date | None, reason: str, version: int
) -> LearningAction:
    """Move the due date, with the reason recorded; the deadline moves with it (see the module's docstring)."""
    if not policies.may_update_action(changed_by, action):
        raise PermissionDenied("Only the action's owner, or a manager who may see the incident, changes it")
    _require_open(action)
    today = timezone.localdate()
    errors: dict = {}
    _due_date_errors(errors, due_on, today)
    if due_on is not None and due_on == action.due_on:
        errors["due_on"] = "The new due date is the same as the current one"
    if not reason.strip():
        errors["reason"] = "Enter why the due date changes"
    _raise(errors)
    old = action.due_on
    with transaction.atomic():
        _guarded(action, version=version, actor=changed_by, due_on=due_on)
        _entry(
            action,
            kind=Entry.DUE_DATE_CHANGED,
            by=changed_by,
            on=today,
            note=reason.strip(),
            old_due_on=old,
            new_due_on=due_on,
        )
        audit_event_record(
            actor=changed_by,
            action="learning_action.due_date_changed",
            entity=action,
            child=action.incident.child,
            changes={"due_on": [old.isoformat(), due_on.isoformat()]},
            reason=reason.strip(),
        )
        compliance_event(
            event="learning_action.rescheduled",
            child=action.incident.child,
            on=today,
            scope=action,
            actor=changed_by,
            team=action.team,
            area=action.area,
        )
    return action


def learning_action_complete(
    *,
    action: LearningAction,
    completed_by,
    evidence: str,
    version: int,
    completed_on: datetime.date | None = None,
) -> LearningAction:
    """Done, with the evidence of what was done and where it is recorded: its deadline is met (late, if after
    the due date: the register keeps the days late)."""
    if not policies.may_update_action(completed_by, action):
        raise PermissionDenied("Only the action's owner, or a manager who may see the incident, completes it")
    _require_open(action)
    today = timezone.localdate()
    completed_on = completed_on or today
    errors: dict = {}
    if not evidence.strip():
        errors["evidence"] = "Describe what was done, and where it is recorded"
    if completed_on > today:
        errors["completed_on"] = "The date it was done cannot be in the future"
    elif completed_on < action.agreed_on:
        errors["completed_on"] = "The action cannot be done before it was agreed"
    else:
        # The running clock started on the last due date change: a completion dated before it would meet
        # nothing and leave the clock open.
        changed = (
            action.entries.filter(kind=Entry.DUE_DATE_CHANGED)
            .order_by("-recorded_on")
            .values_list("recorded_on", flat=True)
            .first()
        )
        if changed is not None and completed_on < changed:
            errors["completed_on"] = (
                f"The date it was done cannot be before its due date was changed ({changed:%-d %B %Y})"
            )
    _raise(errors)
    with transaction.atomic():
        _guarded(
            action,
            version=version,
            actor=completed_by,
            status=Status.DONE,
            evidence=evidence.strip(),
            completed_on=completed_on,
            completed_by=completed_by,
        )
        _entry(action, kind=Entry.COMPLETED, by=completed_by, on=completed_on, note=action.evidence)
        audit_event_record(
            actor=completed_by,
            action="learning_action.completed",
            entity=action,
            child=action.incident.child,
            changes={"status": [Status.OPEN, Status.DONE], "completed_on": [None, completed_on.isoformat()]},
            reason=action.evidence,
        )
        compliance_event(
            event="learning_action.completed",
            child=action.incident.child,
            on=completed_on,
            scope=action,
            actor=completed_by,
        )
    return action


def learning_action_close_not_needed(
    *, action: LearningAction, decided_by, reason: str, version: int
) -> LearningAction:
    """A manager decides the action is no longer needed (overtaken by another, the service it was about has
    closed), with the reason. Its clock stops; if it was already overdue, the breach stays recorded."""
    if not policies.may_close_as_not_needed(decided_by, action):
        raise PermissionDenied(
            "Only a manager who may see the incident, and who does not own the action, decides it is not needed"
        )
    _require_open(action)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the action is no longer needed"})
    today = timezone.localdate()
    with transaction.atomic():
        _guarded(
            action,
            version=version,
            actor=decided_by,
            status=Status.NOT_NEEDED,
            closed_reason=reason.strip(),
            completed_on=today,
            completed_by=decided_by,
        )
        _entry(action, kind=Entry.NOT_NEEDED, by=decided_by, on=today, note=action.closed_reason)
        audit_event_record(
            actor=decided_by,
            action="learning_action.not_needed",
            entity=action,
            child=action.incident.child,
            changes={"status": [Status.OPEN, Status.NOT_NEEDED]},
            reason=action.closed_reason,
        )
        compliance_event(
            event="learning_action.not_needed",
            child=action.incident.child,
            on=today,
            scope=action,
            actor=decided_by,
        )
    return action
