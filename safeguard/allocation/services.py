"""Allocating children to social workers, and ending allocations.

Every allocation and reallocation is dated and kept (issue 5): a change of worker ends the current
``organisation.Allocation`` row and starts a new one, so who held the case on any day is never lost. Each
service checks who is acting, validates everything before it writes, runs in one transaction (bad input
changes nothing), and writes its own audit events. Two managers allocating the same child at the same moment
are stopped by the database's "one open allocation per child and role" constraint, and the second is told.

Dating a reallocation: the previous worker's allocation **ends the day before** the new one starts, so that on
every day exactly one worker holds the case (``Allocation.current`` counts both ends inclusively). The one
exception is a same-day correction, when the allocation being replaced started on the new start date: it then
ends on that same day (a one-day row, kept), since a row may not end before it starts.

Why the social worker changed (SSDA903 SW_REASON) is recorded with the allocation that begins
(``SocialWorkerChange``): first contact (``FCONTA``) for the first social worker of a child's referral, worked
out here, and otherwise the reason the manager gives, from the DfE's list (reference data
``social_worker_change``).
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguard.allocation.caseload import caseload_with, current_weights
from safeguard.allocation.models import FIRST_CONTACT, OverLimitAllocation, SocialWorkerChange
from safeguard.allocation.policies import ALLOCATING_ROLES, manages_team
from safeguard.allocation.selectors import held_by_a_social_worker, queue_scope
from safeguard.audit.policy import worker_for
from safeguard.audit.services import audit_event_record
from safeguard.casework.models import CinEpisode
from safeguard.casework.services import create_once
from safeguard.core.reference import codes_valid_on, label
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.people.models import Child

ONE_DAY = datetime.timedelta(days=1)


def _name(child: Child) -> str:
    return child.person.full_name


def _fmt(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _check_worker(worker: Worker) -> None:
    """Only a qualified social worker who can sign in, in a team, can be a child's allocated worker (Children
    and Social Work Act 2017 Part 2: registered with Social Work England; Working Together 2023 ch.3)."""
    if worker.role != Role.SOCIAL_WORKER or not worker.is_qualified:
        raise ValidationError({"worker": f"{worker.name} is not a qualified social worker"})
    if not worker.user.is_active:
        raise ValidationError({"worker": f"{worker.name} can no longer sign in: they cannot hold cases"})
    if worker.team_id is None:
        raise ValidationError({"worker": f"{worker.name} is not in a team"})


def _check_start(start_date: datetime.date, episodes: dict[int, CinEpisode], children: list[Child]) -> None:
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": "The allocation cannot start in the future"})
    for child in children:
        referral = episodes[child.pk].referral_date
        if start_date < referral:
            raise ValidationError(
                {
                    "start_date": f"The allocation cannot start before {_name(child)}'s referral "
                    f"on {_fmt(referral)}"
                }
            )


def allocation_allocate(
    *,
    children: Sequence[Child],
    worker: Worker,
    allocated_by,
    start_date: datetime.date,
    over_limit_reason: str = "",
    change_reason: str = "",
) -> list[Allocation]:
    """Allocate ``children`` (one child, or a sibling group together) to ``worker`` from ``start_date``.

    Who: the team manager of the worker's team, the head of service for its area, or the director; each child's
    open case must be one they answer for (its team, or their area), in the worker's area (moving a case to
    another area is a transfer, not an allocation). A child who has a worker is reallocated: that allocation
    ends the day before (see the module docstring). The start may not be in the future, nor before a child's
    referral, nor before the allocation it replaces started.

    If the children take the worker over their caseload limit, ``over_limit_reason`` must say why, and the
    decision is kept (``OverLimitAllocation``) with the caseload before and after and the limit. Each child's
    episode passes to the worker's team (the team that answers for it, ``CinEpisode.team``).

    ``change_reason`` is why the social worker changes (SSDA903 SW_REASON, reference data
    ``social_worker_change`` valid on ``start_date``), for a child who already had a social worker in their
    open case. The first social worker of a case is a first contact (``FCONTA``), recorded without being asked.
    A reallocation given no reason records none: the SSDA903 report then shows it (rule SW15) until it is
    recorded with ``social_worker_change_record``.
    """
    manager = worker_for(allocated_by)
    if manager is None or manager.role not in ALLOCATING_ROLES:
        raise PermissionDenied("Only a team manager, a head of service or the director allocates work")
    children = list(dict.fromkeys(children))
    if not children:
        raise ValidationError({"children": "Choose at least one child to allocate"})
    over_limit_reason = (over_limit_reason or "").strip()
    change_reason = (change_reason or "").strip().upper()
    _check_change_reason(change_reason, start_date)
    with transaction.atomic():
        # Locks the worker's row (PostgreSQL), so two allocations to one worker cannot both be judged against
        # the caseload before either: the second waits and sees the first.
        worker = (
            Worker.objects.select_for_update(of=("self",)).select_related("user", "team").get(pk=worker.pk)
        )
        _check_worker(worker)
        if not manages_team(manager, worker.team):
            raise PermissionDenied(
                f"You do not manage {worker.team.name}: you cannot allocate work to {worker.name}"
            )
        episodes = {
            episode.child_id: episode
            for episode in CinEpisode.objects.open().filter(child__in=children).select_related("team", "area")
        }
        in_scope = set(
            queue_scope(allocated_by).filter(child__in=children).values_list("child_id", flat=True)
        )
        for child in children:
            episode = episodes.get(child.pk)
            if episode is None:
                raise ValidationError(
                    {
                        "children": f"{_name(child)} has no open case: a child is allocated once a referral opens one"
                    }
                )
            if child.pk not in in_scope:
                raise PermissionDenied(
                    f"{_name(child)}'s case is held by {episode.team.name}, which you do not allocate for"
                )
            if episode.area_id != worker.team.area_id:
                raise ValidationError(
                    {
                        "worker": f"{_name(child)}'s case is held in {episode.area.name} and {worker.name} works "
                        f"in {worker.team.area.name}: a case moves to another area by transfer, not by allocation"
                    }
                )
        _check_start(start_date, episodes, children)
        today = timezone.localdate()
        current = {
            allocation.child_id: allocation
            for allocation in Allocation.objects.filter(
                child__in=children, role=AllocationRole.SOCIAL_WORKER, end_date__isnull=True
            ).select_related("worker__user", "team")
        }
        held = set(
            held_by_a_social_worker(today).filter(child__in=children).values_list("child_id", flat=True)
        )
        for child in children:
            previous = current.get(child.pk)
            if previous is None:
                continue
            if previous.worker_id == worker.pk and previous.team_id == worker.team_id and child.pk in held:
                raise ValidationError({"children": f"{_name(child)} is already allocated to {worker.name}"})
            if previous.start_date and start_date < previous.start_date:
                raise ValidationError(
                    {
                        "start_date": f"{_name(child)}'s allocation to {previous.worker.name} started on "
                        f"{_fmt(previous.start_date)}: the new one cannot start before it"
                    }
                )

        # A child had a social worker in this case if an allocation of theirs was open on or after the referral.
        had_a_worker = {
            child_id
            for child_id, ended in Allocation.objects.filter(
                child__in=children, role=AllocationRole.SOCIAL_WORKER
            ).values_list("child_id", "end_date")
            if ended is None or ended >= episodes[child_id].referral_date
        }
        if change_reason == FIRST_CONTACT and had_a_worker:
            child = next(child for child in children if child.pk in had_a_worker)
            raise ValidationError(
                {
                    "change_reason": f"{_name(child)} already had a social worker in this case: "
                    "say why the social worker changes (first contact is for a case's first social worker)"
                }
            )

        before = caseload_with(worker, today=today)
        after = caseload_with(worker, today=today, adding=[child.pk for child in children]).weighted_after
        over = after > before.limit
        if over and not over_limit_reason:
            raise ValidationError(
                {
                    "over_limit_reason": f"This takes {worker.name} to {after:.1f} weighted cases, over their "
                    f"limit of {before.limit:.1f}: say why the allocation should go ahead"
                }
            )

        allocations = []
        for child in children:
            previous = current.get(child.pk)
            if previous is not None:
                _end(
                    previous,
                    ended_by=allocated_by,
                    end_date=start_date - ONE_DAY if previous.start_date < start_date else start_date,
                    reason=f"Reallocated to {worker.name}",
                )
            allocation = create_once(
                Allocation,
                {
                    "children": f"{_name(child)} was allocated by someone else just now: "
                    "reload the page to see who holds the case"
                },
                child=child,
                worker=worker,
                team=worker.team,
                role=AllocationRole.SOCIAL_WORKER,
                start_date=start_date,
                created_by=allocated_by,
                modified_by=allocated_by,
            )
            audit_event_record(
                actor=allocated_by,
                action="allocation.reallocated" if previous is not None else "allocation.allocated",
                entity=allocation,
                child=child,
                changes={
                    "worker": [previous.worker_id if previous else None, worker.pk],
                    "team": [previous.team_id if previous else None, worker.team_id],
                    "start_date": [None, start_date.isoformat()],
                },
                reason=over_limit_reason if over else "",
            )
            reason = change_reason if child.pk in had_a_worker else FIRST_CONTACT
            if reason:
                _record_change(allocation, reason=reason, recorded_by=allocated_by)
            allocations.append(allocation)
        _move_episodes([episodes[child.pk] for child in children], worker=worker, actor=allocated_by)
        if over:
            _record_over_limit(
                allocations,
                worker=worker,
                before=before.weighted,
                after=after,
                limit=before.limit,
                reason=over_limit_reason,
                decided_by=allocated_by,
            )
        return allocations


def _check_change_reason(reason: str, on: datetime.date) -> None:
    if reason and reason not in codes_valid_on("social_worker_change", on):
        raise ValidationError(
            {"change_reason": f"{reason} is not a reason for a change of social worker on the DfE's list"}
        )


def _record_change(allocation: Allocation, *, reason: str, recorded_by) -> SocialWorkerChange:
    change = SocialWorkerChange.objects.create(allocation=allocation, reason=reason, recorded_by=recorded_by)
    audit_event_record(
        actor=recorded_by,
        action="allocation.change_reason_recorded",
        entity=allocation,
        child=allocation.child,
        changes={"social_worker_change": [None, reason]},
    )
    return change


def social_worker_change_record(*, allocation: Allocation, reason: str, recorded_by) -> SocialWorkerChange:
    """Record why a social worker allocation began (SSDA903 SW_REASON) where it was not recorded at the time,
    by a manager who may allocate for its team. Once recorded it stands: it is what was decided then."""
    manager = worker_for(recorded_by)
    if manager is None or manager.role not in ALLOCATING_ROLES:
        raise PermissionDenied("Only a team manager, a head of service or the director records this")
    reason = (reason or "").strip().upper()
    with transaction.atomic():
        allocation = Allocation.objects.select_related("child__person", "team", "worker").get(
            pk=allocation.pk
        )
        if not manages_team(manager, allocation.team):
            raise PermissionDenied(f"You do not manage {allocation.team.name}")
        if allocation.role != AllocationRole.SOCIAL_WORKER:
            raise ValidationError(
                "A reason for a change of social worker is for a social worker's allocation"
            )
        if not reason:
            raise ValidationError({"reason": "Choose why the social worker changed"})
        _check_change_reason(reason, allocation.start_date)
        existing = SocialWorkerChange.objects.filter(allocation=allocation).first()
        if existing is not None:
            raise ValidationError(
                f"The reason is already recorded for this allocation: "
                f"{label('social_worker_change', existing.reason) or existing.reason}"
            )
        return _record_change(allocation, reason=reason, recorded_by=recorded_by)


def _move_episodes(episodes: list[CinEpisode], *, worker: Worker, actor) -> None:
    """The team that answers for each case becomes the worker's (the queue, the access policy's "team holding
    the open case" and the returns read ``CinEpisode.team``). Guarded: an episode closed meanwhile stops it."""
    moving = [episode for episode in episodes if episode.team_id != worker.team_id]
    if not moving:
        return
    updated = CinEpisode.objects.filter(pk__in=[e.pk for e in moving], closure_date__isnull=True).update(
        team=worker.team, modified_by=actor, modified_at=timezone.now(), version=F("version") + 1
    )
    if updated != len(moving):
        raise ValidationError({"children": "A case was closed while you were allocating it: reload the page"})
    for episode in moving:
        audit_event_record(
            actor=actor,
            action="cin_episode.team_changed",
            entity=episode,
            child=episode.child,
            changes={"team": [episode.team_id, worker.team_id]},
            reason=f"Allocated to {worker.name}",
        )


