"""Serious incidents in the synthetic city (issue 9): a few a year, with their households, clocks, notifications,
rapid reviews and one or two local child safeguarding practice reviews (docs/domain.md §8; ADR 0018).

Rate: about 0.4 serious incident notifications a year per 10,000 children. The Child Safeguarding Practice
Review Panel's annual reports count roughly 400 to 500 notifications a year in England, for about 12 million
children; a city of 300,000 children then has about 12 a year (issue 9 says "perhaps 10 to 20"). This is an
assumption from those published figures, not checked here against the reports themselves.

Who: children the service knows (open cases, with the team holding them), and among them, where the
population step recorded a death in the history window, the child who died (``Person.date_of_death``). The
first incident is on a case of the ``teammanager`` persona's team, led by the ``headofservice`` persona, so
the demo personas see at least one. One is on a looked-after child (an Ofsted clock, met by the same online
notification as the Panel's), with an Ofsted notification of a serious incident in the placement.

The clocks are the engine's own (``compliance_event``, as the services call it), so they are exactly what the
services would have made; some notifications and reviews are late, and those still to come after today are
left open. A few queries per incident: there are a few dozen at most, even for the largest city.
"""

import datetime

from safeguard.compliance.models import Deadline
from safeguard.compliance.services import compliance_event
from safeguard.core.calendar import add_working_days
from safeguard.incidents.models import (
    AbuseOrNeglect,
    Harm,
    IncidentNotification,
    PracticeReview,
    RapidReview,
    Recipient,
    ReviewDecision,
    SeriousIncident,
    SeriousIncidentChild,
)
from safeguard.incidents.services import household_children
from safeguard.organisation.models import Allocation, AllocationRole, Team, Worker
from safeguard.people.models import Child
from safeguard.synth.context import SynthContext

PER_10K_A_YEAR = 0.4  # see the module docstring: an assumption from the Panel's annual reports
MINIMUM = 3
LATE_SHARE = 0.25  # notifications and rapid reviews made late: an assumption, so the register shows some
LCSPR_SHARE = 0.2  # rapid reviews that commission a local review: an assumption

SUMMARIES = {
    Harm.DIED: [
        "Died at home; the post-mortem found injuries not explained by the parents' account.",
        "Died in hospital after a period of neglect of medical needs.",
    ],
    Harm.SERIOUSLY_HARMED: [
        "Admitted to hospital with a fractured skull; the explanation given does not fit the injury.",
        "Seriously injured after being left unsupervised; long-standing neglect suspected.",
        "Found with injuries consistent with a shaking incident.",
    ],
}


def _persona(ctx: SynthContext, username: str) -> Worker | None:
    worker_id = ctx.org.personas.get(username)
    return Worker.objects.filter(pk=worker_id).first() if worker_id else None


