"""Step ``casework``: child in need and child protection histories behind the front door's referrals.

Every referral the ``frontdoor`` step made becomes a child in need episode (CIN census CINdetails), unless
the child's episode is still open when it comes: then it joins that episode, as ``cin_episode_open`` does
(a referral within ``JOIN_DAYS`` of the last, or any referral while the child's case is open today; about
5% of referrals). An episode closes before the next referral of the child (rule 8820), so re-referrals are
new episodes. Every child open today (``ctx.cases``) has the one open episode, with the case's team and
area, consistent with the case: an open assessment for the assessment teams (a few with a section 47
enquiry); a child in need plan for the child in need and disabled children's teams (some disabled children
still in assessment; some children in need stepped down from a child protection plan); a child protection
plan for the child protection teams; for children looked after, the episode and its assessment (periods of
care come with the ``lookedafter`` app). A case that began before the history window has an episode with no
referral, from the case's start. Every other child's episodes are closed by ``--today``, so the children
in need on the day are exactly the open cases.

Rates (``rates``, DOMAIN.md §5; [S] marks a secondary or local figure, to re-verify):

- ``REFERRAL_NFA_SHARE`` (8%) of referrals end at the referral (ReferralNFA, closed that day with RC8)
  [S]; so do referrals of a child not yet born by the time the episode must
  close (no assessment can see the child).
- Assessments start 0-5 working days after the referral (after the strategy discussion for a child
  protection referral); ``ASSESSMENT_WITHIN_45_WD`` (86%; 85.7% in England in 2024-25) are authorised
  within 45 working days of their start, the others late by about 13 working days on average; the child is seen
  (a visit) in the first week. Outcomes ``ASSESSMENT_OUTCOMES`` [S]: no further action (RC8), early help
  (RC9 from 2022-23, RC8 before), a child in need plan, or a strategy discussion.
- Child protection referrals: a strategy discussion the same or next working day for about 85%, 2-3 days
  later for the rest; ``STRATEGY_TO_S47`` start a section 47 enquiry [S]; ``S47_TO_ICPC`` of enquiries lead
  to an initial conference [S], on a working day (rule 8875), ``ICPC_WITHIN_15_WD`` of them within 15
  working days of the strategy discussion [S]; ``ICPC_TO_PLAN`` decide on a plan [S], which starts that day
  (rule 2885).
- Child protection plans: the first core group within 10 working days for ``CORE_GROUP_FIRST_ON_TIME`` [S],
  then every 4-6 weeks; review conferences at 3 months and then at most 6-monthly, ``CP_REVIEWS_ON_TIME``
  in time [S]; visits at the plan's frequency (10 working days, or 15 or 20 where the plan says), a few
  days early for ``CP_VISITS_ON_TIME`` and late for the rest, the child seen at ``CHILD_SEEN_AT_VISIT`` of
  them (a follow-up visit when not; an unborn child is never seen). A plan ends at a review conference,
  ``CP_PLAN_ENDED_AT_REVIEW`` [S], a few after more than 2 years; a plan needs ``MIN_CP_PLAN_DAYS`` before
  its episode must close, or the conference decides against one. Half step down to a child in need plan
  the day the plan ends (rules 4016/4017 allow that day), and ``RE_ESCALATION_SHARE`` of those go back on a
  plan, the conference ending the child in need plan (4001). ``SECOND_CP_PLAN_SHARE`` of children on a plan
  today had one earlier, where their history has room.
- Child in need plans: reviews every 3 months (6 weeks for some), ``CIN_PLAN_REVIEWS_ON_TIME`` in time [S];
  visits every 4-8 weeks; 2-15 months long. Never alongside a child protection plan (4001).
- ``OPEN_DRIFT_SHARE`` of open plans have drifted [S]: the last review or visit that fell due has not
  happened. With the late ones, a few per cent of open cases have an overdue deadline today.
- Closures: RC8/RC9 only for episodes with no section 47 enquiry or plan (rule 2990); otherwise RC7 mostly,
  some RC5 (moved away), RC3/RC4 (court orders), RC6 (adult services, from 17). Every closed episode has the
  approved ``ClosureRequest`` that closed it (safe closure, ``casework.closure``): asked by the worker
  allocated on the closure day (or the case holder who did the work), approved 0-3 working days later by
  the manager of the episode's team, with a summary, an analysis of risk and the manager's reasons. Every
  closure but two kinds follows an authorised assessment: a referral closed with no further action (RC8,
  ReferralNFA), and a pre-birth case closed before the birth, which no assessment could see (RC5, the
  mother moved away), each with the reason no assessment was needed.
- Re-referrals: an episode whose referral comes within 12 months of the child's last closure links to it
  (``previous_episode``), as ``cin_episode_open`` does.
- Visits by the social worker allocated that day (``Allocation``); for history without one, a case holder of
  the area's team for that stage (assessment, child in need, child protection). An open case waiting for
  allocation is visited by a duty worker half the time. Conferences are chaired by the safeguarding unit's
  IROs other than the ``iro`` persona (whose children are those she reviews).

Deadlines: each child's events are replayed, in the order the casework services would have raised them
(``RANK`` within a day), through ``_Engine``, an in-memory copy of ``compliance.services.compliance_event``
(cancel, then meet and chain, then start; one open clock per duty and record; breaches and days late), and
the result is written as ``compliance.Deadline`` rows with the scopes the services use, due dates from
``registry.duty(code).due_date`` (the plan's own period where it sets one), and the episode's team and area.
Open deadlines past their day are marked breached, as the daily sweep (``deadlines_record_breaches``) does;
most late assessments carry a reason for the delay (Working Together 2023 ch.3 asks that it be recorded).

Rows are written with ``BulkWriter.row``; episodes, assessments, discussions, enquiries, conferences and
plans are numbered here so that rows and deadlines refer to them in one pass. ``ctx.open_episodes`` hands
each open child's episode id on; ``ctx.extra["casework"]`` has the counts and the rates achieved.
"""

import bisect
import datetime
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    CinPlanReview,
    ClosureRequest,
    ClosureRequestStatus,
    ConferenceDecision,
    ConferenceKind,
    CoreGroupMeeting,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    StrategyDiscussion,
    StrategyOutcome,
    Visit,
    VisitLocation,
)
from safeguard.compliance.models import Deadline, DeadlineStatus, first_day_late
from safeguard.compliance.registry import Period, cancelled_by, duty, met_by, started_by
from safeguard.core.calendar import add_calendar_months, calendar
from safeguard.core.reference import codes_valid_on
from safeguard.frontdoor.models import Referral
from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind, Worker
from safeguard.synth import rates
from safeguard.synth.context import OpenCase, Population, SynthContext

DAY = datetime.timedelta(days=1)
JOIN_DAYS = 14  # a referral this soon after the last one joins its episode, which cannot have finished
# Room a plan needs before its episode must close (for the next referral, or by today for a child not open
# today): a plan cut short within weeks is not a plan; such an episode takes another outcome instead.
MIN_CP_PLAN_DAYS = 90
MIN_CIN_PLAN_DAYS = 45
# Open plans that have drifted [S]: the last review or visit that fell due has not happened (caseloads).
OPEN_DRIFT_SHARE = 0.06
RE_ESCALATION_SHARE = 0.25  # of children stepped down to a child in need plan: back on a plan in the episode
LOOKED_AFTER_KINDS = (TeamKind.CHILDREN_IN_CARE, TeamKind.CARE_LEAVERS)

EPISODE = CinEpisode._meta.label_lower
S47 = S47Enquiry._meta.label_lower
CP_PLAN = CPPlan._meta.label_lower
CIN_PLAN = CinPlan._meta.label_lower

# The order in which the casework services raise events that fall on the same day.
RANK = {
    "cin_episode.opened": 0,
    "referral.urgent_child_protection": 1,
    "strategy_discussion.held": 2,
    "s47.started": 2,
    "assessment.started": 3,
    "visit.child_seen": 4,
    "s47.no_conference": 5,
    "icpc.held": 6,
    "cp_plan.started": 6,
    "core_group.held": 7,
    "cp_review.held": 8,
    "cp_plan.ended": 8,
    "assessment.authorised": 9,
    "cin_plan.started": 10,
    "cin_plan_review.held": 11,
    "cin_plan.ended": 12,
    "cin_episode.closed": 13,
}
# The events whose service passes the episode's team and area for the deadlines they start.
TEAM_EVENTS = frozenset(
    {
        "cin_episode.opened",
        "referral.urgent_child_protection",
        "assessment.started",
        "s47.started",
        "cp_plan.started",
        "cin_plan.started",
    }
)

