"""The deadline engine: one entry point, ``compliance_event``, that every casework service calls when
something with a statutory clock happens; and the two writes a person makes on a deadline.

``compliance_event`` runs inside the caller's transaction (the caller's change and the clocks it starts or
stops commit together), and does three things in this order, each read from the registry:

1. **cancels** the child's open deadlines that the event ends (a CP plan ended: its visits and reviews no
   longer apply). A deadline cancelled after its day was still breached, and stays on the record so;
2. **meets** the child's open deadlines the event satisfies, and starts the next in a chain (a review held
   meets the review that was due and starts the clock for the next one);
3. **starts** the deadlines the event triggers.

Each close is a guarded update (``status='open'`` in the WHERE clause), so two people recording the same
visit at once meet the deadline once and start one next deadline, not two.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from safeguard.audit.policy import may_change
from safeguard.audit.services import audit_event_record
from safeguard.compliance.models import Deadline, DeadlineStatus, first_day_late
from safeguard.compliance.registry import EVENTS, Duty, Period, cancelled_by, duty, met_by, started_by
from safeguard.people.models import Child


@dataclass
class EventOutcome:
    opened: list[Deadline] = field(default_factory=list)
    met: list[Deadline] = field(default_factory=list)
    cancelled: list[Deadline] = field(default_factory=list)


def _scope_key(scope: models.Model) -> tuple[str, int]:
    return scope._meta.label_lower, scope.pk


def _record_period(item: Duty, scope: models.Model, on: datetime.date) -> Period | None:
    """The period the record sets for a duty whose period it may set (``period_from_record``)."""
    if not item.period_from_record:
        return None
    method = getattr(scope, "statutory_period", None)
    return method(item.code, on) if method else None


def _open(
    *,
    item: Duty,
    child_id: int,
    scope_type: str,
    scope_id: int,
    on: datetime.date,
    event: str,
    actor,
    team_id: int | None,
    area_id: int | None,
    scope=None,
) -> Deadline | None:
    existing = Deadline.objects.filter(
        duty_id=item.code,
        child_id=child_id,
        scope_type=scope_type,
        scope_id=scope_id,
        status=DeadlineStatus.OPEN,
    )
    if existing.exists():  # the same clock is already running for this record: never two
        return None
    if scope is None:
        scope = apps.get_model(scope_type).objects.get(pk=scope_id)
    applies = getattr(scope, "duty_applies", None)
    if applies is not None and not applies(item.code, on):  # e.g. no PEP for a child below school age
        return None
    period = _record_period(item, scope, on)
    return Deadline.objects.create(
        duty_id=item.code,
        child_id=child_id,
        scope_type=scope_type,
        scope_id=scope_id,
        started_by=event,
        starts_on=on,
        due_on=item.due_date(on, period),
        team_id=team_id,
        area_id=area_id,
        created_by=actor,
        modified_by=actor,
    )


def _close(deadline: Deadline, *, status: str, on: datetime.date, event: str, actor) -> bool:
    late = on > deadline.due_on
    changes = {
        "status": status,
        "closed_on": on,
        "closed_by": event,
        "breached_on": first_day_late(deadline.due_on) if late else deadline.breached_on,
        "days_late": (on - deadline.due_on).days if late else None,
        "modified_by": actor,
        "modified_at": timezone.now(),
    }
    closed = Deadline.objects.filter(pk=deadline.pk, status=DeadlineStatus.OPEN).update(
        version=models.F("version") + 1, **changes
    )
    if closed:
        for name, value in changes.items():
            setattr(deadline, name, value)
    return bool(closed)


def compliance_event(
    *,
    event: str,
    child: Child,
    on: datetime.date,
    scope: models.Model | None = None,
    actor=None,
    team=None,
    area=None,
) -> EventOutcome:
    """Something with a statutory clock happened to ``child`` on ``on``.

    ``scope`` is the record it happened to (the contact, the episode, the period of care). Deadlines it
    starts belong to that record; deadlines it meets or cancels are the child's open ones for that record,
    or, with no scope (a visit, a death), the child's open ones of the duties concerned whatever their
    record. Only deadlines already running on ``on`` are met or cancelled: a visit dated before a placement
    began does not count as the visit after it. ``team`` and ``area`` are who answers for the new deadlines
    (chained deadlines keep their predecessor's unless given).
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown compliance event {event!r}; add it to compliance.registry.EVENTS")
    triggered = started_by(event)
    if triggered and scope is None:
        raise ValueError(f"{event} starts deadlines, so it needs the record they belong to")
    actor = actor if actor is not None and actor.is_authenticated else None
    outcome = EventOutcome()
    with transaction.atomic():
        for status, duties in (
            (DeadlineStatus.CANCELLED, cancelled_by(event)),
            (DeadlineStatus.MET, met_by(event)),
        ):
            if not duties:
                continue
            running = Deadline.objects.open().filter(
                child=child, duty_id__in=[item.code for item in duties], starts_on__lte=on
            )
            if scope is not None:
                running = running.for_scope(scope)
            for deadline in running.select_for_update():
                if not _close(deadline, status=status, on=on, event=event, actor=actor):
                    continue  # closed a moment ago by someone else
                if status == DeadlineStatus.CANCELLED:
                    outcome.cancelled.append(deadline)
                    continue
                outcome.met.append(deadline)
                follow = duty(deadline.duty_id).then
                if follow:
                    same_scope = (
                        scope
                        if scope is not None and _scope_key(scope) == (deadline.scope_type, deadline.scope_id)
                        else None
                    )
                    following = _open(
                        item=duty(follow),
                        child_id=child.pk,
                        scope_type=deadline.scope_type,
                        scope_id=deadline.scope_id,
                        on=on,
                        event=event,
                        actor=actor,
                        team_id=team.pk if team is not None else deadline.team_id,
                        area_id=area.pk if area is not None else deadline.area_id,
                        scope=same_scope,
                    )
                    if following is not None:
                        outcome.opened.append(following)
        for item in triggered:
            scope_type, scope_id = _scope_key(scope)
            opened = _open(
                item=item,
                child_id=child.pk,
                scope_type=scope_type,
                scope_id=scope_id,
                on=on,
                event=event,
                actor=actor,
                team_id=team.pk if team is not None else None,
                area_id=area.pk if area is not None else None,
                scope=scope,
            )
            if opened is not None:
                outcome.opened.append(opened)
    return outcome


def deadline_explain_delay(*, deadline: Deadline, reason: str, recorded_by, version: int) -> Deadline:
    """Record why a deadline was (or will be) missed: Working Together 2023 ch.3 asks that the reasons for an
    assessment going beyond 45 working days be recorded, and the legal exposure register shows them.

    ``version`` is the one the user saw: if someone else changed the deadline since, they are told, and
    nothing is overwritten.
    """
    if not may_change(recorded_by, deadline.child).allowed:
        raise PermissionDenied("You cannot change this child's record")
    if deadline.status == DeadlineStatus.MET and deadline.breached_on is None:
        raise ValidationError("This deadline was met on time: there is no delay to explain")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for the delay"})
    with transaction.atomic():
        updated = Deadline.objects.filter(pk=deadline.pk, version=version).update(
            delay_reason=reason, version=version + 1, modified_by=recorded_by, modified_at=timezone.now()
        )
        if not updated:
            current = Deadline.objects.get(pk=deadline.pk)
            raise ValidationError(
                {
                    "reason": "Someone else changed this deadline while you were writing. "
                    f"The reason now recorded is: “{current.delay_reason or 'none'}”. "
                    "Read it, then save yours again if it still needs to change."
                }
            )
        audit_event_record(
            actor=recorded_by,
            action="deadline.delay_explained",
            entity=deadline,
            child=deadline.child,
            changes={"delay_reason": [deadline.delay_reason, reason]},
        )
        deadline.delay_reason, deadline.version = reason, version + 1
    return deadline


def deadlines_record_breaches(*, today: datetime.date | None = None) -> int:
    """Mark every open deadline whose day has passed as breached, with the first day it was late. Run daily
    (``safeguard compliance record-breaches``); the pages count open deadlines past due without waiting for it."""
    today = today or timezone.localdate()
    late = Deadline.objects.open().filter(due_on__lt=today, breached_on__isnull=True)
    marked = 0
    with transaction.atomic():
        for due_on in late.values_list("due_on", flat=True).distinct().order_by():
            marked += late.filter(due_on=due_on).update(breached_on=first_day_late(due_on))
    return marked
