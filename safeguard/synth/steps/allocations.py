"""Step ``allocations``: which children are open to children's social care today, and who holds them.

At the national rates in ``rates`` (DOMAIN.md §5): children looked after (67 per 10,000; those aged 16-17
held by the area's 16+ team), on a child protection plan (42), held by the disabled children's team (20), in
an open assessment (45), and with a child in need plan (the rest of the 332.9 children in need). Siblings
usually open together and share a worker. Each open case is held by a qualified social worker in the right
team of the child's area (the area of their current address), balanced by caseload and FTE, except about 4%
that wait unallocated (15% in the struggling area, ``geography.STRUGGLING_AREA``, whose workers also carry
heavier caseloads). Children looked after also have a named IRO. History: some open cases changed worker
(often a transfer from the assessment team), some were open before and closed, and other children had
assessments or short involvement that closed within the last ``--years``.

The allocations are all this step writes; ``ctx.cases`` keeps each open case (including the unallocated
ones) for the steps that add episodes and casework.
"""

import datetime
import heapq

from safeguard.organisation.models import Allocation, AllocationRole, TeamKind
from safeguard.synth import rates
from safeguard.synth.context import OpenCase, Population, SynthContext
from safeguard.synth.geography import AREAS, STRUGGLING_AREA

LOOKED_AFTER = "looked_after"
# Children with involvement that closed, per 10,000 children per year of history (most referrals end after
# an assessment; DOMAIN.md §5 has about 528 referrals per 10,000 a year).
CLOSED_PER_10K_PER_YEAR = 350
PREVIOUS_WORKER_SHARE = 0.4
EARLIER_EPISODE_SHARE = 0.2  # about the national re-referral rate
PERSONA_CASELOAD = (13, 17)
PERSONA_CASELOAD_MAX = 18
PRE_BIRTH_DAYS = 40 * 7 - 1  # CIN census 8606: no referral more than 40 weeks before the expected birth


def _age_weight(kind: str, age: int) -> float:
    """How likely a child of ``age`` is to be in this kind of case, relative to the most likely age."""
    if kind == LOOKED_AFTER:  # older children are over-represented; about a quarter are 16 or 17
        return 0.25 if age < 5 else 0.3 if age < 10 else 0.5 if age < 16 else 1.0
    if kind == TeamKind.CHILD_PROTECTION:  # younger children are over-represented
        return 1.0 if age < 5 else 0.85 if age < 10 else 0.65 if age < 16 else 0.35
    return 0.9


class _Caseloads:
    """Least-loaded assignment of cases to case holders (``(worker, fte, team)``), by caseload per FTE."""

    def __init__(self, holders: list[tuple[int, float, int]], exclude: set[int] = frozenset()):
        self.heap = [
            (0.0, i, worker, fte, team)
            for i, (worker, fte, team) in enumerate(holders)
            if worker not in exclude
        ]
        heapq.heapify(self.heap)

    def take(self, size: int) -> tuple[int, int] | None:
        """(worker, team) for a new case of ``size`` children, or None where there is nobody."""
        if not self.heap:
            return None
        load, i, worker, fte, team = heapq.heappop(self.heap)
        heapq.heappush(self.heap, (load + size / fte, i, worker, fte, team))
        return worker, team


def sixteenth_birthday(born: int) -> int:
    day = datetime.date.fromordinal(born)
    try:
        return day.replace(year=day.year + 16).toordinal()
    except ValueError:  # born on 29 February
        return day.replace(year=day.year + 16, day=28).toordinal()


