"""Step ``lookedafter``: periods of care, their SSDA903 episodes and statutory work, and care leavers.

Every child the ``allocations`` step made looked after today (``ctx.cases`` of the children in care and the
16+ teams) has an open ``PeriodOfCare`` that began inside their open child in need episode (the episode
stays open while they are looked after): most within days of the episode opening (an emergency entry),
some after the assessment. The allocations spread those episodes over the ``--years`` history, so periods
are weighted towards the last two years with some much longer. Children whose involvement ended in the history
window have closed periods, ``LAC_CEASED_PER_10K_PER_YEAR`` (about 26 per 10,000 children a year: some
31,000 children ceased to be looked after in England in the year to 31 March 2025 [S]), inside one of
their closed child in need episodes with no child protection plan, each closed with a REC code that fits
the episode's closure reason and the child's age and last placement (``rules.check_ending``): returned home
(E4A/E4B), special guardianship (E45-E48), a child arrangements order (E41), adoption (E11/E12, after an E1
placement order and an A5/A6 placement), another authority (E3), independent living from 16 (E5/E6).

Episodes (SSDA903 Episodes) chain without gaps: the first RNE S, later P/L/T/U/B (``rules.reason_for_new_episode``)
with the episode before ending X1 the same day. Legal status by age [S]: an interim care order (C1) or
section 20 (V2) at entry, a few police protection (L1) or EPO (L2) for a few days first, a few remands (J1,
10 and over); C1 becomes a full care order (C2) at about 26 weeks (CA89 s32), some V2 children come under
an ICO later, some young children get a placement order (E1) and are placed for adoption (A5/A6). Placements
by age [S]: foster care (U1-U6) for about 70%, children's homes (K2) for older children, supported
accommodation (H5, K3 from 1 April 2025) at 16-17, mother-and-baby units (R3) for babies, a few residential
schools, secure homes, hospital and temporary moves (T0-T4, back to the usual placement). Codes are those valid on the
episode's day (``codes_valid_on``); PLACE_PROVIDER and URN follow rules 213/218/222/526-531/550; postcodes are
the child's home and a placement postcode of the fictional city; placement moves about every 10-30 months,
with a reason (REASON_PLACE_CHANGE).

Statutory work (DOMAIN.md §1b), mostly on time, the rest late (rates in ``rates``, [S] local figures): the
care plan (10 WD) and a placement plan for each placement (5 WD); reviews (20 WD, 3 months, then 6-monthly,
``LAC_REVIEWS_ON_TIME``) with the child's participation (PN0 under 4); visits by the allocated worker (a week
after each placement, then 6-weekly, 3-monthly after a year in a long-term placement, ``LAC_VISITS_ON_TIME``);
health assessments (initial in 20 WD, then 6-monthly under 5, yearly from 5) and dental checks; personal
education plans for ages 5-15 (termly); missing episodes for some children over 10 (``LAC_MISSING_SHARE``)
with return interviews. ``OPEN_DRIFT_SHARE`` of open periods have let one kind of work slip, so a few
per cent of looked-after children have something overdue today.

Care leavers (DOMAIN.md §1c): the population has no one aged 18 or over, so care leavers are the 16- and
17-year-olds owed leaving care duties: eligible (still looked after, 13 weeks in care since 14) and relevant
(left care at 16 or 17, to independent or supported living). Each has a ``CareLeaver`` record from the day
they became eligible, a personal adviser of the area's 16+ team, a needs assessment (3 months), a pathway
plan and its 6-monthly reviews, contacts (OC3 in touch), activity, and for relevant young people their
accommodation, with the adviser's visits where the council provides it (7 days, then 2-monthly).

Outcomes (SSDA903 OC2): each child looked after from 1 April to 31 March of a collection year that has ended
has an ``AnnualOutcome`` for it (``draw_outcome``): an SDQ score for about 80% of those aged 4 to 16, otherwise
a reason (SDQ1 only for a child who turned 4 or 17 in the year, as rule 157 allows), immunisations mostly up to
date, and for those 10 or over a few convictions and substance misuse problems. The dental check, health
assessment and development checks are not stored: they follow from the health assessments above. A few
children (``UASC_SHARE`` of those looked after today, mostly boys accommodated under section 20 at 15 to 17)
are unaccompanied asylum-seeking children (``UascStatus``) from the day they came into care to their 18th
birthday. Both are drawn from a random stream of their own (``OUTCOMES_SEED``), so the rest of the step is as
it was before they were added.

Deadlines: each child's events are replayed, in the order the ``lookedafter`` services raise them (``RANK``),
together with the child-seen visits already recorded (which meet visit deadlines whatever their record),
through the ``casework`` step's in-memory engine (``casework._Engine``), with the period of care's
``statutory_period`` and ``duty_applies`` rules, and written as ``compliance.Deadline`` rows with the services'
scopes (the period of care, the missing episode, the care leaver record).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from safeguard.casework.models import CinEpisode, CPPlan, Visit, VisitLocation
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.registry import duty
from safeguard.core.calendar import add_calendar_months, calendar
from safeguard.core.reference import codes_valid_on, read_codes_file
from safeguard.core.years import CollectionYear
from safeguard.lookedafter import rules
from safeguard.lookedafter.models import (
    COMPULSORY_SCHOOL_AGES,
    LONG_TERM_VISIT_INTERVAL,
    PEP_DUTIES,
    UNDER_FIVE_HEALTH_REVIEW_INTERVAL,
    Adoption,
    AnnualOutcome,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    CareLeaverStatus,
    DeprivationOfLiberty,
    HealthAssessment,
    HealthCheckKind,
    LacEpisode,
    LacPlan,
    LacPlanKind,
    LacReview,
    MissingEpisode,
    MissingKind,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
    UascEndReason,
    UascStatus,
    convictions_apply,
    placements_of,
    sdq_age_reason_allowed,
    sdq_applies,
)
from safeguard.organisation.models import Allocation, AllocationRole, TeamKind, Worker
from safeguard.people.models import Person, PersonAddress, Sex
from safeguard.synth import rates
from safeguard.synth.context import Population, SynthContext
from safeguard.synth.geography import AREAS, INWARD_LETTERS, POSTCODE_AREA
from safeguard.synth.steps.casework import _Engine, deadline_row

DAY = datetime.timedelta(days=1)
PERIOD = PeriodOfCare._meta.label_lower
MISSING = MissingEpisode._meta.label_lower
CARE_LEAVER = CareLeaver._meta.label_lower
LOOKED_AFTER_KINDS = (TeamKind.CHILDREN_IN_CARE, TeamKind.CARE_LEAVERS)

# The order in which the lookedafter services raise events that fall on the same day.
RANK = {
    "lac.started": 0,
    "placement.started": 1,
    "care_plan.completed": 2,
    "placement_plan.completed": 2,
    "visit.child_seen": 3,
    "lac_review.held": 4,
    "health_assessment.completed": 4,
    "pep.completed": 4,
    "missing.returned": 5,
    "return_interview.offered": 6,
    "care_leaver.eligible": 7,
    "needs_assessment.completed": 8,
    "pathway_plan.started": 9,
    "pathway_plan.reviewed": 9,
    "care_leaver.accommodation_provided": 9,
    "lac.ended": 10,
}
# SSDA903 OC2 and UASC. Drawn from their own random stream (``OUTCOMES_SEED``), so that adding them changed
# nothing else this step makes. The SDQ total of looked-after children averages about 14 (DfE, Children looked
# after in England 2024 [S]); about 80% of the cohort aged 4-16 have a score.
OUTCOMES_SEED = (7919, 3)  # random.Random(seed * 7919 + 3)
SDQ_SCORED_SHARE = 0.8
# Adoption journeys and previous permanence (SSDA903 PlacedAdoption, AD1, PrevPerm), also from a stream of
# their own. A child made subject to a placement order (E1) or placed for adoption (A3-A6) had the agency
# decision maker's decision that they should be placed for adoption some weeks before (ADOPTION_DECISION_DAYS),
# was matched with adopters a few weeks before being placed, and is adopted (E11, E12) or the decision is
# reversed when they leave care otherwise. Adopters: mostly a couple (DfE, Children looked after in England
# 2024: about 85% of children adopted by couples [S]).
# Placement codes the DfE retired, by their last valid day (reference data valid_to).
RETIRED_PLACEMENTS = {
    row["code"]: row["valid_to"]
    for row in read_codes_file()
    if row["code_set"] == "placement_type" and row["valid_to"] is not None
}
ADOPTION_DECISION_DAYS = (20, 120)
MATCH_BEFORE_PLACED_DAYS = (7, 40)
ADOPTERS = (  # (number, sexes, legal status, weight)
    (2, "MF", "L11", 58), (2, "MF", "L3", 17), (2, "MM", "L12", 4), (2, "FF", "L12", 4), (2, "MM", "L2", 1),
    (2, "FF", "L2", 1), (2, "FF", "L4", 1), (1, "F1", "L0", 12), (1, "M1", "L0", 2),
)  # fmt: skip
REVERSAL_REASONS = {"RD1": 30, "RD2": 20, "RD3": 20, "RD4": 30}
# Previous permanence (PREV_PERM) at entry to care: mostly none; a few children had left care or been adopted
# under an order before (P1 adoption, P2 special guardianship, P3 child arrangements), here or elsewhere.
PREVIOUS_PERMANENCE = {"Z1": 84, "P4": 6, "P1": 2, "P2": 5, "P3": 3}
OTHER_COUNCILS = ("330", "331", "332", "335", "WAL")
SDQ_MEAN, SDQ_SD = 14, 7
SDQ_AGE_REASON_SHARE = 0.6  # of children who turned 4 or 17 in the year: no SDQ, SDQ1
SDQ_REASONS = {"SDQ2": 30, "SDQ4": 45, "SDQ5": 25}  # SDQ3 (severe disability) for disabled children only
IMMUNISATIONS_UP_TO_DATE = 0.85  # [S]
CONVICTED_SHARE = 0.03  # of the cohort aged 10 or over [S]
SUBSTANCE_MISUSE_SHARE = 0.06  # of the cohort aged 10 or over [S]
INTERVENTION_RECEIVED = 0.6
INTERVENTION_OFFERED = 0.7  # of those who received none
UASC_SHARE = 0.05  # of children looked after today [S: about 9% in England, 2024]
# Deprivation of liberty orders (SSDA903 DoLo, from 2026-27), from a stream of their own (``DOLO_SEED``), so
# that adding them changed nothing else in the city. Rare: a few per thousand children looked after, at 10 to
# 17, in a children's home or an other placement (K2, Z12, Z13, as rule 709 expects), the order made some weeks
# after the placement began and ending before it did (or still in force), so that no other placement falls in
# it (rules 709, 710) and it ends within the period of care (707). At least one where a placement allows it,
# so that the DoLo table is made.
DOLO_SEED = (7919, 5)  # random.Random(seed * 7919 + 5)
DOLO_SHARE = 0.004  # of the children looked after at some time [S: about 1,200 applications a year, 2023-24]
DOLO_PLACEMENTS = frozenset({"K2", "Z12", "Z13"})
DOLO_AGES = (10, 17)
DOLO_AFTER_PLACED_DAYS = (7, 60)
DOLO_LENGTH_DAYS = (60, 300)
UASC_BOYS = 0.9
OPEN_DRIFT_SHARE = 0.05  # of open periods and care leaver records: one kind of work has slipped [S]
ELIGIBLE_DAYS = 13 * 7  # CPPCR 2010 reg 40: 13 weeks looked after since 14

NEED = {"N1": 63, "N2": 3, "N3": 3, "N4": 7, "N5": 13, "N6": 2, "N8": 9}
# REC for a period ending inside a child in need episode, by the episode's closure reason [S].
REC_BY_CLOSURE = {
    "RC3": {"E41": 1},
    "RC4": {"E45": 4, "E46": 2, "E47": 3, "E48": 1},
    "RC5": {"E3": 1},
    "RC6": {"E7": 1},
}
TRANSFERRED = "E3"  # REC: care taken over by another local authority
REC_CEASED = {"E4A": 40, "E4B": 8, "E13": 5, "E8": 4, "E45": 5, "E46": 2, "E47": 4, "E48": 1, "E11": 8,
              "E12": 4, "E41": 4}  # fmt: skip
REC_AT_16 = {"E5": 45, "E6": 10, "E13": 15, "E4A": 20, "E8": 10}
PLACE_CHANGE_REASONS = {"CARPL": 35, "CREQB": 12, "CREQO": 12, "LAREQ": 10, "CHILD": 8, "CLOSE": 5,
                        "STAND": 3, "ALLEG": 3, "APPRR": 2, "OTHER": 5}  # fmt: skip
PARTICIPATION = {"PN1": 50, "PN2": 8, "PN3": 6, "PN4": 6, "PN5": 8, "PN6": 12, "PN7": 10}
PROVIDERS = {
    "foster": {"PR1": 60, "PR4": 35, "PR5": 5},
    "home": {"PR4": 75, "PR1": 20, "PR5": 5},
    "supported": {"PR4": 60, "PR5": 25, "PR1": 15},
    "adoption": {"PR1": 70, "PR2": 15, "PR5": 15},
    "R1": {"PR3": 1},
    "R2": {"PR3": 1},
    "R3": {"PR1": 50, "PR4": 50},
    "S1": {"PR4": 70, "PR1": 30},
    "K1": {"PR1": 50, "PR2": 50},
    "P1": {"PR0": 1},
}
ACTIVITY = {"F2": 55, "P2": 5, "F4": 6, "F5": 8, "P5": 4, "G5": 15, "G4": 3, "G6": 4}
ACCOMMODATION = (("D", 40, True), ("E", 25, True), ("B", 15, False), ("U", 8, False), ("Y", 5, False),
                 ("V", 4, False), ("S", 3, False))  # fmt: skip
IN_TOUCH = {"YES": 86, "NO": 7, "REFU": 4, "NREQ": 3}
VISIT_SUMMARY = (
    "Seen in placement; spoke about school, contact with family and how things are with the carers.",
    "Visit to the placement; the child seen alone and their wishes recorded for the review.",
    "Seen with the carers; placement stable, contact arrangements reviewed.",
    "Visit after a difficult week; support for the placement agreed with the carers.",
)
PA_SUMMARY = "Personal adviser visit: accommodation, money, education and the pathway plan discussed."
NOT_SEEN = "Visit to the placement; the child was not there. Follow-up visit arranged."
VISIT_SUMMARIES = frozenset((*VISIT_SUMMARY, PA_SUMMARY, NOT_SEEN))  # this step's visits, and only its


@dataclass(slots=True)
class _Episode:
    """An episode being made: what ``placements_of`` reads, and the row's values."""

    start_date: datetime.date
    reason_new_episode: str
    legal_status: str
    placement_type: str
    provider: str
    urn: str
    postcode: str
    long_term: bool
    id: int = 0
    end_date: datetime.date | None = None
    end_reason: str = ""
    reason_place_change: str = ""

    @property
    def is_temporary(self) -> bool:
        return rules.is_temporary(self.placement_type)


