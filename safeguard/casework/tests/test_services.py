"""Casework transitions: what each service allows, what it refuses, and the statutory clocks it starts and meets."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework import closure, services
from safeguard.casework.models import (
    AssessmentOutcome,
    AssessmentStatus,
    CinEpisode,
    CinPlan,
    ClosureRequest,
    ConferenceDecision,
    CPPlan,
    S47Outcome,
    StrategyOutcome,
    VisitLocation,
)
from safeguard.casework.tests.conftest import close_by_request, request_closure
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.services import compliance_event
from safeguard.frontdoor.models import Outcome
from safeguard.frontdoor.services import contact_decide, contact_record
from safeguard.organisation.models import Allocation

D = datetime.date


def on(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture(autouse=True)
def allocated_long_ago(people):
    """The personas' allocations began before the dates these tests travel to."""
    Allocation.objects.update(start_date=D(2020, 1, 1))


@pytest.fixture
def episode(people):
    """An open episode for Alice's child, referred on Wednesday 1 April 2026 (Easter is 3-6 April)."""
    with on(D(2026, 4, 1)):
        episode = CinEpisode.objects.create(
            child=people.alices_child,
            referral_date=D(2026, 4, 1),
            referral_source="2A",
            team=people.north_team,
            area=people.north,
        )
        compliance_event(
            event="cin_episode.opened", child=episode.child, on=episode.referral_date, scope=episode
        )
    return episode


def open_deadlines(child):
    return {deadline.duty_id: deadline for deadline in Deadline.objects.open().filter(child=child)}


def test_a_referral_opens_the_episode_and_its_45_working_day_clock(people):
    child = people.unallocated_child
    with on(D(2025, 12, 3)):
        contact = contact_record(
            recorded_by=people.front_door.user,
            child=child,
            team=people.front_door_team,
            area=people.north,
            source="2A",
            reported="Bruising seen at school",
            worry="Physical harm",
            consent="given",
        )
        contact_decide(
            contact=contact,
            decided_by=people.hos.user,
            level_of_need="child_in_need",
            rag="amber",
            rationale="Needs an assessment",
            outcome=Outcome.ASSESSMENT,
            primary_need="N1",
        )
    episode = CinEpisode.objects.get(child=child)
    assert (episode.referral_date, episode.referral_source, episode.referral) == (
        D(2025, 12, 3),
        "2A",
        contact.referral,
    )
    assert open_deadlines(child)["assessment_from_referral"].due_on == D(2026, 2, 9)


def test_an_urgent_referral_about_a_child_with_an_open_case_joins_it(people, episode):
    child = people.alices_child
    with on(D(2026, 4, 2)):
        contact = contact_record(
            recorded_by=people.front_door.user,
            child=child,
            team=people.front_door_team,
            area=people.north,
            source="6",
            reported="Police called to the home",
            worry="Injury to the child",
            consent="not_sought_risk",
        )
        contact_decide(
            contact=contact,
            decided_by=people.hos.user,
            level_of_need="child_protection",
            rag="red",
            rationale="Significant harm suspected",
            outcome=Outcome.STRATEGY_DISCUSSION,
            primary_need="N1",
        )
    assert CinEpisode.objects.filter(child=child).count() == 1
    strategy = open_deadlines(child)["strategy_discussion"]
    assert (strategy.scope_id, strategy.due_on) == (
        episode.pk,
        D(2026, 4, 7),
    )  # past Good Friday and Easter Monday


