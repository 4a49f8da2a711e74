"""Step ``frontdoor``: the front door's history. Contacts, MASH checks, threshold decisions and referrals.

Rates (``rates``, DOMAIN.md §5, issue 3):

- About 60,000 contacts a year at 274,000 children (``CONTACTS_PER_CHILD_PER_YEAR``, scaled with
  ``--children``), over ``--years`` up to ``--today``. Received mostly in working hours on working days of
  the real calendar (bank holidays included); about 6% of working-day contacts arrive out of hours, and
  non-working days get about a fifth of a working day's contacts. ``--today``'s contacts arrive in the
  morning (the day so far).
- Sources as in England: police 28%, schools 21%, health 15%, LA services, individuals and the rest
  (``CONTACT_SOURCES``), each a CIN census ReferralSource code valid on the day (5D from 2022-04-01).
- About 35% of decided contacts become referrals (``CONTACT_REFERRAL_SHARE``): a referral for assessment,
  or for about 5% of contacts a strategy discussion at child protection level. 22.4% of referrals are
  re-referrals within 12 months (``RE_REFERRAL_RATE``): the child is drawn from those referred in the last
  12 months, otherwise from children not referred in that time. Every open case (``ctx.cases``) that
  started inside the history window has a referral from a contact received 0-3 days before it started.
  Some contacts are about a whole sibling group (a police notification about a household).
- About 90% are decided by the end of the next working day (the ``contact_decision`` duty, Working
  Together 2023 ch.3), most of the rest a working day or two late. The contacts of the last working day or
  so mostly still await a decision, with a few overdue: at 274,000 children a queue of about 200.
- Every contact has its ``contact_decision`` deadline, as ``contact_record`` and ``contact_decide`` make
  them through the compliance engine: due by the end of the next working day after it arrived, met on the
  day of the decision (breached from the day after the due day, with the days late, if decided late), open
  while it awaits a decision (breached already if its day has passed, as the daily sweep marks it).
- MASH checks (1-4 agencies, unique per contact) for most referrals and about a third of other contacts;
  most answered within 0-3 working days, the recent ones outstanding and a few never answered.
- Acknowledgement to the referrer recorded for most contacts; priority (RAG) on arrival for about half,
  and immediate risk for a few per cent (most strategy discussions).

Decisions are made by the MASH team managers, the ``frontdoormanager`` persona more than the others;
contacts, checks and acknowledgements are recorded by the front door's workers. Text fields are short
synthetic phrases. Rows are written with ``BulkWriter.row``; contacts are numbered here so their checks,
decisions, referrals and deadlines go in the same pass.
"""

import bisect
import datetime
from array import array
from zoneinfo import ZoneInfo

from django.conf import settings

from safeguard.compliance.models import Deadline, DeadlineStatus, first_day_late
from safeguard.compliance.registry import duty
from safeguard.core.calendar import calendar
from safeguard.core.reference import codes_valid_on, read_codes_file
from safeguard.frontdoor.models import (
    CONTACT_SCOPE,
    DECISION_DUTY,
    Agency,
    Consent,
    Contact,
    ContactStatus,
    LevelOfNeed,
    MashCheck,
    Outcome,
    Rag,
    Referral,
    ThresholdDecision,
)
from safeguard.organisation.models import Role, TeamKind, Worker
from safeguard.synth import rates
from safeguard.synth.context import Population, SynthContext
from safeguard.synth.geography import AREAS

NON_WORKING_DAY_WEIGHT = 0.2  # contacts on a weekend or bank holiday, relative to a working day
OUT_OF_HOURS_SHARE = 0.06  # of working-day contacts
DAILY_VARIATION = 0.12
SIBLING_GROUP_SHARE = 0.25  # contacts that are about every child of the household
REPEAT_CONTACT_SHARE = 0.3  # non-referral contacts about a child the front door has heard of before
NON_REFERRAL_OUTCOMES = ((Outcome.NO_FURTHER_ACTION, 46), (Outcome.EARLY_HELP, 34), (Outcome.SIGNPOST, 20))
CHECKS_SHARE_REFERRAL = 0.8
CHECKS_SHARE_OTHER = 0.3
CHECK_COUNT_WEIGHTS = (40, 30, 20, 10)  # 1, 2, 3 or 4 agencies
AGENCY_WEIGHTS = {
    Agency.POLICE: 30,
    Agency.HEALTH: 28,
    Agency.EDUCATION: 24,
    Agency.EARLY_HELP: 8,
    Agency.HOUSING: 5,
    Agency.PROBATION: 5,
}
CHECK_NEVER_ANSWERED = 0.03
ACKNOWLEDGED_SHARE = 0.9
PERSONA_DECISION_SHARE = 0.4
# Still awaiting a decision on --today, by how the contact stands against its clock.
AWAITING_RECEIVED_TODAY = 0.85
AWAITING_DUE_TODAY = 0.4
AWAITING_OVERDUE = {0: 0.04, 1: 0.04, 2: 0.015, 3: 0.005, 4: 0.005, 5: 0.005}
RE_REFERRAL_DAYS = 365