@dataclass
class _Child:
    id: int
    dob: datetime.date
    area: str
    home: str
    allocations: list
    seen_visits: list  # days of child-seen visits already recorded
    events: list = field(default_factory=list)
    periods: dict = field(default_factory=dict)
    applies: dict = field(default_factory=dict)
    scope_team: dict = field(default_factory=dict)

    def age(self, day: datetime.date) -> int:
        born = self.dob
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(dob: datetime.date, years: int) -> datetime.date:
    return add_calendar_months(dob, 12 * years)


class _Builder:
    def __init__(self, ctx: SynthContext, out):
        self.ctx, self.rng, self.out, self.today = ctx, ctx.rng, out, ctx.today
        self.cal = calendar()
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.org = ctx.org
        staff = list(Worker.objects.values_list("pk", "user_id", "team_id"))
        self.user_of = {pk: user for pk, user, _ in staff}
        self.team_of = {pk: team for pk, _, team in staff}
        self.ids = {
            model: ctx.next_ids(model)
            for model in (PeriodOfCare, LacEpisode, MissingEpisode, CareLeaver, PathwayPlan)
        }
        self.valid: dict[tuple[str, datetime.date], frozenset] = {}
        self.summary = defaultdict(int)
        self.seq = 0
        # What OC2 and UASC read: each child's periods (start, end, recording user, episodes), date of birth and
        # health checks, as they are made.
        self.periods_of: dict[int, list] = defaultdict(list)
        self.dob_of: dict[int, datetime.date] = {}
        self.health_of: dict[int, list] = defaultdict(list)
        # Seeded from the step's stream's state without drawing from it (so everything else the step makes is
        # as it was), and so following the step's seed, not the run's as the outcomes' stream does. The hash
        # of a tuple of ints does not depend on PYTHONHASHSEED.
        self.adoption_rng = random.Random(hash(self.rng.getstate()))
        self.uasc_children: set[int] = set()
        self.period_ids_of: dict[int, list[int]] = defaultdict(list)
        self.la_fostering_urn = f"SC{self.rng.randint(100000, 999999)}"
        self.la_adoption_urn = f"SC{self.rng.randint(100000, 999999)}"
        self.urns = [f"SC{self.rng.randint(100000, 999999)}" for _ in range(300)]
        self.districts = {spec.code: spec.districts for spec in AREAS}
        self.all_districts = [d for spec in AREAS for d in spec.districts]

    # -- helpers -----------------------------------------------------------------------------------------------

    def new_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def wd(self, day: datetime.date, n: int) -> datetime.date:
        return self.cal.add_working_days(day, n) if n else day

    def working_on_or_before(self, day):
        return day if self.cal.is_working_day(day) else self.cal.previous_working_day(day)

    def codes(self, code_set: str, day: datetime.date) -> frozenset:
        key = (code_set, day)
        found = self.valid.get(key)
        if found is None:
            found = self.valid[key] = frozenset(codes_valid_on(code_set, day))
        return found

    def postcode(self, area: str | None = None) -> str:
        district = self.rng.choice(self.districts[area] if area else self.all_districts)
        letters = INWARD_LETTERS
        return f"{POSTCODE_AREA}{district} {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def postcode_from(self, rng: random.Random) -> str:
        district = rng.choice(self.all_districts)
        letters = INWARD_LETTERS
        return f"{POSTCODE_AREA}{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"

    def event(self, c: _Child, day, name, scope) -> None:
        self.seq += 1
        c.events.append((day, RANK[name], self.seq, name, scope))

    def worker_on(self, c: _Child, day, fallback: int | None) -> int | None:
        for worker, start, end in c.allocations:
            if start <= day <= end:
                return worker
        return fallback

    def holder(self, area: str, kind: str) -> int | None:
        holders = self.org.holders(area, kind) or self.org.holders(area, TeamKind.CHILDREN_IN_CARE)
        return self.rng.choice(holders)[0] if holders else None

    # -- placements --------------------------------------------------------------------------------------------

    def choose_place(self, c: _Child, day, legal: str, first: bool, current: _Episode | None) -> str:
        rng, age = self.rng, c.age(day)
        if legal == "E1" and age < 5:
            return "A5" if current is not None and current.placement_type in ("U2", "U5", "U6") else "A6"
        if age < 1:
            weights = {"U6": 65, "U5": 10, "U3": 12, "R3": 13 if first else 0}
        elif age < 11:
            weights = {"U6": 38, "U4": 5 if first else 25, "U3": 15, "U1": 4 if first else 10, "U5": 4, "K2": 3 if age >= 8 else 0,
                       "P1": 4 if legal == "C2" else 0}  # fmt: skip
        elif age < 16:
            weights = {"U6": 32, "U4": 6 if first else 18, "U3": 9, "U1": 3 if first else 6, "K2": 25, "S1": 2, "K1": 1,
                       "R2": 1, "P1": 2 if legal == "C2" else 0}  # fmt: skip
        else:
            weights = {
                "U6": 22,
                "U4": 8 if first else 16,
                "U3": 5,
                "U1": 4,
                "K2": 20,
                "H5": 22,
                "Z1": 1,
                "P2": 2,
            }
        if legal in ("J1",) and age >= 10:
            weights["K2"] = weights.get("K2", 0) + 30
        place = rng.choices(list(weights), weights=list(weights.values()))[0]
        valid = self.codes("placement_type", day)
        if place not in valid:
            place = {
                "H5": "K3",
                "Z1": rng.choice(("Z11", "Z12", "Z13", "Z14")),
                "P2": "K3" if "K3" in valid else "H5",
            }.get(place, "U6")
            if place not in valid:
                place = "H5" if "H5" in valid else "U6"
        return place

    def provider(self, place: str) -> str:
        if place in rules.NO_PROVIDER:
            return ""
        if place in rules.FOSTER_PLACEMENTS:
            group = "foster"
        elif place in rules.PLACED_FOR_ADOPTION:
            group = "adoption"
        elif place == "K2":
            group = "home"
        elif place in ("H5", "K3", "P2"):
            group = "supported"
        else:
            group = place
        return self.pick(PROVIDERS[group])

    def urn(self, place: str, provider: str) -> str:
        if place in rules.NO_URN:
            return ""
        if provider == "PR1" and place in rules.FOSTER_PLACEMENTS:
            return self.la_fostering_urn
        if provider == "PR1" and place in rules.PLACED_FOR_ADOPTION:
            return self.la_adoption_urn
        if provider == "PR2" and self.rng.random() < 0.15:
            return rules.URN_PLACEHOLDER  # another authority's provision outside England
        return self.rng.choice(self.urns)

    def episode(self, c: _Child, day, rne, legal, place, area) -> _Episode:
        provider = self.provider(place)
        if place == rules.WITH_PARENTS:
            postcode = c.home
        elif place in rules.TEMPORARY_PLACEMENTS or place in rules.OTHER_PLACEMENTS:
            # Where the child is staying (a hospital, a holiday, a relative's): every episode has a placement
            # postcode (SSDA903 rule 392b). From the adoption stream, so the main stream is as it was.
            postcode = self.postcode_from(self.adoption_rng)
        else:
            postcode = self.postcode(area if self.rng.random() < 0.7 else None)
            if postcode == c.home:
                postcode = ""
        long_term = place in ("U1", "U4") or (place == "K2" and c.age(day) >= 13 and self.rng.random() < 0.3)
        return _Episode(day, rne, legal, place, provider, self.urn(place, provider), postcode, long_term)

    def first_legal(self, age: int) -> str:
        if age < 1:
            weights = {"C1": 60, "V2": 20, "L2": 10, "L1": 10}
        elif age < 10:
            weights = {"C1": 55, "V2": 30, "L1": 8, "L2": 7}
        else:
            weights = {"V2": 45, "C1": 40, "L1": 8, "L2": 3, "J1": 4}
        return self.pick(weights)

    def next_legal(self, c: _Child, legal: str, day) -> tuple[int, str] | None:
        """(days until the next legal status, the status), or None if it stays."""
        rng, age = self.rng, c.age(day)
        if legal == "L1":
            return rng.randint(1, 3), rng.choice(("C1", "V2"))
        if legal == "L2":
            return rng.randint(3, 20), "C1"
        if legal == "C1":
            return rng.randint(150, 330), ("E1" if age < 4 and rng.random() < 0.2 else "C2")
        if legal == "C2" and age < 4 and rng.random() < 0.3:
            return rng.randint(60, 300), "E1"
        if legal == "V2" and rng.random() < 0.35:
            return rng.randint(30, 300), "C1"
        if legal == "J1":
            return rng.randint(20, 90), "V2"
        return None

    def stay(self, episode: _Episode) -> int:
        """Days until the next placement move (from this placement's start)."""
        place = episode.placement_type
        if place in rules.PLACED_FOR_ADOPTION:
            return 10**6
        if place == "R3":
            return self.rng.randint(40, 120)
        if place in rules.TEMPORARY_PLACEMENTS:
            return self.rng.randint(1, 7)
        mean = 900 if episode.long_term else 380
        return max(14, int(self.rng.expovariate(1 / mean)))

    def chain(self, c: _Child, start, stop, area, rec: str | None) -> list[_Episode]:
        """The episodes from ``start`` to ``stop`` (the end of a closed period, or today)."""
        rng = self.rng
        legal = self.first_legal(c.age(start))
        if legal == "J1" and c.age(start) < 10:
            legal = "V2"
        place = self.choose_place(c, start, legal, True, None)
        if place == rules.WITH_PARENTS and legal == rules.SECTION_20:
            place = "U6"
        current = self.episode(c, start, rules.STARTED, legal, place, area)
        episodes = [current]
        usual = current
        legal_next = self.next_legal(c, legal, start)
        legal_on = start + legal_next[0] * DAY if legal_next else None
        place_on = start + self.stay(current) * DAY
        adoption = rec in rules.ADOPTED
        if adoption:  # placed for adoption a few months before the order
            legal_on = min(legal_on or stop, stop - rng.randint(200, 260) * DAY)
            legal_next = (0, "E1")
            place_on = stop - rng.randint(90, 180) * DAY
        while True:
            day = min(d for d in (legal_on, place_on) if d is not None)
            if day >= stop - 3 * DAY or day <= current.start_date:
                if day <= current.start_date and day < stop - 3 * DAY:
                    # Two changes would fall on one day: push the later one on a day.
                    if legal_on is not None and legal_on <= current.start_date:
                        legal_on = current.start_date + DAY
                    if place_on <= current.start_date:
                        place_on = current.start_date + DAY
                    continue
                break
            legal_changes = legal_on is not None and legal_on == day
            place_changes = place_on == day
            if legal_changes and place_changes and current.is_temporary:
                # The return from a temporary placement is a change of placement only (RNE P, rule 383):
                # the legal status changes the next day.
                legal_on, legal_changes = day + DAY, False
            new_legal = legal_next[1] if legal_changes else current.legal_status
            temporary_back = current.is_temporary
            if place_changes:
                if temporary_back:
                    place = usual.placement_type
                elif (
                    adoption
                    and new_legal == "E1"
                    or (new_legal == "E1" and c.age(day) < 5 and rng.random() < 0.8)
                ):
                    place = "A5" if usual.placement_type in ("U2", "U5", "U6") else "A6"
                elif (
                    not adoption
                    and stop - day > 30 * DAY
                    and rng.random() < 0.05
                    and current.placement_type not in rules.PLACED_FOR_ADOPTION
                ):
                    place = rng.choice(("T0", "T1", "T2", "T3", "T4"))
                else:
                    place = self.choose_place(c, day, new_legal, False, current)
                if place == rules.WITH_PARENTS and new_legal == rules.SECTION_20:
                    place = "U6"
                if place == current.placement_type and not temporary_back:
                    place = "U4" if place != "U4" else "U6"
            else:
                place = current.placement_type
            if new_legal == rules.SECTION_20 and place == rules.WITH_PARENTS:
                new_legal = "C2"
            if new_legal in rules.CRIMINAL_LEGAL_STATUSES and c.age(day) < 10:
                new_legal = "V2"
            if place_changes:
                same_carers = (current.placement_type in ("U5", "U6") and place == "A5") or (
                    current.placement_type == "U6" and place == "U4" and rng.random() < 0.5
                )
                rne = rules.reason_for_new_episode(
                    placement_changed=True,
                    legal_status_changed=new_legal != current.legal_status,
                    same_carers=same_carers,
                    place=place,
                )
                if temporary_back:
                    nxt = _Episode(day, rne, new_legal, usual.placement_type, usual.provider, usual.urn,
                                   usual.postcode, usual.long_term)  # fmt: skip
                else:
                    nxt = self.episode(c, day, rne, new_legal, place, area)
                if not (temporary_back or nxt.is_temporary):
                    current.reason_place_change = "PLACE" if same_carers else self.pick(PLACE_CHANGE_REASONS)
            else:
                nxt = _Episode(day, "L", new_legal, current.placement_type, current.provider, current.urn,
                               current.postcode, current.long_term)  # fmt: skip
            current.end_date, current.end_reason = day, rules.CONTINUES
            episodes.append(nxt)
            if not nxt.is_temporary:
                usual = nxt
            current = nxt
            if legal_changes:
                legal_next = self.next_legal(c, new_legal, day)
                legal_on = day + legal_next[0] * DAY if legal_next else None
            if place_changes:
                place_on = day + self.stay(nxt) * DAY
            if legal_on is not None and legal_on <= day:
                legal_on = day + DAY
            if nxt.is_temporary and place_on >= stop - 3 * DAY:
                place_on = day + DAY  # never end a period in a temporary placement (rule 381)
        return self.recode_retired(episodes, stop)

    def recode_retired(self, episodes: list[_Episode], stop: datetime.date) -> list[_Episode]:
        """A placement whose code the DfE retires while the child is in it is recoded as a council would: a
        new episode on the first day of the new code (RNE T, the same carers; the one before ends X1 with
        reason PLACE), so that no year's return has a code that is not on its list (SSDA903 rule 146: H5 and
        Z1 end on 31 March 2025, replaced by K3 and Z11-Z14; P2 ended on 27 October 2023). An episode that
        began on a code already retired (a return from a temporary placement) takes the new code."""
        result: list[_Episode] = []
        for episode in episodes:
            while episode.placement_type in RETIRED_PLACEMENTS:
                retired = RETIRED_PLACEMENTS[episode.placement_type]
                first_invalid = retired + DAY
                replacement = self.replacement_for(episode.placement_type, first_invalid)
                if episode.start_date >= first_invalid:
                    episode.placement_type = replacement
                    continue
                ends = episode.end_date or stop
                if ends <= first_invalid:
                    break
                following = _Episode(
                    first_invalid, rules.reason_for_new_episode(
                        placement_changed=True, legal_status_changed=False, same_carers=True, place=replacement
                    ), episode.legal_status, replacement, episode.provider, episode.urn, episode.postcode,
                    episode.long_term, end_date=episode.end_date, end_reason=episode.end_reason,
                    reason_place_change=episode.reason_place_change,
                )  # fmt: skip
                episode.end_date, episode.end_reason, episode.reason_place_change = (
                    first_invalid, rules.CONTINUES, "PLACE",
                )  # fmt: skip
                result.append(episode)
                episode = following
            result.append(episode)
        return result

    def replacement_for(self, code: str, on: datetime.date) -> str:
        valid = self.codes("placement_type", on)
        if code == "Z1":
            return self.adoption_rng.choice(sorted(valid & {"Z11", "Z12", "Z13", "Z14"}))
        return "K3" if "K3" in valid else "H5"

    # -- adoption and previous permanence --------------------------------------------------------------------------

    def previous_permanence(self, c: _Child, start: datetime.date) -> dict:
        """PREV_PERM, LA_PERM and DATE_PERM recorded as the child started to be looked after."""
        rng = self.adoption_rng
        code = rng.choices(list(PREVIOUS_PERMANENCE), weights=list(PREVIOUS_PERMANENCE.values()))[0]
        earliest = c.dob + 30 * DAY
        if code in ("Z1", "P4") or (start - earliest).days < 60:
            return {"previous_permanence": "Z1" if code != "P4" else "P4", "previous_permanence_la": "",
                    "previous_permanence_on": None}  # fmt: skip
        la = settings.SAFEGUARD["LA_CODE"] if rng.random() < 0.6 else rng.choice(OTHER_COUNCILS)
        on = earliest + rng.randint(0, (start - earliest).days - 30) * DAY
        return {"previous_permanence": code, "previous_permanence_la": la, "previous_permanence_on": on}

    def adoption_journey(self, c: _Child, period_id: int, start, end, rec: str, episodes, user) -> None:
        """The decision that the child should be placed for adoption, for a child made subject to a placement
        order or placed for adoption in this period, and what followed (``lookedafter.Adoption``)."""
        rng = self.adoption_rng
        marked = [
            e for e in episodes if e.legal_status == "E1" or e.placement_type in rules.PLACED_FOR_ADOPTION
        ]
        if not marked:
            return
        first = marked[0].start_date
        decided = max(start, first - rng.randint(*ADOPTION_DECISION_DAYS) * DAY)
        placement = next((e for e in episodes if e.placement_type in rules.PLACED_FOR_ADOPTION), None)
        ffa = next(
            (e.start_date for e in episodes if e.placement_type in ("U2", "U5") and e.start_date >= decided),
            None,
        )
        placed = placement.start_date if placement is not None else None
        matched = None
        if placed is not None:
            matched = max(decided, placed - rng.randint(*MATCH_BEFORE_PLACED_DAYS) * DAY)
        adopted = end is not None and rec in rules.ADOPTED and placed is not None
        values = {
            "ffa_or_concurrency_on": ffa, "matched_on": matched, "placed_on": placed, "order_on": None,
            "reversed_on": None, "reversal_reason": "", "adopted_by_foster_carers": None,
            "number_of_adopters": None, "adopters_sex": "", "adopters_legal_status": "",
        }  # fmt: skip
        if adopted:
            number, sex, status, _ = rng.choices(ADOPTERS, weights=[a[3] for a in ADOPTERS])[0]
            values.update(
                order_on=end,
                adopted_by_foster_carers=episodes[-1].placement_type in rules.ADOPTION_WITH_CURRENT_CARERS,
                number_of_adopters=number,
                adopters_sex=sex,
                adopters_legal_status=status,
            )
        elif (
            end is not None
        ):  # left care otherwise: the decision was reversed (rule 557), by the day care ended
            values["reversed_on"] = max(decided, end - rng.randint(0, 30) * DAY)
            values["reversal_reason"] = rng.choices(
                list(REVERSAL_REASONS), weights=list(REVERSAL_REASONS.values())
            )[0]
        self.out.row(
            Adoption,
            child_id=c.id,
            period_id=period_id,
            decided_on=decided,
            created_by_id=user,
            modified_by_id=user,
            version=1,
            notes="",
            **values,
        )
        self.summary["adoption_decisions"] += 1

    # -- a period of care ----------------------------------------------------------------------------------------

    def period(self, c: _Child, start, end, rec: str, team: int, area_id: int, fallback: int | None, area: str,
               need: str) -> tuple[int, list[_Episode]]:  # fmt: skip
        rng, today = self.rng, self.today
        stop = end if end is not None else today
        period_id = self.new_id(PeriodOfCare)
        scope = (PERIOD, period_id)
        c.scope_team[scope] = (team, area_id)
        episodes = self.chain(c, start, stop, area, rec if end is not None else None)
        if end is not None:
            last = episodes[-1]
            if rules.check_ending(reason=rec, age=c.age(end), last_place=last.placement_type):
                rec = "E4A" if c.age(end) < 16 else "E13"
                if rules.check_ending(reason=rec, age=c.age(end), last_place=last.placement_type):
                    rec = "E8"
            last.end_date, last.end_reason = end, rec
        for episode in episodes:
            episode.id = self.new_id(LacEpisode)

        def statutory_period(code, on):
            if code == "lac_visit":
                found = None
                for placement in placements_of([e for e in episodes if e.start_date <= on]):
                    found = placement
                if found is not None and found.long_term and on >= add_calendar_months(found.started_on, 12):
                    return LONG_TERM_VISIT_INTERVAL
                return None
            if code == "health_assessment_review" and c.age(on) < 5:
                return UNDER_FIVE_HEALTH_REVIEW_INTERVAL
            return None

        def applies(code, on):
            if code in PEP_DUTIES:
                return COMPULSORY_SCHOOL_AGES[0] <= c.age(on) <= COMPULSORY_SCHOOL_AGES[1]
            return True

        c.periods[scope] = statutory_period
        c.applies[scope] = applies
        user = self.user_of.get(self.worker_on(c, start, fallback))
        self.periods_of[c.id].append((start, end, user, episodes))
        self.period_ids_of[c.id].append(period_id)  # for the DoLOs, in step with ``periods_of``
        self.dob_of[c.id] = c.dob
        self.event(c, start, "lac.started", scope)
        placements = []  # [start, the next placement's start or None]
        for placement in placements_of(episodes):
            begins = placement.started_on == placement.episode.start_date
            if begins and placement.episode is placement.settled:
                placements.append([placement.started_on, None])
        for i, item in enumerate(placements):
            item[1] = placements[i + 1][0] if i + 1 < len(placements) else None
        for begin, _ in placements:
            self.event(c, begin, "placement.started", scope)
        drift = end is None and rng.random() < OPEN_DRIFT_SHARE  # which kind of work slipped, if any
        slip = rng.choice(("visit", "review", "health", "pep")) if drift else None

        # Plans.
        k = rng.randint(0, 10) if rng.random() < rates.LAC_PLANS_ON_TIME else rng.randint(11, 25)
        done = self.wd(start, k)
        if done <= stop and (end is None or done < end):
            self.plan_row(c, period_id, LacPlanKind.CARE_PLAN, None, done, user)
            self.event(c, done, "care_plan.completed", scope)
        for begin, until in placements:
            k = rng.randint(0, 5) if rng.random() < rates.LAC_PLANS_ON_TIME else rng.randint(6, 15)
            done = self.wd(begin, k)
            limit = min(d for d in (until, end, today + DAY) if d is not None)
            if done >= limit:
                continue
            settled = [e for e in episodes if e.start_date <= done and not e.is_temporary][-1]
            self.plan_row(c, period_id, LacPlanKind.PLACEMENT_PLAN, settled.id, done, user)
            self.event(c, done, "placement_plan.completed", scope)

        # Reviews: 20 working days, 3 months, then 6-monthly.
        held_days = set()
        due = duty("lac_review_first").due_date(start)
        number = 0
        while True:
            if slip == "review" and due < today and duty("lac_review").due_date(due) > today:
                break
            if rng.random() < rates.LAC_REVIEWS_ON_TIME:
                held = self.working_on_or_before(due - rng.randint(0, 12) * DAY)
            else:
                held = self.cal.next_working_day(due + rng.randint(0, 25) * DAY)
            previous = max(held_days) if held_days else start
            if held <= previous:
                held = previous + DAY
            if held > today or (end is not None and held >= end):
                break
            held_days.add(held)
            age = c.age(held)
            self.out.row(
                LacReview,
                period_id=period_id,
                child_id=c.id,
                held_on=held,
                participation="PN0" if age < 4 else self.pick(PARTICIPATION),
                summary="Review chaired by the IRO; care plan and placement reviewed with the child's views.",
                created_by_id=user,
                modified_by_id=None,
            )
            self.event(c, held, "lac_review.held", scope)
            self.summary["lac_reviews"] += 1
            number += 1
            due = duty("lac_review_second" if number == 1 else "lac_review").due_date(held)

        # Visits: a week after each placement began, then at the regulation 28 interval.
        self.visits(c, episodes, placements, start, end, fallback, statutory_period, slip == "visit")

        # Health: the initial assessment, reviews by age, dental checks.
        if rng.random() < rates.HEALTH_INITIAL_ON_TIME:
            done = self.wd(start, rng.randint(3, 20))
        else:
            done = self.wd(start, 20) + rng.randint(1, 50) * DAY
        kind = HealthCheckKind.INITIAL
        while done <= today and (end is None or done < end):
            self.health_row(c, period_id, kind, done, user)
            self.event(c, done, "health_assessment.completed", scope)
            kind = HealthCheckKind.REVIEW
            due = duty("health_assessment_review").due_date(
                done, statutory_period("health_assessment_review", done)
            )
            if slip == "health" and due < today:
                break
            if rng.random() < rates.HEALTH_REVIEWS_ON_TIME:
                done = max(due - rng.randint(0, 30) * DAY, done + 30 * DAY)
            else:
                done = due + rng.randint(1, 60) * DAY
        day = start + rng.randint(30, 150) * DAY
        while day <= today and (end is None or day < end):
            if c.age(day) >= 1 and rng.random() < rates.DENTAL_CHECK_SHARE:
                self.health_row(c, period_id, HealthCheckKind.DENTAL, day, user)
            day += rng.randint(330, 400) * DAY

        # Personal education plans, termly, for ages 5-15.
        school_from = max(start, birthday(c.dob, 5))
        if school_from == start:
            k = rng.randint(1, 10) if rng.random() < rates.PEP_ON_TIME else rng.randint(11, 30)
            done = self.wd(start, k)
        else:
            done = school_from + rng.randint(20, 90) * DAY
        while done <= today and (end is None or done < end) and c.age(done) <= COMPULSORY_SCHOOL_AGES[1]:
            self.out.row(
                PersonalEducationPlan,
                period_id=period_id,
                child_id=c.id,
                completed_on=done,
                summary="PEP meeting with the designated teacher and virtual school; targets set.",
                created_by_id=user,
            )
            self.event(c, done, "pep.completed", scope)
            self.summary["peps"] += 1
            due = duty("pep_review").due_date(done)
            if slip == "pep" and due < today:
                break
            if rng.random() < rates.PEP_ON_TIME:
                done = max(due - rng.randint(0, 20) * DAY, done + 20 * DAY)
            else:
                done = due + rng.randint(1, 30) * DAY

        # Missing episodes and return interviews, for some children over 10.
        self.missing(c, period_id, start, end, user)

        for i, episode in enumerate(episodes):
            self.out.row(
                LacEpisode,
                id=episode.id,
                period_id=period_id,
                child_id=c.id,
                start_date=episode.start_date,
                reason_new_episode=episode.reason_new_episode,
                legal_status=episode.legal_status,
                need_code=need,
                placement_type=episode.placement_type,
                placement_provider=episode.provider,
                provider_name="",
                home_postcode=c.home,
                placement_postcode=episode.postcode,
                urn=episode.urn,
                long_term=episode.long_term,
                end_date=episode.end_date,
                end_reason=episode.end_reason,
                reason_place_change=episode.reason_place_change,
                created_by_id=user,
                modified_by_id=user,
                version=i + 1 + (episode.end_date is not None),
            )
        self.out.row(
            PeriodOfCare,
            id=period_id,
            child_id=c.id,
            start_date=start,
            end_date=end,
            end_reason=rec if end is not None else "",
            created_by_id=user,
            modified_by_id=user,
            version=1 if end is None else 2,
            **self.previous_permanence(c, start),
        )
        self.adoption_journey(c, period_id, start, end, rec, episodes, user)
        if end is not None:
            self.event(c, end, "lac.ended", None)
            self.summary[f"ceased_{rec}"] += 1
        self.summary["episodes"] += len(episodes)
        self.summary["placements"] += len(placements)
        self.summary["open_periods" if end is None else "closed_periods"] += 1
        return period_id, episodes

    def plan_row(self, c, period_id, kind, episode_id, done, user) -> None:
        self.out.row(
            LacPlan,
            period_id=period_id,
            child_id=c.id,
            kind=kind,
            episode_id=episode_id,
            completed_on=done,
            summary="",
            created_by_id=user,
        )
        self.summary[f"{kind}s"] += 1

    def health_row(self, c, period_id, kind, day, user) -> None:
        self.out.row(
            HealthAssessment,
            period_id=period_id,
            child_id=c.id,
            kind=kind,
            done_on=day,
            notes="",
            created_by_id=user,
        )
        self.summary[f"health_{kind}"] += 1
        self.health_of[c.id].append((kind, day))

    def visit(self, c: _Child, day, worker, seen: bool, location, summary) -> None:
        rng = self.rng
        self.out.row(
            Visit,
            child_id=c.id,
            visited_on=day,
            visited_by_id=worker,
            location=location,
            child_seen=seen,
            seen_alone=seen and c.age(day) >= 5 and rng.random() < 0.6,
            summary=summary if seen else NOT_SEEN,
            recorded_at=min(
                datetime.datetime.combine(day, datetime.time(16), tzinfo=self.tz), self.ctx.began
            ),
            created_by_id=self.user_of.get(worker),
            modified_by_id=None,
        )
        self.summary["visits"] += 1
        if seen:
            self.event(c, day, "visit.child_seen", None)
            c.seen_visits.append(day)

    def visits(self, c, episodes, placements, start, end, fallback, statutory_period, slip: bool) -> None:
        """Visits by the worker allocated on the day: within a week of each placement, then at the interval
        regulation 28 sets, counted from the last visit at which the child was seen (a visit already recorded,
        such as the assessment's, counts too)."""
        rng, today = self.rng, self.today
        stop = end if end is not None else today + DAY
        earlier = sorted(c.seen_visits)

        def planned(due, last):
            if rng.random() < rates.LAC_VISITS_ON_TIME:
                return max(due - rng.randint(0, 10) * DAY, last + DAY)
            return due + rng.randint(1, 14) * DAY

        for begin, until in placements:
            limit = min(d for d in (until, stop) if d is not None)
            last = begin
            day = planned(duty("lac_visit_first").due_date(begin), begin)
            while day < limit:
                prior = [seen for seen in earlier if last < seen < day or (seen == day and seen > begin)]
                if prior:  # met by a visit already recorded: the next counts from it
                    last = prior[-1]
                    day = planned(duty("lac_visit").due_date(last, statutory_period("lac_visit", last)), last)
                    continue
                worker = self.worker_on(c, day, fallback)
                if worker is None:
                    break
                seen = rng.random() < 0.96
                location = (
                    VisitLocation.PLACEMENT
                    if rng.random() < 0.8
                    else rng.choice((VisitLocation.SCHOOL, VisitLocation.COMMUNITY, VisitLocation.OFFICE))
                )
                self.visit(c, day, worker, seen, location, rng.choice(VISIT_SUMMARY))
                if not seen:
                    day += rng.randint(1, 3) * DAY
                    continue
                last = day
                due = duty("lac_visit").due_date(last, statutory_period("lac_visit", last))
                if slip and due < today and until is None:
                    break  # the visit that fell due last has not happened
                day = planned(due, last)

    def missing(self, c: _Child, period_id, start, end, user) -> None:
        rng, today = self.rng, self.today
        stop = end if end is not None else today
        older = max(start, birthday(c.dob, 11))
        if stop - older < 30 * DAY:
            return
        years = (stop - older).days / 365.25
        if rng.random() >= min(0.9, rates.LAC_MISSING_SHARE * years):
            return
        count = 1
        while count < 6 and rng.random() < 0.5:
            count += 1
        days = sorted(older + rng.randint(7, (stop - older).days - 10) * DAY for _ in range(count))
        previous_end = datetime.date.min
        for went in days:
            if went <= previous_end + 3 * DAY:
                continue
            back = went + rng.choice((0, 0, 1, 1, 2, 3)) * DAY
            if back > stop - 2 * DAY:
                continue
            previous_end = back
            missing_id = self.new_id(MissingEpisode)
            scope = (MISSING, missing_id)
            roll = rng.random()
            if roll < rates.RETURN_INTERVIEW_IN_TIME:
                offered = back + rng.randint(0, 3) * DAY
            elif roll < 0.95:
                offered = back + rng.randint(4, 10) * DAY
            else:
                offered = None
            if offered is not None and (offered > today or (end is not None and offered >= end)):
                offered = None
            accepted = None
            if offered is not None and rng.random() < 0.6:
                accepted = min(offered + rng.randint(0, 3) * DAY, today)
            self.out.row(
                MissingEpisode,
                id=missing_id,
                period_id=period_id,
                child_id=c.id,
                kind=MissingKind.MISSING if rng.random() < 0.8 else MissingKind.AWAY,
                start_date=went,
                end_date=back,
                interview_offered_on=offered,
                interview_accepted_on=accepted,
                created_by_id=user,
                modified_by_id=user,
                version=2 + (offered is not None),
            )
            c.scope_team[scope] = c.scope_team[(PERIOD, period_id)]
            self.event(c, back, "missing.returned", scope)
            if offered is not None:
                self.event(c, offered, "return_interview.offered", scope)
            self.summary["missing_episodes"] += 1

    # -- care leavers --------------------------------------------------------------------------------------------

    def care_leaver(self, c: _Child, eligible_on, left_on, adviser: int, area: str) -> None:
        """A leaving care record from ``eligible_on``; relevant from ``left_on`` if the young person left care."""
        rng, today = self.rng, self.today
        record = self.new_id(CareLeaver)
        scope = (CARE_LEAVER, record)
        team = self.team_of.get(adviser)
        c.scope_team[scope] = (team, self.org.area_ids[self.org.team_area.get(team, area)])
        user = self.user_of.get(adviser)
        status = CareLeaverStatus.RELEVANT if left_on is not None else CareLeaverStatus.ELIGIBLE
        self.out.row(
            CareLeaver,
            id=record,
            child_id=c.id,
            status=status,
            status_since=left_on or eligible_on,
            start_date=eligible_on,
            end_date=None,
            end_reason="",
            personal_adviser_id=adviser,
            created_by_id=user,
            modified_by_id=user,
            version=1 + (left_on is not None),
        )
        self.summary[f"care_leavers_{status}"] += 1
        self.event(c, eligible_on, "care_leaver.eligible", scope)
        slip = rng.random() < OPEN_DRIFT_SHARE
        if rng.random() < rates.NEEDS_ASSESSMENT_ON_TIME:
            assessed = eligible_on + rng.randint(20, 88) * DAY
        else:
            assessed = eligible_on + rng.randint(95, 150) * DAY
        if assessed <= today:
            self.out.row(NeedsAssessment, care_leaver_id=record, child_id=c.id, completed_on=assessed,
                         summary="Needs assessed with the young person: education, health, money, housing.",
                         created_by_id=user)  # fmt: skip
            self.event(c, assessed, "needs_assessment.completed", scope)
            started = assessed + rng.randint(0, 30) * DAY
            if started <= today:
                plan = self.new_id(PathwayPlan)
                self.out.row(PathwayPlan, id=plan, care_leaver_id=record, child_id=c.id, started_on=started,
                             summary="Pathway plan: staying put or supported move, college place, budgeting.",
                             created_by_id=user)  # fmt: skip
                self.event(c, started, "pathway_plan.started", scope)
                last = started
                while True:
                    due = duty("pathway_plan_review").due_date(last)
                    if slip and due < today:
                        break
                    if rng.random() < rates.PATHWAY_REVIEWS_ON_TIME:
                        held = max(due - rng.randint(0, 30) * DAY, last + DAY)
                    else:
                        held = due + rng.randint(1, 45) * DAY
                    if held > today:
                        break
                    self.out.row(PathwayPlanReview, plan_id=plan, child_id=c.id, reviewed_on=held,
                                 summary="Pathway plan reviewed with the young person.", created_by_id=user)  # fmt: skip
                    self.event(c, held, "pathway_plan.reviewed", scope)
                    self.summary["pathway_plan_reviews"] += 1
                    last = held
        # Contacts (OC3 in touch) every two or three months, and what they are doing.
        day = eligible_on + rng.randint(10, 60) * DAY
        while day <= today:
            self.out.row(CareLeaverContact, care_leaver_id=record, child_id=c.id, contacted_on=day,
                         in_touch=self.pick(IN_TOUCH), notes="", created_by_id=user)  # fmt: skip
            self.summary["care_leaver_contacts"] += 1
            day += rng.randint(55, 95) * DAY
        activity_days = [eligible_on]
        if today - eligible_on > 200 * DAY and rng.random() < 0.4:
            activity_days.append(eligible_on + rng.randint(120, (today - eligible_on).days) * DAY)
        for day in activity_days:
            self.out.row(CareLeaverActivity, care_leaver_id=record, child_id=c.id, start_date=day,
                         code=self.pick(ACTIVITY), created_by_id=user)  # fmt: skip
        if left_on is None:
            return
        code, _, provided = rng.choices(ACCOMMODATION, weights=[w for _, w, _ in ACCOMMODATION])[0]
        suitable = code not in rules.ALWAYS_UNSUITABLE and rng.random() < 0.9
        self.out.row(CareLeaverAccommodation, care_leaver_id=record, child_id=c.id, start_date=left_on, code=code,
                     suitable=suitable, provided_by_la=provided, created_by_id=user)  # fmt: skip
        if not provided:
            return
        self.event(c, left_on, "care_leaver.accommodation_provided", scope)
        if rng.random() < rates.PA_VISITS_ON_TIME:
            day = left_on + rng.randint(1, 7) * DAY
        else:
            day = left_on + rng.randint(8, 20) * DAY
        while day <= today:
            if day in c.seen_visits:
                day += DAY
                continue
            worker = self.worker_on(c, day, adviser)
            self.visit(c, day, worker, True, VisitLocation.HOME, PA_SUMMARY)
            due = duty("pa_visit").due_date(day)
            if slip and due < today:
                break
            if rng.random() < rates.PA_VISITS_ON_TIME:
                day = max(due - rng.randint(0, 14) * DAY, day + DAY)
            else:
                day = due + rng.randint(1, 21) * DAY

    # -- outcomes for a year (OC2) and UASC status ---------------------------------------------------------------

    def outcomes(self, rng: random.Random, disabled: set[int]) -> None:
        """An ``AnnualOutcome`` for each child in the OC2 cohort of each complete collection year (looked after
        from 1 April to 31 March, no short breaks): the items a worker records, valid under the DfE's rules
        (``lookedafter.services.annual_outcome_record``), by age."""
        last_year = CollectionYear.containing(self.today).end_year - 1  # the last year that has ended
        for child_id in sorted(self.periods_of):
            born = self.dob_of[child_id]
            for start, end, user, episodes in self.periods_of[child_id]:
                first = CollectionYear.containing(start).end_year + (
                    start > CollectionYear.containing(start).start
                )
                for year_end in range(first, last_year + 1):
                    if end is not None and end < CollectionYear(year_end).end:
                        break
                    if any(
                        e.legal_status in rules.SHORT_BREAKS
                        and e.start_date <= CollectionYear(year_end).end
                        and (e.end_date is None or e.end_date >= CollectionYear(year_end).start)
                        for e in episodes
                    ):
                        continue
                    self.outcome_row(rng, child_id, born, year_end, user, child_id in disabled)

    def outcome_row(self, rng, child_id, born, year_end, user, disabled: bool) -> None:
        values = draw_outcome(rng, born, year_end, disabled)
        self.out.row(
            AnnualOutcome,
            child_id=child_id,
            year_end=year_end,
            **values,
            notes="",
            created_by_id=user,
            modified_by_id=user,
            version=1,
        )
        self.summary["oc2_outcomes"] += 1
        self.summary["oc2_sdq_scores"] += values["sdq_score"] is not None

    def uasc(self, rng: random.Random, looked_after_today: int, boys: set[int]) -> None:
        """A few unaccompanied asylum-seeking children (``UASC_SHARE`` of the children looked after today),
        mostly boys (``UASC_BOYS``) who came into care at 15 to 17 under section 20 (V2, perhaps after police
        protection), UASC from the day they did until their 18th birthday."""
        target = round(UASC_SHARE * looked_after_today)
        pools: dict[bool, list] = {True: [], False: []}
        for child_id in sorted(self.periods_of):
            start, _end, user, episodes = self.periods_of[child_id][0]
            age = _age(self.dob_of[child_id], start)
            # Accommodated under section 20 (V2), some first taken into police protection where they were
            # found (L1, then V2).
            legal = [episode.legal_status for episode in episodes[:2]]
            if legal[0] in (rules.SECTION_20, "L1") and rules.SECTION_20 in legal and 14 <= age <= 17:
                pools[child_id in boys].append((child_id, start, user, 3 if age >= 15 else 1))
        boys_wanted = min(len(pools[True]), round(target * UASC_BOYS))
        chosen = []
        for boy, wanted in ((True, boys_wanted), (False, min(len(pools[False]), target - boys_wanted))):
            pool = pools[boy]
            for _ in range(wanted):
                chosen.append(pool.pop(rng.choices(range(len(pool)), weights=[item[3] for item in pool])[0]))
        for child_id, start, user, _weight in sorted(chosen):
            eighteenth = birthday(self.dob_of[child_id], 18)
            ended = eighteenth <= self.today
            self.out.row(
                UascStatus,
                child_id=child_id,
                start_date=start,
                end_date=eighteenth if ended else None,
                end_reason=UascEndReason.AGED_18 if ended else "",
                notes="",
                created_by_id=user,
                modified_by_id=user,
                version=1,
            )
            self.summary["uasc"] += 1
            self.uasc_children.add(child_id)

    # -- deprivation of liberty orders (DoLo) ------------------------------------------------------------------

    def deprivations_of_liberty(self, rng: random.Random) -> None:
        """A few deprivation of liberty orders (``DOLO_SHARE`` of the children looked after at some time, at
        least one where a placement allows it), each inside one children's home or other placement (K2, Z12,
        Z13) episode of a child of 10 to 17, after it began and before it ended; one a child at most."""
        pool = []
        for child_id in sorted(self.periods_of):
            born = self.dob_of[child_id]
            for (_start, _end, user, episodes), period_id in zip(
                self.periods_of[child_id], self.period_ids_of[child_id], strict=True
            ):
                for episode in episodes:
                    last = episode.end_date or self.today
                    first = episode.start_date + DOLO_AFTER_PLACED_DAYS[0] * DAY
                    if (
                        episode.placement_type in DOLO_PLACEMENTS
                        and episode.legal_status not in rules.SHORT_BREAKS
                        and (last - first).days > DOLO_AFTER_PLACED_DAYS[1]
                        and DOLO_AGES[0] <= _age(born, first) <= DOLO_AGES[1]
                    ):
                        pool.append((child_id, period_id, user, episode))
        target = min(len({item[0] for item in pool}), max(1, round(DOLO_SHARE * len(self.periods_of))))
        chosen: dict[int, tuple] = {}
        while pool and len(chosen) < target:
            item = pool.pop(rng.randrange(len(pool)))
            chosen.setdefault(item[0], item)
        for child_id, period_id, user, episode in (chosen[pk] for pk in sorted(chosen)):
            started = episode.start_date + rng.randint(*DOLO_AFTER_PLACED_DAYS) * DAY
            placement_end = episode.end_date or self.today
            latest = min(placement_end - DAY, birthday(self.dob_of[child_id], 18) - DAY)
            if started > latest:
                started = episode.start_date + DOLO_AFTER_PLACED_DAYS[0] * DAY
            ended: datetime.date | None = started + rng.randint(*DOLO_LENGTH_DAYS) * DAY
            if ended > latest:
                # Still in force while the placement goes on; otherwise it ended before the placement did.
                ended = None if episode.end_date is None else latest
            self.out.row(
                DeprivationOfLiberty,
                child_id=child_id,
                period_id=period_id,
                start_date=started,
                end_date=ended,
                notes="",
                created_by_id=user,
                modified_by_id=user,
                version=1,
            )
            self.summary["deprivations_of_liberty"] += 1

    # -- deadlines ---------------------------------------------------------------------------------------------

    def deadlines(self, c: _Child, earlier_visits: list) -> None:
        engine = _Engine(c.periods, c.applies)
        events = list(c.events)
        for day in earlier_visits:
            events.append((day, RANK["visit.child_seen"], -1, "visit.child_seen", None))
        for day, _rank, _seq, name, scope in sorted(events, key=lambda event: event[:3]):
            team, area = c.scope_team.get(scope, (None, None)) if scope is not None else (None, None)
            engine.event(name, day, scope, team, area, None)
        for clock in engine.clocks:
            row = deadline_row(clock, child_id=c.id, today=self.today)
            self.out.row(Deadline, **row)
            self.summary["deadlines"] += 1
            self.summary["overdue_deadlines"] += (
                clock.status == DeadlineStatus.OPEN and row["breached_on"] is not None
            )
            self.summary["deadlines_closed_late"] += clock.days_late is not None