def test_an_assessment_from_start_to_authorisation(people, episode):
    worker, manager = people.social_worker.user, people.team_manager.user
    with on(D(2026, 4, 2)):
        assessment = services.assessment_start(episode=episode, started_by=worker, start_date=D(2026, 4, 2))
    # 45 working days from Thursday 2 April 2026, past Good Friday, Easter Monday and the May bank holidays.
    assert open_deadlines(episode.child)["assessment_from_start"].due_on == D(2026, 6, 10)
    with on(D(2026, 5, 1)):
        services.assessment_update(
            assessment=assessment,
            updated_by=worker,
            version=assessment.version,
            child_seen_on=D(2026, 4, 8),
            factors=["3A", "4B"],
            analysis="Domestic abuse between the parents; mother's mental health.",
            outcome=AssessmentOutcome.CIN_PLAN,
        )
        services.assessment_submit(assessment=assessment, submitted_by=worker, version=assessment.version)
        with pytest.raises(PermissionDenied):
            services.assessment_authorise(
                assessment=assessment, authorised_by=worker, version=assessment.version, primary_need="N1",
                rationale="Agreed",
            )  # fmt: skip
        with pytest.raises(ValidationError, match="reasons for authorising"):
            services.assessment_authorise(
                assessment=assessment, authorised_by=manager, version=assessment.version, primary_need="N1",
                rationale=" ",
            )  # fmt: skip
        services.assessment_authorise(
            assessment=assessment, authorised_by=manager, version=assessment.version, primary_need="N1",
            rationale="The analysis supports a child in need plan.",
        )  # fmt: skip
    assessment.refresh_from_db()
    episode.refresh_from_db()
    assert (assessment.status, assessment.authorised_on, episode.primary_need) == (
        AssessmentStatus.AUTHORISED,
        D(2026, 5, 1),
        "N1",
    )
    met = Deadline.objects.filter(child=episode.child, status=DeadlineStatus.MET)
    assert set(met.values_list("duty_id", flat=True)) == {"assessment_from_referral", "assessment_from_start"}
    assert not met.filter(breached_on__isnull=False).exists()
    actions = list(
        AuditEvent.objects.filter(entity_type="casework.assessment").values_list("action", flat=True)
    )
    assert actions == [
        "assessment.started",
        "assessment.updated",
        "assessment.submitted",
        "assessment.authorised",
    ]


def test_an_assessment_authorised_late_is_a_breach_of_both_clocks(people, episode):
    with on(D(2026, 4, 1)):
        assessment = services.assessment_start(
            episode=episode, started_by=people.social_worker.user, start_date=D(2026, 4, 1)
        )
        services.assessment_update(
            assessment=assessment,
            updated_by=people.social_worker.user,
            version=1,
            child_seen_on=D(2026, 4, 1),
            factors=["21"],
            analysis="No concerns",
            outcome=AssessmentOutcome.NO_FURTHER_ACTION,
        )
        services.assessment_submit(assessment=assessment, submitted_by=people.social_worker.user, version=2)
    with on(D(2026, 6, 15)):
        services.assessment_authorise(
            assessment=assessment, authorised_by=people.team_manager.user, version=3, primary_need="N9",
            rationale="No concerns found",
        )  # fmt: skip
    late = Deadline.objects.filter(child=episode.child, breached_on__isnull=False)
    assert {(d.duty_id, d.due_on, d.days_late) for d in late} == {
        ("assessment_from_referral", D(2026, 6, 9), 6),
        ("assessment_from_start", D(2026, 6, 9), 6),
    }


def test_only_one_assessment_is_open_at_a_time(people, episode):
    with on(D(2026, 4, 2)):
        services.assessment_start(
            episode=episode, started_by=people.social_worker.user, start_date=D(2026, 4, 2)
        )
        with pytest.raises(ValidationError, match="already has an assessment in progress"):
            services.assessment_start(
                episode=episode, started_by=people.colleague.user, start_date=D(2026, 4, 2)
            )


def test_assessment_guards(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 2)):
        with pytest.raises(ValidationError, match="before the referral"):
            services.assessment_start(episode=episode, started_by=worker, start_date=D(2026, 3, 31))
        with pytest.raises(ValidationError, match="future"):
            services.assessment_start(episode=episode, started_by=worker, start_date=D(2026, 4, 3))
        with pytest.raises(PermissionDenied):
            services.assessment_start(
                episode=episode, started_by=people.other_worker.user, start_date=D(2026, 4, 2)
            )
        with pytest.raises(PermissionDenied):
            services.assessment_start(
                episode=episode, started_by=people.inspector.user, start_date=D(2026, 4, 2)
            )
        assessment = services.assessment_start(episode=episode, started_by=worker, start_date=D(2026, 4, 2))
        with pytest.raises(ValidationError) as refused:
            services.assessment_submit(assessment=assessment, submitted_by=worker, version=1)
        assert set(refused.value.message_dict) == {"child_seen_on", "factors", "analysis", "outcome"}
        with pytest.raises(ValidationError, match="8869"):
            services.assessment_update(
                assessment=assessment,
                updated_by=worker,
                version=1,
                child_seen_on=None,
                factors=["21", "3A"],
                analysis="",
                outcome="",
            )
        with pytest.raises(ValidationError, match="not assessment factor codes: 99Z"):
            services.assessment_update(
                assessment=assessment,
                updated_by=worker,
                version=1,
                child_seen_on=None,
                factors=["99Z"],
                analysis="",
                outcome="",
            )


