"""Step ``leadership``: the council's three-year improvement plan.

The plan began about two years before ``today`` (or at the start of the history, if that is later) and runs
a year past it, as a plan written after an inspection does (DOMAIN.md §2: a council judged to require
improvement is inspected again in about three years; one judged inadequate has monitoring visits).
``ACTIONS`` below are its actions, about twenty, each for the council or for one area (one for each area
and, for the struggling area, ``geography.STRUGGLING_AREA``, several), owned by the director, a head of
service or a team manager of that area, with a due date spread over the three years. Those due before today
are mostly done, with evidence; a few are late (``LATE_SHARE``: due, not done), one was dropped with its
reason; those due later are in progress or not started. Several are linked to a performance measure, with
a target and the baseline the measure had (for the action's area, over the 12 months before) on the day the
action was set, computed from the records the earlier steps made (``leadership.measures.measure_value``:
one or two grouped queries each). Every action has its status history (``ActionStatusChange``).

The city in numbers (issue 9): each area's population aged 0 to 17 for every mid-year from the year before
the history begins to this year (``AreaPopulation``), counted from the children the ``population`` step made
(it makes every child resident, so its count by area *is* the city's population): those aged 0 to 17 on 30
June of the year, by the area of their current address. For a mid-year before today, the children then 17
or younger who are adults now were never generated; they are added back as the area's children per day of
birth (the step spreads births evenly over 18 years) times the days of birth missing. The demo's rates per
10,000 children therefore come out near the national rates the earlier steps were generated at (``rates``:
332.9 children in need per 10,000), as a big city's would. And each area's deprivation for those years
(``AreaDeprivation``): figures **invented for the synthetic city**, not taken from any real place, set above
England's level of child poverty (about 30% of children after housing costs [S]: Social Mobility Commission,
'State of the nation', childhood poverty) as a large city's is, with the struggling area
(``geography.STRUGGLING_AREA``) the most deprived.
"""

import bisect
import datetime
from decimal import Decimal

from safeguard.leadership.measures import definitions, measure_value, twelve_months_to
from safeguard.leadership.models import ActionStatus, ActionStatusChange, ImprovementAction
from safeguard.organisation.models import AreaDeprivation, AreaPopulation, Role, Worker
from safeguard.synth.context import Population, SynthContext
from safeguard.synth.geography import AREAS, STRUGGLING_AREA

PLAN_YEARS = 3
PLAN_STARTED_YEARS_AGO = 2
LATE_SHARE = 0.25  # of the actions due before today, how many are still open

# (title, description, scope, measure, target). scope: "council", "each" (one action for every area) or
# "struggling" (the struggling area).
ACTIONS: tuple[tuple[str, str, str, str, float | None], ...] = (
    (
        "A second manager at the front door every morning",
        "Referrals decided within one working day, with a manager's reasons recorded on every decision.",
        "council",
        "re_referral",
        20.0,
    ),
    (
        "Threshold document relaunched with partners",
        "Police, schools and health trained on the continuum of need; referral quality audited quarterly.",
        "council",
        "",
        None,
    ),
    (
        "Assessment timeliness tracked weekly in every team",
        "Team managers review every assessment open more than 30 working days in supervision.",
        "each",
        "assessment_45_days",
        88.0,
    ),
    (
        "Child protection plans over 15 months reviewed by a head of service",
        "A monthly panel checks drift and the plan for step-down or proceedings.",
        "council",
        "cp_two_years",
        3.0,
    ),
    (
        "Step-down decisions audited for repeat plans",
        "Every second child protection plan is audited against the decision that ended the first.",
        "council",
        "cp_subsequent",
        18.0,
    ),
    (
        "Placement sufficiency strategy agreed",
        "More local foster carers; fewer emergency moves; stability meetings before any planned move.",
        "council",
        "cla_three_placements",
        8.0,
    ),
    (
        "Statutory visits scheduled and tracked",
        "Visits booked in advance; a weekly list of visits falling due goes to every team manager.",
        "struggling",
        "visits_on_time",
        95.0,
    ),
    (
        "IRO capacity increased for reviews",
        "Two more independent reviewing officers; reviews booked at the previous review.",
        "council",
        "reviews_on_time",
        95.0,
    ),
    (
        "Recruit social workers to the struggling area",
        "A recruitment and retention package, with a market supplement, to fill the area's vacant posts.",
        "struggling",
        "",
        None,
    ),
    (
        "Agency cover for every vacant post in the struggling area",
        "No vacant post without cover while recruitment runs; caseloads capped at the council's limit.",
        "struggling",
        "",
        None,
    ),
    (
        "Devolved area leadership in place",
        "A head of service for every area, with their own performance meeting each month.",
        "council",
        "",
        None,
    ),
    (
        "Supervision at the set frequency",
        "Every worker supervised at least monthly (fortnightly in their first year); recorded on the file.",
        "council",
        "",
        None,
    ),
    (
        "Management oversight audit programme",
        "Ten case files audited a month in each area, with actions tracked to completion.",
        "council",
        "",
        None,
    ),
    (
        "Care leavers' personal advisers allocated earlier",
        "A personal adviser from 16 for every eligible child; contact recorded around each birthday.",
        "council",
        "care_leavers_in_touch",
        92.0,
    ),
)
EVIDENCE = (
    "Reported to the improvement board with the figures; minutes and the data pack are on the board's site.",
    "Audit of a sample of cases completed; findings and actions are in the quality assurance log.",
    "In place and checked at the last monitoring visit; the inspector's letter refers to it.",
    "Procedure updated and published; every team briefed, attendance recorded.",
)
DROPPED_REASON = "Superseded by the council-wide action on the same subject, agreed at the improvement board."