ASSESSMENT_START_DELAY = ((0, 30), (1, 25), (2, 20), (3, 12), (4, 8), (5, 5))  # working days after referral
FACTORS = {
    "3B": 30, "3C": 12, "3A": 10, "4B": 30, "4A": 12, "2B": 15, "1B": 12, "16A": 15, "17A": 18, "5B": 4,
    "6B": 5, "14A": 6, "10A": 5, "11A": 3, "24A": 4, "13A": 2, "15A": 5, "18C": 4, "19C": 2, "7A": 2, "20": 6,
}  # fmt: skip
NO_FACTORS = "21"
PRIMARY_NEED = {"N1": 52, "N2": 4, "N3": 4, "N4": 9, "N5": 16, "N6": 4, "N7": 1, "N8": 5, "N0": 1}
ABUSE_CATEGORY = {"NEG": 50, "EMO": 37, "PHY": 7, "SAB": 4, "MUL": 2}
CLOSED_CEASED = {"RC7": 88, "RC5": 7, "RC3": 3, "RC4": 2}
VISIT_EVERY = (("", 75), ("15 working_days", 10), ("20 working_days", 15))
CIN_REVIEW_EVERY = (("", 85), ("6 weeks", 15))
LOCATION = ((VisitLocation.HOME, 70), (VisitLocation.SCHOOL, 15), (VisitLocation.COMMUNITY, 10),
            (VisitLocation.OFFICE, 5))  # fmt: skip

ANALYSIS = {
    AssessmentOutcome.NO_FURTHER_ACTION: "Needs met by the family and universal services; no role for social care.",
    AssessmentOutcome.EARLY_HELP: "Needs below the threshold for social care; early help offered with consent.",
    AssessmentOutcome.CIN_PLAN: "Child in need: a multi-agency plan is needed to meet the child's needs.",
    AssessmentOutcome.SECTION_47: "Significant harm suspected: strategy discussion and section 47 enquiry.",
    AssessmentOutcome.LOOKED_AFTER: "The child cannot remain safely at home and needs to be looked after.",
}
AUTHORISATION_RATIONALE = "Analysis and outcome agreed: the factors identified support the decision."
DELAY_REASONS = (
    "Family unavailable for visits over several weeks; recorded attempts to engage.",
    "Awaiting information from health and the school before the analysis could be completed.",
    "Worker absence; the assessment was reallocated within the team.",
    "Parents requested an interpreter; visits rearranged.",
)
VISIT_SUMMARY = (
    "Home visit; child seen and spoken with about school and home.",
    "Visit to review the plan; home conditions adequate.",
    "Child seen at school with the designated safeguarding lead.",
    "Unannounced visit; parent present, child seen in their room.",
    "Visit after a police notification; safety plan reviewed.",
)
VISIT_NOT_SEEN = "Visit attempted; the child was not seen. Follow-up arranged."
PARTICIPANTS = (
    "Children's social care; Police public protection unit; Health (safeguarding nurse); School DSL."
)
CONCERNS = (
    "Domestic abuse incident with the child present; history of similar incidents.",
    "Injury to the child with an inconsistent explanation.",
    "Disclosure by the child at school of being hurt at home.",
    "Neglect: the child found alone at home, poor home conditions.",
)
FINDINGS = {
    S47Outcome.CONFERENCE: "Concerns substantiated; the child is likely to suffer significant harm.",
    S47Outcome.NO_CONFERENCE: "Concerns not substantiated at the level of significant harm; support offered.",
}
CIN_PLAN_SUMMARY = "Support for the family to meet the child's needs: parenting, school attendance, health."
CIN_REVIEW_SUMMARY = "Plan reviewed with the family and agencies; progress recorded and actions updated."
CORE_GROUP_SUMMARY = "Core group: plan actions reviewed with the family and agencies."
# Closure requests: every closed episode closed the only way a case closes, a worker's request approved by a
# manager who did not make it (``casework.closure``).
CLOSURE_SUMMARY = {
    "RC8": "Assessment complete: the family's needs are met by universal services; no role for social care.",
    "RC9": "Assessment complete: the family accepted early help; the case is stepped down to the early help team.",
    "RC7": "The plan's outcomes are met: the child's needs are now met without social care's involvement.",
    "RC5": "The family has moved to another local authority; the case has been transferred to their team.",
    "RC3": "A child arrangements order settles where the child lives; no role for social care.",
    "RC4": "A special guardianship order has been made; support continues under the SGO support plan.",
    "RC6": "The young person is 18 soon and is supported by adult social care; handover completed.",
}
REFERRAL_NFA_SUMMARY = "Referral considered: no further action; information and advice given to the referrer."
RISK_ANALYSIS = (
    "No current concerns of significant harm; protective factors in place; school and GP will refer again.",
    "Risks reduced: parents engaged with the plan and the child reports feeling safe at home.",
    "Remaining risks are low and held by universal services; the family know how to seek help.",
)
NO_ASSESSMENT_REASON = {
    "nfa": "The threshold decision found no need for an assessment: no further action on the referral.",
    "RC5": "The mother moved to another local authority before the birth; that authority assesses.",
}
CLOSURE_RATIONALE = (
    "Agreed: the analysis supports closure and the risks are held by universal services.",
    "Agreed: the plan's outcomes are met; the family were told how to seek help again.",
    "Agreed after reading the assessment and the last visit: safe to close.",
)

CONFERENCE_SUMMARY = {
    ConferenceDecision.PLAN: "The child is at continuing risk of significant harm: child protection plan.",
    ConferenceDecision.NO_PLAN: "Risk does not require a child protection plan; support as a child in need.",
    ConferenceDecision.CONTINUE: "Progress made, but the risk remains: the plan continues.",
    ConferenceDecision.END: "Risk reduced: the plan ends.",
}


def _cumulative(pairs) -> tuple[list, list]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


@dataclass(slots=True)
class _Ref:
    """A referral (or, with ``id`` None, the start of a case from before the history window)."""

    id: int | None
    date: datetime.date
    source: str
    urgent: bool
    area_id: int | None
    user: int | None


@dataclass(slots=True)
class _Group:
    """The referrals that make one episode: the first, and those that joined it while it was open."""

    first: _Ref
    case: OpenCase | None = None
    joined: list[_Ref] = field(default_factory=list)
    nfa: bool = False
    limit: datetime.date | None = None  # the last day it may close on (None: open today)


@dataclass(slots=True)
class _Ep:
    id: int
    area_code: str
    area_id: int
    team_id: int | None
    open: bool
    start: datetime.date
    workers: dict = field(default_factory=dict)  # team kind -> (worker, team) for history with no allocation


@dataclass(slots=True)
class _Clock:
    """One deadline as ``compliance_event`` would have stored it."""

    seq: int
    duty: str
    scope: tuple[str, int]
    started_by: str
    starts_on: datetime.date
    due_on: datetime.date
    team: int | None
    area: int | None
    actor: int | None
    status: str = DeadlineStatus.OPEN
    closed_on: datetime.date | None = None
    closed_by: str = ""
    closer: int | None = None
    breached_on: datetime.date | None = None
    days_late: int | None = None


def deadline_row(clock: _Clock, *, child_id: int, today: datetime.date, delay_reason: str = "") -> dict:
    """The ``Deadline`` row the engine would have stored for ``clock``, as the daily sweep
    (``deadlines_record_breaches``) leaves it on ``today``: an open deadline past its day is breached."""
    is_open = clock.status == DeadlineStatus.OPEN
    breached = clock.breached_on
    if is_open and clock.due_on < today:
        breached = first_day_late(clock.due_on)
    return {
        "duty_id": clock.duty,
        "child_id": child_id,
        "scope_type": clock.scope[0],
        "scope_id": clock.scope[1],
        "started_by": clock.started_by,
        "starts_on": clock.starts_on,
        "due_on": clock.due_on,
        "status": clock.status,
        "closed_on": clock.closed_on,
        "closed_by": clock.closed_by,
        "breached_on": breached,
        "days_late": clock.days_late,
        "delay_reason": delay_reason,
        "team_id": clock.team,
        "area_id": clock.area,
        # Closing and explaining a delay each moved the version, as the services do.
        "version": (1 if is_open else 2) + bool(delay_reason),
        "created_by_id": clock.actor,
        "modified_by_id": clock.actor if is_open else clock.closer,
    }