def test_a_second_save_of_an_assessment_is_told_who_changed_what(people, episode):
    with on(D(2026, 4, 2)):
        assessment = services.assessment_start(
            episode=episode, started_by=people.social_worker.user, start_date=D(2026, 4, 2)
        )
        seen_by_carl = type(assessment).objects.get(pk=assessment.pk)
        services.assessment_update(
            assessment=assessment,
            updated_by=people.social_worker.user,
            version=1,
            child_seen_on=D(2026, 4, 2),
            factors=["16A"],
            analysis="Alice's analysis",
            outcome="",
        )
        with pytest.raises(services.VersionConflict, match="Alice.*after you opened it.*analysis"):
            services.assessment_update(
                assessment=seen_by_carl,
                updated_by=people.colleague.user,
                version=seen_by_carl.version,
                child_seen_on=None,
                factors=[],
                analysis="Carl's analysis",
                outcome="",
            )
    assessment.refresh_from_db()
    assert assessment.analysis == "Alice's analysis"


def test_child_protection_from_strategy_discussion_to_plan_end(people, episode):
    worker, child = people.social_worker.user, people.alices_child
    with on(D(2026, 4, 10)):
        cin_plan = services.cin_plan_start(
            episode=episode, started_by=worker, start_date=D(2026, 4, 10), summary="Support at home"
        )
    with on(D(2026, 4, 14)):
        discussion = services.strategy_discussion_record(
            episode=episode,
            recorded_by=worker,
            held_on=D(2026, 4, 14),
            participants="Police, school nurse, social worker",
            concerns="Disclosure at school",
            outcome=StrategyOutcome.SECTION_47,
        )
        enquiry = discussion.s47
        assert open_deadlines(child)["initial_cp_conference"].due_on == D(2026, 5, 6)
        with pytest.raises(ValidationError, match="already open"):
            services.strategy_discussion_record(
                episode=episode,
                recorded_by=worker,
                held_on=D(2026, 4, 14),
                participants="Police",
                concerns="Again",
                outcome=StrategyOutcome.SECTION_47,
            )
    with on(D(2026, 4, 28)):
        with pytest.raises(ValidationError, match="Conclude the section 47"):
            services.initial_conference_record(
                enquiry=enquiry,
                recorded_by=worker,
                held_on=D(2026, 4, 28),
                chair=people.iro,
                decision=ConferenceDecision.PLAN,
                category="PHY",
            )
        services.s47_conclude(
            enquiry=enquiry,
            concluded_by=worker,
            version=enquiry.version,
            concluded_on=D(2026, 4, 27),
            outcome=S47Outcome.CONFERENCE,
            findings="Injuries consistent with the account",
        )
        with pytest.raises(ValidationError, match="independent chair"):
            services.initial_conference_record(
                enquiry=enquiry,
                recorded_by=worker,
                held_on=D(2026, 4, 28),
                chair=people.colleague,
                decision=ConferenceDecision.PLAN,
                category="PHY",
            )
        conference = services.initial_conference_record(
            enquiry=enquiry,
            recorded_by=worker,
            held_on=D(2026, 4, 28),
            chair=people.iro,
            decision=ConferenceDecision.PLAN,
            category="PHY",
            visit_every="2 weeks",
        )
    plan = conference.plan_started
    cin_plan.refresh_from_db()
    assert (plan.start_date, plan.initial_category) == (D(2026, 4, 28), "PHY")  # CIN census 2885
    assert cin_plan.end_date == D(2026, 4, 28)  # rule 4001: never alongside a CP plan
    due = open_deadlines(child)
    assert "initial_cp_conference" not in due and "cin_plan_review" not in due
    assert due["cp_review_first"].due_on == D(2026, 7, 28)
    assert due["core_group_first"].due_on == D(2026, 5, 13)  # past the early May bank holiday
    assert due["cp_visit"].due_on == D(2026, 5, 12)  # the plan's own frequency: two weeks

    with on(D(2026, 5, 8)):
        services.visit_record(
            child=child,
            recorded_by=worker,
            visited_on=D(2026, 5, 8),
            location=VisitLocation.HOME,
            child_seen=True,
            seen_alone=True,
            summary="Seen alone in her room",
        )
    assert open_deadlines(child)["cp_visit"].due_on == D(2026, 5, 22)

    with on(D(2026, 7, 20)):
        services.review_conference_record(
            plan=plan,
            recorded_by=worker,
            version=plan.version,
            held_on=D(2026, 7, 20),
            chair=people.iro,
            decision=ConferenceDecision.CONTINUE,
            category="NEG",
        )
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category) == ("PHY", "NEG")
    assert open_deadlines(child)["cp_review"].due_on == D(2027, 1, 20)

    with on(D(2026, 10, 1)):
        services.review_conference_record(
            plan=plan,
            recorded_by=worker,
            version=plan.version,
            held_on=D(2026, 10, 1),
            chair=people.iro,
            decision=ConferenceDecision.END,
            summary="Risks reduced",
        )
    plan.refresh_from_db()
    assert plan.end_date == D(2026, 10, 1)
    remaining = open_deadlines(child)
    assert not {"cp_review", "cp_visit", "core_group_first"} & set(remaining)


