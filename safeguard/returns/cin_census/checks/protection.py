"""CIN census checks about section 47 enquiries, initial conferences and child protection plans, and where
they meet CIN plans and the episode.

Each check follows the DfE's rule of the same code (``data/rules.csv``; the DfE's wording of the condition
is the check's docstring), as the data-to-insight ``csc-validator-be-cin`` reads it. Where that validator and
the DfE's wording part company, the DfE's wording wins and the check says so.

An initial child protection conference (ICPC) is recorded on the enquiry that led to it
(``Section47.icpc_date``) or, when the return holds no such enquiry, on the episode (``Episode.icpc_date``).
An enquiry is **awaiting its conference** while it has no conference date and is not flagged
``ICPCnotRequired``.
"""

import datetime
from collections.abc import Iterator

from safeguard.core.calendar import Counting
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.cin_census.context import DFE_CALENDAR
from safeguard.returns.cin_census.model import Child, CPPlan, Episode, Section47
from safeguard.returns.rules import Hit, check

COLLECTION = "cin_census"


# -- helpers -------------------------------------------------------------------------------------------------


def _s47s(child: Child) -> Iterator[tuple[Episode, Section47]]:
    for episode in child.episodes:
        for s47 in episode.s47s:
            yield episode, s47


def _cp_plans(child: Child) -> Iterator[tuple[Episode, CPPlan]]:
    for episode in child.episodes:
        for plan in episode.cp_plans:
            yield episode, plan


def _awaiting_icpc(s47: Section47) -> bool:
    """No conference date, and not flagged as needing none (the flag is absent or false)."""
    return s47.icpc_date is None and s47.icpc_not_required is not True


def _icpc_outstanding(s47: Section47) -> bool:
    """No conference date and ``ICPCnotRequired`` given as false: the DfE's "not present and equals false"
    (8675Q, 8740). An absent flag is not "false"."""
    return s47.icpc_date is None and s47.icpc_not_required is False


def _is_weekend(day: datetime.date | None) -> bool:
    return day is not None and day.weekday() >= 5


def _falls_within(
    day: datetime.date,
    start: datetime.date | None,
    end: datetime.date | None,
    open_until: datetime.date,
    *,
    end_counts: bool = False,
) -> bool:
    """Whether ``day`` is on or after ``start`` and before ``end`` (on it too, if ``end_counts``), or, when
    there is no ``end``, on or before ``open_until`` (the census reference date)."""
    if start is None or day < start:
        return False
    if end is None:
        return day <= open_until
    return day <= end if end_counts else day < end


# -- the initial conference and the referral ------------------------------------------------------------------


@check(COLLECTION, "1104", fields=("DateOfInitialCPC", "CINreferralDate"))
def icpc_before_referral(child, context):
    """1104: where present, a section 47's DateOfInitialCPC must be on or after the episode's
    CINreferralDate."""
    for episode, s47 in _s47s(child):
        if s47.icpc_date and episode.referral_date and s47.icpc_date < episode.referral_date:
            yield s47


@check(COLLECTION, "1105", fields=("CPPstartDate", "CINreferralDate"))
def cp_plan_before_referral(child, context):
    """1105: where present, CPPstartDate must be on or after the episode's CINreferralDate."""
    for episode, plan in _cp_plans(child):
        if plan.start and episode.referral_date and plan.start < episode.referral_date:
            yield plan


@check(COLLECTION, "2889", fields=("S47ActualStartDate", "CINreferralDate"))
def s47_before_referral(child, context):
    """2889: where present, S47ActualStartDate must be on or after the episode's CINreferralDate."""
    for episode, s47 in _s47s(child):
        if s47.start and episode.referral_date and s47.start < episode.referral_date:
            yield s47