def _candidates(ctx: SynthContext, count: int) -> list[tuple[int, int, bool]]:
    """(child id, team id, died) for ``count`` known children: the persona team's first, deaths next."""
    cases = sorted({(case.child_id, case.team_id) for case in ctx.cases if case.worker_id})
    died = set(
        Child.objects.filter(
            person__date_of_death__gte=ctx.history_start, person__date_of_death__lt=ctx.today
        ).values_list("pk", flat=True)
    )
    held = dict(
        Allocation.objects.filter(child_id__in=died, role=AllocationRole.SOCIAL_WORKER)
        .order_by("child_id", "start_date")
        .values_list("child_id", "team_id")
    )
    chosen: list[tuple[int, int, bool]] = []
    persona_cases = [case for case in cases if case[1] == ctx.org.persona_team and case[0] not in died]
    if persona_cases:
        child_id, team_id = ctx.rng.choice(persona_cases)
        chosen.append((child_id, team_id, False))
    in_care = [case for case in cases if case[0] in ctx.open_periods and case[0] not in died]
    if in_care:  # one looked-after child: the Ofsted clock and a notification of an incident in placement
        child_id, team_id = ctx.rng.choice(in_care)
        if child_id not in {c[0] for c in chosen}:
            chosen.append((child_id, team_id, False))
    if not held and died:
        # No child who died was known to the service (likely in a small city): the child's death is still
        # notified, and the team of their area with the most open cases answers for it.
        from safeguard.synth.geography import AREAS

        slots = {child_id: slot for slot, child_id in enumerate(ctx.population.child_ids) if child_id in died}
        by_area: dict[str, list[int]] = {}
        for case in ctx.cases:
            by_area.setdefault(case.area, []).append(case.team_id)
        for child_id in sorted(slots):
            teams = by_area.get(AREAS[ctx.population.area[slots[child_id]]].code)
            if teams:
                held[child_id] = max(set(teams), key=lambda team: (teams.count(team), -team))
    deaths = sorted(held.items())
    ctx.rng.shuffle(deaths)
    for child_id, team_id in deaths[: max(1, count // 3)]:
        chosen.append((child_id, team_id, True))
    others = [case for case in cases if case[0] not in died and case[0] not in {c[0] for c in chosen}]
    ctx.rng.shuffle(others)
    for child_id, team_id in others[: max(0, count - len(chosen))]:
        chosen.append((child_id, team_id, False))
    return chosen


def _maybe_late(ctx: SynthContext, start: datetime.date, on_time: int, late: int) -> datetime.date:
    days = (
        ctx.rng.randint(on_time + 1, late) if ctx.rng.random() < LATE_SHARE else ctx.rng.randint(1, on_time)
    )
    return add_working_days(start, days, counting="exclusive")


def run(ctx: SynthContext) -> None:
    count = max(MINIMUM, round(PER_10K_A_YEAR * ctx.children / 10_000 * ctx.years))
    lead_default = _persona(ctx, "headofservice") or _persona(ctx, "director")
    if lead_default is None or not ctx.cases:
        return
    chosen = _candidates(ctx, count)
    teams = {team.pk: team for team in Team.objects.filter(pk__in={c[1] for c in chosen})}
    deaths = dict(
        Child.objects.filter(pk__in=[c[0] for c in chosen if c[2]]).values_list("pk", "person__date_of_death")
    )
    looked_after = next((c[0] for c in chosen[1:] if c[0] in ctx.open_periods and not c[2]), None)
    summary = {"incidents": 0, "lcsprs": 0, "late_clocks": 0, "looked_after": looked_after}
    lcsprs = 0
    for number, (child_id, team_id, died) in enumerate(chosen):
        child = Child.objects.get(pk=child_id)
        team = teams[team_id]
        if died:
            occurred = deaths[child_id]
        elif number == 0:  # the personas' incident: recent, so its clocks are running in the demo
            occurred = ctx.today - datetime.timedelta(days=ctx.rng.randint(3, 12))
        elif child_id == looked_after:  # while in care today: within the last few months
            occurred = ctx.today - datetime.timedelta(days=ctx.rng.randint(20, 120))
        else:
            occurred = ctx.random_date(ctx.history_start, ctx.today - datetime.timedelta(days=1))
        aware = min(ctx.today, occurred + datetime.timedelta(days=ctx.rng.randint(0, 2)))
        harm = Harm.DIED if died else Harm.SERIOUSLY_HARMED
        incident = SeriousIncident.objects.create(
            reference=f"SI-{aware.year}-{number + 1:04d}",
            child=child,
            harm=harm,
            abuse_or_neglect=ctx.rng.choice([AbuseOrNeglect.KNOWN, AbuseOrNeglect.SUSPECTED]),
            occurred_on=occurred,
            became_aware_on=aware,
            looked_after=child_id == looked_after,
            summary=ctx.rng.choice(SUMMARIES[harm]),
            lead=lead_default,
            team=team,
            area_id=team.area_id,
        )
        SeriousIncidentChild.objects.bulk_create(
            SeriousIncidentChild(incident=incident, child_id=pk, relation=relation)
            for pk, relation in household_children(child, occurred).items()
        )
        compliance_event(
            event="serious_incident.recorded",
            child=child,
            on=aware,
            scope=incident,
            team=team,
            area=team.area,
        )
        notified = _maybe_late(ctx, aware, 5, 9)
        if notified <= ctx.today:
            recipients = [Recipient.PANEL] + ([Recipient.OFSTED] if incident.looked_after else [])
            for recipient in recipients:
                IncidentNotification.objects.create(
                    incident=incident,
                    recipient=recipient,
                    notified_on=notified,
                    reference=f"CSPRP-{aware.year}-{ctx.rng.randint(1000, 9999)}",
                )
                event = "panel_notified" if recipient == Recipient.PANEL else "ofsted_notified"
                compliance_event(event=f"serious_incident.{event}", child=child, on=notified, scope=incident)
            if incident.looked_after:
                IncidentNotification.objects.create(
                    incident=incident,
                    recipient=Recipient.OFSTED,
                    notified_on=notified,
                    in_placement=True,
                    notes="The incident happened in the child's foster placement.",
                )
        completed = _maybe_late(ctx, aware, 13, 19)
        gap = ctx.rng.randint(0, 2)  # sent to the Panel on the day or a day or two after
        sent = add_working_days(completed, gap, counting="exclusive") if gap else completed
        if sent <= ctx.today:
            commission = lcsprs < 2 and (ctx.rng.random() < LCSPR_SHARE or number == len(chosen) - 1)
            decision = ReviewDecision.LCSPR if commission else ReviewDecision.NO_REVIEW
            RapidReview.objects.create(
                incident=incident,
                completed_on=completed,
                sent_to_panel_on=sent,
                decision=decision,
                summary="The partners gathered the facts and agreed the immediate actions.",
            )
            compliance_event(
                event="serious_incident.rapid_review_completed", child=child, on=sent, scope=incident
            )
            if commission:
                lcsprs += 1
                published = completed + datetime.timedelta(days=ctx.rng.randint(150, 240))
                review = PracticeReview.objects.create(
                    incident=incident, commissioned_on=completed, reviewer="An independent reviewer"
                )
                compliance_event(
                    event="serious_incident.lcspr_commissioned",
                    child=child,
                    on=completed,
                    scope=incident,
                    team=team,
                    area=team.area,
                )
                if published <= ctx.today:
                    review.report_sent_on = add_working_days(
                        published, -ctx.rng.randint(7, 12), counting="exclusive"
                    )
                    review.published_on = published
                    review.save()
                    compliance_event(
                        event="serious_incident.lcspr_published", child=child, on=published, scope=incident
                    )
        summary["incidents"] += 1
    summary["lcsprs"] = lcsprs
    summary["late_clocks"] = (
        Deadline.objects.breached(ctx.today).filter(scope_type=SeriousIncident._meta.label_lower).count()
    )
    ctx.counts["incidents.SeriousIncident"] += summary["incidents"]
    ctx.extra["incidents"] = summary
