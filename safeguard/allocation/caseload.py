"""Weighted caseloads: how much work a worker holds, and what it would become with more children.

Counting children alone hides what a caseload is: a child on a child protection plan, a looked-after child
and a child in care proceedings each take far more of a worker's time (statutory visits every few weeks,
conferences, reviews, court statements) than a child in need. So each child counts a weight, and a worker's
weighted caseload is compared with a limit in proportion to their hours.

Where the defaults come from
---------------------------
There is no statutory caseload limit in England. The figures below are **local policy**, set by each council
(``SAFEGUARD["CASELOAD_WEIGHTS"]`` and ``SAFEGUARD["CASELOAD_LIMIT"]`` override them), and chosen so that an
ordinary caseload reads against the national picture: the Department for Education's children's social work
workforce statistics give an average of **16.0 cases per FTE** children and family social worker on
30 September 2023 (16.6 in 2022; DOMAIN.md §5, "Workforce, 30 Sep 2023", EES CSWW). The default limit, 18
weighted cases per full-time worker, sits a little above that average, so a worker holding an average, mixed
caseload is under it and one holding many complex cases is over it.

- ``child`` **1**: a child in need, the unit the DfE's figure counts.
- ``cp_plan`` **1.5**: a child protection plan brings visits at least every 10 working days (a common
  local standard), core groups and review conferences (Working Together 2023 ch.4).
- ``looked_after`` **1.5**: a looked-after child brings visits at least every six weeks in the first year,
  the care plan, statutory reviews with the IRO, health and education plans (Care Planning, Placement and
  Case Review (England) Regulations 2010, regs 28 and 33).
- ``care_proceedings`` **2**: care proceedings bring court statements, the care plan for the court and
  hearings against the 26-week limit (Children Act 1989 s32(1)(a), as amended by the Children and Families Act
  2014), on top of everything a looked-after child needs; the heaviest single weight.
- ``sibling`` **0.5**: a sibling group allocated to the same worker shares visits, parents, meetings and
  often one plan and one court case, so the heaviest child counts in full and each further sibling counts
  half its own weight. (Three siblings on plans: 1.5 + 0.75 + 0.75 = 3.0, not 4.5.)

A child counts the **heaviest** weight that applies to them, never the sum: a looked-after child in care
proceedings counts 2, not 3.5.

What "care proceedings" means here
----------------------------------
The system does not (yet) record court applications. It records the child's legal status while looked after
(SSDA903 LS), and one status exists only while care proceedings are under way: **C1, an interim care order**
(Children Act 1989 s38: made on an adjourned application for a care order, ending when the application is
decided). So a child counts as "in care proceedings" while their open looked-after episode's legal status is
C1. A full care order (C2) means proceedings have ended; an emergency protection order (L2) may or may not
lead to them. When proceedings are recorded (the CIN census's pre-proceedings and FGDM items from 2026-27),
this test should read them instead.

What is counted
---------------
A worker's caseload is their current allocations as the allocated worker (not as an IRO) in the team they are
in today: an allocation left behind in a team they have moved from no longer counts, as it no longer takes
the child out of the unallocated queue (``selectors.held_by_a_social_worker``, ADR 5).

Siblings are children with a recorded sibling, half-sibling or step-sibling relationship (``people.
Relationship``). Children who only live in the same household are not grouped: the front door's wider test
(``frontdoor.selectors.related_child_ids``, which adds the household) is for spotting risk, whereas a discount
on a caseload should rest on a recorded family tie; and reading every child's household for a city's
caseloads took as long as the rest of the query (docs/benchmarks.md). A sibling who is not recorded as such
should be: the relationship is on the child's record.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)

from safeguard.casework.models import CPPlan
from safeguard.lookedafter.models import LacEpisode, PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.people.models import SIBLING_TYPES, Child, Relationship

DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "child": Decimal("1"),
    "cp_plan": Decimal("1.5"),
    "looked_after": Decimal("1.5"),
    "care_proceedings": Decimal("2"),
    "sibling": Decimal("0.5"),
}
DEFAULT_LIMIT = Decimal("18")

# SSDA903 legal status codes that exist only while care proceedings are under way (see the module docstring).
CARE_PROCEEDINGS_STATUSES = ("C1",)

# The weights that describe a child, heaviest first when they tie; ``sibling`` is a factor, not a weight.
CHILD_WEIGHTS = ("care_proceedings", "cp_plan", "looked_after", "child")
WEIGHT_LABELS = {
    "care_proceedings": "Care proceedings (interim care order)",
    "cp_plan": "Child protection plan",
    "looked_after": "Looked after",
    "child": "Child in need",
}


# -- configuration ------------------------------------------------------------------------------------------


def _number(text: object) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def weight_problems(overrides: dict[str, object]) -> list[str]:
    """What is wrong with ``CASELOAD_WEIGHTS`` (empty when nothing is): the system check reports these."""
    problems = []
    for name, text in overrides.items():
        if name not in DEFAULT_WEIGHTS:
            problems.append(
                f"CASELOAD_WEIGHTS names {name!r}, which is not a caseload weight: use "
                f"{', '.join(DEFAULT_WEIGHTS)}"
            )
            continue
        value = _number(text)
        if value is None:
            problems.append(f"CASELOAD_WEIGHTS[{name!r}] must be a number, not {text!r}")
        elif name == "sibling" and not Decimal(0) <= value <= Decimal(1):
            # Above 1 a sibling group would count more than its children apart; below 0, less than nothing.
            problems.append(
                f"CASELOAD_WEIGHTS['sibling'] is a share of a child's weight, from 0 to 1, not {text}"
            )
        elif name != "sibling" and value <= 0:
            problems.append(f"CASELOAD_WEIGHTS[{name!r}] must be more than 0, not {text}")
    return problems


def limit_problems(text: object) -> list[str]:
    value = _number(text)
    if value is None or value <= 0:
        return [f"CASELOAD_LIMIT must be a number of weighted cases above 0, not {text!r}"]
    return []


def _settings() -> dict:
    return getattr(settings, "SAFEGUARD", {})


def current_weights() -> dict[str, Decimal]:
    """The defaults with the council's overrides (read on each call, so a test can override the setting)."""
    overrides = _settings().get("CASELOAD_WEIGHTS") or {}
    problems = weight_problems(overrides)
    if problems:  # the system check stops the service first; this is for a caller that skipped it
        raise ImproperlyConfigured("; ".join(problems))
    return {**DEFAULT_WEIGHTS, **{name: Decimal(str(value).strip()) for name, value in overrides.items()}}