@check(COLLECTION, "2883", fields=("CPPstartDate", "DateOfInitialCPC"), scope="return")
def more_plans_than_conferences(the_return, context):
    """2883: across the return, the CPPstartDates within the census year must number no more than the
    DateOfInitialCPCs within it, on the episodes and on the section 47s together."""
    year = context.year
    plans = conferences = 0
    for child in the_return.children:
        plans += sum(year.contains(plan.start) for _, plan in _cp_plans(child))
        conferences += sum(year.contains(episode.icpc_date) for episode in child.episodes)
        conferences += sum(year.contains(s47.icpc_date) for _, s47 in _s47s(child))
    if plans > conferences:
        yield Hit(
            the_return,
            detail=f"{plans} child protection plans started in the year, but {conferences} initial "
            f"conferences were held",
        )


@check(COLLECTION, "2884", fields=("DateOfInitialCPC",))
def icpc_recorded_twice(child, context):
    """2884: an initial conference must be recorded either on the section 47 or on the episode, not both:
    no section 47's DateOfInitialCPC may equal a DateOfInitialCPC on the child's episodes."""
    on_episodes = {episode.icpc_date for episode in child.episodes if episode.icpc_date}
    for _, s47 in _s47s(child):
        if s47.icpc_date in on_episodes:
            yield Hit(s47, detail=f"The conference of {_day(s47.icpc_date)} is also recorded on the episode")


@check(COLLECTION, "2885", fields=("CPPstartDate", "DateOfInitialCPC"))
def cp_plan_not_started_at_icpc(child, context):
    """2885: a CPPstartDate within the census year must equal a section 47's DateOfInitialCPC in its
    episode or, where the episode has no section 47, the episode's DateOfInitialCPC."""
    for episode in child.episodes:
        if episode.s47s:
            conferences = {s47.icpc_date for s47 in episode.s47s if s47.icpc_date}
        else:
            conferences = {episode.icpc_date} if episode.icpc_date else set()
        for plan in episode.cp_plans:
            if context.year.contains(plan.start) and plan.start not in conferences:
                dates = ", ".join(_day(day) for day in sorted(conferences)) or "none"
                yield Hit(
                    plan, detail=f"Plan started {_day(plan.start)}; conferences in the episode: {dates}"
                )


# -- section 47 enquiries and their conferences ------------------------------------------------------------


@check(COLLECTION, "8615", fields=("S47ActualStartDate", "DateOfInitialCPC"))
def s47_start_after_icpc(child, context):
    """8615: within a Section47 group, if DateOfInitialCPC is present then S47ActualStartDate must be
    present and on or before it."""
    for _, s47 in _s47s(child):
        if s47.icpc_date and (s47.start is None or s47.start > s47.icpc_date):
            yield s47


