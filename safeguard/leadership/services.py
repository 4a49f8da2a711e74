"""Every change to the improvement plan: an action set, its details or measure changed, its status moved.

Each service checks who is acting (``policies``), validates (a ``ValidationError`` keyed by the argument it
is about, and nothing changed), runs in one transaction, guards against a concurrent change (the form
carries the version it was read at), records a status change as an ``ActionStatusChange`` row, and writes
its own ``AuditEvent``. Nothing happens in a signal.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.leadership import policies
from safeguard.leadership.measures import definitions, measure_value, twelve_months_to
from safeguard.leadership.models import (
    OPEN_STATUSES,
    ActionStatus,
    ActionStatusChange,
    ImprovementAction,
)
from safeguard.organisation.models import Area, Worker

DETAIL_FIELDS = ["title", "description", "owner", "due_on", "measure", "target", "baseline", "baseline_on"]
# Where an action may move from each status (a dropped or done action is not reopened: set a new one).
TRANSITIONS = {
    ActionStatus.NOT_STARTED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.DONE: set(),
    ActionStatus.DROPPED: set(),
}
PLAN_HORIZON_YEARS = 5  # a due date more than this far ahead is a typing mistake


class VersionConflict(ValidationError):
    """Someone else changed the action after this user read it."""


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_details(
    errors: dict,
    *,
    title: str,
    description: str,
    owner: Worker | None,
    due_on: datetime.date | None,
    measure: str,
    target,
    acting,
    today: datetime.date,
) -> Decimal | None:
    if not title.strip():
        errors["title"] = "Enter a title for the action"
    elif len(title.strip()) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if not description.strip():
        errors["description"] = "Describe what will be done"
    if owner is None:
        errors["owner"] = "Choose who owns the action"
    elif not policies.owner_candidates(acting).filter(pk=owner.pk).exists():
        errors["owner"] = f"{owner.name} cannot own this action: choose one of the managers listed"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on.year > today.year + PLAN_HORIZON_YEARS:
        errors["due_on"] = f"The due date must be within {PLAN_HORIZON_YEARS} years"
    chosen_target = None
    if measure:
        if measure not in definitions():
            errors["measure"] = "Choose a measure from the list"
        if target in (None, ""):
            errors["target"] = "Enter the target for the measure, as a percentage"
        else:
            try:
                chosen_target = Decimal(str(target)).quantize(Decimal("0.1"))
            except (InvalidOperation, ValueError):
                errors["target"] = "The target must be a number, like 85 or 22.5"
            else:
                if not 0 <= chosen_target <= 100:
                    errors["target"] = "The target must be a percentage from 0 to 100"
    elif target not in (None, ""):
        errors["measure"] = "Choose the measure the target is for"
    return chosen_target


def _baseline(action: ImprovementAction, today: datetime.date) -> None:
    """Take the linked measure's value for the action's area over the 12 months to today."""
    period = twelve_months_to(today)
    value = measure_value(
        action.measure, area_id=action.area_id, start=period.start, end=period.end, today=today
    )
    action.baseline = Decimal(str(value.value)) if value.value is not None else None
    action.baseline_numerator, action.baseline_denominator = value.numerator, value.denominator
    action.baseline_on = today


def action_create(
    *,
    created_by,
    title: str,
    description: str,
    owner: Worker | None,
    due_on: datetime.date | None,
    area: Area | None,
    measure: str = "",
    target=None,
) -> ImprovementAction:
    """Set an action of the plan: the director for any area or the whole council, a head of service for
    their area. A linked measure takes its baseline now."""
    if not policies.may_act_for_area(created_by, area.pk if area else None):
        raise PermissionDenied(
            "Only the director sets actions for the whole council; a head of service, for their own area"
        )
    today = timezone.localdate()
    errors: dict = {}
    chosen_target = _check_details(
        errors,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        measure=measure,
        target=target,
        acting=created_by,
        today=today,
    )
    if due_on is not None and due_on < today and "due_on" not in errors:
        errors["due_on"] = "The due date of a new action must be today or in the future"
    _raise(errors)
    with transaction.atomic():
        action = ImprovementAction(
            title=title.strip(),
            description=description.strip(),
            owner=owner,
            area=area,
            due_on=due_on,
            measure=measure,
            target=chosen_target,
            created_by=created_by,
            modified_by=created_by,
        )
        if measure:
            _baseline(action, today)
        action.save()
        ActionStatusChange.objects.create(
            action=action,
            from_status="",
            to_status=action.status,
            changed_on=today,
            changed_at=timezone.now(),
            changed_by=created_by,
            note="Action set",
        )
        audit_event_record(
            actor=created_by,
            action="improvement_action.created",
            entity=action,
            changes={**changes_between(None, action, [*DETAIL_FIELDS, "area", "status"])},
        )
    return action


def _locked(action: ImprovementAction, version: int) -> ImprovementAction:
    current = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if current.version != version:
        who = current.modified_by.get_full_name() if current.modified_by else "someone"
        raise VersionConflict(
            f"{who or 'Someone'} changed this action at {timezone.localtime(current.modified_at):%H:%M on %-d %B %Y} "
            "after you opened it. Check what changed, then save again."
        )
    return current


def action_update(
    *,
    action: ImprovementAction,
    updated_by,
    version: int,
    title: str,
    description: str,
    owner: Worker | None,
    due_on: datetime.date | None,
    measure: str = "",
    target=None,
) -> ImprovementAction:
    """Change an action's details: title, description, owner, due date, linked measure and target. A measure
    newly linked (or changed) takes a new baseline today; the same measure keeps its baseline. The area is
    fixed when the action is set (set a new action for another area)."""
    if not policies.may_change_action(updated_by, action):
        raise PermissionDenied("Only the director, or the head of service for its area, changes this action")
    today = timezone.localdate()
    errors: dict = {}
    chosen_target = _check_details(
        errors,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        measure=measure,
        target=target,
        acting=updated_by,
        today=today,
    )
    _raise(errors)
    with transaction.atomic():
        current = _locked(action, version)
        before = ImprovementAction(
            **{f.attname: getattr(current, f.attname) for f in current._meta.concrete_fields}
        )
        current.title, current.description = title.strip(), description.strip()
        current.owner, current.due_on = owner, due_on
        if measure != current.measure:
            current.measure = measure
            if measure:
                _baseline(current, today)
            else:
                current.baseline = current.baseline_numerator = current.baseline_denominator = None
                current.baseline_on = None
        current.target = chosen_target if measure else None
        changes = changes_between(before, current, DETAIL_FIELDS)
        if not changes:
            return current
        current.version = F("version") + 1
        current.modified_by = updated_by
        current.save()
        current.refresh_from_db()
        audit_event_record(
            actor=updated_by, action="improvement_action.updated", entity=current, changes=changes
        )
    return current


def action_set_status(
    *,
    action: ImprovementAction,
    changed_by,
    version: int,
    status: str,
    note: str = "",
    on: datetime.date | None = None,
) -> ImprovementAction:
    """Move an action on: in progress, done (with the evidence of what was done, and the day), or dropped
    (with the reason). Every move is a row in the action's history and an audit event."""
    if not policies.may_change_action(changed_by, action):
        raise PermissionDenied("Only the director, or the head of service for its area, changes this action")
    today = timezone.localdate()
    on = on or today
    errors: dict = {}
    if status not in ActionStatus.values:
        errors["status"] = "Choose the action's new status"
    elif status not in TRANSITIONS[ActionStatus(action.status)]:
        errors["status"] = (
            f"An action that is {action.get_status_display().lower()} cannot become "
            f"{ActionStatus(status).label.lower()}"
        )
    if status == ActionStatus.DONE and not note.strip():
        errors["note"] = "Enter the evidence that the action was done: what changed, and where it is recorded"
    if status == ActionStatus.DROPPED and not note.strip():
        errors["note"] = "Enter the reason the action was dropped"
    if on > today:
        errors["on"] = "The date cannot be in the future"
    elif on < timezone.localdate(action.created_at):
        errors["on"] = "The date cannot be before the action was set"
    _raise(errors)
    with transaction.atomic():
        current = _locked(action, version)
        if current.status not in OPEN_STATUSES or status not in TRANSITIONS[ActionStatus(current.status)]:
            raise VersionConflict("This action's status has just been changed by someone else")
        old = current.status
        current.status = status
        if status == ActionStatus.DONE:
            current.evidence, current.completed_on = note.strip(), on
        if status == ActionStatus.DROPPED:
            current.dropped_reason = note.strip()
        current.version = F("version") + 1
        current.modified_by = changed_by
        current.save()
        current.refresh_from_db()
        ActionStatusChange.objects.create(
            action=current,
            from_status=old,
            to_status=status,
            changed_on=on,
            changed_at=timezone.now(),
            changed_by=changed_by,
            note=note.strip(),
        )
        audit_event_record(
            actor=changed_by,
            action="improvement_action.status_changed",
            entity=current,
            changes={"status": [old, status], "on": [None, on.isoformat()]},
            reason=note.strip(),
        )
    return current