def caseload_limit() -> Decimal:
    """Weighted cases for a full-time worker."""
    text = _settings().get("CASELOAD_LIMIT", DEFAULT_LIMIT)
    problems = limit_problems(text)
    if problems:
        raise ImproperlyConfigured(problems[0])
    return Decimal(str(text).strip())


def limit_for(fte: Decimal, limit: Decimal | None = None) -> Decimal:
    """A worker's limit: the full-time limit in proportion to their hours (0.5 FTE, half the cases)."""
    return (limit if limit is not None else caseload_limit()) * Decimal(fte)


# -- the weights of children --------------------------------------------------------------------------------


@dataclass(slots=True)
class ChildLoad:
    """One child on a caseload: the heaviest weight that applies, and what they add after the sibling share."""

    child_id: int
    kind: str  # a key of WEIGHT_LABELS
    weight: Decimal
    counted: Decimal
    group: int  # children with the same group are one sibling group on this caseload

    @property
    def label(self) -> str:
        return WEIGHT_LABELS[self.kind]

    @property
    def discounted(self) -> bool:
        return self.counted < self.weight


def _kind(cp_plan: bool, looked_after: bool, care_proceedings: bool, weights: dict[str, Decimal]) -> str:
    """The heaviest weight that applies to a child with these flags."""
    applying = ["child"]
    if cp_plan:
        applying.append("cp_plan")
    if looked_after:
        applying.append("looked_after")
    if care_proceedings:
        applying.append("care_proceedings")
    # The heaviest; on a tie, the more serious (the order of CHILD_WEIGHTS).
    return max(applying, key=lambda name: (weights[name], -CHILD_WEIGHTS.index(name)))


# The flags of a child, as bits of one integer computed in the query: reading three booleans for every row of
# a council's caseloads through Django's converters cost more than the query itself.
CP_PLAN, LOOKED_AFTER, IN_PROCEEDINGS = 1, 2, 4