@check(COLLECTION, "8675Q", fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def s47_without_icpc_after_15_working_days(child, context):
    """8675Q: if DateOfInitialCPC is not present and ICPCnotRequired is false, S47ActualStartDate should not
    be before the ReferenceDate minus 15 working days.

    Counted as the DfE validator counts (``ReferenceDate - CustomBusinessDay(14)``, bank holidays of England
    and Wales), also when 31 March is a weekend: see ``core.calendar``.
    """
    earliest = DFE_CALENDAR.add_working_days(context.year.reference_date, -14, counting=Counting.EXCLUSIVE)
    for _, s47 in _s47s(child):
        if _icpc_outstanding(s47) and s47.start and s47.start < earliest:
            yield Hit(
                s47,
                detail=f"Started {_day(s47.start)}; a conference is due by now for enquiries "
                f"started before {_day(earliest)}",
            )


@check(COLLECTION, "8715", fields=("DateOfInitialCPC",))
def icpc_outside_year(child, context):
    """8715: if present, a section 47's DateOfInitialCPC must be within the census year."""
    for _, s47 in _s47s(child):
        if s47.icpc_date and not context.year.contains(s47.icpc_date):
            yield s47


@check(COLLECTION, "8740", fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def s47_awaiting_icpc_started_outside_year(child, context):
    """8740: if a Section47 group has no DateOfInitialCPC and ICPCnotRequired is false, its
    S47ActualStartDate must be within the census year."""
    for _, s47 in _s47s(child):
        if _icpc_outstanding(s47) and s47.start and not context.year.contains(s47.start):
            yield s47


@check(COLLECTION, "8839", fields=("DateOfInitialCPC", "ICPCnotRequired"))
def two_open_s47s(child, context):
    """8839: within one CINdetails group, only one Section47 group may have no DateOfInitialCPC with
    ICPCnotRequired not true."""
    for episode in child.episodes:
        waiting = [s47 for s47 in episode.s47s if _awaiting_icpc(s47)]
        if len(waiting) > 1:
            started = ", ".join(_day(s47.start) for s47 in waiting)
            for s47 in waiting[1:]:
                yield Hit(s47, detail=f"Open enquiries in this episode started {started}")


@check(COLLECTION, "8868", fields=("CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"))
def closed_episode_with_open_s47(child, context):
    """8868: if CINclosureDate is present, every Section47 group must have either a DateOfInitialCPC or
    ICPCnotRequired true (and not both)."""
    for episode in child.episodes:
        if episode.closure_date is None:
            continue
        for s47 in episode.s47s:
            if _awaiting_icpc(s47):
                yield Hit(s47, detail="The enquiry has no conference date and is not flagged as needing none")
            elif s47.icpc_date and s47.icpc_not_required is True:
                yield Hit(s47, detail="The enquiry has a conference date and is flagged as needing none")


@check(COLLECTION, "8870Q", fields=("InitialCPCtarget",))
def icpc_target_at_weekend(child, context):
    """8870Q: where present, InitialCPCtarget should not be a Saturday or Sunday."""
    for _, s47 in _s47s(child):
        if _is_weekend(s47.icpc_target):
            yield Hit(s47, detail=f"{_day(s47.icpc_target)} is a {s47.icpc_target:%A}")


@check(COLLECTION, "8875", fields=("DateOfInitialCPC",))
def icpc_at_weekend(child, context):
    """8875: where present, a section 47's DateOfInitialCPC must not be a Saturday or Sunday."""
    for _, s47 in _s47s(child):
        if _is_weekend(s47.icpc_date):
            yield Hit(s47, detail=f"{_day(s47.icpc_date)} is a {s47.icpc_date:%A}")


@check(COLLECTION, "8890", fields=("S47ActualStartDate", "DateOfInitialCPC"))
def s47_starts_during_another(child, context):
    """8890: within one CINdetails group, no S47ActualStartDate may fall on or between the start and
    DateOfInitialCPC of another Section47 group or, for one awaiting its conference, its start and the
    ReferenceDate."""
    reference_date = context.year.reference_date
    for episode in child.episodes:
        for s47 in episode.s47s:
            if s47.start is None:
                continue
            for other in episode.s47s:
                if other is s47 or not (other.icpc_date or _awaiting_icpc(other)):
                    continue
                if _falls_within(s47.start, other.start, other.icpc_date, reference_date, end_counts=True):
                    yield Hit(s47, detail=f"Another enquiry started {_day(other.start)} was still open")
                    break


# -- child protection plans -------------------------------------------------------------------------------


@check(COLLECTION, "8720", fields=("CPPstartDate",))
def cp_plan_start_missing_or_late(child, context):
    """8720: where a ChildProtectionPlans group is present, CPPstartDate must be present and on or before
    the ReferenceDate."""
    for _, plan in _cp_plans(child):
        if plan.start is None or plan.start > context.year.reference_date:
            yield plan


@check(COLLECTION, "8730", fields=("NumberOfPreviousCPP",))
def previous_plans_missing(child, context):
    """8730: where a ChildProtectionPlans group is present, NumberOfPreviousCPP must be present and zero or
    more."""
    for _, plan in _cp_plans(child):
        if plan.previous_plans is None or plan.previous_plans < 0:
            yield plan


@check(COLLECTION, "8832", fields=("ReferralNFA",))
def cp_plan_after_nfa(child, context):
    """8832: if a CINdetails group has ReferralNFA true, it must have no ChildProtectionPlans group."""
    for episode in child.episodes:
        if episode.referral_nfa is True:
            yield from episode.cp_plans


@check(COLLECTION, "8840", fields=("CPPstartDate", "CPPendDate"))
def cp_plan_starts_and_ends_same_day(child, context):
    """8840: CPPstartDate must not be the same as CPPendDate."""
    for _, plan in _cp_plans(child):
        if plan.start and plan.start == plan.end:
            yield plan


@check(COLLECTION, "8841", fields=("CPPstartDate", "CPPreviewDate"))
def review_not_after_cp_plan_start(child, context):
    """8841: within a ChildProtectionPlans group, no CPPreviewDate may be on or before CPPstartDate."""
    for _, plan in _cp_plans(child):
        for review in plan.reviews:
            if review and plan.start and review <= plan.start:
                yield Hit(plan, detail=f"Review on {_day(review)}, plan started {_day(plan.start)}")


@check(COLLECTION, "8842Q", fields=("CPPreviewDate",))
def review_date_missing(child, context):
    """8842Q: where a Reviews group is present, it should hold a valid CPPreviewDate."""
    for _, plan in _cp_plans(child):
        for review in plan.reviews:
            if review is None:
                yield plan


@check(COLLECTION, "8905", fields=("InitialCategoryOfAbuse",))
def initial_category_invalid(child, context):
    """8905: where a ChildProtectionPlans group is present, InitialCategoryOfAbuse must be present and a
    valid code."""
    valid = context.codes("abuse_category")
    for _, plan in _cp_plans(child):
        if plan.initial_category not in valid:
            yield plan


@check(COLLECTION, "8910", fields=("LatestCategoryOfAbuse",))
def latest_category_invalid(child, context):
    """8910: where a ChildProtectionPlans group is present, LatestCategoryOfAbuse must be present and a
    valid code."""
    valid = context.codes("abuse_category")
    for _, plan in _cp_plans(child):
        if plan.latest_category not in valid:
            yield plan


@check(COLLECTION, "8915", fields=("CPPstartDate", "PersonDeathDate"))
def cp_plan_starts_after_death(child, context):
    """8915: if PersonDeathDate is present, CPPstartDate must be on or before it."""
    for _, plan in _cp_plans(child):
        if child.death_date and plan.start and plan.start > child.death_date:
            yield plan


@check(COLLECTION, "8920", fields=("CPPendDate", "PersonDeathDate"))
def cp_plan_ends_after_death(child, context):
    """8920: if PersonDeathDate is present, CPPendDate must be on or before it."""
    for _, plan in _cp_plans(child):
        if child.death_date and plan.end and plan.end > child.death_date:
            yield plan


@check(COLLECTION, "8925", fields=("CPPstartDate", "CPPendDate"))
def cp_plan_ends_before_start(child, context):
    """8925: if present, CPPendDate must be on or after CPPstartDate."""
    for _, plan in _cp_plans(child):
        if plan.start and plan.end and plan.end < plan.start:
            yield plan


@check(COLLECTION, "8930", fields=("CPPendDate",))
def cp_plan_end_outside_year(child, context):
    """8930: if CPPendDate is present, it must be within the census year."""
    for _, plan in _cp_plans(child):
        if plan.end and not context.year.contains(plan.end):
            yield plan


@check(COLLECTION, "8935", fields=("CPPendDate",))
def two_open_cp_plans(child, context):
    """8935: a child may have only one ChildProtectionPlans group with no CPPendDate.

    Counted over the child, as the message says ("this child is showing more than one open plan"); the DfE
    validator counts within each plan's own record, where two open plans can never meet.
    """
    open_plans = [plan for _, plan in _cp_plans(child) if plan.end is None]
    if len(open_plans) > 1:
        started = ", ".join(_day(plan.start) for plan in open_plans)
        for plan in open_plans[1:]:
            yield Hit(plan, detail=f"Open plans started {started}")


@check(COLLECTION, "8940", fields=("CPPstartDate", "CPPendDate"))
def cp_plans_overlap(child, context):
    """8940: no CPPstartDate may fall on or between another plan's CPPstartDate and CPPendDate or, for an
    open plan, its CPPstartDate and the ReferenceDate."""
    plans = [plan for _, plan in _cp_plans(child)]
    for plan in plans:
        for other in plans:
            if other is plan or plan.start is None:
                continue
            if _falls_within(
                plan.start, other.start, other.end, context.year.reference_date, end_counts=True
            ):
                ending = _day(other.end) if other.end else "still open"
                yield Hit(plan, detail=f"Starts during the plan of {_day(other.start)} to {ending}")
                break


# -- CIN plans and child protection plans -----------------------------------------------------------------


@check(COLLECTION, "4001", fields=("CINPlanEndDate", "CPPendDate"))
def open_cin_plan_with_open_cp_plan(child, context):
    """4001: if a CINdetails group has a ChildProtectionPlans group with no CPPendDate, it must have no
    CINPlanDates group with no CINPlanEndDate."""
    for episode in child.episodes:
        if any(plan.end is None for plan in episode.cp_plans):
            for cin_plan in episode.cin_plans:
                if cin_plan.start and cin_plan.end is None:
                    yield cin_plan


@check(COLLECTION, "4003", fields=("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"))
def cp_review_during_cin_plan(child, context):
    """4003: within a CINdetails group, no CPPreviewDate may fall between a CINPlanStartDate and its
    CINPlanEndDate (or, the CIN plan being open, after its start), unless it equals the CPPendDate.

    The DfE validator looks only at CIN plans that have ended and plans that have ended; the message ("held
    at the same time as an open CIN Plan") and the DfE's condition have neither limit, so this check has
    neither.
    """
    for episode in child.episodes:
        for plan in episode.cp_plans:
            for review in plan.reviews:
                if review is None or review == plan.end:
                    continue
                for cin_plan in episode.cin_plans:
                    # An open CIN plan is open on any day after its start: ``open_until`` is the review.
                    if _falls_within(review, cin_plan.start, cin_plan.end, review):
                        yield Hit(
                            plan,
                            detail=f"Review on {_day(review)} while the CIN plan of "
                            f"{_day(cin_plan.start)} was open",
                        )
                        break


@check(COLLECTION, "4016", fields=("CINPlanStartDate", "CPPstartDate", "CPPendDate"))
def cin_plan_starts_during_cp_plan(child, context):
    """4016: no CINPlanStartDate may fall on or after a CPPstartDate and before its CPPendDate (or on or
    before the ReferenceDate, the plan being open); starting on the CPPendDate is allowed."""
    cp_plans = [plan for _, plan in _cp_plans(child)]
    for episode in child.episodes:
        for cin_plan in episode.cin_plans:
            if cin_plan.start is None:
                continue
            for plan in cp_plans:
                if _falls_within(cin_plan.start, plan.start, plan.end, context.year.reference_date):
                    yield Hit(
                        cin_plan, detail=f"Starts during the child protection plan of {_day(plan.start)}"
                    )
                    break


@check(COLLECTION, "4017", fields=("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"))
def cp_plan_starts_during_cin_plan(child, context):
    """4017: no CPPstartDate may fall on or after a CINPlanStartDate and before its CINPlanEndDate (or on or
    before the ReferenceDate, the CIN plan being open); starting on the CINPlanEndDate is allowed."""
    cin_plans = [cin_plan for episode in child.episodes for cin_plan in episode.cin_plans]
    for _, plan in _cp_plans(child):
        if plan.start is None:
            continue
        for cin_plan in cin_plans:
            if _falls_within(plan.start, cin_plan.start, cin_plan.end, context.year.reference_date):
                yield Hit(plan, detail=f"Starts during the CIN plan of {_day(cin_plan.start)}")
                break