GROUPS = {
    "police": ("6",),
    "school": ("2A", "2B"),
    "health": ("3A", "3B", "3C", "3D", "3E", "3F"),
    "la": ("5A", "5B", "5C", "5D"),
    "individual": ("1A", "1B", "1C", "1D", "9", "10"),
    "other": ("4", "7", "8"),
}
GROUP_OF = {code: group for group, group_codes in GROUPS.items() for code in group_codes}
REFERRER = {
    "police": ("Northbridge Police Public Protection Unit", "PPU officer"),
    "school": ("Northbridge school", "Designated safeguarding lead"),
    "health": ("Northbridge health services", "Safeguarding nurse"),
    "la": ("Northbridge City Council", "Practitioner"),
    "individual": ("", "Member of the public"),
    "other": ("Partner agency", "Caseworker"),
}
REPORTED = {
    "police": (
        "Domestic abuse incident at the home; child present.",
        "Police attended a disturbance at the address overnight.",
        "Child found missing late at night and returned home.",
        "Adult in the household arrested; child at the address.",
    ),
    "school": (
        "Child arrived with an unexplained bruise.",
        "Attendance has dropped sharply this term.",
        "Child disclosed being hit at home.",
        "Child appears hungry and unkempt most days.",
    ),
    "health": (
        "Injury inconsistent with the explanation given.",
        "Missed health appointments and immunisations.",
        "Parent attended A&E intoxicated with the child.",
        "Concerns about parental mental health after the birth.",
    ),
    "la": (
        "Early help plan not progressing; needs escalating.",
        "Housing officer reports poor home conditions.",
        "Transfer-in from another local authority.",
        "Youth worker concerned about exploitation.",
    ),
    "individual": (
        "Neighbour hears shouting and crying most nights.",
        "Relative worried about the parents' drinking.",
        "Child left alone at home for long periods.",
        "Young person asked for help themselves.",
    ),
    "other": (
        "Probation officer reports a risk to children.",
        "Family evicted; staying with friends.",
        "Court notification about a household member.",
        "Voluntary agency worried about neglect.",
    ),
}
WORRY = (
    "Possible physical harm.",
    "Emotional harm from living with domestic abuse.",
    "Neglect of basic care.",
    "Risk of exploitation outside the home.",
    "Parental capacity affected by substance use.",
    "Parental mental health.",
    "Child's own mental health and safety.",
)
RATIONALE = {
    Outcome.STRATEGY_DISCUSSION: "Reasonable cause to suspect significant harm; strategy discussion today.",
    Outcome.ASSESSMENT: "Needs likely to meet the threshold for a child and family assessment.",
    Outcome.EARLY_HELP: "Needs can be met by early help with consent.",
    Outcome.SIGNPOST: "Universal services can meet the need; referrer advised.",
    Outcome.NO_FURTHER_ACTION: "No role for children's social care; information recorded.",
}
RESPONSE = (
    "Known; no current concerns recorded.",
    "Not known to this agency.",
    "Known; previous concerns shared.",
    "Open to this agency; worker will call back.",
)
LEVEL = {
    Outcome.STRATEGY_DISCUSSION: LevelOfNeed.CHILD_PROTECTION,
    Outcome.ASSESSMENT: LevelOfNeed.CHILD_IN_NEED,
    Outcome.EARLY_HELP: LevelOfNeed.EARLY_HELP,
    Outcome.SIGNPOST: LevelOfNeed.UNIVERSAL,
}
DECISION_RAG = {
    Outcome.STRATEGY_DISCUSSION: ((Rag.RED, 80), (Rag.AMBER, 20)),
    Outcome.ASSESSMENT: ((Rag.RED, 15), (Rag.AMBER, 50), (Rag.GREEN, 35)),
}
IMMEDIATE_RISK = {Outcome.STRATEGY_DISCUSSION: 0.6, Outcome.ASSESSMENT: 0.08}
CONSENT = ((Consent.GIVEN, 55), (Consent.NOT_KNOWN, 22), (Consent.NOT_SOUGHT_RISK, 15), (Consent.REFUSED, 8))