def _flags(child_id_ref: str) -> ExpressionWrapper:
    child = OuterRef(child_id_ref)

    def bit(exists: Exists, value: int) -> Case:
        return Case(When(exists, then=Value(value)), default=Value(0))

    return ExpressionWrapper(
        bit(Exists(CPPlan.objects.filter(child_id=child, end_date__isnull=True)), CP_PLAN)
        + bit(Exists(PeriodOfCare.objects.open().filter(child_id=child)), LOOKED_AFTER)
        + bit(
            Exists(
                LacEpisode.objects.open().filter(child_id=child, legal_status__in=CARE_PROCEEDINGS_STATUSES)
            ),
            IN_PROCEEDINGS,
        ),
        output_field=IntegerField(),
    )


def _loads(
    children: set[int], kinds: dict[int, str], links: dict[int, set[int]], weights: dict[str, Decimal]
) -> list[ChildLoad]:
    """The children of one caseload, grouped into sibling groups: in each group the heaviest child counts in
    full and every other child ``sibling`` × their own weight. ``links`` maps a child to their recorded siblings
    (anywhere in the council): only those on this caseload join a group, and a group is everyone reached
    through such links (a half-sibling's half-sibling is in it too)."""
    share = weights["sibling"]
    loads: list[ChildLoad] = []
    seen: set[int] = set()
    for child_id in sorted(children):  # so a group is keyed by its smallest child id, and the order is stable
        if child_id in seen:
            continue
        group = [child_id]
        if child_id in links:
            seen.add(child_id)
            reach = [child_id]
            while reach:
                for other in links.get(reach.pop(), ()):
                    if other in children and other not in seen:
                        seen.add(other)
                        group.append(other)
                        reach.append(other)
        if len(group) > 1:  # heaviest first (the smallest id on a tie, for a stable order)
            group.sort(key=lambda pk: (-weights[kinds[pk]], pk))
        for position, member in enumerate(group):
            kind = kinds[member]
            weight = weights[kind]
            loads.append(
                ChildLoad(member, kind, weight, weight if position == 0 else weight * share, child_id)
            )
    return loads


@dataclass
class Caseload:
    """A worker's weighted caseload against their limit, and (on the allocate page) what it would become."""

    worker: Worker
    limit: Decimal
    loads: list[ChildLoad] = field(default_factory=list)
    loads_after: list[ChildLoad] | None = None

    @property
    def fte(self) -> Decimal:
        return self.worker.fte

    @property
    def children(self) -> int:
        return len(self.loads)

    # Computed once: the caseload page reads each figure several times. ``loads`` are set before any is read.
    @cached_property
    def weighted(self) -> Decimal:
        return sum((load.counted for load in self.loads), Decimal(0))

    @cached_property
    def weighted_after(self) -> Decimal | None:
        if self.loads_after is None:
            return None
        return sum((load.counted for load in self.loads_after), Decimal(0))

    @property
    def children_after(self) -> int | None:
        return None if self.loads_after is None else len(self.loads_after)

    @property
    def percent(self) -> int:
        return _percent(self.weighted, self.limit)

    @property
    def percent_after(self) -> int | None:
        after = self.weighted_after
        return None if after is None else _percent(after, self.limit)

    @property
    def over(self) -> bool:
        return self.weighted > self.limit

    @property
    def over_after(self) -> bool:
        after = self.weighted_after
        return after is not None and after > self.limit


def _percent(value: Decimal, limit: Decimal) -> int:
    return round(value * 100 / limit) if limit else 0


def held_allocations(today: datetime.date):
    """Allocations that count on a caseload today: current, as the allocated worker, in the worker's own team
    (an allocation left in a team the worker has moved from holds nothing: ADR 5)."""
    return Allocation.objects.current(today).filter(
        role=AllocationRole.SOCIAL_WORKER, team_id=F("worker__team_id")
    )


# Past this many children (a head of service's area, the director's council), the children on a plan, looked
# after or in proceedings are read as three sets from the council's open rows (a few thousand at most, through
# the partial indexes that keep them one per child) rather than tested child by child: on the benchmark
# council (8,553 children held) the director's took 33 ms of CPU instead of 57 (SQLite, one measurement).
# Below it, each child is tested with EXISTS, which reads only what the page shows.
FLAG_SETS_FROM = 2000


