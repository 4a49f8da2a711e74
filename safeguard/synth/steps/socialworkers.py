"""Step ``socialworkers``: a social worker for every day a child is looked after, and why each child's social
worker episode began (SSDA903 SW_REASON), as ``allocation.SocialWorkerChange`` rows.

A looked-after child always has an allocated social worker (CPPCR 2010 reg 3; the SSDA903 asks for their
social worker episodes to cover the year, rules SW01, SW10-SW12, SW17). The ``allocations`` step allocates the
cases open today and some history, and the ``lookedafter`` step then places periods of care in the children's
cases, so some days of care have no social worker: each such gap is held by a worker of the area's children in
care team, from the end of the case's last allocation (or the day care began, if the case had none) to the
next allocation or the end of care (open, if the child is still looked after), by the worker who made the
``lookedafter`` step's visits of those days (it visits by the case's worker of the day, or the period's
fallback worker where there is none).

The first social worker of a child's case (no social worker of theirs held it since the referral) is a first
contact, ``FCONTA``, as ``allocation.services.allocation_allocate`` records it. Any other change has the reason
a manager gives: after the assessment team, mostly a transfer as part of the council's process (TSPROC);
otherwise mostly the worker leaving their role (LEFTRL, as in a council with the turnover DOMAIN.md §5
reports), a management decision or a restructure, sometimes absence, or the child or a parent asking
(``CHANGE_REASONS``, local figures [S]). Recorded by the new worker's manager, on the day the allocation began.
"""

import datetime
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings

from safeguard.allocation.models import FIRST_CONTACT, SocialWorkerChange
from safeguard.casework.models import CinEpisode, Visit
from safeguard.lookedafter.models import PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole, Area, TeamKind, Worker
from safeguard.synth.context import SynthContext
from safeguard.synth.steps.lookedafter import VISIT_SUMMARIES

AFTER_ASSESSMENT = {"TSPROC": 85, "MANAGE": 10, "LEFTRL": 5}
CHANGE_REASONS = {"LEFTRL": 40, "MANAGE": 15, "TSPROC": 12, "ORGRST": 6, "ABSENC": 9, "CHCHAN": 4,
                  "PCCHAN": 4, "OTHERS": 10}  # fmt: skip


def reason_for(rng, *, had_a_worker: bool, after_assessment: bool) -> str:
    if not had_a_worker:
        return FIRST_CONTACT
    weights = AFTER_ASSESSMENT if after_assessment else CHANGE_REASONS
    return rng.choices(list(weights), weights=list(weights.values()))[0]


DAY = datetime.timedelta(days=1)


def _case_of(cases: list[tuple[datetime.date, int]], day: datetime.date) -> tuple[datetime.date, int] | None:
    """(referral date, area id) of the latest case referred by ``day``."""
    return max((case for case in cases if case[0] <= day), default=None)