def draw_outcome(rng: random.Random, born: datetime.date, year_end: int, disabled: bool) -> dict:
    """A year's OC2 items for a child in the cohort, as a worker would record them, valid under the DfE's
    rules by the child's age (``lookedafter.services.annual_outcome_record``): an SDQ score for about 80% of
    children aged 4 to 16, otherwise a reason (SDQ1 for a child who turned 4 or 17 in the year, SDQ3 only
    for a disabled child); immunisations mostly up to date; for those 10 or over, a few convictions and a
    few substance misuse problems, with or without an intervention."""
    score, reason = None, ""
    if sdq_applies(born, year_end):
        if sdq_age_reason_allowed(born, year_end) and rng.random() < SDQ_AGE_REASON_SHARE:
            reason = "SDQ1"
        elif rng.random() < SDQ_SCORED_SHARE:
            score = min(40, max(0, round(rng.gauss(SDQ_MEAN, SDQ_SD))))
        elif disabled and rng.random() < 0.5:
            reason = "SDQ3"
        else:
            reason = rng.choices(list(SDQ_REASONS), weights=list(SDQ_REASONS.values()))[0]
    older = convictions_apply(born, year_end)
    misuse = older and rng.random() < SUBSTANCE_MISUSE_SHARE
    received = offered = None
    if misuse:
        received = rng.random() < INTERVENTION_RECEIVED
        offered = None if received else rng.random() < INTERVENTION_OFFERED
    return {
        "sdq_score": score,
        "sdq_reason": reason,
        "convicted": (rng.random() < CONVICTED_SHARE) if older else None,
        "immunisations": rng.random() < IMMUNISATIONS_UP_TO_DATE,
        "substance_misuse": misuse,
        "intervention_received": received,
        "intervention_offered": offered,
    }


