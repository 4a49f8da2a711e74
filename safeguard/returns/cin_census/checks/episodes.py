"""CIN census checks about each CIN episode and its modules: the referral and its closure, no further action,
assessments and CIN plans, and what each may hold.

Each check reads the DfE's rule of the same code (its condition is quoted, in plain words, in the check's
docstring; the DfE-community validator ``data-to-insight/csc-validator-be-cin``, ``cin_validator/rules``,
implements the same text). Where the validator and the DfE's text differ, the text wins: "within the census
year" includes its first and last days, and the start of an episode may fall on the day the previous one
closed (8820).

A referral that "led to further action" is one not flagged as a referral with no further action
(``referral_nfa is not True``); a missing flag is reported once, by 8568.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator

from safeguard.core.calendar import Counting
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.cin_census.context import DFE_CALENDAR
from safeguard.returns.rules import Hit, check

COLLECTION = "cin_census"


CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})  # RC8 no further action; RC9 referred to early help
DIED = "RC2"
NO_FACTORS = "21"  # "No factors identified", which must stand alone (8869)
# Referrals from this day on must give their source (8866).
REFERRAL_SOURCE_FROM = datetime.date(2013, 4, 1)
# "40 weeks": a referral may come before birth, but not by more than a pregnancy (8606).
PREGNANCY = datetime.timedelta(weeks=40)


# -- helpers ------------------------------------------------------------------------------------------------


def _further_action(episode) -> bool:
    """The referral was not marked "no further action" (a missing flag is 8568's finding, not this)."""
    return episode.referral_nfa is not True


def _period(start, end) -> str:
    return f"{_day(start)} to {_day(end)}" if end else f"{_day(start)}, still open"


def _falls_within(day, start, end) -> bool:
    """``start <= day <= end``: ``day`` falls on or between two dates (``end`` is always given)."""
    return start is not None and day is not None and start <= day <= end


def _factor_codes(assessment) -> list[str]:
    return [code.strip().upper() for code in assessment.factors]


def _each_other(items: list) -> Iterator[tuple[object, list]]:
    """Each item with the list of the others (by position, so two equal records are still two)."""
    for index, item in enumerate(items):
        yield item, items[:index] + items[index + 1 :]


def _all_cin_plans(child) -> list:
    return [plan for episode in child.episodes for plan in episode.cin_plans]


def _listed(parts: Iterable[str]) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- the referral and the episode ---------------------------------------------------------------------------


@check(COLLECTION, "8555Q", fields=("CINreferralDate", "PersonDeathDate"))
def referral_after_death(child, context):
    """8555Q: if the child's date of death is present, the referral must be on or before it."""
    if child.death_date is None:
        return
    for episode in child.episodes:
        if episode.referral_date and episode.referral_date > child.death_date:
            yield Hit(
                episode, detail=f"referred {_day(episode.referral_date)}, died {_day(child.death_date)}"
            )


@check(COLLECTION, "8568", fields=("ReferralNFA",))
def referral_nfa_missing(child, context):
    """8568: the "referral with no further action" flag must be present (true or false)."""
    for episode in child.episodes:
        if episode.referral_nfa is None:
            yield episode


@check(COLLECTION, "8569Q", fields=("CINreferralDate", "ReferralNFA"))
def old_referral_marked_nfa(child, context):
    """8569Q: a referral made before the working day before the census year began must not be marked "no
    further action"."""
    last_working_day_before = DFE_CALENDAR.add_working_days(
        context.year.start, -1, counting=Counting.EXCLUSIVE
    )
    for episode in child.episodes:
        if (
            episode.referral_date
            and episode.referral_date < last_working_day_before
            and episode.referral_nfa is not False
        ):
            yield Hit(
                episode,
                detail=f"referred {_day(episode.referral_date)}, before {_day(last_working_day_before)}",
            )


@check(COLLECTION, "8585Q", fields=("ReasonForClosure", "PersonDeathDate"))
def closed_as_died_without_death_date(child, context):
    """8585Q: an episode closed because the child died (RC2) needs the child's date of death."""
    if child.death_date is not None:
        return
    for episode in child.episodes:
        if episode.closure_reason == DIED:
            yield episode


@check(COLLECTION, "8600", fields=("CINreferralDate",))
def referral_missing_or_after_year(child, context):
    """8600: the referral date must be present and on or before the census reference date."""
    for episode in child.episodes:
        if episode.referral_date is None or episode.referral_date > context.year.reference_date:
            yield episode


@check(COLLECTION, "8606", fields=("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"))
def referral_long_before_birth(child, context):
    """8606: the referral cannot be more than 40 weeks (280 days) before the date of birth or the expected
    date of birth."""
    births = [day for day in (child.birth_date, child.expected_birth_date) if day]
    for episode in child.episodes:
        if episode.referral_date is None:
            continue
        for birth in births:
            if episode.referral_date < birth - PREGNANCY:
                yield Hit(
                    episode, detail=f"referred {_day(episode.referral_date)}, born or due {_day(birth)}"
                )
                break


@check(COLLECTION, "8610", fields=("ReferralNFA", "PrimaryNeedCode"))
def primary_need_missing(child, context):
    """8610: a referral that led to further action must give a primary need code."""
    for episode in child.episodes:
        if _further_action(episode) and not episode.primary_need:
            yield episode


@check(COLLECTION, "8620", fields=("CINclosureDate",))
def closure_outside_year(child, context):
    """8620: a closure date, where present, must fall within the census year."""
    for episode in child.episodes:
        if episode.closure_date and not context.year.contains(episode.closure_date):
            yield Hit(episode, detail=f"closed {_day(episode.closure_date)}")


@check(COLLECTION, "8630", fields=("CINreferralDate", "CINclosureDate"))
def closure_before_referral(child, context):
    """8630: a closure date, where present, must be on or after the referral date of the same episode."""
    for episode in child.episodes:
        if episode.closure_date and episode.referral_date and episode.closure_date < episode.referral_date:
            yield episode


@check(COLLECTION, "8640", fields=("ReasonForClosure",))
def closure_reason_invalid(child, context):
    """8640: a reason for closure, where present, must be a code of the year's list."""
    valid = context.codes("closure_reason")
    for episode in child.episodes:
        if episode.closure_reason and episode.closure_reason not in valid:
            yield Hit(episode, detail=f"{episode.closure_reason!r} is not a reason for closure")


@check(COLLECTION, "8650", fields=("PrimaryNeedCode",))
def primary_need_invalid(child, context):
    """8650: a primary need code, where present, must be a code of the year's list."""
    valid = context.codes("primary_need")
    for episode in child.episodes:
        if episode.primary_need and episode.primary_need not in valid:
            yield Hit(episode, detail=f"{episode.primary_need!r} is not a primary need code")


@check(COLLECTION, "8805", fields=("CINclosureDate", "ReasonForClosure"))
def closure_date_without_reason(child, context):
    """8805: an episode with a closure date must give a reason for closure."""
    for episode in child.episodes:
        if episode.closure_date and not episode.closure_reason:
            yield episode


@check(COLLECTION, "8810", fields=("ReasonForClosure", "CINclosureDate"))
def closure_reason_without_date(child, context):
    """8810: an episode with a reason for closure must give a closure date."""
    for episode in child.episodes:
        if episode.closure_reason and not episode.closure_date:
            yield episode


@check(COLLECTION, "8815", fields=("CINclosureDate", "ReferralNFA"))
def several_open_episodes(child, context):
    """8815: a child may have only one open episode (no closure date) that is not a referral with no further
    action."""
    open_episodes = [e for e in child.episodes if e.is_open and _further_action(e)]
    if len(open_episodes) > 1:
        for episode in open_episodes:
            yield Hit(episode, detail=f"{len(open_episodes)} open episodes")


@check(COLLECTION, "8816", fields=("CINreferralDate", "ReferralNFA"))
def open_episode_not_latest(child, context):
    """8816: an open episode that is not a referral with no further action must have the latest referral date
    of all the child's episodes."""
    referrals = [e.referral_date for e in child.episodes if e.referral_date]
    if not referrals:
        return
    latest = max(referrals)
    for episode in child.episodes:
        referred = episode.referral_date
        if episode.is_open and _further_action(episode) and referred and referred != latest:
            yield Hit(episode, detail=f"referred {_day(referred)}; the latest referral is {_day(latest)}")


@check(COLLECTION, "8820", fields=("CINreferralDate", "CINclosureDate"))
def episodes_overlap(child, context):
    """8820: no episode's referral date may fall within another episode of the child: on or after its
    referral and before its closure, or up to the reference date if it is open and not a referral with no
    further action (an episode may start on the day the previous one closed)."""
    reference_date = context.year.reference_date
    for episode, others in _each_other(child.episodes):
        start = episode.referral_date
        if start is None:
            continue
        for other in others:
            if other.referral_date is None or other.referral_date > start:
                continue
            if other.closure_date:
                overlaps = start < other.closure_date
            else:
                overlaps = _further_action(other) and start <= reference_date
            if overlaps:
                period = _period(other.referral_date, other.closure_date)
                yield Hit(episode, detail=f"referred {_day(start)}, within the episode {period}")
                break


@check(COLLECTION, "8866", fields=("CINreferralDate", "ReferralSource"))
def referral_source_invalid(child, context):
    """8866: a referral made on or after 1 April 2013 must give its source, a code of the year's list."""
    valid = context.codes("referral_source")
    for episode in child.episodes:
        required = episode.referral_date and episode.referral_date >= REFERRAL_SOURCE_FROM
        if required and episode.referral_source not in valid:
            shown = repr(episode.referral_source) if episode.referral_source else "no source"
            yield Hit(episode, detail=f"{shown} is not a referral source")


# -- activity on episodes that should have none -------------------------------------------------------------


def _activity_after(episode, closure: datetime.date) -> Iterator[tuple[object, tuple[str, ...], list]]:
    """Each module of ``episode`` with dates after ``closure``: (node, its fields, its dates). The dates the
    DfE counts as activity (rule 8565): assessment start and authorisation, s47 start, initial conference,
    CP plan end, CIN plan start and end."""
    candidates = [(episode, ("DateOfInitialCPC",), [episode.icpc_date])]
    candidates += [
        (a, ("AssessmentActualStartDate", "AssessmentAuthorisationDate"), [a.start, a.authorised])
        for a in episode.assessments
    ]
    candidates += [
        (s, ("S47ActualStartDate", "DateOfInitialCPC"), [s.start, s.icpc_date]) for s in episode.s47s
    ]
    candidates += [(p, ("CPPendDate",), [p.end]) for p in episode.cp_plans]
    candidates += [(p, ("CINPlanStartDate", "CINPlanEndDate"), [p.start, p.end]) for p in episode.cin_plans]
    for node, names, days in candidates:
        late = [(name, day) for name, day in zip(names, days, strict=True) if day and day > closure]
        if late:
            yield node, tuple(name for name, _ in late), [day for _, day in late]


@check(COLLECTION, "8565", fields=("CINclosureDate",))
def activity_after_closure(child, context):
    """8565: a closure date, where present, must be on or after every assessment start and authorisation,
    s47 start, initial conference, CP plan end, and CIN plan start and end of the episode."""
    for episode in child.episodes:
        if episode.closure_date is None:
            continue
        for node, names, days in _activity_after(episode, episode.closure_date):
            after = _listed(_day(day) for day in days)
            yield Hit(
                node,
                fields=("CINclosureDate", *names),
                detail=f"{after}, after the closure on {_day(episode.closure_date)}",
            )


@check(COLLECTION, "8831", fields=("ReferralNFA",))
def activity_on_nfa_referral(child, context):
    """8831: a referral with no further action cannot have an assessment (start or authorisation), a section
    47 enquiry start or an initial child protection conference."""
    for episode in child.episodes:
        if episode.referral_nfa is not True:
            continue
        found = []
        if any(a.start or a.authorised for a in episode.assessments):
            found.append("an assessment")
        if any(s.start for s in episode.s47s):
            found.append("a section 47 enquiry")
        if episode.icpc_date or any(s.icpc_date for s in episode.s47s):
            found.append("an initial child protection conference")
        if found:
            yield Hit(episode, detail=f"marked no further action, but has {_listed(found)}")


@check(COLLECTION, "2990", fields=("ReasonForClosure",))
def activity_after_closed_assessment(child, context):
    """2990: an episode closed after assessment (RC8 no further action, RC9 referred to early help) cannot
    have a section 47 enquiry, a child protection plan, an initial conference date or a CIN plan."""
    for episode in child.episodes:
        if episode.closure_reason not in CLOSED_AFTER_ASSESSMENT:
            continue
        found = []
        if episode.s47s:
            found.append("a section 47 enquiry")
        if episode.cp_plans:
            found.append("a child protection plan")
        if episode.icpc_date:
            found.append("an initial child protection conference")
        if episode.cin_plans:
            found.append("a CIN plan")
        if found:
            yield Hit(episode, detail=f"closed as {episode.closure_reason}, but has {_listed(found)}")


@check(COLLECTION, "8825Q", fields=("ReasonForClosure",))
def closed_after_assessment_without_one(child, context):
    """8825Q: an episode closed after assessment (RC8 or RC9) should have at least one assessment."""
    for episode in child.episodes:
        if episode.closure_reason in CLOSED_AFTER_ASSESSMENT and not episode.assessments:
            yield episode


@check(COLLECTION, "2991Q", fields=("S47ActualStartDate", "AssessmentActualStartDate"))
def s47_without_assessment(child, context):
    """2991Q: an episode with a section 47 enquiry should have an assessment."""
    for episode in child.episodes:
        if episode.s47s and not episode.assessments:
            yield episode


# -- assessments --------------------------------------------------------------------------------------------


@check(COLLECTION, "1103", fields=("AssessmentActualStartDate", "CINreferralDate"))
def assessment_before_referral(child, context):
    """1103: an assessment's start date, where present, must be on or after the episode's referral date."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.start and episode.referral_date and assessment.start < episode.referral_date:
                yield Hit(
                    assessment,
                    detail=f"started {_day(assessment.start)}, referred {_day(episode.referral_date)}",
                )


@check(COLLECTION, "8608", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_ends_before_start(child, context):
    """8608: an assessment's authorisation date, where present, must be on or after its start date."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.start and assessment.authorised and assessment.authorised < assessment.start:
                yield assessment


@check(COLLECTION, "8614", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def factors_on_open_assessment(child, context):
    """8614: an assessment without an authorisation date must not give factors identified at assessment."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.authorised is None and assessment.factors:
                yield assessment


@check(COLLECTION, "8670Q", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_open_too_long(child, context):
    """8670Q: an assessment with no authorisation date should not have started before the reference date
    minus 45 working days."""
    # The DfE's validator subtracts ``CustomBusinessDay(44)`` from the reference date (its 45 working days
    # count the last one); core.calendar reproduces that, 31 March at a weekend included, as below.
    earliest = DFE_CALENDAR.add_working_days(context.year.reference_date, -44, counting=Counting.EXCLUSIVE)
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.authorised is None and assessment.start and assessment.start < earliest:
                yield Hit(
                    assessment,
                    detail=f"started {_day(assessment.start)} and not authorised; "
                    f"45 working days before the reference date is {_day(earliest)}",
                )


@check(COLLECTION, "8696", fields=("AssessmentAuthorisationDate",))
def assessment_authorised_outside_year(child, context):
    """8696: an assessment's authorisation date, where present, must fall within the census year."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.authorised and not context.year.contains(assessment.authorised):
                yield Hit(assessment, detail=f"authorised {_day(assessment.authorised)}")


@check(COLLECTION, "8736", fields=("AssessmentAuthorisationDate", "AssessmentActualStartDate"))
def open_assessment_started_outside_year(child, context):
    """8736: an assessment without an authorisation date must have started within the census year."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            if (
                assessment.authorised is None
                and assessment.start
                and not context.year.contains(assessment.start)
            ):
                yield Hit(assessment, detail=f"started {_day(assessment.start)}")


@check(COLLECTION, "8863Q", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_starts_during_another(child, context):
    """8863Q: within an episode, no assessment should start on or between another assessment's start and its
    authorisation date (or the reference date, if it has none)."""
    reference_date = context.year.reference_date
    for episode in child.episodes:
        for assessment, others in _each_other(episode.assessments):
            for other in others:
                if _falls_within(assessment.start, other.start, other.authorised or reference_date):
                    period = _period(other.start, other.authorised)
                    yield Hit(
                        assessment,
                        detail=f"started {_day(assessment.start)}, during the assessment {period}",
                    )
                    break


@check(COLLECTION, "8867", fields=("CINclosureDate", "AssessmentAuthorisationDate"))
def closed_episode_with_open_assessment(child, context):
    """8867: every assessment of an episode with a closure date must have an authorisation date."""
    for episode in child.episodes:
        if episode.closure_date is None:
            continue
        for assessment in episode.assessments:
            if assessment.authorised is None:
                yield Hit(assessment, detail=f"episode closed {_day(episode.closure_date)}")


@check(COLLECTION, "8869", fields=("AssessmentFactors",))
def no_factors_with_others(child, context):
    """8869: the factor "21" (no factors identified) must be the only factor of its assessment."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            codes = _factor_codes(assessment)
            if NO_FACTORS in codes and any(code != NO_FACTORS for code in codes):
                yield assessment


@check(COLLECTION, "8873Q", fields=("ReasonForClosure", "AssessmentFactors"))
def no_factors_but_not_closed_after_assessment(child, context):
    """8873Q: an episode whose only assessment gives the factor "21" (no factors identified) should be closed
    after assessment (RC8 or RC9)."""
    for episode in child.episodes:
        if len(episode.assessments) != 1 or NO_FACTORS not in _factor_codes(episode.assessments[0]):
            continue
        if episode.closure_reason not in CLOSED_AFTER_ASSESSMENT:
            reason = episode.closure_reason or "no reason for closure"
            yield Hit(episode, detail=f"{reason}, not RC8 or RC9")


@check(COLLECTION, "8896", fields=("AssessmentAuthorisationDate",))
def several_open_assessments(child, context):
    """8896: an episode may have only one assessment without an authorisation date."""
    for episode in child.episodes:
        open_assessments = [a for a in episode.assessments if a.authorised is None]
        if len(open_assessments) > 1:
            for assessment in open_assessments:
                yield Hit(assessment, detail=f"{len(open_assessments)} open assessments in the episode")


@check(COLLECTION, "8897Q", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def completed_assessment_without_factors(child, context):
    """8897Q: an assessment authorised on or after the start of the census year should give one or more
    factors, each a code of the year's list."""
    valid = context.codes("assessment_factor")
    for episode in child.episodes:
        for assessment in episode.assessments:
            if assessment.authorised is None or assessment.authorised < context.year.start:
                continue
            codes = _factor_codes(assessment)
            if not codes:
                yield Hit(assessment, detail="no factors")
            elif invalid := [code for code in codes if code not in valid]:
                yield Hit(assessment, detail=f"not factor codes: {', '.join(invalid)}")


@check(COLLECTION, "8898", fields=("AssessmentFactors",))
def factor_repeated(child, context):
    """8898: no factor may appear more than once in an assessment."""
    for episode in child.episodes:
        for assessment in episode.assessments:
            repeated = [code for code, count in Counter(_factor_codes(assessment)).items() if count > 1]
            if repeated:
                yield Hit(assessment, detail=f"repeated: {', '.join(repeated)}")


def _assessments_with_factor(child, factor: str) -> Iterator:
    for episode in child.episodes:
        for assessment in episode.assessments:
            if factor in _factor_codes(assessment):
                yield assessment


@check(COLLECTION, "8945Q", fields=("AssessmentFactors",))
def physical_abuse_without_perpetrator(child, context):
    """8945Q: the factor 18A should not be used; 18B (child on child) or 18C (adult on child) should."""
    yield from _assessments_with_factor(child, "18A")


@check(COLLECTION, "8950Q", fields=("AssessmentFactors",))
def sexual_abuse_without_perpetrator(child, context):
    """8950Q: the factor 19A should not be used; 19B (child on child) or 19C (adult on child) should."""
    yield from _assessments_with_factor(child, "19A")


# -- CIN plans ----------------------------------------------------------------------------------------------


@check(COLLECTION, "4000", fields=("ReferralNFA", "CINPlanStartDate"))
def cin_plan_on_nfa_referral(child, context):
    """4000: a referral with no further action cannot have a CIN plan."""
    for episode in child.episodes:
        if episode.referral_nfa is True and episode.cin_plans:
            yield episode


@check(COLLECTION, "4004", fields=("CINPlanEndDate",))
def several_open_cin_plans(child, context):
    """4004: an episode may have only one CIN plan without an end date."""
    for episode in child.episodes:
        open_plans = [plan for plan in episode.cin_plans if plan.end is None]
        if len(open_plans) > 1:
            for plan in open_plans:
                yield Hit(plan, detail=f"{len(open_plans)} open CIN plans in the episode")


@check(COLLECTION, "4008", fields=("CINPlanStartDate", "PersonDeathDate"))
def cin_plan_starts_after_death(child, context):
    """4008: if the child's date of death is present, each CIN plan must start on or before it."""
    if child.death_date is None:
        return
    for plan in _all_cin_plans(child):
        if plan.start and plan.start > child.death_date:
            yield Hit(plan, detail=f"started {_day(plan.start)}, died {_day(child.death_date)}")


@check(COLLECTION, "4009Q", fields=("CINPlanEndDate", "PersonDeathDate"))
def cin_plan_ends_after_death(child, context):
    """4009Q: if the child's date of death is present, each CIN plan should end on or before it."""
    if child.death_date is None:
        return
    for plan in _all_cin_plans(child):
        if plan.end and plan.end > child.death_date:
            yield Hit(plan, detail=f"ended {_day(plan.end)}, died {_day(child.death_date)}")


@check(COLLECTION, "4010", fields=("CINPlanStartDate",))
def cin_plan_start_missing_or_after_year(child, context):
    """4010: a CIN plan's start date must be present and on or before the reference date."""
    for plan in _all_cin_plans(child):
        if plan.start is None or plan.start > context.year.reference_date:
            yield plan


@check(COLLECTION, "4011", fields=("CINPlanEndDate", "CINPlanStartDate"))
def cin_plan_ends_before_start(child, context):
    """4011: a CIN plan's end date, where present, must be on or after its start date."""
    for plan in _all_cin_plans(child):
        if plan.start and plan.end and plan.end < plan.start:
            yield plan


@check(COLLECTION, "4012Q", fields=("CINPlanStartDate", "CINPlanEndDate"))
def cin_plan_starts_and_ends_same_day(child, context):
    """4012Q: a CIN plan should not start and end on the same day."""
    for plan in _all_cin_plans(child):
        if plan.start and plan.start == plan.end:
            yield plan


@check(COLLECTION, "4013", fields=("CINPlanEndDate",))
def cin_plan_end_outside_year(child, context):
    """4013: a CIN plan's end date, where present, must fall within the census year."""
    for plan in _all_cin_plans(child):
        if plan.end and not context.year.contains(plan.end):
            yield Hit(plan, detail=f"ended {_day(plan.end)}")


@check(COLLECTION, "4014", fields=("CINPlanStartDate", "CINPlanEndDate"))
def cin_plans_overlap(child, context):
    """4014: no CIN plan of the child may start on or between another plan's start and end date (or the
    reference date, if it has none)."""
    reference_date = context.year.reference_date
    for plan, others in _each_other(_all_cin_plans(child)):
        for other in others:
            if _falls_within(plan.start, other.start, other.end or reference_date):
                yield Hit(
                    plan,
                    detail=f"started {_day(plan.start)}, during the CIN plan {_period(other.start, other.end)}",
                )
                break


@check(COLLECTION, "4015", fields=("CINPlanStartDate", "CINreferralDate"))
def cin_plan_before_referral(child, context):
    """4015: a CIN plan's start date, where present, must be on or after the episode's referral date."""
    for episode in child.episodes:
        for plan in episode.cin_plans:
            if plan.start and episode.referral_date and plan.start < episode.referral_date:
                yield Hit(plan, detail=f"started {_day(plan.start)}, referred {_day(episode.referral_date)}")