class _Sources:
    """The ReferralSource codes valid on a day with their weights, computed once per span of validity."""

    def __init__(self):
        bounds = set()
        for row in read_codes_file():
            if row["code_set"] != "referral_source":
                continue
            if row["valid_from"]:
                bounds.add(row["valid_from"].toordinal())
            if row["valid_to"]:
                bounds.add(row["valid_to"].toordinal() + 1)
        self.bounds = sorted(bounds)
        self.spans: dict[int, tuple[list[str], list[float]]] = {}

    def on(self, day: datetime.date) -> tuple[list[str], list[float]]:
        span = bisect.bisect_right(self.bounds, day.toordinal())
        if span not in self.spans:
            valid = codes_valid_on("referral_source", day)
            codes = [code for code in rates.CONTACT_SOURCES if code in valid]
            weights, total = [], 0.0
            for code in codes:
                total += rates.CONTACT_SOURCES[code]
                weights.append(total)
            self.spans[span] = (codes, weights)
        return self.spans[span]


def _cumulative(pairs):
    values, weights, total = [], [], 0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def run(ctx: SynthContext) -> None:
    rng, pop, org = ctx.rng, ctx.population, ctx.org
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = calendar()
    today, start = ctx.today, ctx.history_start
    today_ord, start_ord = today.toordinal(), start.toordinal()
    area_ids = [org.area_ids[spec.code] for spec in AREAS]
    team = org.front_door_team

    # Who works at the front door: workers record, managers decide (the persona more than the others).
    staff = list(Worker.objects.filter(team_id=team).values_list("pk", "user_id", "role"))
    recorders = [user for _, user, role in staff if role == Role.FRONT_DOOR_WORKER] or [staff[0][1]]
    managers = [user for _, user, role in staff if role == Role.TEAM_MANAGER] or recorders
    user_of = {pk: user for pk, user, _ in staff}
    persona_manager = user_of.get(org.personas.get("frontdoormanager"))

    def decider() -> int:
        if persona_manager is not None and rng.random() < PERSONA_DECISION_SHARE:
            return persona_manager
        return rng.choice(managers)

    decision_duty = duty(DECISION_DUTY)
    due_cache: dict[int, datetime.date] = {}

    def due_for(day_ord: int) -> datetime.date:
        due = due_cache.get(day_ord)
        if due is None:
            due = due_cache[day_ord] = decision_duty.due_date(datetime.date.fromordinal(day_ord))
        return due

    working = {o: cal.is_working_day(datetime.date.fromordinal(o)) for o in range(start_ord, today_ord + 1)}

    # 1. How many contacts each day.
    weights = [1.0 if working[o] else NON_WORKING_DAY_WEIGHT for o in range(start_ord, today_ord + 1)]
    total = rates.CONTACTS_PER_CHILD_PER_YEAR * ctx.children * len(weights) / 365.25
    unit = total / sum(weights)
    per_day, carry = [], 0.0
    for o, weight in zip(range(start_ord, today_ord + 1), weights, strict=True):
        expected = unit * weight * max(0.0, rng.gauss(1.0, DAILY_VARIATION))
        if o == today_ord:
            expected /= 2  # the morning so far
        count = int(carry + expected)
        carry += expected - count
        per_day.append(count)
    planned = sum(per_day)

    # 2. Referrals anchored on the open cases that started inside the window.
    open_children = {case.child_id for case in ctx.cases}
    slot_of = {child_id: slot for slot, child_id in enumerate(pop.child_ids) if child_id in open_children}
    anchored: dict[int, list[tuple[int, str, int]]] = {}  # day: (slot, outcome, case start)
    anchored_cp = 0
    for case in ctx.cases:
        started = case.start_date.toordinal()
        if started < start_ord + 3:
            continue
        received = max(start_ord, started - rng.choice((0, 0, 1, 1, 2, 3)))
        cp = case.kind == TeamKind.CHILD_PROTECTION
        anchored_cp += cp
        outcome = Outcome.STRATEGY_DISCUSSION if cp else Outcome.ASSESSMENT
        anchored.setdefault(received, []).append((slot_of[case.child_id], outcome, started))
    anchored_total = sum(len(rows) for rows in anchored.values())
    free = max(1, planned - anchored_total)
    p_referral = min(0.9, max(0.05, (rates.CONTACT_REFERRAL_SHARE * planned - anchored_total) / free))
    p_strategy = min(
        0.9,
        max(
            0.02,
            (rates.STRATEGY_DISCUSSION_SHARE * planned - anchored_cp)
            / max(1.0, rates.CONTACT_REFERRAL_SHARE * planned - anchored_total),
        ),
    )

    sources = _Sources()
    other_outcomes, other_weights = _cumulative(NON_REFERRAL_OUTCOMES)
    consents, consent_weights = _cumulative(CONSENT)
    agencies, agency_weights = list(AGENCY_WEIGHTS), list(AGENCY_WEIGHTS.values())

    n_slots = len(pop)
    last_referral = array("l", [-(10**6)]) * n_slots
    referred_days = array("l")  # referrals in order, for drawing re-referrals
    referred_slots = array("l")
    window_start = 0
    contacted = array("l")  # every contact's child (slot), for repeat contacts

    def usable(slot: int, day_ord: int) -> bool:
        flags = pop.flags[slot]
        if flags & Population.DECEASED:
            return False
        born = pop.dob_ordinal[slot]
        if flags & Population.UNBORN:
            return born - day_ord <= 240
        return born <= day_ord

    def fresh_child(day_ord: int, referral: bool) -> int | None:
        for _ in range(30):
            slot = rng.randrange(n_slots)
            if usable(slot, day_ord) and not (referral and day_ord - last_referral[slot] < RE_REFERRAL_DAYS):
                return slot
        return None

    def siblings(slot: int, day_ord: int) -> list[int]:
        household = pop.household[slot]
        found = []
        for step in (-1, 1):
            other = slot + step
            while 0 <= other < n_slots and pop.household[other] == household:
                if usable(other, day_ord):
                    found.append(other)
                other += step
        return found[:3]

    def at(day_ord: int, minutes: int) -> datetime.datetime:
        day = datetime.date.fromordinal(day_ord)
        return datetime.datetime(day.year, day.month, day.day, tzinfo=tz) + datetime.timedelta(
            minutes=minutes
        )

    def received_minutes(day_ord: int) -> int:
        if day_ord == today_ord:
            return rng.randint(8 * 60, 12 * 60 - 1)
        if working[day_ord] and rng.random() >= OUT_OF_HOURS_SHARE:
            return rng.randint(8 * 60 + 30, 17 * 60 + 30)
        return rng.randint(0, 24 * 60 - 1)

    def awaiting_share(day_ord: int, due: datetime.date) -> float:
        if day_ord == today_ord:
            return AWAITING_RECEIVED_TODAY
        if due > today:
            return 0.7
        if due == today:
            return AWAITING_DUE_TODAY
        return AWAITING_OVERDUE.get(cal.working_days_between(due, today), 0.0)

    def decision_day(day_ord: int, due: datetime.date, urgent: bool) -> int:
        roll = rng.random()
        if working[day_ord] and (roll < 0.35 or (urgent and roll < 0.8)):
            return day_ord
        if roll < rates.DECIDED_ON_TIME_SHARE:
            return due.toordinal()
        late = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
        return cal.add_working_days(due, late, counting="exclusive").toordinal()

    summary = {
        "contacts": 0,
        "awaiting": 0,
        "overdue": 0,
        "referrals": 0,
        "re_referrals_last_12_months": 0,
        "referrals_last_12_months": 0,
        "decided": 0,
        "decided_on_time": 0,
        "checks": 0,
        "checks_outstanding": 0,
    }
    year_ago = today_ord - RE_REFERRAL_DAYS
    re_referrals = [0]  # every re-referral made, for the feedback on the rate
    next_id = ctx.next_ids(Contact)
    event_number = 0
    bar = ctx.progress(planned, "frontdoor")
    out = ctx.writer(Contact, MashCheck, ThresholdDecision, Referral, Deadline)

    def write(day_ord, slots, outcome, source, *, case_start=None):
        """Contacts received together about ``slots`` (one child, or a sibling group)."""
        nonlocal next_id, event_number
        event_number += 1
        group = GROUP_OF[source]
        received = at(day_ord, received_minutes(day_ord))
        starts_on = datetime.date.fromordinal(day_ord)  # received_at's local day
        due = due_for(day_ord)
        decided = case_start is not None or rng.random() >= awaiting_share(day_ord, due)
        immediate = rng.random() < IMMEDIATE_RISK.get(outcome, 0.02)
        if outcome in DECISION_RAG:
            rags, rag_weights = zip(*DECISION_RAG[outcome], strict=True)
            decision_rag = rng.choices(rags, weights=rag_weights)[0]
        else:
            decision_rag = Rag.GREEN if rng.random() < 0.7 else Rag.AMBER
        if immediate:
            decision_rag = arrival_rag = Rag.RED
        elif rng.random() < 0.5:
            arrival_rag = decision_rag if rng.random() < 0.8 else rng.choice((Rag.RED, Rag.AMBER, Rag.GREEN))
        else:
            arrival_rag = ""
        organisation, referrer = REFERRER[group]
        reference = f"NB{received:%y}/{event_number:06d}" if group == "police" else ""
        reported = rng.choice(REPORTED[group])
        worry = rng.choice(WORRY)
        consent = rng.choices(consents, cum_weights=consent_weights)[0]
        recorder = rng.choice(recorders)
        decided_at = decided_by = None
        if decided:
            if case_start is not None:
                day = min(max(day_ord, decision_day(day_ord, due, True)), case_start, today_ord)
            else:
                day = min(decision_day(day_ord, due, immediate), today_ord)
            if day == day_ord:
                decided_at = received + datetime.timedelta(minutes=rng.randint(15, 150))
            else:
                decided_at = at(day, rng.randint(9 * 60, 17 * 60 + 30))
            decided_by = decider()
        acknowledged_at = None
        if rng.random() < ACKNOWLEDGED_SHARE:
            acknowledged_at = received + datetime.timedelta(minutes=rng.randint(20, 20 * 60))
            if acknowledged_at.date() > today or (day_ord == today_ord and acknowledged_at.hour >= 13):
                acknowledged_at = None
        checks = []
        if rng.random() < (CHECKS_SHARE_REFERRAL if outcome in REFERRAL_OUTCOMES_SET else CHECKS_SHARE_OTHER):
            wanted = rng.choices((1, 2, 3, 4), weights=CHECK_COUNT_WEIGHTS)[0]
            pool, pool_weights = list(agencies), list(agency_weights)
            for _ in range(wanted):
                i = rng.choices(range(len(pool)), weights=pool_weights)[0]
                checks.append(pool.pop(i))
                pool_weights.pop(i)
        for slot in slots:
            contact_id = next_id
            next_id += 1
            child_id = pop.child_ids[slot]
            awaiting = not decided
            out.row(
                Contact,
                id=contact_id,
                child_id=child_id,
                received_at=received,
                source=source,
                referrer_name=referrer,
                referrer_organisation=organisation,
                referrer_contact_details="" if group == "individual" else "01632 960000",
                external_reference=reference,
                reported=reported,
                worry=worry,
                immediate_risk=immediate,
                consent=consent,
                rag=arrival_rag if awaiting else decision_rag,
                status=ContactStatus.AWAITING_DECISION if awaiting else ContactStatus.DECIDED,
                acknowledged_at=acknowledged_at,
                team_id=team,
                area_id=area_ids[pop.area[slot]],
                batch_id=None,
                created_by_id=recorder,
                modified_by_id=decided_by or recorder,
            )
            summary["contacts"] += 1
            contacted.append(slot)
            for agency in checks:
                requested = received + datetime.timedelta(minutes=rng.randint(10, 240))
                if requested.date() > today:
                    requested = received + datetime.timedelta(minutes=5)
                responded = None
                if rng.random() >= CHECK_NEVER_ANSWERED:
                    lag = rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
                    day = requested.date()
                    responded = cal.add_working_days(day, lag, counting="exclusive") if lag else day
                    if responded > today or (responded == today and day_ord == today_ord and lag == 0):
                        responded = None
                summary["checks"] += 1
                summary["checks_outstanding"] += responded is None
                out.row(
                    MashCheck,
                    contact_id=contact_id,
                    agency=agency,
                    requested_at=requested,
                    requested_by_id=recorder,
                    responded_on=responded,
                    response=rng.choice(RESPONSE) if responded else "",
                    created_by_id=recorder,
                    modified_by_id=recorder,
                )
            # The clock, as compliance_event would have run it: open on arrival, met by the decision.
            closed_on = None if awaiting else decided_at.astimezone(tz).date()
            late = (closed_on or today) > due
            out.row(
                Deadline,
                duty_id=DECISION_DUTY,
                child_id=child_id,
                scope_type=CONTACT_SCOPE,
                scope_id=contact_id,
                started_by="contact.received",
                starts_on=starts_on,
                due_on=due,
                status=DeadlineStatus.OPEN if awaiting else DeadlineStatus.MET,
                closed_on=closed_on,
                closed_by="" if awaiting else "contact.decided",
                breached_on=first_day_late(due) if late else None,
                days_late=(closed_on - due).days if late and closed_on else None,
                team_id=team,
                area_id=area_ids[pop.area[slot]],
                created_by_id=recorder,
                modified_by_id=decided_by or recorder,
            )
            if awaiting:
                summary["awaiting"] += 1
                summary["overdue"] += due < today
                continue
            summary["decided"] += 1
            summary["decided_on_time"] += not late
            out.row(
                ThresholdDecision,
                contact_id=contact_id,
                decided_at=decided_at,
                decided_by_id=decided_by,
                level_of_need=LEVEL.get(outcome)
                or (LevelOfNeed.EARLY_HELP if rng.random() < 0.2 else LevelOfNeed.UNIVERSAL),
                rag=decision_rag,
                rationale=RATIONALE[outcome],
                outcome=outcome,
                created_by_id=decided_by,
                modified_by_id=decided_by,
            )
            if outcome in REFERRAL_OUTCOMES_SET:
                re_referral = day_ord - last_referral[slot] < RE_REFERRAL_DAYS
                re_referrals[0] += re_referral
                if day_ord >= year_ago:
                    summary["referrals_last_12_months"] += 1
                    summary["re_referrals_last_12_months"] += re_referral
                last_referral[slot] = day_ord
                referred_days.append(day_ord)
                referred_slots.append(slot)
                summary["referrals"] += 1
                out.row(
                    Referral,
                    child_id=child_id,
                    contact_id=contact_id,
                    referral_date=received.astimezone(tz).date(),
                    source=source,
                    urgent_child_protection=outcome == Outcome.STRATEGY_DISCUSSION,
                    created_by_id=decided_by,
                    modified_by_id=decided_by,
                )
        bar.update(len(slots))
        return len(slots)

    def source_on(day_ord: int) -> str:
        codes, cum = sources.on(datetime.date.fromordinal(day_ord))
        return rng.choices(codes, cum_weights=cum)[0]

    def re_referred_child(day_ord: int) -> int | None:
        nonlocal window_start
        while window_start < len(referred_days) and day_ord - referred_days[window_start] >= RE_REFERRAL_DAYS:
            window_start += 1
        if window_start >= len(referred_days):
            return None
        for _ in range(10):
            i = rng.randrange(window_start, len(referred_days))
            if referred_days[i] < day_ord and usable(referred_slots[i], day_ord):
                return referred_slots[i]
        return None

    with out:
        for index, day_ord in enumerate(range(start_ord, today_ord + 1)):
            made = 0
            for slot, outcome, started in anchored.get(day_ord, ()):
                made += write(day_ord, [slot], outcome, source_on(day_ord), case_start=started)
            while made < per_day[index]:
                referral = rng.random() < p_referral
                if referral:
                    outcome = Outcome.STRATEGY_DISCUSSION if rng.random() < p_strategy else Outcome.ASSESSMENT
                    slot = None
                    # Feedback on the rate so far: anchored referrals and sibling groups are mostly first
                    # referrals, so drawn ones are re-referrals a little more often than 22.4%.
                    deficit = rates.RE_REFERRAL_RATE * summary["referrals"] - re_referrals[0]
                    if rng.random() < min(0.9, max(0.0, rates.RE_REFERRAL_RATE + 0.05 * deficit)):
                        slot = re_referred_child(day_ord)
                    if slot is None:
                        slot = fresh_child(day_ord, True)
                else:
                    outcome = rng.choices(other_outcomes, cum_weights=other_weights)[0]
                    slot = None
                    if contacted and rng.random() < REPEAT_CONTACT_SHARE:
                        candidate = contacted[rng.randrange(len(contacted))]
                        if usable(candidate, day_ord):
                            slot = candidate
                    if slot is None:
                        slot = fresh_child(day_ord, False)
                if slot is None:
                    continue
                slots = [slot]
                if rng.random() < SIBLING_GROUP_SHARE:
                    slots += siblings(slot, day_ord)[: max(0, per_day[index] - made - 1)]
                made += write(day_ord, slots, outcome, source_on(day_ord))
    bar.close()
    ctx.reset_sequences(Contact)
    ctx.extra["frontdoor"] = summary


REFERRAL_OUTCOMES_SET = frozenset((Outcome.ASSESSMENT, Outcome.STRATEGY_DISCUSSION))