def _age(dob: datetime.date, day: datetime.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _eligible_on(dob, start, stop) -> datetime.date | None:
    """The day a young person looked after from ``start`` becomes an eligible child: 16, with 13 weeks in care
    since 14 (CPPCR 2010 reg 40), or None if not by ``stop``."""
    day = max(birthday(dob, 16), max(start, birthday(dob, 14)) + ELIGIBLE_DAYS * DAY, start)
    return day if day <= stop and day < birthday(dob, 18) else None


def run(ctx: SynthContext) -> None:
    rng, pop, org, today = ctx.rng, ctx.population, ctx.org, ctx.today
    slot_of = {child_id: slot for slot, child_id in enumerate(pop.child_ids)}
    area_codes = [spec.code for spec in AREAS]
    looked_after = [case for case in ctx.cases if case.kind in LOOKED_AFTER_KINDS]
    open_children = {case.child_id for case in ctx.cases}

    # What the earlier steps wrote that a period of care must fit: episodes, plans, visits, allocations, homes.
    episodes_of: dict[int, list] = defaultdict(list)
    for pk, child, opened, closed, reason, need, nfa in CinEpisode.objects.order_by("child_id", "referral_date", "pk").values_list(
        "pk", "child_id", "referral_date", "closure_date", "closure_reason", "primary_need", "referral_nfa"
    ):  # fmt: skip
        episodes_of[child].append((pk, opened, closed, reason, need, nfa))
    with_cp_plan = set(CPPlan.objects.values_list("episode_id", flat=True))
    seen_visits: dict[int, list] = defaultdict(list)
    for child, day in Visit.objects.filter(child_seen=True).values_list("child_id", "visited_on"):
        seen_visits[child].append(day)
    allocations: dict[int, list] = defaultdict(list)
    for child, worker, start, end in (
        Allocation.objects.filter(role=AllocationRole.SOCIAL_WORKER)
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "worker_id", "start_date", "end_date")
    ):
        allocations[child].append((worker, start, end or datetime.date.max))
    homes = dict(
        PersonAddress.objects.filter(end_date__isnull=True).values_list("person_id", "address__postcode")
    )

    # Closed periods: children not open today, in their last episode if it ran long enough with no plan for
    # child protection.
    target = round(rates.LAC_CEASED_PER_10K_PER_YEAR * ctx.years * ctx.children / 10_000)
    candidates = []
    for child, episodes in episodes_of.items():
        if child in open_children or child not in slot_of:
            continue
        pk, opened, closed, reason, need, nfa = episodes[-1]
        if (
            closed is None
            or nfa
            or pk in with_cp_plan
            or reason in ("RC8", "RC9", "RC2")
            or (closed - opened).days < 60
        ):
            continue
        candidates.append(child)
    candidates.sort()
    rng.shuffle(candidates)

    models_in_order = (
        PeriodOfCare,
        Adoption,
        LacEpisode,
        LacPlan,
        LacReview,
        HealthAssessment,
        PersonalEducationPlan,
        MissingEpisode,
        CareLeaver,
        NeedsAssessment,
        PathwayPlan,
        PathwayPlanReview,
        CareLeaverContact,
        CareLeaverAccommodation,
        CareLeaverActivity,
        Visit,
        Deadline,
        AnnualOutcome,
        UascStatus,
        DeprivationOfLiberty,
    )
    bar = ctx.progress(len(looked_after) + target, "lookedafter")
    open_periods: dict[int, int] = {}
    with ctx.writer(*models_in_order) as out:
        b = _Builder(ctx, out)

        def child_of(child_id: int) -> _Child:
            slot = slot_of[child_id]
            return _Child(
                id=child_id,
                dob=datetime.date.fromordinal(pop.dob_ordinal[slot]),
                area=area_codes[pop.area[slot]],
                home=homes.get(child_id, ""),
                allocations=allocations.get(child_id, []),
                seen_visits=list(seen_visits.get(child_id, [])),
            )

        def need_of(code: str) -> str:
            return code if code in NEED else b.pick(NEED)

        for case in sorted(looked_after, key=lambda case: case.child_id):
            c = child_of(case.child_id)
            earlier = list(c.seen_visits)
            ep = episodes_of[case.child_id][-1]
            opened = max(ep[1], case.start_date)
            if rng.random() < 0.7:  # an emergency entry, within days of the episode opening
                start = opened + rng.randint(0, 10) * DAY
            else:  # after the assessment
                start = opened + rng.randint(20, 90) * DAY
            start = max(min(start, today), datetime.date.fromordinal(pop.dob_ordinal[slot_of[c.id]]))
            team, area_code = case.team_id, org.team_area.get(case.team_id, case.area)
            fallback = case.worker_id or b.holder(case.area, TeamKind.CHILDREN_IN_CARE)
            period_id, _ = b.period(
                c, start, None, "", team, org.area_ids[area_code], fallback, case.area, need_of(ep[4])
            )
            open_periods[c.id] = period_id
            eligible = _eligible_on(c.dob, start, today)
            if eligible is not None:
                if case.kind == TeamKind.CARE_LEAVERS and case.worker_id is not None:
                    adviser = case.worker_id
                else:
                    adviser = b.holder(case.area, TeamKind.CARE_LEAVERS)
                if adviser is not None:
                    b.care_leaver(c, eligible, None, adviser, case.area)
            b.deadlines(c, earlier)
            bar.update(1)

        made = 0
        for child_id in candidates:
            if made >= target:
                break
            c = child_of(child_id)
            earlier = list(c.seen_visits)
            pk, opened, closed, reason, need, _ = episodes_of[child_id][-1]
            start = opened + rng.randint(0, min(30, (closed - opened).days // 4)) * DAY
            end = closed - rng.randint(0, min(14, (closed - start).days // 4)) * DAY
            if start < c.dob or (end - start).days < 28 or c.age(start) >= 18:
                continue
            age_end = c.age(end)
            if reason in REC_BY_CLOSURE:
                rec = b.pick(REC_BY_CLOSURE[reason])
            elif age_end >= 16:
                rec = b.pick(REC_AT_16)
            else:
                rec = b.pick(REC_CEASED)
            if rec in rules.ADOPTED and (age_end >= 5 or (end - start).days < 300):
                rec = "E4A"
            fallback = b.holder(c.area, TeamKind.CHILDREN_IN_CARE)
            if fallback is None:
                continue
            team = b.team_of[fallback]
            b.period(
                c, start, end, rec, team, org.area_ids[org.team_area[team]], fallback, c.area, need_of(need)
            )
            eligible = _eligible_on(c.dob, start, end)
            # A young person whose care another council took over (E3) is that council's care leaver (the
            # SSDA903 returns no care leaver information for them: rule 1011).
            if eligible is not None and eligible < end and c.age(today) < 18 and rec != TRANSFERRED:
                adviser = b.holder(c.area, TeamKind.CARE_LEAVERS)
                if adviser is not None:
                    b.care_leaver(c, eligible, end, adviser, c.area)
            b.deadlines(c, earlier)
            made += 1
            bar.update(1)
        # OC2 outcomes and UASC status, from a stream of their own: the rest of this step is as it was.
        extra = random.Random(ctx.seed * OUTCOMES_SEED[0] + OUTCOMES_SEED[1])
        disabled = {pop.child_ids[slot] for slot in range(len(pop)) if pop.flags[slot] & Population.DISABLED}
        b.outcomes(extra, disabled)
        boys = set(
            Person.objects.filter(pk__in=list(b.periods_of), sex=Sex.MALE).values_list("pk", flat=True)
        )
        b.uasc(extra, len(open_periods), boys)
        # Deprivation of liberty orders, from a stream of their own: the rest of this step is as it was.
        b.deprivations_of_liberty(random.Random(ctx.seed * DOLO_SEED[0] + DOLO_SEED[1]))
    bar.close()
    # A child in care has their sex recorded: the SSDA903 takes no "unknown" (rule 232, from 2024-25). The
    # few children the population step left unknown are settled here, without the random stream.
    unknown = Person.objects.filter(pk__in=list(b.periods_of), sex=Sex.UNKNOWN).values_list("pk", flat=True)
    for pk in sorted(unknown):
        Person.objects.filter(pk=pk).update(sex=Sex.MALE if pk % 2 else Sex.FEMALE)
    # An unaccompanied asylum-seeking child's home is abroad: no home postcode, so no placement distance is
    # returned (SSDA903 rule 406). The status is drawn after the episodes are made, so it is applied here.
    LacEpisode.objects.filter(child_id__in=sorted(b.uasc_children)).update(home_postcode="")
    ctx.reset_sequences(PeriodOfCare, LacEpisode, MissingEpisode, CareLeaver, PathwayPlan)
    ctx.open_periods = open_periods
    summary = dict(b.summary)
    summary["looked_after_per_10k"] = round(len(open_periods) * 10_000 / ctx.children, 1)
    ctx.extra["lookedafter"] = dict(sorted(summary.items()))