def run(ctx: SynthContext) -> None:
    rng, pop, org = ctx.rng, ctx.population, ctx.org
    n = ctx.children
    today = ctx.today
    today_ord = today.toordinal()
    history_ord = ctx.history_start.toordinal()
    area_codes = [spec.code for spec in AREAS]

    open_slot = bytearray(len(pop))
    households = list(range(len(pop.household_start)))
    rng.shuffle(households)
    cursor = 0

    def age(slot: int) -> int:
        return pop.age_on(slot, today)

    def unborn(slot: int) -> bool:
        return bool(pop.flags[slot] & Population.UNBORN)

    def eligible(slot: int, allow_unborn: bool) -> bool:
        if open_slot[slot] or pop.flags[slot] & Population.DECEASED:
            return False
        return allow_unborn or not unborn(slot)

    # 1. Choose the open cases: (kind, area, slots), sibling groups walked from a shuffled list of households.
    groups: list[tuple[str, str, list[int]]] = []
    plan = [
        (LOOKED_AFTER, rates.per_10k(rates.LOOKED_AFTER, n), False),
        (TeamKind.CHILD_PROTECTION, rates.per_10k(rates.CHILD_PROTECTION, n), True),
        (TeamKind.DISABLED_CHILDREN, rates.per_10k(rates.DISABLED_CHILDREN_TEAM, n), False),
        (TeamKind.ASSESSMENT, rates.per_10k(rates.OPEN_ASSESSMENT, n), True),
        (TeamKind.CHILD_IN_NEED, rates.per_10k(rates.CHILD_IN_NEED_PLAN, n), False),
    ]
    for kind, target, allow_unborn in plan:
        taken = 0
        if kind == TeamKind.DISABLED_CHILDREN:
            disabled = [slot for slot in range(len(pop)) if pop.flags[slot] & Population.DISABLED]
            rng.shuffle(disabled)
            for slot in disabled:
                if taken >= target:
                    break
                if eligible(slot, False):
                    open_slot[slot] = 1
                    groups.append((kind, area_codes[pop.area[slot]], [slot]))
                    taken += 1
            continue
        while taken < target and cursor < len(households):
            household = households[cursor]
            cursor += 1
            slots = [
                slot
                for slot in pop.household_slots(household)
                if eligible(slot, allow_unborn)
                and (unborn(slot) or rng.random() < _age_weight(kind, age(slot)))
            ][: target - taken]
            if not slots:
                continue
            for slot in slots:
                open_slot[slot] = 1
            taken += len(slots)
            area = area_codes[pop.area[slots[0]]]
            if kind == LOOKED_AFTER:
                younger = [slot for slot in slots if age(slot) < 16]
                older = [slot for slot in slots if age(slot) >= 16]
                if younger:
                    groups.append((TeamKind.CHILDREN_IN_CARE, area, younger))
                if older:
                    groups.append((TeamKind.CARE_LEAVERS, area, older))
            else:
                groups.append((kind, area, slots))

    # 2. When each case opened.
    span = max(1, today_ord - history_ord)

    def opened(kind: str, slots: list[int]) -> int:
        if kind == TeamKind.ASSESSMENT:
            days = rng.randint(0, 60)
        elif kind == TeamKind.CHILD_PROTECTION:
            days = int(rng.expovariate(1 / 220))
        elif kind == TeamKind.CHILD_IN_NEED:
            days = rng.randint(14, 540)
        else:
            days = rng.randint(0, span)
        start = max(today_ord - min(days, span), history_ord)
        born = [pop.dob_ordinal[slot] for slot in slots if not unborn(slot)]
        if born:
            start = max(start, max(born))
        due = [pop.dob_ordinal[slot] for slot in slots if unborn(slot)]
        if due:  # a pre-birth case opens within 40 weeks of the expected birth (CIN census 8606)
            start = max(start, max(due) - PRE_BIRTH_DAYS)
        if kind == TeamKind.CARE_LEAVERS:  # with the 16+ team from the 16th birthday at the earliest
            start = max(
                start, min(max(sixteenth_birthday(pop.dob_ordinal[slot]) for slot in slots), today_ord)
            )
        return min(start, today_ord)

    # 3. Who holds each case, pooled by area and kind of team; the persona first, so the demo social worker
    # has a realistic caseload.
    pools: dict[tuple[str, str], list[tuple[str, list[int], int]]] = {}
    for kind, area, slots in groups:
        pools.setdefault((area, kind), []).append((kind, slots, opened(kind, slots)))
    persona = org.personas.get("socialworker")
    persona_key = (org.persona_area, TeamKind.CHILD_IN_NEED)
    persona_target = rng.randint(*PERSONA_CASELOAD)
    persona_load = 0
    if persona is not None:
        pool = pools.setdefault(persona_key, [])
        # Too few cases in the area for a caseload (a small city): open a few more children in need there.
        available = sum(len(slots) for _, slots, _ in pool)
        while available < persona_target + 2 and cursor < len(households):
            household = households[cursor]
            cursor += 1
            slots = [
                slot
                for slot in pop.household_slots(household)
                if eligible(slot, False) and area_codes[pop.area[slot]] == org.persona_area
            ][: PERSONA_CASELOAD_MAX - 1]
            if not slots:
                continue
            for slot in slots:
                open_slot[slot] = 1
            pool.append((TeamKind.CHILD_IN_NEED, slots, opened(TeamKind.CHILD_IN_NEED, slots)))
            available += len(slots)

    out = ctx.writer(Allocation)
    allocated_children = 0
    unallocated_children = 0
    # Children looked after are always allocated, so the others wait a little more often to make the share.
    looked_after_share = rates.LOOKED_AFTER / rates.CHILDREN_IN_NEED
    unallocated_share = {
        spec.code: (
            rates.STRUGGLING_UNALLOCATED_SHARE if spec.code == STRUGGLING_AREA else rates.UNALLOCATED_SHARE
        )
        / (1 - looked_after_share)
        for spec in AREAS
    }

    def allocate(slots, worker, team, start, end=None, role=AllocationRole.SOCIAL_WORKER, born_only=False):
        for slot in slots:
            if unborn(slot):
                if born_only:
                    continue
                child_start = start
            else:
                child_start = max(start, pop.dob_ordinal[slot])
            if end is not None and end < child_start:
                continue
            _allocation(out, pop.child_ids[slot], worker, team, role, child_start, end)

    def someone_in(area: str, kind: str, not_this: int | None = None, team: int | None = None):
        """(worker, team): a case holder of the area's teams of ``kind`` (of ``team`` if given) other than
        ``not_this``, or None."""
        choices = [
            (worker, holder_team)
            for worker, _, holder_team in org.holders(area, kind)
            if worker != not_this and (team is None or holder_team == team)
        ]
        return rng.choice(choices) if choices else None

    def earlier_episode(slots, area, before: int) -> bool:
        """A closed involvement ending well before ``before``: an assessment, sometimes followed by a child in
        need plan. False where it would start before the history window."""
        end = before - rng.randint(60, 400)
        start = end - rng.randint(20, 120)
        if start < history_ord:
            return False
        assessor = someone_in(area, TeamKind.ASSESSMENT)
        if assessor is None:
            return False
        if rng.random() < 0.3:  # went on to a child in need plan
            middle = start + (end - start) // 3
            allocate(slots, *assessor, start, middle, born_only=True)
            planner = someone_in(area, TeamKind.CHILD_IN_NEED)
            if planner is not None:
                allocate(slots, *planner, middle + 1, end, born_only=True)
        else:
            allocate(slots, *assessor, start, end, born_only=True)
        return True

    seen: dict[str, int] = dict.fromkeys(area_codes, 0)  # children in cases that could wait, per area
    waiting: dict[str, int] = dict.fromkeys(area_codes, 0)
    bar = ctx.progress(len(groups), "allocations")
    with out:
        for key in sorted(pools):
            area, kind = key
            pool = pools[key]
            rng.shuffle(pool)
            team_ids = org.teams[key]
            is_persona_pool = key == persona_key and persona is not None
            loads = _Caseloads(org.holders(area, kind), exclude={persona} if is_persona_pool else set())
            assignments: list[tuple[list[int], int, int | None, int]] = []  # (slots, start, worker, team)
            for _kind, slots, start in pool:
                holder = None
                could_wait = kind not in (TeamKind.CHILDREN_IN_CARE, TeamKind.CARE_LEAVERS)
                if could_wait:
                    seen[area] += len(slots)
                if (
                    is_persona_pool
                    and persona_load < persona_target
                    and (persona_load + len(slots) <= PERSONA_CASELOAD_MAX)
                ):
                    holder = (persona, org.persona_team)
                    persona_load += len(slots)
                # A quota per area rather than a coin per case, so that even a small city shows the
                # struggling area's backlog: a group waits while the area is below its share.
                elif could_wait and waiting[area] + len(slots) / 2 <= unallocated_share[area] * seen[area]:
                    waiting[area] += len(slots)
                else:
                    holder = loads.take(len(slots))
                if holder is None:
                    assignments.append((slots, start, None, rng.choice(team_ids)))
                else:
                    assignments.append((slots, start, holder[0], holder[1]))
            # The demo team manager should find something in their team's queue.
            if is_persona_pool and not any(w is None and t == org.persona_team for _, _, w, t in assignments):
                for i, (slots, start, worker, team) in enumerate(assignments):
                    if team == org.persona_team and worker not in (None, persona):
                        assignments[i] = (slots, start, None, team)
                        break

            for slots, start, worker, team in assignments:
                current_start = start
                if worker is None:
                    unallocated_children += len(slots)
                    # Half of the waiting cases had a worker who moved on and has not been replaced.
                    if start < today_ord - 30 and rng.random() < 0.5:
                        previous = someone_in(area, kind, team=team)
                        if previous is not None:
                            ended = today_ord - rng.randint(1, min(40, today_ord - start))
                            allocate(slots, *previous, start, ended)
                else:
                    allocated_children += len(slots)
                    if (
                        kind != TeamKind.ASSESSMENT
                        and start < today_ord - 60
                        and rng.random() < PREVIOUS_WORKER_SHARE
                    ):
                        change = rng.randint(start + 30, today_ord - 7)
                        if rng.random() < 0.5:  # transferred from the assessment team
                            previous = someone_in(area, TeamKind.ASSESSMENT)
                        else:
                            previous = someone_in(area, kind, not_this=worker)
                        if previous is not None:
                            allocate(slots, *previous, start, change - 1)
                            current_start = change
                    allocate(slots, worker, team, current_start)
                if rng.random() < EARLIER_EPISODE_SHARE:
                    earlier_episode(slots, area, start)
                for slot in slots:
                    ctx.cases.append(
                        OpenCase(
                            child_id=pop.child_ids[slot],
                            kind=kind,
                            area=area,
                            team_id=team,
                            start_date=datetime.date.fromordinal(start),
                            worker_id=worker,
                        )
                    )
                bar.update(1)

        # 4. IROs for children looked after, balanced across the unit; some changed IRO.
        iros = _Caseloads([(iro, 1.0, org.safeguarding_unit) for iro in org.iros])
        for case in ctx.cases:
            if case.kind not in (TeamKind.CHILDREN_IN_CARE, TeamKind.CARE_LEAVERS):
                continue
            holder = iros.take(1)
            if holder is None:
                break
            start = min(case.start_date.toordinal() + rng.randint(1, 15), today_ord)
            if today_ord - start > 200 and rng.random() < 0.2:
                previous = rng.choice(org.iros)
                if previous != holder[0]:
                    change = rng.randint(start + 30, today_ord - 7)
                    _allocation(
                        out,
                        case.child_id,
                        previous,
                        org.safeguarding_unit,
                        AllocationRole.IRO,
                        start,
                        change - 1,
                    )
                    start = change
            _allocation(out, case.child_id, holder[0], org.safeguarding_unit, AllocationRole.IRO, start, None)

        # 5. Children whose involvement closed within the history window.
        closed_target = round(CLOSED_PER_10K_PER_YEAR * ctx.years * n / 10_000)
        closed = 0
        earliest_end = min(history_ord + 540, today_ord)
        while closed < closed_target and cursor < len(households):
            household = households[cursor]
            cursor += 1
            slots = [slot for slot in pop.household_slots(household) if eligible(slot, False)]
            if slots and earlier_episode(
                slots, area_codes[pop.area[slots[0]]], rng.randint(earliest_end, today_ord)
            ):
                closed += len(slots)
    bar.close()
    ctx.extra["allocations"] = {
        "open_children": len(ctx.cases),
        "allocated_children": allocated_children,
        "unallocated_children": unallocated_children,
        "closed_children": closed,
        "socialworker_caseload": persona_load,
    }


def _allocation(out, child_id: int, worker: int, team: int, role: str, start: int, end: int | None) -> None:
    out.row(
        Allocation,
        child_id=child_id,
        worker_id=worker,
        team_id=team,
        role=role,
        start_date=datetime.date.fromordinal(start),
        end_date=datetime.date.fromordinal(end) if end is not None else None,
    )