def cover_care(ctx: SynthContext) -> int:
    """Allocate a social worker to every day of care that has none; returns how many allocations it made."""
    rng, today = ctx.rng, ctx.today
    cases: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for child_id, referred, area_id in CinEpisode.objects.values_list("child_id", "referral_date", "area_id"):
        cases[child_id].append((referred, area_id))
    area_code = dict(Area.objects.values_list("pk", "code"))
    held: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for child_id, start, end in (
        Allocation.objects.filter(role=AllocationRole.SOCIAL_WORKER)
        .order_by("child_id", "start_date")
        .values_list("child_id", "start_date", "end_date")
    ):
        held[child_id].append((start, end))
    # Visits by a registered social worker, by child and day (a personal adviser's are not a social worker's).
    team_of = dict(
        Worker.objects.exclude(swe_number="").filter(team__isnull=False).values_list("pk", "team_id")
    )
    visits: dict[int, list[tuple[datetime.date, int, int]]] = defaultdict(list)
    for child_id, day, worker, pk in (
        Visit.objects.filter(visited_by__in=list(team_of), summary__in=VISIT_SUMMARIES)
        .order_by("child_id", "visited_on", "pk")
        .values_list("child_id", "visited_on", "visited_by_id", "pk")
    ):
        visits[child_id].append((day, worker, pk))
    made, next_id = 0, ctx.next_ids(Allocation)
    with ctx.writer(Allocation) as out:
        for child_id, start, end in PeriodOfCare.objects.order_by("child_id", "start_date").values_list(
            "child_id", "start_date", "end_date"
        ):
            case = _case_of(cases[child_id], start)
            holders = ctx.org.holders(area_code[case[1]], TeamKind.CHILDREN_IN_CARE) if case else []
            if not holders:
                continue
            last = end or today
            gaps, cursor = [], start
            before = [ended for began, ended in held[child_id] if ended is not None and ended < start]
            if before and case and max(before) >= case[0] - DAY:
                cursor = max(before) + DAY  # the case's worker before care: no gap in between (SW10)
            for began, ended in held[child_id]:
                if ended is not None and ended < cursor:
                    continue
                if began > last:
                    break
                if began > cursor:
                    gaps.append((cursor, began - DAY))
                if ended is None:
                    cursor = None
                    break
                cursor = ended + DAY
            if cursor is not None and cursor <= last:
                gaps.append((cursor, end))  # to the end of care, or open while it lasts
            for gap_start, gap_end in gaps:
                in_gap = [
                    (day, worker, pk)
                    for day, worker, pk in visits[child_id]
                    if gap_start <= day and (gap_end is None or day <= gap_end)
                ]
                visitors = Counter(worker for _day, worker, _pk in in_gap)
                worker = visitors.most_common(1)[0][0] if visitors else None
                team = team_of.get(worker)
                if team is None:
                    worker, _fte, team = rng.choice(holders)
                ctx.care_cover.append(next_id)
                out.row(
                    Allocation,
                    id=next_id,
                    child_id=child_id,
                    worker_id=worker,
                    team_id=team,
                    role=AllocationRole.SOCIAL_WORKER,
                    start_date=gap_start,
                    end_date=gap_end,
                )
                held[child_id].append((gap_start, gap_end))
                held[child_id].sort(key=lambda row: row[0])
                made += 1
                next_id += 1
    ctx.reset_sequences(Allocation)
    return made


def run(ctx: SynthContext) -> None:
    rng = ctx.rng
    tz = ZoneInfo(settings.TIME_ZONE)
    covered = cover_care(ctx)
    cases: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for child_id, referred, closed in CinEpisode.objects.order_by("child_id", "referral_date").values_list(
        "child_id", "referral_date", "closure_date"
    ):
        cases[child_id].append((referred, closed))
    manager_user = dict(Worker.objects.filter(manager__isnull=False).values_list("pk", "manager__user_id"))
    assessment = {
        pk for pk in Allocation.objects.filter(team__kind=TeamKind.ASSESSMENT).values_list("pk", flat=True)
    }
    counts: dict[str, int] = defaultdict(int)
    last_child, last_end, last_pk = None, None, None
    with ctx.writer(SocialWorkerChange) as out:
        for pk, child_id, worker_id, start, end in (
            Allocation.objects.filter(role=AllocationRole.SOCIAL_WORKER)
            .order_by("child_id", "start_date", "pk")
            .values_list("pk", "child_id", "worker_id", "start_date", "end_date")
        ):
            if child_id != last_child:
                last_end, last_pk = None, None
            # The case this allocation belongs to: the child in need episode open on the day it began. A
            # social worker of the same case before it makes this a change; none (or no case) a first contact.
            referral = max(
                (
                    referred
                    for referred, closed in cases[child_id]
                    if referred <= start and (closed or start) >= start
                ),
                default=None,
            )
            had_a_worker = (
                last_pk is not None
                and referral is not None
                and (last_end is None or last_end >= referral - datetime.timedelta(days=1))
            )
            reason = reason_for(rng, had_a_worker=had_a_worker, after_assessment=last_pk in assessment)
            counts[reason] += 1
            out.row(
                SocialWorkerChange,
                allocation_id=pk,
                reason=reason,
                recorded_by_id=manager_user.get(worker_id),
                recorded_at=datetime.datetime.combine(start, datetime.time(10), tzinfo=tz),
            )
            last_child, last_end, last_pk = child_id, end, pk
    ctx.extra["socialworkers"] = {"care_covered": covered, **counts}