class _Engine:
    """``compliance.services.compliance_event`` for one child, in memory: for each event, cancel the open
    deadlines it cancels, meet those it meets (starting the next of a chain, on the same record, with the
    predecessor's team unless the event gives one), then start those it triggers; never two open deadlines
    of one duty on one record; only deadlines already running on the day are met or cancelled.

    ``periods[scope]`` is the record's period for its ``period_from_record`` duties: a ``Period``, or for a
    record whose period depends on the duty and the day (a period of care), a function ``(duty_code, on)``
    returning one or None, as the record's ``statutory_period``. ``applies[scope]``, where given, is the
    record's ``duty_applies(duty_code, on)``: a deadline it refuses is not started."""

    def __init__(self, periods: dict[tuple[str, int], Period], applies: dict | None = None):
        self.periods = periods
        self.applies = applies or {}
        self.clocks: list[_Clock] = []
        self.running: list[_Clock] = []

    def event(self, name, on, scope, team, area, actor) -> None:
        for status, duties in (
            (DeadlineStatus.CANCELLED, _cancelled(name)),
            (DeadlineStatus.MET, _met(name)),
        ):
            if not duties:
                continue
            hits = sorted(
                (
                    clock
                    for clock in self.running
                    if clock.duty in duties
                    and clock.starts_on <= on
                    and (scope is None or clock.scope == scope)
                ),
                key=lambda clock: (clock.due_on, clock.seq),
            )
            for clock in hits:
                self._close(clock, status, on, name, actor)
                if status == DeadlineStatus.MET:
                    follow = duty(clock.duty).then
                    if follow:
                        self._open(
                            follow,
                            clock.scope,
                            on,
                            name,
                            team if team is not None else clock.team,
                            area if area is not None else clock.area,
                            actor,
                        )
        for code in _started(name):
            self._open(code, scope, on, name, team, area, actor)

    def _open(self, code, scope, on, event, team, area, actor) -> None:
        if any(clock.duty == code and clock.scope == scope for clock in self.running):
            return
        applies = self.applies.get(scope)
        if applies is not None and not applies(code, on):
            return
        item = duty(code)
        period = self.periods.get(scope) if item.period_from_record else None
        if callable(period):
            period = period(code, on)
        clock = _Clock(len(self.clocks), code, scope, event, on, item.due_date(on, period), team, area, actor)
        self.clocks.append(clock)
        self.running.append(clock)

    def _close(self, clock, status, on, event, actor) -> None:
        clock.status, clock.closed_on, clock.closed_by, clock.closer = status, on, event, actor
        if on > clock.due_on:
            clock.breached_on = first_day_late(clock.due_on)
            clock.days_late = (on - clock.due_on).days
        self.running.remove(clock)


_EVENT_DUTIES: dict[str, tuple[frozenset, frozenset, tuple]] = {}


def _duties_of(event: str) -> tuple[frozenset, frozenset, tuple]:
    found = _EVENT_DUTIES.get(event)
    if found is None:
        found = _EVENT_DUTIES[event] = (
            frozenset(item.code for item in cancelled_by(event)),
            frozenset(item.code for item in met_by(event)),
            tuple(item.code for item in started_by(event)),
        )
    return found


def _cancelled(event: str) -> frozenset:
    return _duties_of(event)[0]


def _met(event: str) -> frozenset:
    return _duties_of(event)[1]


def _started(event: str) -> tuple:
    return _duties_of(event)[2]


@dataclass(slots=True)
class _Child:
    slot: int
    id: int
    born: datetime.date | None  # None while unborn
    dob: datetime.date  # the date of birth, or the expected date
    disabled: bool
    allocations: list[tuple[int, datetime.date, datetime.date]]
    events: list = field(default_factory=list)
    periods: dict = field(default_factory=dict)
    applies: dict = field(default_factory=dict)
    cp_plans: int = 0

    def born_by(self, day: datetime.date) -> bool:
        return self.born is not None and self.born <= day


