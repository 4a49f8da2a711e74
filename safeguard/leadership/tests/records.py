"""Small helpers that write the records the measures count, directly (the worked examples need exact dates
the services would refuse as being in the past or future)."""

import datetime

from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    ConferenceDecision,
    ConferenceKind,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    StrategyDiscussion,
    StrategyOutcome,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.lookedafter.models import LacEpisode, PeriodOfCare
from tests.factories import ChildFactory


def child(born=datetime.date(2015, 6, 1)):
    return ChildFactory(person__date_of_birth=born)


def episode(kid, day, team, *, closed=None) -> CinEpisode:
    return CinEpisode.objects.create(
        child=kid,
        referral_date=day,
        referral_source="2A",
        team=team,
        area=team.area,
        closure_date=closed,
        closure_reason="RC8" if closed else "",
    )


def assessment(ep, start, authorised) -> Assessment:
    return Assessment.objects.create(
        episode=ep,
        child=ep.child,
        start_date=start,
        status=AssessmentStatus.AUTHORISED,
        submitted_on=authorised,
        authorised_on=authorised,
    )


def s47(ep, start, *, concluded=None) -> S47Enquiry:
    discussion = StrategyDiscussion.objects.create(
        episode=ep,
        child=ep.child,
        held_on=start,
        participants="Police, health",
        concerns="Injury",
        outcome=StrategyOutcome.SECTION_47,
    )
    return S47Enquiry.objects.create(
        episode=ep,
        child=ep.child,
        strategy_discussion=discussion,
        start_date=start,
        concluded_on=concluded,
        outcome=S47Outcome.CONFERENCE if concluded else "",
    )


def conference(enquiry, held_on) -> ChildProtectionConference:
    return ChildProtectionConference.objects.create(
        episode=enquiry.episode,
        child=enquiry.child,
        kind=ConferenceKind.INITIAL,
        s47=enquiry,
        held_on=held_on,
        decision=ConferenceDecision.PLAN,
        category="NEG",
    )


def plan(ep, start, end=None) -> CPPlan:
    enquiry = s47(ep, start, concluded=start)
    return CPPlan.objects.create(
        episode=ep,
        child=ep.child,
        initial_conference=conference(enquiry, start),
        start_date=start,
        end_date=end,
        initial_category="NEG",
        latest_category="NEG",
    )


def looked_after(kid, episodes, *, ended=None) -> PeriodOfCare:
    """A period of care from ``episodes``: (start, reason for new episode, placement, legal status), in order,
    each ending the day the next begins."""
    period = PeriodOfCare.objects.create(
        child=kid, start_date=episodes[0][0], end_date=ended, end_reason="E4A" if ended else ""
    )
    for i, (start, reason, place, legal) in enumerate(episodes):
        last = i == len(episodes) - 1
        end = ended if last else episodes[i + 1][0]
        LacEpisode.objects.create(
            period=period,
            child=kid,
            start_date=start,
            reason_new_episode=reason,
            legal_status=legal,
            need_code="N1",
            placement_type=place,
            end_date=end,
            end_reason=("E4A" if ended else "") if last else "X1",
        )
    return period


def deadline(kid, duty, due_on, *, area, status=DeadlineStatus.OPEN, closed_on=None, breached_on=None):
    return Deadline.objects.create(
        duty_id=duty,
        child=kid,
        scope_type="lookedafter.periodofcare",
        scope_id=1,
        started_by="test",
        starts_on=due_on - datetime.timedelta(days=30),
        due_on=due_on,
        status=status,
        closed_on=closed_on,
        breached_on=breached_on,
        area=area,
    )