def weighted_caseloads(
    workers: Sequence[Worker], *, today: datetime.date, adding: Sequence[int] = ()
) -> dict[int, Caseload]:
    """Every worker's weighted caseload, keyed by worker id, in a fixed number of queries whatever the number
    of workers or children: the allocations; each child's plan, care and proceedings flags (one query, or three
    for many children: ``FLAG_SETS_FROM``); and the sibling relationships of all of them.

    With ``adding`` (child ids), each caseload also says what it would become if those children were
    allocated to that worker as well (``loads_after``): the allocate page shows it for every worker it offers.
    """
    weights = current_weights()
    limit = caseload_limit()
    caseloads = {worker.pk: Caseload(worker=worker, limit=limit_for(worker.fte, limit)) for worker in workers}
    if not caseloads:
        return {}
    # No ORDER BY (the models' default orderings would make SQLite sort thousands of rows for nothing).
    allocations = held_allocations(today).filter(worker_id__in=list(caseloads)).order_by()
    held: dict[int, set[int]] = {pk: set() for pk in caseloads}
    for worker_id, child_id in allocations.values_list("worker_id", "child_id"):
        held[worker_id].add(child_id)
    held_children = set().union(*held.values())
    added = list(dict.fromkeys(adding))
    many = len(held_children) >= FLAG_SETS_FROM
    flags = _flag_sets() if many else {}
    asked = added if many else [*held_children, *added]
    found = set(held_children)
    if asked:
        for child_id, child_flags in (
            Child.objects.filter(pk__in=asked).annotate(flags=_flags("pk")).values_list("pk", "flags")
        ):
            flags[child_id] = child_flags
            found.add(child_id)
    # Eight combinations of flags, thousands of children.
    kind_of = cache(lambda bits: _kind(bits & CP_PLAN, bits & LOOKED_AFTER, bits & IN_PROCEEDINGS, weights))
    kinds = {child_id: kind_of(flags.get(child_id, 0)) for child_id in found}
    links: dict[int, set[int]] = {}
    pairs = _sibling_pairs(allocations.values("child_id") if many else list(held_children), added)
    for a, b in pairs:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    known_added = {pk for pk in added if pk in found}
    for pk, caseload in caseloads.items():
        caseload.loads = _loads(held[pk], kinds, links, weights)
        if added:
            caseload.loads_after = _loads(held[pk] | known_added, kinds, links, weights)
    return caseloads


def _flag_sets() -> dict[int, int]:
    """Every child in the council on a child protection plan, looked after, or in care proceedings today, with
    their flags: three queries over the open rows only."""
    flags: dict[int, int] = {}
    for bit, rows in (
        (CP_PLAN, CPPlan.objects.filter(end_date__isnull=True)),
        (LOOKED_AFTER, PeriodOfCare.objects.open()),
        (IN_PROCEEDINGS, LacEpisode.objects.open().filter(legal_status__in=CARE_PROCEEDINGS_STATUSES)),
    ):
        for child_id in rows.order_by().values_list("child_id", flat=True):
            flags[child_id] = flags.get(child_id, 0) | bit
    return flags


def caseload_with(worker: Worker, *, today: datetime.date, adding: Sequence[int] = ()) -> Caseload:
    """One worker's caseload, and what it would become with ``adding``: the same function as for many."""
    return weighted_caseloads([worker], today=today, adding=adding)[worker.pk]


def _sibling_pairs(held_children, added: list[int]) -> list[tuple[int, int]]:
    """Recorded sibling, half-sibling and step-sibling relationships (however old: siblings stay siblings)
    from a child held (a subquery), or to or from a child added. One query; the other end may be any child, and
    only pairs within one caseload count (``_loads``). Testing the other end in SQL as well cost more than it
    saved; and the added children are a UNION, not an OR, which PostgreSQL would answer by reading every
    relationship in the council."""
    siblings = Relationship.objects.filter(relationship_type__in=SIBLING_TYPES).order_by()
    pairs = siblings.filter(from_person_id__in=held_children).values_list("from_person_id", "to_person_id")
    if added:
        pairs = pairs.union(
            siblings.filter(Q(from_person_id__in=added) | Q(to_person_id__in=added)).values_list(
                "from_person_id", "to_person_id"
            ),
            all=True,
        )
    return list(pairs)
