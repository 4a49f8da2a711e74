"""A few restricted records in the synthetic city, around the demo personas, so the demo shows them (ADR 0013).

- The Caldicott Guardian is the director persona (``director``), who sees the emergency access alerts.
- A sealed adoption: a child with an adoption order (else one placed for adoption, else any looked-after
  child), restricted with no access list: nobody, the director included, finds or opens it.
- A high-profile case: a child on the ``socialworker`` persona's caseload, restricted with Sam (allocated)
  and Tessa (``teammanager``) on its access list: the head of service and the director no longer find it.
- A staff-connected child: a child in Sam's team allocated to a colleague, with Sam recorded as a relative:
  Sam is refused the record although it is her team's; the record is also restricted (kind "connected to a
  member of staff") with the allocated colleague and Tessa on its list.

Set by the ``infogov`` persona, who owns the register. Three rows, a handful of queries: not scaled with the
city (a council has a few dozen restricted records, not a rate per 10,000 children). Skipped when the
personas or the children they need are missing (a test running only some steps).
"""

from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.restrictions.models import (
    AccessListEntry,
    CaldicottGuardian,
    RecordRestriction,
    RestrictionKind,
    StaffConnection,
)
from safeguard.synth.context import SynthContext


def _persona(ctx: SynthContext, username: str) -> Worker | None:
    worker_id = ctx.org.personas.get(username)
    return Worker.objects.filter(pk=worker_id).first() if worker_id else None


def _restrict(ctx, child_id, kind, reason, officer, access_list) -> None:
    restriction = RecordRestriction.objects.create(
        child_id=child_id, kind=kind, reason=reason, set_by=officer, created_by=officer.user
    )
    for worker, why in access_list:
        AccessListEntry.objects.create(
            restriction=restriction, worker=worker, reason=why, added_by=officer, created_by=officer.user
        )
    ctx.counts["restrictions.RecordRestriction"] += 1
    ctx.counts["restrictions.AccessListEntry"] += len(access_list)


def run(ctx: SynthContext) -> None:
    from safeguard.lookedafter.models import Adoption, PeriodOfCare

    officer, director = _persona(ctx, "infogov"), _persona(ctx, "director")
    social_worker, manager = _persona(ctx, "socialworker"), _persona(ctx, "teammanager")
    if not (officer and director and social_worker and manager):
        return
    CaldicottGuardian.objects.create(worker=director, start_date=ctx.history_start, created_by=officer.user)
    summary = {"caldicott_guardian": director.user.username}

    current = Allocation.objects.current(ctx.today).filter(role=AllocationRole.SOCIAL_WORKER)
    caseload = list(
        current.filter(worker=social_worker).order_by("child_id").values_list("child_id", flat=True)
    )
    colleagues = list(
        current.filter(team_id=social_worker.team_id)
        .exclude(worker=social_worker)
        .exclude(child_id__in=caseload)
        .order_by("child_id")
        .values_list("child_id", "worker_id")
    )
    adopted = (
        Adoption.objects.filter(order_on__isnull=False)
        .values_list("child_id", flat=True)
        .order_by("child_id")
        .first()
        or Adoption.objects.values_list("child_id", flat=True).order_by("child_id").first()
        or PeriodOfCare.objects.values_list("child_id", flat=True).order_by("child_id").first()
    )
    taken = set()
    if adopted:
        _restrict(
            ctx,
            adopted,
            RestrictionKind.SEALED_ADOPTION,
            "Adoption order made: the record is sealed (Adoption Agencies Regulations 2005 reg 41).",
            officer,
            [],
        )
        taken.add(adopted)
        summary["sealed_adoption"] = adopted
    high_profile = next((child for child in caseload if child not in taken), None)
    if high_profile:
        _restrict(
            ctx,
            high_profile,
            RestrictionKind.HIGH_PROFILE,
            "The family's case has been reported in the local press.",
            officer,
            [(social_worker, "Allocated social worker"), (manager, "Team manager")],
        )
        taken.add(high_profile)
        summary["high_profile"] = high_profile
    connected = next(((child, worker) for child, worker in colleagues if child not in taken), None)
    if connected:
        child_id, worker_id = connected
        StaffConnection.objects.create(
            worker=social_worker,
            child_id=child_id,
            kind="relative",
            details="Her sister's child",
            recorded_by=officer,
            created_by=officer.user,
        )
        ctx.counts["restrictions.StaffConnection"] += 1
        _restrict(
            ctx,
            child_id,
            RestrictionKind.STAFF_CONNECTED,
            "A member of the team is related to the child.",
            officer,
            [(Worker.objects.get(pk=worker_id), "Allocated social worker"), (manager, "Team manager")],
        )
        summary["staff_connected"] = child_id
    ctx.extra["restrictions"] = summary