def test_a_conference_that_decides_no_plan_starts_no_plan(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 14)):
        enquiry = services.strategy_discussion_record(
            episode=episode,
            recorded_by=worker,
            held_on=D(2026, 4, 14),
            participants="Police",
            concerns="Concern",
            outcome=StrategyOutcome.SECTION_47,
        ).s47
        services.s47_conclude(
            enquiry=enquiry,
            concluded_by=worker,
            version=1,
            concluded_on=D(2026, 4, 14),
            outcome=S47Outcome.CONFERENCE,
            findings="Found",
        )
        services.initial_conference_record(
            enquiry=enquiry, recorded_by=worker, held_on=D(2026, 4, 14), chair=people.iro, decision="no_plan"
        )
    assert not CPPlan.objects.exists()
    assert Deadline.objects.get(duty="initial_cp_conference").status == DeadlineStatus.MET


def test_an_enquiry_that_needs_no_conference_stops_the_conference_clock(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 14)):
        enquiry = services.strategy_discussion_record(
            episode=episode,
            recorded_by=worker,
            held_on=D(2026, 4, 14),
            participants="Police",
            concerns="Concern",
            outcome=StrategyOutcome.SECTION_47,
        ).s47
        services.s47_conclude(
            enquiry=enquiry,
            concluded_by=worker,
            version=1,
            concluded_on=D(2026, 4, 14),
            outcome=S47Outcome.NO_CONFERENCE,
            findings="Not substantiated",
        )
    deadline = Deadline.objects.get(duty="initial_cp_conference")
    assert (deadline.status, deadline.breached_on) == (DeadlineStatus.CANCELLED, None)


def test_cin_plan_reviews_follow_the_plans_interval(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 30)):
        plan = services.cin_plan_start(
            episode=episode,
            started_by=worker,
            start_date=D(2026, 4, 30),
            summary="Plan",
            review_every="6 weeks",
        )
    assert open_deadlines(episode.child)["cin_plan_review"].due_on == D(2026, 6, 11)
    with on(D(2026, 6, 1)):
        services.cin_plan_review_record(
            plan=plan, recorded_by=worker, held_on=D(2026, 6, 1), summary="Going well"
        )
    assert open_deadlines(episode.child)["cin_plan_review"].due_on == D(2026, 7, 13)
    with on(D(2026, 6, 2)), pytest.raises(ValidationError, match="already has a child in need plan"):
        services.cin_plan_start(episode=episode, started_by=worker, start_date=D(2026, 6, 2), summary="Again")


def test_a_case_closes_only_when_nothing_is_open_inside_it(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 2)):
        services.assessment_start(episode=episode, started_by=worker, start_date=D(2026, 4, 2))
        with pytest.raises(ValidationError, match="Finish an assessment"):
            request_closure(episode, worker, closure_date=D(2026, 4, 2), reason="RC5", primary_need="N0",
                            no_assessment_reason="Moved to Leeds")  # fmt: skip
        with pytest.raises(ValidationError, match="reason the case is closing"):
            request_closure(episode, worker, closure_date=D(2026, 4, 2), reason="RC99")
    assert not ClosureRequest.objects.exists()