def _record_over_limit(
    allocations: list[Allocation],
    *,
    worker: Worker,
    before: Decimal,
    after: Decimal,
    limit: Decimal,
    reason: str,
    decided_by,
) -> OverLimitAllocation:
    decision = OverLimitAllocation.objects.create(
        worker=worker,
        team=worker.team,
        weighted_before=before,
        weighted_after=after,
        limit=limit,
        weights={name: str(value) for name, value in current_weights().items()},
        reason=reason,
        decided_by=decided_by,
    )
    decision.allocations.set(allocations)
    audit_event_record(
        actor=decided_by,
        action="over_limit_allocation.recorded",
        entity=decision,
        changes={
            "worker": [None, worker.pk],
            "allocations": [None, [allocation.pk for allocation in allocations]],
            "weighted": [str(before), str(after)],
            "limit": [None, str(limit)],
        },
        reason=reason,
    )
    return decision


# -- ending allocations -------------------------------------------------------------------------------------


def _end(allocation: Allocation, *, ended_by, end_date: datetime.date, reason: str) -> Allocation:
    """End one open allocation, guarded against someone ending or replacing it at the same moment."""
    updated = Allocation.objects.filter(pk=allocation.pk, end_date__isnull=True).update(
        end_date=end_date, modified_by=ended_by, modified_at=timezone.now()
    )
    if not updated:
        raise ValidationError(
            f"{_name(allocation.child)}'s allocation to {allocation.worker.name} was changed by someone else just "
            "now: reload the page"
        )
    allocation.end_date = end_date
    audit_event_record(
        actor=ended_by,
        action="allocation.ended",
        entity=allocation,
        child=allocation.child,
        changes={"end_date": [None, end_date.isoformat()]},
        reason=reason,
    )
    return allocation


