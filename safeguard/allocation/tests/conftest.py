"""Allocation fixtures: time stands still on Thursday 26 November 2026, and helpers that give a child an open
case, a child protection plan, a period of care (with a legal status) or a sibling.

The clock stops before the ``people`` fixture makes its allocations (dated 30 days before "today"): the
services refuse dates in the future, and caseloads are counted on a day.
"""

import datetime

import pytest
import time_machine

from safeguard.casework.models import (
    ChildProtectionConference,
    CinEpisode,
    ConferenceDecision,
    ConferenceKind,
    CPPlan,
    S47Enquiry,
    StrategyDiscussion,
    StrategyOutcome,
)
from safeguard.lookedafter.models import LacEpisode, PeriodOfCare
from safeguard.organisation.models import Role
from safeguard.people.models import Household, HouseholdMembership, Relationship, RelationshipType
from tests.factories import ChildFactory, UserFactory, WorkerFactory

TODAY = datetime.date(2026, 11, 26)
REFERRED = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0), tick=False):
        yield


def open_case(child, team, *, referred=REFERRED) -> CinEpisode:
    """An open child in need episode held by ``team`` (as the front door opens it, without the referral)."""
    return CinEpisode.objects.create(
        child=child, referral_date=referred, referral_source="2A", team=team, area=team.area
    )


def on_cp_plan(child, episode) -> CPPlan:
    """A child protection plan, with the strategy discussion, enquiry and conference it needs."""
    day = episode.referral_date
    strategy = StrategyDiscussion.objects.create(
        episode=episode,
        child=child,
        held_on=day,
        participants="x",
        concerns="x",
        outcome=StrategyOutcome.SECTION_47,
    )
    s47 = S47Enquiry.objects.create(
        episode=episode,
        child=child,
        strategy_discussion=strategy,
        start_date=day,
        outcome="conference",
        concluded_on=day,
    )
    conference = ChildProtectionConference.objects.create(
        episode=episode,
        child=child,
        kind=ConferenceKind.INITIAL,
        s47=s47,
        held_on=day,
        decision=ConferenceDecision.PLAN,
        category="PHY",
    )
    return CPPlan.objects.create(
        episode=episode,
        child=child,
        initial_conference=conference,
        start_date=day,
        initial_category="PHY",
        latest_category="PHY",
    )


def looked_after(child, *, legal_status="V2", since=REFERRED) -> LacEpisode:
    """An open period of care with one open episode under ``legal_status`` (C1: an interim care order)."""
    period = PeriodOfCare.objects.create(child=child, start_date=since)
    return LacEpisode.objects.create(
        period=period,
        child=child,
        start_date=since,
        reason_new_episode="S",
        legal_status=legal_status,
        placement_type="U4",
    )


def siblings(*children) -> None:
    """Record each child after the first as the first's sibling."""
    for other in children[1:]:
        Relationship.objects.create(
            from_person=children[0].person, to_person=other.person, relationship_type=RelationshipType.SIBLING
        )


def same_household(*children) -> Household:
    household = Household.objects.create()
    for child in children:
        HouseholdMembership.objects.create(household=household, person=child.person, start_date=REFERRED)
    return household


def social_worker(username, team, **extra):
    return WorkerFactory(
        user=UserFactory(username=username, first_name=username.capitalize()),
        role=Role.SOCIAL_WORKER,
        team=team,
        **extra,
    )


def children_with_cases(team, count: int) -> list:
    return [open_case(ChildFactory(), team).child for _ in range(count)]