class _Builder:
    def __init__(self, ctx: SynthContext, out):
        self.ctx, self.rng, self.out = ctx, ctx.rng, out
        self.cal = calendar()
        self.today = ctx.today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        org = ctx.org
        self.org = org
        self.area_code_of = {area_id: code for code, area_id in org.area_ids.items()}
        staff = list(Worker.objects.values_list("pk", "user_id", "team_id", "role"))
        self.user_of = {pk: user for pk, user, _, _ in staff}
        self.manager_of: dict[int, int] = {}
        for _pk, user, team, role in sorted(staff):
            if role == Role.TEAM_MANAGER and team is not None:
                self.manager_of.setdefault(team, user)
        self.any_manager = next(
            (user for _, user, _, role in sorted(staff) if role == Role.TEAM_MANAGER), None
        )
        self.managers = sorted(user for _, user, _, role in staff if role == Role.TEAM_MANAGER and user)
        # Closure requests' texts and decision days come from a stream of their own, so that adding them
        # changed nothing else this step generates.
        self.closure_rng = random.Random(f"{ctx.seed}:casework:closure")
        # Its own stream, so that the need recorded at referral leaves the rest of the city as it was.
        self.referral_need_rng = random.Random(f"{ctx.seed}:casework:referral-need")
        self.last_closed: tuple[int, datetime.date] | None = None  # the child's latest closed episode
        # Conferences are chaired by the unit's IROs, except the ``iro`` persona, who reviews children looked
        # after (a chair sees the children whose conferences they chaired: the persona's list stays theirs).
        iros = sorted(org.iros) or sorted(pk for pk, _, _, role in staff if role == Role.IRO)
        self.chairs = [pk for pk in iros if pk != org.personas.get("iro")] or iros
        self.ids = {
            model: ctx.next_ids(model)
            for model in (
                CinEpisode,
                Assessment,
                StrategyDiscussion,
                S47Enquiry,
                ChildProtectionConference,
                CPPlan,
                CinPlan,
            )
        }
        self.seq = 0
        self.sources, self.source_weights = _cumulative(rates.CONTACT_SOURCES.items())
        self.needs, self.need_weights = _cumulative(PRIMARY_NEED.items())
        self.categories, self.category_weights = _cumulative(ABUSE_CATEGORY.items())
        self.ceased, self.ceased_weights = _cumulative(CLOSED_CEASED.items())
        self.factor_codes, self.factor_weights = list(FACTORS), list(FACTORS.values())
        self.valid_factors: dict[datetime.date, frozenset] = {}
        self.valid_closures: dict[int, frozenset] = {}
        self.summary = defaultdict(int)
        # The child being built is on a plan today and should have had an earlier one.
        self.second_plan = False

    # -- small helpers ---------------------------------------------------------------------------------------

    def new_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def wd(self, day: datetime.date, n: int) -> datetime.date:
        return self.cal.add_working_days(day, n) if n else day

    def working_on_or_after(self, day: datetime.date) -> datetime.date:
        return day if self.cal.is_working_day(day) else self.cal.next_working_day(day)

    def working_on_or_before(self, day: datetime.date) -> datetime.date:
        return day if self.cal.is_working_day(day) else self.cal.previous_working_day(day)

    def pick(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def event(self, c: _Child, day, name, scope, ep: _Ep | None, actor, *, rank: int | None = None) -> None:
        """``name`` happened on ``day``; ``rank`` places it among the day's events where the service that raises
        it does so as part of another (a child in need plan ended by an initial conference)."""
        self.seq += 1
        rank = RANK[name] if rank is None else rank
        c.events.append((day, rank, self.seq, name, scope, ep if name in TEAM_EVENTS else None, actor))

    def worker(self, c: _Child, ep: _Ep, day: datetime.date, kind: str, *, must: bool = False) -> int | None:
        """Who did the work on ``day``: the worker allocated then; for history with none, a case holder of the
        area's team of ``kind``; for an open case waiting for allocation, a duty worker half the time (always
        with ``must``)."""
        for worker, start, end in c.allocations:
            if start <= day <= end:
                return worker
        if ep.open and day >= ep.start and not must and self.rng.random() < 0.5:
            return None
        found = ep.workers.get(kind)
        if found is None:
            holders = self.org.holders(ep.area_code, kind) or self.org.holders(
                ep.area_code, TeamKind.ASSESSMENT
            )
            if not holders:
                holders = [
                    (worker, fte, team)
                    for team, rows in self.org.case_holders.items()
                    for worker, fte in rows
                ]
            worker, _, team = self.rng.choice(holders)
            found = ep.workers[kind] = (worker, team)
        return found[0]

    def team_of(self, ep: _Ep, kind: str) -> int:
        teams = (
            self.org.teams.get((ep.area_code, kind)) or self.org.teams[(ep.area_code, TeamKind.ASSESSMENT)]
        )
        found = ep.workers.get(kind)
        return found[1] if found is not None and found[1] in teams else min(teams)

    def manager(self, ep: _Ep, kind: str) -> int | None:
        found = ep.workers.get(kind)
        team = found[1] if found is not None else self.team_of(ep, kind)
        return self.manager_of.get(team, self.any_manager)

    # -- row writers (the same keys for every row of a model) -----------------------------------------------

    def visit(
        self, c: _Child, ep: _Ep, day, kind: str, seen: bool, *, location=None, must=False
    ) -> bool | None:
        """A visit on ``day`` by whoever worked with the child then; whether the child was seen (None: there was
        nobody to visit)."""
        worker = self.worker(c, ep, day, kind, must=must)
        if worker is None:
            return None
        seen = seen and c.born_by(day)
        age = (day - c.dob).days // 365
        alone = seen and age >= 5 and self.rng.random() < 0.6
        user = self.user_of.get(worker)
        hour = self.rng.randint(15, 19)
        recorded = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=self.tz)
        if self.rng.random() < 0.2:
            recorded += datetime.timedelta(days=self.rng.randint(1, 5))
        recorded = min(recorded, self.ctx.began)
        self.out.row(
            Visit,
            child_id=c.id,
            visited_on=day,
            visited_by_id=worker,
            location=location or self.pick(LOCATION),
            child_seen=seen,
            seen_alone=alone,
            summary=self.rng.choice(VISIT_SUMMARY) if seen else VISIT_NOT_SEEN,
            recorded_at=recorded,
            created_by_id=user,
            modified_by_id=None,
        )
        self.summary["visits"] += 1
        self.summary["visits_child_seen"] += seen
        if seen:
            self.event(c, day, "visit.child_seen", None, None, user)
        return seen

    # -- a child ---------------------------------------------------------------------------------------------

    def child(self, c: _Child, refs: list[_Ref], case: OpenCase | None) -> None:
        self.last_closed = None
        for group in self.groups(c, refs, case):
            self.episode(c, group)
        self.deadlines(c)

    def groups(self, c: _Child, refs: list[_Ref], case: OpenCase | None) -> list[_Group]:
        """Referrals in date order, grouped into episodes; the open case's episode takes every later one."""
        anchor = None
        items = list(refs)
        if case is not None:
            earliest = case.start_date - 3 * DAY
            candidates = [ref for ref in refs if earliest <= ref.date <= case.start_date]
            if candidates:
                anchor = candidates[-1]
            else:  # a case from before the history window: an episode with no referral in this system
                anchor = _Ref(None, case.start_date, self.rng.choices(self.sources, cum_weights=self.source_weights)[0],
                              False, None, None)  # fmt: skip
                position = bisect.bisect_left([ref.date for ref in refs], anchor.date)
                items.insert(position, anchor)
        groups: list[_Group] = []
        for ref in items:
            current = groups[-1] if groups else None
            if current is not None and (
                current.case is not None
                or ref.date == current.first.date
                or (not current.nfa and (ref.date - current.first.date).days < JOIN_DAYS)
            ):
                current.joined.append(ref)
                if ref.date == current.first.date:
                    current.nfa = False
                if ref is anchor:
                    current.case = case
                continue
            group = _Group(first=ref)
            if ref is anchor:
                group.case = case
            elif not ref.urgent:
                # About three in four referrals could be closed at once (not urgent, not an open case's).
                group.nfa = self.rng.random() < rates.REFERRAL_NFA_SHARE / 0.75
            groups.append(group)
        for i, group in enumerate(groups):
            if group.case is None:
                group.limit = groups[i + 1].first.date - DAY if i + 1 < len(groups) else self.today
            if any(ref.urgent for ref in group.joined):
                group.nfa = False
        return groups

    # -- an episode ------------------------------------------------------------------------------------------

    def episode(self, c: _Child, g: _Group) -> None:
        rng = self.rng
        first, case = g.first, g.case
        is_open = case is not None
        limit = self.today if is_open else g.limit
        start = first.date
        kind = case.kind if is_open else None
        area_code = case.area if is_open else self.area_code_of[first.area_id]
        ep = _Ep(
            id=self.new_id(CinEpisode),
            area_code=area_code,
            area_id=self.org.area_ids[area_code],
            team_id=case.team_id if is_open else None,
            open=is_open,
            start=case.start_date if is_open else start,
        )
        scope = (EPISODE, ep.id)
        self.summary["episodes"] += 1
        self.summary["joined_referrals"] += sum(ref.id is not None for ref in g.joined)
        self.event(c, start, "cin_episode.opened", scope, ep, first.user)
        if first.urgent:
            self.event(c, start, "referral.urgent_child_protection", scope, ep, first.user)
        for ref in g.joined:
            if ref.urgent:
                self.event(c, ref.date, "referral.urgent_child_protection", scope, ep, ref.user)

        state = _State(ep=ep, limit=limit, second_plan_wanted=self.second_plan and c.cp_plans == 0)
        for ref in g.joined:  # a referral joins an episode that is open when it comes
            state.touch(ref.date)
        quiet = not first.urgent and all(ref.date == start and not ref.urgent for ref in g.joined)
        previous = self.previous_episode(start)
        if not is_open and quiet and (g.nfa or limit == start or not c.born_by(limit)):
            self.event(c, start, "cin_episode.closed", None, None, first.user)
            self.write_episode(c, ep, first, start, closure=start, reason="RC8", referral_nfa=True, need="",
                               previous=previous)  # fmt: skip
            self.closure_request(c, ep, TeamKind.ASSESSMENT, first.user, closure=start, limit=limit, reason="RC8",
                                 referral_nfa=True, need="", why=NO_ASSESSMENT_REASON["nfa"])  # fmt: skip
            self.summary["referral_nfa"] += 1
            return

        if is_open:
            self.open_path(c, ep, state, first, kind)
        else:
            self.closed_path(c, ep, state, first)
        # Strategy discussions for child protection referrals that joined the open episode.
        for ref in g.joined:
            if ref.urgent:
                held = min(self.strategy_day(ref.date), state.last_day())
                self.strategy(c, ep, state, max(held, ref.date), s47=False)
        if is_open:
            ep.team_id = case.team_id
            self.ctx.open_episodes[c.id] = ep.id
            # Still in assessment: the need the front door recorded at referral, until an authorisation.
            need = state.need or self.need_at_referral(c)
            self.write_episode(c, ep, first, start, closure=None, reason="", referral_nfa=False, need=need,
                               previous=previous)  # fmt: skip
            return
        closure = min(max(state.activity, state.closure_from) + rng.randint(0, 7) * DAY, limit)
        closure = max(closure, state.activity)
        if state.reason == "early_help":
            reason = "RC9" if "RC9" in self.closure_codes(closure) else "RC8"
        elif state.reason == "nfa":
            reason = "RC8"
        else:
            reason = self.ceased_reason(c, closure)
        ep.team_id = self.team_of(ep, state.stage)
        self.event(c, closure, "cin_episode.closed", None, None, state.closer)
        why = ""
        if state.assessed:
            need = state.need
        else:
            # No assessment could see a child not yet born: the case closes only for a reason that needs none
            # (``casework.closure.NO_ASSESSMENT_NEEDED``), with the primary need "not stated" (8610).
            need, why = "N0", NO_ASSESSMENT_REASON[reason]
            self.summary["closed_without_assessment"] += 1
        self.write_episode(c, ep, first, start, closure=closure, reason=reason, referral_nfa=False, need=need,
                           previous=previous)  # fmt: skip
        self.closure_request(c, ep, state.stage, state.closer, closure=closure, limit=limit, reason=reason,
                             referral_nfa=False, need="" if state.assessed else need, why=why)  # fmt: skip

    def closure_codes(self, day: datetime.date) -> frozenset:
        key = day.toordinal()
        found = self.valid_closures.get(key)
        if found is None:
            found = self.valid_closures[key] = frozenset(codes_valid_on("closure_reason", day))
        return found

    def ceased_reason(self, c: _Child, day: datetime.date) -> str:
        if not c.born_by(day):
            # Before the birth nothing can be assessed (the child cannot be seen): the pre-birth case of a
            # mother who moved away, transferred to the authority she moved to. RC7 without an authorised
            # assessment is the closure "without being risk assessed" that safe closure refuses.
            return "RC5"
        if (day - c.dob).days >= 17 * 365 and self.rng.random() < 0.5:
            return "RC6"
        return self.rng.choices(self.ceased, cum_weights=self.ceased_weights)[0]

    def previous_episode(self, referral_date: datetime.date) -> int | None:
        """As ``cin_episode_open``: the child's latest closed episode, if it closed within 12 months before the
        new referral (``services.re_referral_of``)."""
        if self.last_closed is None:
            return None
        episode, closed = self.last_closed
        if add_calendar_months(referral_date, -12) <= closed <= referral_date:
            self.summary["re_referrals_linked"] += 1
            return episode
        return None

    def closure_request(self, c, ep: _Ep, stage: str, closer: int | None, *, closure, limit, reason,
                        referral_nfa: bool, need: str, why: str) -> None:  # fmt: skip
        """The approved request that closed the episode: asked on the closure day by the worker allocated then
        (or the case holder who did the work), decided 0-3 working days later, before the next referral, by
        the manager of the episode's team (never the person who asked)."""
        rng = self.closure_rng
        self.last_closed = (ep.id, closure)
        requester = None
        for worker, start, end in c.allocations:
            if start <= closure <= end:
                requester = self.user_of.get(worker)
                break
        if requester is None:
            found = ep.workers.get(stage) or next(iter(ep.workers.values()), None)
            if found is not None:
                requester = self.user_of.get(found[0])
        if requester is None:
            holders = self.org.holders(ep.area_code, TeamKind.ASSESSMENT)
            requester = self.user_of.get(holders[0][0]) if holders else closer
        decider = self.manager_of.get(ep.team_id, self.any_manager)
        if decider is None or decider == requester:
            decider = next((user for user in self.managers if user != requester), None)
        if requester is None or decider is None:
            return  # an organisation with no one to ask or decide: only in a hand-made test organisation
        decided = min(self.wd(closure, rng.choice((0, 0, 1, 1, 2, 3))), limit)
        self.out.row(
            ClosureRequest,
            episode_id=ep.id,
            child_id=c.id,
            requested_by_id=requester,
            requested_on=closure,
            closure_date=closure,
            reason=reason,
            referral_nfa=referral_nfa,
            primary_need=need,
            summary=REFERRAL_NFA_SUMMARY if referral_nfa else CLOSURE_SUMMARY[reason],
            risk_analysis=rng.choice(RISK_ANALYSIS),
            no_assessment_reason=why,
            status=ClosureRequestStatus.APPROVED,
            team_id=ep.team_id,
            area_id=ep.area_id,
            decided_by_id=decider,
            decided_on=decided,
            decision_rationale=rng.choice(CLOSURE_RATIONALE),
            created_by_id=requester,
            modified_by_id=decider,
            version=2,
        )
        self.summary["closure_requests"] += 1

    def write_episode(self, c, ep, first: _Ref, start, *, closure, reason, referral_nfa, need,
                      previous: int | None = None) -> None:  # fmt: skip
        if ep.team_id is None:
            ep.team_id = self.team_of(ep, TeamKind.ASSESSMENT)
        self.out.row(
            CinEpisode,
            id=ep.id,
            child_id=c.id,
            referral_id=first.id,
            referral_date=start,
            referral_source=first.source,
            primary_need=need,
            team_id=ep.team_id,
            area_id=ep.area_id,
            closure_date=closure,
            closure_reason=reason,
            referral_nfa=referral_nfa,
            previous_episode_id=previous,
            created_by_id=first.user,
            modified_by_id=first.user,
            version=1 if closure is None else 2,
        )
        self.summary["open_episodes" if closure is None else "closed_episodes"] += 1

    # -- the paths through an episode --------------------------------------------------------------------------

    def closed_path(self, c: _Child, ep: _Ep, state: "_State", first: _Ref) -> None:
        rng, limit = self.rng, state.limit
        born = c.born_by(limit)
        if not born:  # an unborn child: nothing more can be done before the birth; the case closes
            if first.urgent:
                self.strategy(c, ep, state, self.strategy_day(first.date, limit), s47=False)
            state.reason, state.stage = "ceased", TeamKind.ASSESSMENT
            return
        # A child on a plan today whose earlier episode had room for one: an earlier plan (a second plan now).
        second = state.second_plan_wanted and limit - first.date >= 150 * DAY
        s47_day = None
        if first.urgent:
            held = self.strategy_day(first.date, limit)
            s47 = second or rng.random() < rates.STRATEGY_TO_S47
            self.strategy(c, ep, state, held, s47=s47)
            s47_day = held if s47 else None
            begin = min(self.wd(held, rng.choice((0, 0, 1, 2))), limit)
            outcomes = {k: v for k, v in rates.ASSESSMENT_OUTCOMES.items() if k != "s47"}
            outcome = "s47" if s47 else self.pick(outcomes.items())
        else:
            begin = min(self.after_referral(first.date), limit)
            outcome = "s47" if second else self.pick(rates.ASSESSMENT_OUTCOMES.items())
        authorised = min(self.wd(begin, self.assessment_working_days()), limit)
        if outcome == "s47" and s47_day is None:
            held = min(self.wd(begin, rng.randint(1, 10)), authorised)
            self.strategy(c, ep, state, held, s47=True)
            s47_day = held
        conference = None
        plan = False
        if s47_day is not None:
            conference, plan = self.section_47(c, ep, state, s47_day, limit, force=second, room=True)
        assessed = (
            AssessmentOutcome.SECTION_47
            if s47_day is not None
            else {
                "nfa": AssessmentOutcome.NO_FURTHER_ACTION,
                "early_help": AssessmentOutcome.EARLY_HELP,
                "cin_plan": AssessmentOutcome.CIN_PLAN,
            }[outcome]
        )
        authorised = self.assessment(c, ep, state, begin, authorised, assessed)
        state.stage = TeamKind.ASSESSMENT
        if plan:
            end = self.cp_plan(c, ep, state, conference, limit)
            state.stage = TeamKind.CHILD_PROTECTION
            if limit - end >= MIN_CIN_PLAN_DAYS * DAY and rng.random() < 0.5:
                state.stage = TeamKind.CHILD_IN_NEED
                if limit - end >= 2 * MIN_CP_PLAN_DAYS * DAY and rng.random() < RE_ESCALATION_SHARE:
                    # Stepped down, then back: a new enquiry ends the child in need plan at the conference.
                    held = self.working_on_or_after(end + rng.randint(40, 120) * DAY)
                    self.strategy(c, ep, state, held, s47=True)
                    conference, plan = self.section_47(c, ep, state, held, limit, force=True, room=True)
                    if plan:
                        self.cin_plan(c, ep, state, end, limit, ended_by_conference=conference[1])
                        self.cp_plan(c, ep, state, conference, limit)
                        state.stage = TeamKind.CHILD_PROTECTION
                        state.reason = "ceased"
                        return
                self.cin_plan(c, ep, state, end, limit)
            state.reason = "ceased"
            return
        wants_plan = (
            (conference is not None and rng.random() < 0.6)
            or (s47_day is not None and conference is None and rng.random() < 0.35)
            or (s47_day is None and outcome == "cin_plan")
        )
        begins = min(max(authorised, state.activity) + rng.randint(0, 3) * DAY, limit)
        if wants_plan and limit - begins >= MIN_CIN_PLAN_DAYS * DAY:
            self.cin_plan(c, ep, state, begins, limit)
            state.stage = TeamKind.CHILD_IN_NEED
            state.reason = "ceased"
            return
        state.closure_from = authorised
        if s47_day is not None or outcome == "cin_plan":
            state.reason = "ceased"  # a section 47 enquiry (or a plan it had no time for): not RC8/RC9 (2990)
        else:
            state.reason = outcome

    def open_path(self, c: _Child, ep: _Ep, state: "_State", first: _Ref, kind: str) -> None:
        rng, today = self.rng, self.today
        start = first.date
        born = c.born_by(today)
        if first.urgent and kind != TeamKind.CHILD_PROTECTION:  # child protection concerns, not borne out
            self.strategy(c, ep, state, self.strategy_day(start, today), s47=False)
        if kind == TeamKind.CHILD_PROTECTION:
            held = self.strategy_day(start, today)
            self.strategy(c, ep, state, held, s47=True)
            begin = min(self.wd(held, rng.choice((0, 0, 1, 2))), today)
            conference, _ = self.section_47(c, ep, state, held, today, force=True, room=False)
            authorised = self.wd(begin, self.assessment_working_days())
            if not born or authorised > today:
                authorised = None
            self.assessment(c, ep, state, begin, authorised, AssessmentOutcome.SECTION_47)
            self.cp_plan(c, ep, state, conference, None)
            return
        begin = min(self.after_referral(start), today)
        in_assessment = kind == TeamKind.ASSESSMENT or (
            kind == TeamKind.DISABLED_CHILDREN and (today - start).days <= 100 and rng.random() < 0.3
        )
        if in_assessment or not born:
            if born and kind == TeamKind.ASSESSMENT and rng.random() < 0.08 and begin < today - 3 * DAY:
                self.open_section_47(c, ep, state, begin)
            self.assessment(c, ep, state, begin, None, None)
            return
        if kind in LOOKED_AFTER_KINDS:
            authorised = self.wd(begin, self.assessment_working_days())
            self.assessment(
                c,
                ep,
                state,
                begin,
                authorised if authorised <= today else None,
                AssessmentOutcome.LOOKED_AFTER,
            )
            return
        # A child in need plan, open today; some children stepped down from a child protection plan first.
        if kind == TeamKind.CHILD_IN_NEED and (today - begin).days >= 250 and rng.random() < 0.15:
            held = min(self.wd(begin, rng.randint(3, 15)), today)
            self.strategy(c, ep, state, held, s47=True)
            plan_limit = today - rng.randint(30, 120) * DAY
            conference, plan = self.section_47(c, ep, state, held, plan_limit, force=True, room=True)
            authorised = min(self.wd(begin, self.assessment_working_days()), plan_limit)
            authorised = self.assessment(c, ep, state, begin, authorised, AssessmentOutcome.SECTION_47)
            begins = self.cp_plan(c, ep, state, conference, plan_limit) if plan else state.activity
            self.cin_plan(c, ep, state, min(begins, today), None)
            return
        latest = max(begin, today - rng.randint(1, 3) * DAY)
        authorised = min(self.wd(begin, self.assessment_working_days()), latest)
        authorised = self.assessment(c, ep, state, begin, authorised, AssessmentOutcome.CIN_PLAN)
        if kind == TeamKind.DISABLED_CHILDREN:
            state.need = "N2"
        begins = min(authorised + rng.randint(0, 3) * DAY, today)
        self.cin_plan(c, ep, state, begins, None)

    # -- the parts ---------------------------------------------------------------------------------------------

    def after_referral(self, day: datetime.date) -> datetime.date:
        return self.wd(self.working_on_or_after(day), self.pick(ASSESSMENT_START_DELAY))

    def strategy_day(self, day: datetime.date, limit: datetime.date | None = None) -> datetime.date:
        held = self.working_on_or_after(day)
        roll = self.rng.random()
        if roll >= 0.85:
            held = self.wd(held, self.rng.randint(2, 3))
        elif roll >= 0.6:
            held = self.wd(held, 1)
        return min(held, limit) if limit is not None else held

    def assessment_working_days(self) -> int:
        if self.rng.random() < rates.ASSESSMENT_WITHIN_45_WD:
            return round(self.rng.triangular(2, 45, 36))
        return 46 + int(self.rng.expovariate(1 / 12))

    def strategy(self, c: _Child, ep: _Ep, state: "_State", held: datetime.date, *, s47: bool) -> None:
        """A strategy discussion on ``held``; with ``s47``, the enquiry it starts (``state.s47``)."""
        held = min(held, state.last_day())
        worker = self.worker(c, ep, held, TeamKind.ASSESSMENT, must=True)
        user = self.user_of.get(worker)
        discussion = self.new_id(StrategyDiscussion)
        self.out.row(
            StrategyDiscussion,
            id=discussion,
            episode_id=ep.id,
            child_id=c.id,
            held_on=held,
            participants=PARTICIPANTS,
            concerns=self.rng.choice(CONCERNS),
            outcome=StrategyOutcome.SECTION_47 if s47 else StrategyOutcome.NO_SECTION_47,
            created_by_id=user,
            modified_by_id=None,
        )
        self.summary["strategy_discussions"] += 1
        self.event(c, held, "strategy_discussion.held", (EPISODE, ep.id), ep, user)
        state.touch(held)
        state.closer = user
        if s47:
            enquiry = self.new_id(S47Enquiry)
            state.s47 = (discussion, enquiry, held, user)
            self.event(c, held, "s47.started", (S47, enquiry), ep, user)

    def s47_row(self, c, ep, state: "_State", outcome: str, concluded) -> None:
        discussion, enquiry, held, user = state.s47
        self.out.row(
            S47Enquiry,
            id=enquiry,
            episode_id=ep.id,
            child_id=c.id,
            strategy_discussion_id=discussion,
            start_date=held,
            outcome=outcome,
            concluded_on=concluded,
            findings=FINDINGS.get(outcome, ""),
            created_by_id=user,
            modified_by_id=user,
            version=1 if concluded is None else 2,
        )
        self.summary["s47"] += 1
        self.summary["open_s47"] += concluded is None
        if concluded is not None:
            state.touch(concluded)
        if outcome == S47Outcome.NO_CONFERENCE:
            self.event(c, concluded, "s47.no_conference", (S47, enquiry), None, user)

    def section_47(self, c, ep, state: "_State", held, limit, *, force: bool, room: bool):
        """The enquiry the last strategy discussion started, concluded with or without an initial conference
        (``force``: with one). Returns the conference (id, day, chair, category), or None, and whether it
        decided on a plan (with ``room``, only if there are ``MIN_CP_PLAN_DAYS`` before ``limit``)."""
        rng = self.rng
        _, enquiry, _, user = state.s47
        icpc = None
        if force or rng.random() < rates.S47_TO_ICPC:
            due = duty("initial_cp_conference").due_date(held)
            if rng.random() < rates.ICPC_WITHIN_15_WD:
                icpc = self.wd(due, -rng.randint(0, 6))
            else:
                icpc = self.wd(due, rng.randint(1, 10))
            icpc = max(icpc, self.working_on_or_after(held))
            if icpc > limit:
                icpc = self.working_on_or_before(limit)
                if icpc < held:
                    icpc = limit if force else None
        if icpc is None:
            self.s47_row(
                c, ep, state, S47Outcome.NO_CONFERENCE, min(self.wd(held, rng.randint(3, 12)), limit)
            )
            return None, False
        self.s47_row(c, ep, state, S47Outcome.CONFERENCE, max(held, icpc - rng.randint(0, 3) * DAY))
        plan = force or rng.random() < rates.ICPC_TO_PLAN
        if room and limit - icpc < MIN_CP_PLAN_DAYS * DAY:
            plan = False
        decision = ConferenceDecision.PLAN if plan else ConferenceDecision.NO_PLAN
        chair = rng.choice(self.chairs)
        category = self.rng.choices(self.categories, cum_weights=self.category_weights)[0] if plan else ""
        conference_id = self.new_id(ChildProtectionConference)
        self.conference(c, ep, conference_id, ConferenceKind.INITIAL, icpc, chair, decision, category, user,
                        s47=enquiry)  # fmt: skip
        self.event(c, icpc, "icpc.held", (S47, enquiry), None, user)
        self.summary["icpc"] += 1
        self.summary["icpc_within_15_wd"] += icpc <= duty("initial_cp_conference").due_date(held)
        state.touch(icpc)
        state.need = "N1" if rng.random() < 0.9 else rng.choice(("N4", "N5"))
        return (conference_id, icpc, chair, category), plan

    def open_section_47(self, c: _Child, ep: _Ep, state: "_State", begin: datetime.date) -> None:
        """An enquiry during an open assessment: awaiting its conference, or concluded without one."""
        rng, today = self.rng, self.today
        held = min(self.wd(begin, rng.randint(1, 8)), today)
        self.strategy(c, ep, state, held, s47=True)
        if duty("initial_cp_conference").due_date(held) >= today or rng.random() < 0.15:
            self.s47_row(c, ep, state, "", None)
        else:
            self.s47_row(
                c, ep, state, S47Outcome.NO_CONFERENCE, min(self.wd(held, rng.randint(3, 12)), today)
            )

    def conference(self, c, ep, conference_id, kind, held, chair, decision, category, user, *, s47=None,
                   plan=None) -> None:  # fmt: skip
        self.out.row(
            ChildProtectionConference,
            id=conference_id,
            episode_id=ep.id,
            child_id=c.id,
            kind=kind,
            s47_id=s47,
            plan_id=plan,
            held_on=held,
            chair_id=chair,
            decision=decision,
            category=category,
            summary=CONFERENCE_SUMMARY[decision],
            created_by_id=user,
            modified_by_id=None,
        )

    def assessment(self, c, ep, state: "_State", begin, authorised, outcome) -> datetime.date | None:
        """An assessment from ``begin``: authorised on ``authorised`` (or, for a child born since, once they
        have been seen) with ``outcome``, or still open. Returns the day it was authorised."""
        rng, today = self.rng, self.today
        if authorised is not None and c.born > authorised:
            authorised = c.born
        assessment = self.new_id(Assessment)
        worker = self.worker(c, ep, begin, TeamKind.ASSESSMENT)
        user = self.user_of.get(worker) if worker is not None else None
        self.event(c, begin, "assessment.started", (EPISODE, ep.id), ep, user)
        self.summary["assessments"] += 1
        seen = submitted = None
        status, recorded = AssessmentStatus.IN_PROGRESS, False
        if authorised is not None:
            seen = min(max(begin + rng.randint(0, 7) * DAY, c.born), authorised)
            submitted = max(seen, authorised - rng.randint(0, 4) * DAY)
            status, recorded = AssessmentStatus.AUTHORISED, True
            authoriser = self.manager(ep, TeamKind.ASSESSMENT)
            self.event(c, authorised, "assessment.authorised", (EPISODE, ep.id), None, authoriser)
            self.summary["assessments_authorised"] += 1
            self.summary["authorised_within_45_wd"] += authorised <= duty("assessment_from_start").due_date(
                begin
            )
            state.touch(authorised)
            state.closer = authoriser
            state.assessed = True
            if not state.need:
                state.need = self.primary_need(c, outcome)
        else:
            authoriser = None
            elapsed = (today - begin).days
            if c.born_by(today) and elapsed >= 2 and rng.random() < 0.85:
                seen = min(today, max(begin + rng.randint(0, min(10, elapsed)) * DAY, c.born))
                if elapsed >= 25 and rng.random() < 0.35:
                    submitted = max(seen, today - rng.randint(0, 6) * DAY)
                    status = AssessmentStatus.SUBMITTED
                recorded = status == AssessmentStatus.SUBMITTED or (elapsed > 15 and rng.random() < 0.5)
            if recorded:
                outcome = self.pick(
                    (
                        (AssessmentOutcome.NO_FURTHER_ACTION, 45),
                        (AssessmentOutcome.EARLY_HELP, 25),
                        (AssessmentOutcome.CIN_PLAN, 30),
                    )
                )
            self.summary["open_assessments"] += 1
        factors = self.factors(begin, outcome) if recorded else []
        self.out.row(
            Assessment,
            id=assessment,
            episode_id=ep.id,
            child_id=c.id,
            start_date=begin,
            child_seen_on=seen,
            factors=json.dumps(factors),
            analysis=ANALYSIS[outcome] if recorded else "",
            outcome=outcome if recorded else "",
            status=status,
            submitted_on=submitted,
            submitted_by_id=user if submitted else None,
            authorised_on=authorised,
            authorised_by_id=authoriser,
            authorisation_rationale=AUTHORISATION_RATIONALE if authorised is not None else "",
            withdrawn_reason="",
            created_by_id=user,
            modified_by_id=authoriser or user,
            version=1 + recorded + (submitted is not None) + (authorised is not None),
        )
        if seen is not None:
            self.visit(c, ep, seen, TeamKind.ASSESSMENT, True, location=VisitLocation.HOME, must=True)
            state.touch(seen)
        return authorised

    def factors(self, day: datetime.date, outcome: str) -> list[str]:
        if outcome in (AssessmentOutcome.NO_FURTHER_ACTION, AssessmentOutcome.EARLY_HELP) and (
            self.rng.random() < 0.12
        ):
            return [NO_FACTORS]
        valid = self.valid_factors.get(day)
        if valid is None:
            valid = self.valid_factors[day] = frozenset(codes_valid_on("assessment_factor", day))
        chosen: list[str] = []
        for _ in range(self.rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]):
            code = self.rng.choices(self.factor_codes, weights=self.factor_weights)[0]
            if code in valid and code not in chosen:
                chosen.append(code)
        return chosen or ["20"]

    def need_at_referral(self, c: _Child) -> str:
        """The primary need the front door recorded at referral, for an episode still in assessment."""
        if c.disabled and self.referral_need_rng.random() < 0.6:
            return "N2"
        return self.referral_need_rng.choices(self.needs, cum_weights=self.need_weights)[0]

    def primary_need(self, c: _Child, outcome: str) -> str:
        if c.disabled and self.rng.random() < 0.6:
            return "N2"
        if outcome == AssessmentOutcome.NO_FURTHER_ACTION and self.rng.random() < 0.4:
            return "N9"
        return self.rng.choices(self.needs, cum_weights=self.need_weights)[0]

    def cp_plan(self, c: _Child, ep: _Ep, state: "_State", conference, limit) -> datetime.date:
        """The plan an initial conference decided, from its day: core groups, visits and review conferences,
        ending at a review before ``limit`` (or open, with ``limit`` None). Returns the day it ended."""
        rng, today = self.rng, self.today
        conference_id, start, chair, category = conference
        plan = self.new_id(CPPlan)
        user = state.closer
        visit_every = self.pick(VISIT_EVERY)
        if visit_every:
            c.periods[(CP_PLAN, plan)] = Period.parse(visit_every)
        # As ``CPPlan.duty_applies``: no visit in which the child is seen is due before the child is born.
        c.applies[(CP_PLAN, plan)] = lambda code, on, c=c: code != "cp_visit" or c.born_by(on)
        c.cp_plans += 1
        self.summary["cp_plans"] += 1
        self.event(c, start, "cp_plan.started", (CP_PLAN, plan), ep, user)
        # Review conferences: the first at 3 months, then 6-monthly; a closed plan ends at one of them.
        ends_at = None
        if limit is not None:
            ends_at = self.pick(rates.CP_PLAN_ENDED_AT_REVIEW.items())
            if ends_at == 5:
                ends_at += rng.choice((0, 0, 1))
        reviews = []
        previous, latest, end = start, category, None
        for number in range(1, 100):
            due = duty("cp_review_first" if number == 1 else "cp_review").due_date(previous)
            if ends_at == 0 and number == 1:
                held = self.working_on_or_after(start + rng.randint(28, 75) * DAY)
            elif rng.random() < rates.CP_REVIEWS_ON_TIME:
                held = self.working_on_or_before(due - rng.randint(0, 14) * DAY)
            else:
                held = self.working_on_or_after(due + rng.randint(1, 21) * DAY)
            held = max(held, previous + DAY)
            ending = limit is not None and (number >= max(ends_at, 1) or held >= limit)
            if limit is not None and held > limit:
                held = max(self.working_on_or_before(limit), previous + DAY)
            if limit is None and held > today:
                break
            if rng.random() < 0.08:
                latest = self.rng.choices(self.categories, cum_weights=self.category_weights)[0]
                changed = latest
            else:
                changed = ""
            reviews.append((held, ending, changed))
            previous = held
            if ending:
                end = held
                break
        stop = end if end is not None else today
        # Core groups: the first within 10 working days (mostly), then every 4-6 weeks, while the plan runs.
        if rng.random() < rates.CORE_GROUP_FIRST_ON_TIME:
            meeting = self.wd(start, rng.randint(2, 10))
        else:
            meeting = self.wd(start, 10 + rng.randint(1, 6))
        while meeting < stop or (end is None and meeting == stop):
            worker = self.worker(c, ep, meeting, TeamKind.CHILD_PROTECTION)
            recorder = self.user_of.get(worker) if worker is not None else user
            self.out.row(
                CoreGroupMeeting,
                plan_id=plan,
                child_id=c.id,
                held_on=meeting,
                summary=CORE_GROUP_SUMMARY,
                created_by_id=recorder,
                modified_by_id=None,
            )
            self.event(c, meeting, "core_group.held", (CP_PLAN, plan), None, recorder)
            self.summary["core_groups"] += 1
            meeting = self.wd(meeting, rng.randint(20, 30))
        self.cp_visits(c, ep, plan, start, end, visit_every)
        version = 1
        for held, ending, changed in reviews:
            decision = ConferenceDecision.END if ending else ConferenceDecision.CONTINUE
            worker = self.worker(c, ep, held, TeamKind.CHILD_PROTECTION)
            recorder = self.user_of.get(worker) if worker is not None else user
            self.conference(c, ep, self.new_id(ChildProtectionConference), ConferenceKind.REVIEW, held,
                            chair if rng.random() < 0.85 else rng.choice(self.chairs), decision, changed, recorder,
                            plan=plan)  # fmt: skip
            self.event(c, held, "cp_review.held", (CP_PLAN, plan), None, recorder)
            version += bool(ending or changed)
            if ending:
                self.event(c, held, "cp_plan.ended", (CP_PLAN, plan), None, recorder)
            self.summary["cp_reviews"] += 1
        self.out.row(
            CPPlan,
            id=plan,
            episode_id=ep.id,
            child_id=c.id,
            initial_conference_id=conference_id,
            start_date=start,
            end_date=end,
            initial_category=category,
            latest_category=latest,
            visit_every=visit_every,
            end_reason=CONFERENCE_SUMMARY[ConferenceDecision.END] if end is not None else "",
            created_by_id=user,
            modified_by_id=user,
            version=version,
        )
        self.summary["cp_plans_over_2_years"] += ((end or today) - start).days > 730
        self.summary["children_with_a_second_cp_plan"] += c.cp_plans == 2
        if end is None:
            self.summary["open_cp_plans"] += 1
        else:
            self.summary["ended_cp_plans"] += 1
            self.summary["ended_cp_plan_days"] += (end - start).days
            state.touch(end)
        return end if end is not None else today

    def cp_visits(self, c, ep, plan: int, start, end, visit_every: str) -> None:
        """Visits at the plan's frequency: mostly a few days before the next is due, some late, and a follow-up
        soon after a visit at which the child was not seen."""
        rng, today = self.rng, self.today
        item = duty("cp_visit")
        period = Period.parse(visit_every) if visit_every else None
        drift = end is None and rng.random() < OPEN_DRIFT_SHARE
        last = start
        while True:
            due = item.due_date(last, period)
            if drift and due < today and item.due_date(due, period) > today:
                return  # the visit that fell due last has not happened
            if rng.random() < rates.CP_VISITS_ON_TIME:
                day = max(self.wd(due, -rng.randint(0, 3)), last + DAY)
            else:
                day = self.wd(due, rng.randint(1, 8))
            for _attempt in range(3):
                if (end is not None and day >= end) or day > today:
                    return
                seen = self.visit(
                    c, ep, day, TeamKind.CHILD_PROTECTION, rng.random() < rates.CHILD_SEEN_AT_VISIT
                )
                last = day
                if seen or (seen is not None and not c.born_by(day)):
                    break
                # Not seen: a follow-up in a day or three; nobody to visit (a case waiting for allocation): later.
                day = self.wd(day, rng.randint(1, 3) if seen is not None else rng.randint(3, 8))

    def cin_plan(
        self, c: _Child, ep: _Ep, state: "_State", start, limit, *, ended_by_conference=None
    ) -> None:
        """A child in need plan from ``start``: reviews and visits; ends before ``limit`` (open if None), or on
        the day of the initial conference that puts the child on a child protection plan."""
        rng, today = self.rng, self.today
        plan = self.new_id(CinPlan)
        worker = self.worker(c, ep, start, TeamKind.CHILD_IN_NEED)
        user = self.user_of.get(worker) if worker is not None else state.closer
        review_every = self.pick(CIN_REVIEW_EVERY)
        period = Period.parse(review_every) if review_every else None
        if period is not None:
            c.periods[(CIN_PLAN, plan)] = period
        end = None
        if limit is not None:
            end = min(start + round(rng.triangular(60, 450, 180)) * DAY, limit)
            end = max(end, start + DAY)
        if ended_by_conference is not None:
            end = ended_by_conference
        stop = end if end is not None else today + DAY
        self.event(c, start, "cin_plan.started", (CIN_PLAN, plan), ep, user)
        self.summary["cin_plans"] += 1
        item = duty("cin_plan_review")
        drift = end is None and rng.random() < OPEN_DRIFT_SHARE
        last = start
        while True:
            due = item.due_date(last, period)
            if drift and due < today and item.due_date(due, period) > today:
                break  # the review that fell due last has not been held
            if rng.random() < rates.CIN_PLAN_REVIEWS_ON_TIME:
                held = max(due - rng.randint(0, 14) * DAY, last + DAY)
            else:
                held = due + rng.randint(1, 45) * DAY
            if held >= stop:
                break
            worker = self.worker(c, ep, held, TeamKind.CHILD_IN_NEED)
            recorder = self.user_of.get(worker) if worker is not None else user
            self.out.row(
                CinPlanReview,
                plan_id=plan,
                child_id=c.id,
                held_on=held,
                summary=CIN_REVIEW_SUMMARY,
                created_by_id=recorder,
                modified_by_id=None,
            )
            self.event(c, held, "cin_plan_review.held", (CIN_PLAN, plan), None, recorder)
            self.summary["cin_plan_reviews"] += 1
            last = held
        day = start + rng.randint(5, 15) * DAY
        while day < stop:
            self.visit(c, ep, day, TeamKind.CHILD_IN_NEED, rng.random() < 0.92)
            day = self.wd(day, rng.randint(20, 40))
        if end is not None:
            rank = RANK["icpc.held"] if ended_by_conference is not None else None
            self.event(c, end, "cin_plan.ended", (CIN_PLAN, plan), None, user, rank=rank)
            state.touch(end)
            state.closer = user
        else:
            self.summary["open_cin_plans"] += 1
        self.out.row(
            CinPlan,
            id=plan,
            episode_id=ep.id,
            child_id=c.id,
            start_date=start,
            end_date=end,
            review_every=review_every,
            summary=CIN_PLAN_SUMMARY,
            created_by_id=user,
            modified_by_id=user,
            version=1 if end is None else 2,
        )
        if not state.need:
            state.need = "N2" if c.disabled and rng.random() < 0.6 else self.primary_need(c, "")

    # -- deadlines -------------------------------------------------------------------------------------------

    def deadlines(self, c: _Child) -> None:
        engine = _Engine(c.periods, c.applies)
        for day, _rank, _seq, name, scope, ep, actor in sorted(c.events, key=lambda event: event[:3]):
            team = area = None
            if ep is not None:
                team, area = ep.team_id, ep.area_id
            engine.event(name, day, scope, team, area, actor)
        for clock in engine.clocks:
            row = deadline_row(clock, child_id=c.id, today=self.today)
            late = row["breached_on"] is not None
            if clock.duty.startswith("assessment_from") and late and self.rng.random() < 0.6:
                row = deadline_row(
                    clock, child_id=c.id, today=self.today, delay_reason=self.rng.choice(DELAY_REASONS)
                )
            self.out.row(Deadline, **row)
            is_open = clock.status == DeadlineStatus.OPEN
            self.summary["deadlines"] += 1
            self.summary["open_deadlines"] += is_open
            self.summary["overdue_deadlines"] += is_open and row["breached_on"] is not None
            self.summary["deadlines_closed_late"] += clock.days_late is not None


