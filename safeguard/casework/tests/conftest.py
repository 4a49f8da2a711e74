"""Casework fixtures: Alice's child with an open child in need episode, and the records that hang from it.

Time stands still at ``NOW`` (a Wednesday in term, no bank holiday near) for tests that use ``frozen_now``:
the services refuse dates in the future and the deadline engine counts working days, so the dates these
fixtures make must be fixed. Put ``pytestmark = pytest.mark.usefixtures("frozen_now")`` in a module, so that
the clock stops before the ``people`` fixture makes its allocations (dated from "today").
"""

import datetime

import pytest
import time_machine

from safeguard.casework import closure, services
from safeguard.casework.models import (
    CinEpisode,
    ClosureRequest,
    ConferenceDecision,
    S47Outcome,
    StrategyOutcome,
)
from safeguard.compliance.services import compliance_event

NOW = datetime.datetime(2026, 3, 11, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 11)
REFERRAL_DATE = datetime.date(2026, 2, 16)  # a Monday, 17 working days before TODAY
ASSESSMENT_START = datetime.date(2026, 2, 18)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def date_fields(name: str, day: datetime.date | None) -> dict[str, str]:
    """A date as the three boxes of a GOV.UK date input post it."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


CLOSURE_SUMMARY = "Family engaged with the plan; school attendance now good."
RISK_ANALYSIS = "No current risk of significant harm; the school and GP will refer again if concerns return."


def request_closure(episode, user, **changes) -> ClosureRequest:
    """A worker's closure request, with a summary and risk analysis; ``changes`` override any argument."""
    arguments = {
        "episode": episode,
        "requested_by": user,
        "closure_date": TODAY,
        "reason": "RC8",
        "summary": CLOSURE_SUMMARY,
        "risk_analysis": RISK_ANALYSIS,
    }
    return closure.closure_request(**{**arguments, **changes})


def close_by_request(episode, worker_user, manager_user, **changes) -> ClosureRequest:
    """Close ``episode`` the only way a case closes: a worker's request, approved by a manager."""
    request = request_closure(episode, worker_user, **changes)
    return closure.closure_decide(
        request=request,
        decided_by=manager_user,
        approve=True,
        rationale="Agreed: the analysis shows it is safe to close",
        version=request.version,
    )


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def open_episode_for(child, worker, referral_date: datetime.date = REFERRAL_DATE) -> CinEpisode:
    """An open child in need episode, as ``cin_episode_open`` would make it from a referral (without the
    front door's Referral row): the allocated worker's team and area, and the referral's 45 working day
    clock started by the same event the service raises."""
    episode = CinEpisode.objects.create(
        child=child,
        referral_date=referral_date,
        referral_source="2A",
        team=worker.team,
        area=worker.team.area,
        created_by=worker.user,
        modified_by=worker.user,
    )
    compliance_event(
        event="cin_episode.opened",
        child=child,
        on=referral_date,
        scope=episode,
        actor=worker.user,
        team=episode.team,
        area=episode.area,
    )
    return episode


@pytest.fixture
def episode(people):
    return open_episode_for(people.alices_child, people.social_worker)


@pytest.fixture
def assessment(episode, people):
    """An assessment in progress, started by Alice."""
    return services.assessment_start(
        episode=episode, started_by=people.social_worker.user, start_date=ASSESSMENT_START
    )


@pytest.fixture
def submitted_assessment(assessment, people):
    """Alice's assessment, filled in and submitted to her manager."""
    user = people.social_worker.user
    services.assessment_update(
        assessment=assessment,
        updated_by=user,
        version=assessment.version,
        child_seen_on=days_ago(14),
        factors=["3A", "3B", "4B"],
        analysis="Domestic abuse between the parents.\nThe child is frightened at home.",
        outcome="cin_plan",
    )
    return services.assessment_submit(
        assessment=assessment, submitted_by=user, version=assessment.version, on=days_ago(2)
    )


@pytest.fixture
def cin_plan(episode, people):
    return services.cin_plan_start(
        episode=episode,
        started_by=people.social_worker.user,
        start_date=days_ago(10),
        summary="Weekly family support; school to monitor attendance",
    )


@pytest.fixture
def s47(episode, people):
    """A section 47 enquiry, open, started at a strategy discussion five days ago."""
    discussion = services.strategy_discussion_record(
        episode=episode,
        recorded_by=people.social_worker.user,
        held_on=days_ago(5),
        participants="Alice (social care), PC Jones (police), Dr Rao (health)",
        concerns="Bruising to the child's arm, unexplained",
        outcome=StrategyOutcome.SECTION_47,
    )
    return discussion.s47


@pytest.fixture
def s47_needing_conference(s47, people):
    return services.s47_conclude(
        enquiry=s47,
        concluded_by=people.social_worker.user,
        version=s47.version,
        concluded_on=days_ago(3),
        outcome=S47Outcome.CONFERENCE,
        findings="Physical abuse substantiated",
    )


@pytest.fixture
def cp_plan(s47_needing_conference, people):
    """A child protection plan, started at the initial conference two days ago, chaired by Ira (the IRO)."""
    conference = services.initial_conference_record(
        enquiry=s47_needing_conference,
        recorded_by=people.social_worker.user,
        held_on=days_ago(2),
        chair=people.iro,
        decision=ConferenceDecision.PLAN,
        category="PHY",
    )
    return conference.plan_started
