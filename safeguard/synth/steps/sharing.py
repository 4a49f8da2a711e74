"""Partner agencies and a few shares in the synthetic city, around the demo personas, so the demo shows them
(ADR 0016).

- Three agencies: the police, the health trust and the education service.
- The ``partner`` persona (a police officer with a partner-agency sign-in), linked to the police.
- Two shares approved by Tessa (``teammanager``) of children on Sam's (``socialworker``) caseload: one in
  force (identity, current plan, social worker) for a joint s47 enquiry, ending in 30 days; one that ended
  last week (identity and address), so the demo shows a refused, expired share.

A handful of rows, not scaled with the city. Skipped when the personas or the children they need are missing
(a test running only some steps, or before the ``partner`` persona is added to ``personas.py``).
"""

import datetime

from django.utils import timezone

from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.sharing.models import AgencyKind, LawfulBasis, PartnerAgency, PartnerUser, Share
from safeguard.synth.context import SynthContext


def _persona(ctx: SynthContext, username: str) -> Worker | None:
    worker_id = ctx.org.personas.get(username)
    return Worker.objects.filter(pk=worker_id).first() if worker_id else None


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def run(ctx: SynthContext) -> None:
    partner, manager = _persona(ctx, "partner"), _persona(ctx, "teammanager")
    social_worker = _persona(ctx, "socialworker")
    if not (partner and manager and social_worker):
        return
    police = PartnerAgency.objects.create(
        name="Metropolitan Police: Child Abuse Investigation", kind=AgencyKind.POLICE
    )
    PartnerAgency.objects.create(name="Integrated Care Board: Designated Nurse", kind=AgencyKind.HEALTH)
    PartnerAgency.objects.create(name="Education Safeguarding Service", kind=AgencyKind.EDUCATION)
    PartnerUser.objects.create(worker=partner, agency=police, created_by=manager.user)
    ctx.counts["sharing.PartnerAgency"] += 3
    ctx.counts["sharing.PartnerUser"] += 1

    caseload = list(
        Allocation.objects.current(ctx.today)
        .filter(role=AllocationRole.SOCIAL_WORKER, worker=social_worker)
        .order_by("child_id")
        .values_list("child_id", flat=True)[:2]
    )
    morning = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(9)))
    shares = [
        (
            ["identity", "plan", "contact"],
            morning - datetime.timedelta(days=2),
            ctx.today + datetime.timedelta(days=30),
        ),
        (
            ["identity", "address"],
            morning - datetime.timedelta(days=40),
            ctx.today - datetime.timedelta(days=7),
        ),
    ]
    for child_id, (fields, starts_at, last_day) in zip(caseload, shares, strict=False):
        Share.objects.create(
            child_id=child_id,
            agency=police,
            fields=fields,
            purpose="Joint section 47 enquiry agreed at the strategy discussion",
            lawful_basis=LawfulBasis.S47_ENQUIRY,
            approved_by=manager,
            starts_at=starts_at,
            expires_at=_end_of_day(last_day),
            created_by=manager.user,
        )
        ctx.counts["sharing.Share"] += 1