@dataclass(slots=True)
class _State:
    """What an episode has done so far, for its closure."""

    ep: _Ep
    limit: datetime.date
    activity: datetime.date = datetime.date.min
    closure_from: datetime.date = datetime.date.min
    need: str = ""  # the primary need, recorded on the episode when an assessment is authorised
    assessed: bool = False
    reason: str = "ceased"
    stage: str = TeamKind.ASSESSMENT
    closer: int | None = None
    s47: tuple | None = None  # the open enquiry: (discussion id, enquiry id, day, user)
    second_plan_wanted: bool = False

    def touch(self, day: datetime.date) -> None:
        if day > self.activity:
            self.activity = day

    def last_day(self) -> datetime.date:
        """The latest day something may still happen in the episode."""
        return self.limit if not self.ep.open else max(self.limit, self.activity)


def run(ctx: SynthContext) -> None:
    pop = ctx.population
    referrals: dict[int, list[_Ref]] = defaultdict(list)
    rows = Referral.objects.order_by("referral_date", "pk").values_list(
        "pk",
        "child_id",
        "referral_date",
        "source",
        "urgent_child_protection",
        "contact__area_id",
        "created_by_id",
    )
    for pk, child, day, source, urgent, area, user in rows:
        referrals[child].append(_Ref(pk, day, source, urgent, area, user))
    allocations: dict[int, list] = defaultdict(list)
    for child, worker, start, end in (
        Allocation.objects.filter(role=AllocationRole.SOCIAL_WORKER)
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "worker_id", "start_date", "end_date")
    ):
        allocations[child].append((worker, start, end or datetime.date.max))
    cases = {case.child_id: case for case in ctx.cases}
    cp_children = {case.child_id for case in ctx.cases if case.kind == TeamKind.CHILD_PROTECTION}

    models_in_order = (
        CinEpisode,
        ClosureRequest,
        Assessment,
        StrategyDiscussion,
        S47Enquiry,
        ChildProtectionConference,
        CPPlan,
        CinPlan,
        CinPlanReview,
        CoreGroupMeeting,
        Visit,
        Deadline,
    )
    todo = [
        slot for slot in range(len(pop)) if pop.child_ids[slot] in referrals or pop.child_ids[slot] in cases
    ]
    bar = ctx.progress(len(todo), "casework")
    with ctx.writer(*models_in_order) as out:
        builder = _Builder(ctx, out)
        for slot in todo:
            child_id = pop.child_ids[slot]
            flags = pop.flags[slot]
            dob = datetime.date.fromordinal(pop.dob_ordinal[slot])
            c = _Child(
                slot=slot,
                id=child_id,
                born=None if flags & Population.UNBORN else dob,
                dob=dob,
                disabled=bool(flags & Population.DISABLED),
                allocations=allocations.get(child_id, []),
            )
            refs = referrals.get(child_id, [])
            case = cases.get(child_id)
            builder.second_plan = child_id in cp_children and ctx.rng.random() < rates.SECOND_CP_PLAN_SHARE
            builder.child(c, refs, case)
            bar.update(1)
    bar.close()
    ctx.reset_sequences(CinEpisode, *models_in_order[2:8])
    summary = dict(builder.summary)
    authorised = summary.get("assessments_authorised", 0)
    summary["authorised_within_45_wd_share"] = round(
        summary.get("authorised_within_45_wd", 0) / authorised, 3
    ) if authorised else None  # fmt: skip
    ctx.extra["casework"] = dict(sorted(summary.items()))