def test_closing_because_the_child_died_stops_every_clock(people, episode):
    with on(D(2026, 4, 10)):
        close_by_request(
            episode,
            people.social_worker.user,
            people.team_manager.user,
            closure_date=D(2026, 4, 10),
            reason="RC2",
            primary_need="N0",
            no_assessment_reason="The child died before the assessment began",
        )
    assert not Deadline.objects.open().filter(child=episode.child).exists()
    assert Deadline.objects.get(duty="assessment_from_referral").status == DeadlineStatus.CANCELLED


def test_a_visit_where_the_child_was_not_seen_meets_nothing(people, episode):
    with on(D(2026, 4, 2)):
        services.visit_record(
            child=episode.child,
            recorded_by=people.social_worker.user,
            visited_on=D(2026, 4, 2),
            location=VisitLocation.HOME,
            child_seen=False,
            seen_alone=False,
            summary="No answer at the door",
        )
        with pytest.raises(ValidationError, match="seen alone"):
            services.visit_record(
                child=episode.child,
                recorded_by=people.social_worker.user,
                visited_on=D(2026, 4, 2),
                location=VisitLocation.HOME,
                child_seen=False,
                seen_alone=True,
                summary="Contradiction",
            )
    assert not Deadline.objects.filter(status=DeadlineStatus.MET).exists()


def test_a_cin_plan_cannot_start_while_a_cp_plan_is_open(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 14)):
        enquiry = services.strategy_discussion_record(
            episode=episode,
            recorded_by=worker,
            held_on=D(2026, 4, 14),
            participants="Police",
            concerns="Concern",
            outcome=StrategyOutcome.SECTION_47,
        ).s47
        services.s47_conclude(
            enquiry=enquiry, concluded_by=worker, version=1, concluded_on=D(2026, 4, 14), outcome="conference",
            findings="Found",
        )  # fmt: skip
        services.initial_conference_record(
            enquiry=enquiry, recorded_by=worker, held_on=D(2026, 4, 14), chair=people.iro, decision="plan",
            category="NEG",
        )  # fmt: skip
        with pytest.raises(ValidationError, match="cannot run alongside"):
            services.cin_plan_start(
                episode=episode, started_by=worker, start_date=D(2026, 4, 14), summary="CIN"
            )
    assert not CinPlan.objects.exists()


def test_closure_applies_the_census_rules_about_a_closed_episode(people, episode):
    worker = people.social_worker.user

    def close(**changes):
        arguments = {"closure_date": D(2026, 5, 1), "reason": "RC5", "no_assessment_reason": "Moved to Leeds"}
        return request_closure(episode, worker, **{**arguments, **changes})

    with on(D(2026, 5, 1)):
        with pytest.raises(ValidationError, match="primary need"):  # 8610
            close()
        plan = services.cin_plan_start(
            episode=episode, started_by=worker, start_date=D(2026, 4, 20), summary="Plan"
        )
        services.cin_plan_end(plan=plan, ended_by=worker, end_date=D(2026, 4, 28), version=plan.version)
        with pytest.raises(ValidationError, match="last thing recorded in it, on 28 April 2026"):
            close(closure_date=D(2026, 4, 27), primary_need="N1")
        with pytest.raises(ValidationError, match="8831"):  # no further action, yet a plan was made
            close(referral_nfa=True)
        with pytest.raises(ValidationError, match="needs an authorised assessment"):  # 8825Q
            close(reason="RC8", primary_need="N1")
        request = close(primary_need="N1")
        decided = closure.closure_decide(
            request=request, decided_by=people.team_manager.user, approve=True, rationale="Agreed",
            version=request.version,
        )  # fmt: skip
    assert decided.status == "approved"
    episode.refresh_from_db()
    assert (episode.closure_reason, episode.primary_need) == ("RC5", "N1")


def test_the_direct_close_is_no_way_round_approval():
    """Closing is a private step of a manager's approval: there is no public service that closes a case."""
    assert not hasattr(services, "cin_episode_close")
    assert services._close_episode.__name__.startswith("_")