# Invented for the synthetic city (see the docstring): (children in relative poverty %, pupils eligible for
# free school meals %) for each area, the struggling one the most deprived.
DEPRIVATION = {"C": (38.0, 30.5), "N": (46.5, 38.0), "E": (35.0, 28.0), "S": (29.5, 22.5), "W": (31.0, 24.0)}
DEPRIVATION_WOBBLE = 0.8  # points either way from year to year
POPULATION_NOTE = (
    "Synthetic city: children aged 0 to 17 on 30 June {year} in the generated records, by the area of their "
    "address, with the cohorts now adult added back"
)
DEPRIVATION_NOTE = "Synthetic city: invented figures, not from any real place"
AGE_LIMIT_YEARS = 18
DAYS_OF_BIRTH = AGE_LIMIT_YEARS * 365.25


def _years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def area_populations(
    population: Population, today: datetime.date, years: range
) -> dict[tuple[int, int], int]:
    """Children aged 0 to 17 on 30 June of each year, by (index into ``AREAS``, year), as the docstring says."""
    births: dict[int, list[int]] = {i: [] for i in range(len(AREAS))}
    skip = Population.UNBORN | Population.DECEASED
    for slot in range(len(population)):
        if not population.flags[slot] & skip:
            births[population.area[slot]].append(population.dob_ordinal[slot])
    earliest_generated = _years_ago(today, AGE_LIMIT_YEARS).toordinal()
    found = {}
    for index, days in births.items():
        days.sort()
        for year in years:
            mid = datetime.date(year, 6, 30)
            first = _years_ago(mid, AGE_LIMIT_YEARS).toordinal() + 1  # 17 on the mid-year, not 18
            counted = bisect.bisect_right(days, mid.toordinal()) - bisect.bisect_left(days, first)
            missing_days = max(0, earliest_generated - first)
            found[(index, year)] = counted + round(len(days) * missing_days / DAYS_OF_BIRTH)
    return found


def city_in_numbers(ctx: SynthContext) -> dict:
    """Each area's population and deprivation for every year of the history (and the year before it)."""
    years = range(ctx.history_start.year - 1, ctx.today.year + 1)
    counts = area_populations(ctx.population, ctx.today, years)
    with ctx.writer(AreaPopulation, AreaDeprivation) as out:
        for index, spec in enumerate(AREAS):
            area_id = ctx.org.area_ids.get(spec.code)
            if area_id is None:
                continue
            poverty, fsm = DEPRIVATION[spec.code]
            for year in years:
                if counts[(index, year)] > 0:
                    out.add(
                        AreaPopulation(
                            area_id=area_id,
                            year=year,
                            children_0_17=counts[(index, year)],
                            source_note=POPULATION_NOTE.format(year=year),
                        )
                    )
                wobble = ctx.rng.uniform(-DEPRIVATION_WOBBLE, DEPRIVATION_WOBBLE)
                out.add(
                    AreaDeprivation(
                        area_id=area_id,
                        year=year,
                        children_in_relative_poverty_percent=Decimal(f"{poverty + wobble:.1f}"),
                        fsm_eligible_percent=Decimal(f"{fsm + wobble:.1f}"),
                        source_note=DEPRIVATION_NOTE,
                    )
                )
    latest = ctx.today.year - 1
    return {
        "population_years": [years.start, years.stop - 1],
        f"children_0_17_{latest}": sum(counts[(i, latest)] for i in range(len(AREAS))),
    }


def run(ctx: SynthContext) -> None:
    # The plan first, so its random draws are those it made before the city in numbers was added.
    _plan(ctx)
    ctx.extra["city_in_numbers"] = city_in_numbers(ctx)