def _check_end(allocations: list[Allocation], *, ended_by, end_date: datetime.date, reason: str) -> None:
    manager = worker_for(ended_by)
    if manager is None or manager.role not in ALLOCATING_ROLES:
        raise PermissionDenied("Only a team manager, a head of service or the director ends allocations")
    outside = sorted({a.team.name for a in allocations if not manages_team(manager, a.team)})
    if outside:
        raise PermissionDenied(
            f"You do not manage {', '.join(outside)}: ask its manager or the head of service to end these"
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the allocation ends"
    if end_date > timezone.localdate():
        errors["end_date"] = "The end date cannot be in the future"
    else:
        late = [a for a in allocations if a.start_date and a.start_date > end_date]
        if late:
            latest = max(late, key=lambda a: a.start_date)
            errors["end_date"] = (
                f"{_name(latest.child)}'s allocation started on {_fmt(latest.start_date)}: "
                "the end date cannot be before it"
            )
    if errors:
        raise ValidationError(errors)


def allocation_end(*, allocation: Allocation, ended_by, end_date: datetime.date, reason: str) -> Allocation:
    """End one allocation on ``end_date`` (its last day), saying why. The child is back in the unallocated
    queue from the next day, unless another worker is allocated. The row is kept, dated."""
    with transaction.atomic():
        allocation = Allocation.objects.select_related("child__person", "worker__user", "team").get(
            pk=allocation.pk
        )
        if allocation.end_date is not None:
            raise ValidationError(f"This allocation already ended on {_fmt(allocation.end_date)}")
        _check_end([allocation], ended_by=ended_by, end_date=end_date, reason=reason)
        return _end(allocation, ended_by=ended_by, end_date=end_date, reason=reason.strip())


def worker_allocations_end(
    *, worker: Worker, ended_by, end_date: datetime.date, reason: str
) -> list[Allocation]:
    """End every open allocation of a worker who leaves or changes team, formally, on ``end_date`` (their last
    day in the role). Their children are already back in the queue (ADR 5: the queue does not wait for
    this); this closes the record so that caseloads and "who held the case" are right. All or nothing: if any
    allocation is in a team ``ended_by`` does not manage, none is ended."""
    with transaction.atomic():
        allocations = list(
            Allocation.objects.filter(worker=worker, end_date__isnull=True)
            .select_related("child__person", "worker__user", "team")
            .order_by("pk")
        )
        if not allocations:
            raise ValidationError(f"{worker.name} has no open allocations")
        _check_end(allocations, ended_by=ended_by, end_date=end_date, reason=reason)
        return [
            _end(allocation, ended_by=ended_by, end_date=end_date, reason=reason.strip())
            for allocation in allocations
        ]