def test_an_initial_conference_is_not_held_at_a_weekend(people, episode):
    worker = people.social_worker.user
    with on(D(2026, 4, 20)):
        enquiry = services.strategy_discussion_record(
            episode=episode, recorded_by=worker, held_on=D(2026, 4, 14), participants="Police",
            concerns="Concern", outcome=StrategyOutcome.SECTION_47,
        ).s47  # fmt: skip
        services.s47_conclude(
            enquiry=enquiry, concluded_by=worker, version=1, concluded_on=D(2026, 4, 16), outcome="conference",
            findings="Found",
        )  # fmt: skip
        with pytest.raises(ValidationError, match="8875"):
            services.initial_conference_record(
                enquiry=enquiry, recorded_by=worker, held_on=D(2026, 4, 18), chair=people.iro, decision="plan",
                category="NEG",
            )  # fmt: skip


def test_no_plan_starts_after_the_childs_death(people, episode):
    person = episode.child.person
    person.date_of_death = D(2026, 4, 15)
    person.save()
    with on(D(2026, 4, 20)), pytest.raises(ValidationError, match="after the child's death on 15 April 2026"):
        services.cin_plan_start(
            episode=episode, started_by=people.social_worker.user, start_date=D(2026, 4, 16), summary="Plan"
        )


def test_a_pre_birth_plan_has_no_visit_due_until_the_baby_is_born(people, episode):
    """A child protection visit is one in which the child is seen: the clock starts at the first core group
    after the birth."""
    worker, person = people.social_worker.user, episode.child.person
    person.date_of_birth = None
    person.save()
    with on(D(2026, 4, 14)):
        enquiry = services.strategy_discussion_record(
            episode=episode, recorded_by=worker, held_on=D(2026, 4, 14), participants="Midwife, police",
            concerns="Unborn baby", outcome=StrategyOutcome.SECTION_47,
        ).s47  # fmt: skip
        services.s47_conclude(
            enquiry=enquiry, concluded_by=worker, version=1, concluded_on=D(2026, 4, 14), outcome="conference",
            findings="Found",
        )  # fmt: skip
        plan = services.initial_conference_record(
            enquiry=enquiry, recorded_by=worker, held_on=D(2026, 4, 14), chair=people.iro, decision="plan",
            category="NEG",
        ).plan_started  # fmt: skip
    assert "cp_visit" not in open_deadlines(episode.child)
    person.date_of_birth = D(2026, 4, 20)
    person.save()
    with on(D(2026, 4, 27)):
        services.core_group_record(plan=plan, recorded_by=worker, held_on=D(2026, 4, 27))
    assert open_deadlines(episode.child)["cp_visit"].due_on == D(2026, 5, 12)  # 10 working days, May holiday


def test_the_conference_chair_reaches_the_child_while_the_case_is_open(people, episode):
    """Working Together 2023 ch.3: the independent chair reviews the plan, so opens the record; the list
    query (``visible_children``) agrees with the record check (``access_basis``)."""
    from safeguard.audit.policy import access_basis, visible_children
    from tests.factories import UserFactory, WorkerFactory

    chair = WorkerFactory(user=UserFactory(username="cara"), role="iro", team=people.reviewing_team)
    child, worker = episode.child, people.social_worker.user
    assert not access_basis(chair.user, child) and child not in visible_children(chair.user)
    with on(D(2026, 4, 14)):
        enquiry = services.strategy_discussion_record(
            episode=episode, recorded_by=worker, held_on=D(2026, 4, 14), participants="Police",
            concerns="Concern", outcome=StrategyOutcome.SECTION_47,
        ).s47  # fmt: skip
        services.s47_conclude(
            enquiry=enquiry, concluded_by=worker, version=1, concluded_on=D(2026, 4, 14), outcome="conference",
            findings="Found",
        )  # fmt: skip
        plan = services.initial_conference_record(
            enquiry=enquiry, recorded_by=worker, held_on=D(2026, 4, 14), chair=chair, decision="plan",
            category="NEG",
        ).plan_started  # fmt: skip
    assert access_basis(chair.user, child).reason == "conference chair"
    assert child in visible_children(chair.user)
    with on(D(2026, 7, 20)):
        services.review_conference_record(
            plan=plan, recorded_by=worker, version=plan.version, held_on=D(2026, 7, 20), chair=chair,
            decision="end", summary="Risk reduced",
        )  # fmt: skip
        close_by_request(
            episode, worker, people.team_manager.user, closure_date=D(2026, 7, 20), reason="RC5",
            primary_need="N1", no_assessment_reason="The family moved to Leeds; their children's services assess",
        )  # fmt: skip
    assert not access_basis(chair.user, child) and child not in visible_children(chair.user)