def _plan(ctx: SynthContext) -> None:
    managers = list(
        Worker.objects.filter(
            role__in=[Role.DIRECTOR, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER], user__is_active=True
        )
        .order_by("pk")
        .values_list("pk", "role", "area_id", "team__area_id", "user_id")
    )
    director = next((m for m in managers if m[1] == Role.DIRECTOR), None)
    if director is None:
        return
    heads = {m[2]: m for m in managers if m[1] == Role.HEAD_OF_SERVICE}
    team_managers: dict[int, list] = {}
    for m in managers:
        if m[1] == Role.TEAM_MANAGER and m[3] is not None:
            team_managers.setdefault(m[3], []).append(m)

    started = max(
        ctx.history_start, ctx.today - datetime.timedelta(days=round(365.25 * PLAN_STARTED_YEARS_AGO))
    )
    ends = started + datetime.timedelta(days=round(365.25 * PLAN_YEARS))
    plan = []
    for title, description, scope, measure, target in ACTIONS:
        if scope == "council":
            plan.append((title, description, None, measure, target))
        elif scope == "struggling":
            plan.append((title, description, ctx.org.area_ids.get(STRUGGLING_AREA), measure, target))
        else:
            for spec in AREAS:
                plan.append(
                    (f"{title}: {spec.name}", description, ctx.org.area_ids.get(spec.code), measure, target)
                )

    action_id = ctx.next_ids(ImprovementAction)
    change_id = ctx.next_ids(ActionStatusChange)
    summary = {"actions": 0, "done": 0, "late": 0, "dropped": 0, "linked": 0}
    dropped_one = False
    with ctx.writer(ImprovementAction, ActionStatusChange) as out:
        for title, description, area_id, measure, target in plan:
            set_on = ctx.random_date(started, started + datetime.timedelta(days=120))
            due_on = ctx.random_date(set_on + datetime.timedelta(days=60), ends)
            if area_id is None:
                owner = ctx.rng.choice([director, *heads.values()])
                author = director
            else:
                owner = ctx.rng.choice([heads.get(area_id, director), *team_managers.get(area_id, [])])
                author = heads.get(area_id, director)
            history = [("", ActionStatus.NOT_STARTED, set_on, "Action set")]
            status, evidence, completed_on, reason = ActionStatus.NOT_STARTED, "", None, ""
            begun = ctx.random_date(set_on, min(due_on, ctx.today))
            if due_on < ctx.today:
                roll = ctx.rng.random()
                if not dropped_one and roll < 0.08:
                    status, reason, dropped_one = ActionStatus.DROPPED, DROPPED_REASON, True
                    history.append((ActionStatus.NOT_STARTED, status, begun, reason))
                elif roll < LATE_SHARE:
                    status = ActionStatus.IN_PROGRESS if ctx.rng.random() < 0.7 else ActionStatus.NOT_STARTED
                    if status == ActionStatus.IN_PROGRESS:
                        history.append((ActionStatus.NOT_STARTED, status, begun, ""))
                else:
                    status = ActionStatus.DONE
                    completed_on = ctx.random_date(
                        begun, min(due_on + datetime.timedelta(days=20), ctx.today)
                    )
                    evidence = ctx.rng.choice(EVIDENCE)
                    history.append((ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, begun, ""))
                    history.append((ActionStatus.IN_PROGRESS, status, completed_on, evidence))
            elif begun < ctx.today and ctx.rng.random() < 0.7:
                status = ActionStatus.IN_PROGRESS
                history.append((ActionStatus.NOT_STARTED, status, begun, ""))

            fields = {}
            if measure and measure in definitions():
                period = twelve_months_to(set_on)
                base = measure_value(
                    measure, area_id=area_id, start=period.start, end=period.end, today=set_on
                )
                fields = {
                    "measure": measure,
                    "target": Decimal(str(target)),
                    "baseline": Decimal(str(base.value)) if base.value is not None else None,
                    "baseline_numerator": base.numerator,
                    "baseline_denominator": base.denominator,
                    "baseline_on": set_on,
                }
                summary["linked"] += 1
            out.add(
                ImprovementAction(
                    pk=action_id,
                    title=title[:200],
                    description=description,
                    owner_id=owner[0],
                    area_id=area_id,
                    due_on=due_on,
                    status=status,
                    evidence=evidence,
                    completed_on=completed_on,
                    dropped_reason=reason,
                    created_by_id=author[4],
                    modified_by_id=author[4],
                    **fields,
                )
            )
            for from_status, to_status, day, note in history:
                out.add(
                    ActionStatusChange(
                        pk=change_id,
                        action_id=action_id,
                        from_status=from_status,
                        to_status=to_status,
                        changed_on=day,
                        changed_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
                        changed_by_id=author[4],
                        note=note,
                    )
                )
                change_id += 1
            summary["actions"] += 1
            summary["done"] += status == ActionStatus.DONE
            summary["dropped"] += status == ActionStatus.DROPPED
            summary["late"] += (
                status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS) and due_on < ctx.today
            )
            action_id += 1
    ctx.reset_sequences(ImprovementAction, ActionStatusChange)
    ctx.extra["leadership"] = {**summary, "plan_started": started.isoformat(), "plan_ends": ends.isoformat()}
