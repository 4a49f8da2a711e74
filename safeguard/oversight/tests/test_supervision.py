"""Supervision: who may supervise whom, which cases, how often, and who is overdue."""

import datetime

import pytest
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.organisation.models import Allocation, Role
from safeguard.oversight import checks, services
from safeguard.oversight.models import DecisionKind, ManagementDecision, Supervision, SupervisionAction
from safeguard.oversight.policies import supervisees, supervision_refusal
from safeguard.oversight.selectors import supervision_history, supervision_overdue, supervision_statuses
from safeguard.oversight.services import ActionDue, CaseDiscussed
from safeguard.oversight.supervision import frequency_errors, is_newly_qualified, next_due
from safeguard.oversight.tests.conftest import TODAY, days_ago, open_episode_for
from tests.factories import ChildFactory, UserFactory, WorkerFactory

D = datetime.date


def oversight_events():
    return AuditEvent.objects.filter(entity_type__startswith="oversight.")


def case(child, decision="Continue the plan", rationale="Risks are reducing", **extra) -> CaseDiscussed:
    return CaseDiscussed(child=child, decision=decision, rationale=rationale, **extra)


def record(people, *, worker=None, by=None, held_on=None, cases=()):
    return services.supervision_record(
        worker=worker or people.social_worker,
        supervised_by=(by or people.team_manager).user,
        held_on=held_on or days_ago(1),
        notes="Workload is high; booked onto training",
        cases=cases,
    )


# -- who may supervise whom ------------------------------------------------------------------------------------


def test_the_line_manager_team_manager_and_head_of_service_may_supervise(people, south_manager):
    alice = people.social_worker
    assert supervision_refusal(people.team_manager, alice) is None  # line manager, and her team's manager
    assert supervision_refusal(people.hos, alice) is None  # head of service for North
    assert supervision_refusal(south_manager, people.other_worker) is None
    deputy = WorkerFactory(role=Role.TEAM_MANAGER, team=people.south_team)
    assert supervision_refusal(deputy, people.other_worker) is None  # a team manager of Bob's team
    lead = WorkerFactory(role=Role.SOCIAL_WORKER, team=people.south_team)
    alice.manager = lead  # a senior practitioner elsewhere who line-manages Alice
    alice.save()
    assert supervision_refusal(lead, alice) is None


@pytest.mark.parametrize(
    "supervisor", ["colleague", "other_worker", "director", "inspector", "iro", "front_door", "social_worker"]
)
def test_anyone_else_may_not_supervise_alice(people, supervisor):
    refusal = supervision_refusal(getattr(people, supervisor), people.social_worker)
    assert refusal is not None
    with pytest.raises(PermissionDenied):
        record(people, by=getattr(people, supervisor))
    assert not Supervision.objects.exists()


def test_a_manager_of_another_team_or_area_may_not_supervise(people, south_manager):
    assert "only for workers you manage" in supervision_refusal(south_manager, people.social_worker)
    south_head = WorkerFactory(role=Role.HEAD_OF_SERVICE, team=None, area=people.south)
    assert supervision_refusal(south_head, people.social_worker) is not None
    assert supervision_refusal(people.hos, people.other_worker) is not None


def test_a_manager_does_not_supervise_themself_and_the_list_offered_agrees_with_the_rule(
    people, south_manager
):
    assert "your own supervision" in supervision_refusal(people.team_manager, people.team_manager)
    assert set(supervisees(people.team_manager)) == {people.social_worker, people.colleague}
    north = {people.team_manager, people.social_worker, people.colleague, people.iro, people.front_door}
    assert set(supervisees(people.hos)) == north
    assert not supervisees(people.social_worker).exists()
    people.colleague.user.is_active = False  # Carl has left
    people.colleague.user.save()
    for supervisor in [*people.workers, south_manager]:
        offered = set(supervisees(supervisor))
        for worker in [*people.workers, south_manager]:
            allowed = supervision_refusal(supervisor, worker) is None
            assert (worker in offered) == allowed, (supervisor, worker)


# -- the record and its decisions ------------------------------------------------------------------------------


def test_a_supervision_puts_a_management_decision_on_each_childs_file(people, episode):
    alices, carls = people.alices_child, people.carls_child  # Carl's child is held by Alice's team
    supervision = record(
        people,
        cases=[
            case(alices, discussion="School attendance", actions=[ActionDue("Visit school", days_ago(-7))]),
            case(carls, decision="Step down to early help", rationale="Needs met by universal services"),
        ],
    )
    assert supervision.supervisor == people.team_manager and supervision.held_on == days_ago(1)
    decisions = {decision.child: decision for decision in ManagementDecision.objects.all()}
    assert set(decisions) == {alices, carls}
    assert decisions[alices].kind == DecisionKind.SUPERVISION and decisions[alices].supervision == supervision
    assert decisions[alices].episode == episode  # the episode open on the day
    assert decisions[carls].episode is None
    assert decisions[alices].decided_by == people.team_manager.user
    assert SupervisionAction.objects.get().due_on == days_ago(-7)
    actions = set(oversight_events().values_list("action", "child_id"))
    assert actions == {
        ("supervision.recorded", None),
        ("management_decision.recorded", alices.pk),
        ("management_decision.recorded", carls.pk),
    }


def test_a_child_the_worker_and_their_team_do_not_hold_is_refused_and_nothing_is_written(people):
    with pytest.raises(ValidationError) as error:
        record(people, cases=[case(people.alices_child), case(people.bobs_child)])
    assert error.value.message_dict["cases"] == [
        f"{people.bobs_child.person.full_name} is not a child Alice Worker or their team holds"
    ]
    assert not Supervision.objects.exists() and not ManagementDecision.objects.exists()
    assert not oversight_events().exists()


def test_an_open_case_the_team_holds_before_allocation_may_be_discussed(people):
    waiting = ChildFactory()
    open_episode_for(waiting, people.social_worker, referral_date=days_ago(20))
    record(people, cases=[case(waiting)])
    assert ManagementDecision.objects.get().child == waiting


def test_a_case_is_held_on_the_day_of_the_supervision_not_today(people):
    child = ChildFactory()
    Allocation.objects.create(
        child=child, worker=people.social_worker, team=people.north_team, start_date=days_ago(3)
    )
    with pytest.raises(ValidationError):
        record(people, held_on=days_ago(10), cases=[case(child)])
    record(people, held_on=days_ago(2), cases=[case(child)])


def test_the_date_cannot_be_in_the_future_and_each_case_needs_a_decision_and_reasons(people):
    with pytest.raises(ValidationError) as error:
        record(people, held_on=TODAY + datetime.timedelta(days=1))
    assert error.value.message_dict["held_on"] == ["The date of the supervision cannot be in the future"]
    with pytest.raises(ValidationError) as error:
        record(
            people,
            cases=[
                case(people.alices_child, decision=" ", rationale=""),
                case(people.carls_child, actions=[ActionDue("Visit", days_ago(5))]),
            ],
        )
    name = people.alices_child.person.full_name
    messages = error.value.message_dict["cases"]
    assert f"Enter the decision for {name}" in messages
    assert f"Enter the reasons for the decision for {name}" in messages
    assert any("cannot be due before the supervision" in message for message in messages)
    assert not Supervision.objects.exists()


def test_the_same_child_twice_is_refused(people):
    with pytest.raises(ValidationError, match="listed twice"):
        record(people, cases=[case(people.alices_child), case(people.alices_child)])


# -- how often ------------------------------------------------------------------------------------------------


def test_the_default_frequency_is_monthly_and_newly_qualified_fortnightly(people):
    alice = people.social_worker
    assert next_due(alice, D(2026, 3, 1), TODAY) == D(2026, 4, 1)
    alice.qualified_on = D(2025, 9, 1)  # in her ASYE year until 1 September 2026
    assert is_newly_qualified(alice, TODAY)
    assert next_due(alice, D(2026, 3, 1), TODAY) == D(2026, 3, 15)
    alice.qualified_on = D(2025, 3, 11)  # twelve months ago today: no longer newly qualified
    assert not is_newly_qualified(alice, TODAY) and is_newly_qualified(
        alice, TODAY - datetime.timedelta(days=1)
    )
    alice.qualified_on = D(2025, 2, 1)
    assert next_due(alice, D(2026, 3, 1), TODAY) == D(2026, 4, 1)


def test_a_worker_who_has_just_qualified_gets_the_sooner_date(people):
    alice = people.social_worker
    alice.qualified_on = days_ago(2)  # last supervised before she qualified, under the monthly rule
    assert next_due(alice, days_ago(20), TODAY) == days_ago(20) + datetime.timedelta(weeks=2)


def test_a_worker_never_supervised_is_due_one_period_after_they_joined(people):
    alice = people.social_worker
    joined = timezone.localdate(alice.created_at)
    assert joined == TODAY
    assert next_due(alice, None, TODAY) == D(2026, 4, 11)


def test_the_frequency_follows_the_setting(people, settings):
    settings.SAFEGUARD = {**settings.SAFEGUARD, "SUPERVISION_FREQUENCY": {"default": "6 weeks"}}
    assert next_due(people.social_worker, D(2026, 3, 1), TODAY) == D(2026, 4, 12)


@pytest.mark.parametrize(
    "setting,message",
    [
        ({"default": "monthly"}, "must read like"),
        ({"default": "0 weeks"}, "at least 1"),
        ({"newly_qualified": "2 fortnights"}, "must read like"),
        ({"weekly": "1 weeks"}, "names 'weekly'"),
    ],
)
def test_a_bad_frequency_is_refused_at_start_up(settings, setting, message):
    assert any(message in error for error in frequency_errors(setting))
    settings.SAFEGUARD = {**settings.SAFEGUARD, "SUPERVISION_FREQUENCY": setting}
    errors = checks.supervision_frequency(None)
    assert errors and errors[0].id == "oversight.E001" and message in errors[0].msg


def test_the_shipped_setting_and_questions_pass_the_checks(db):
    assert not [error for error in run_checks() if error.id.startswith("oversight.")]


# -- overdue, scoped --------------------------------------------------------------------------------------------


def supervised(people, worker, on, by=None):
    return services.supervision_record(
        worker=worker, supervised_by=(by or people.team_manager).user, held_on=on
    )


@pytest.fixture
def history(people, south_manager):
    """Alice was supervised 40 days ago (overdue), Carl 10 days ago (not), Tess 50 days ago (overdue); Bob in
    South never, and he joined 60 days ago (overdue)."""
    supervised(people, people.social_worker, days_ago(40))
    supervised(people, people.colleague, days_ago(10))
    supervised(people, people.team_manager, days_ago(50), by=people.hos)
    bob = people.other_worker
    type(bob).objects.filter(pk=bob.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    return people


def overdue_names(user) -> dict[str, int]:
    return {status.worker.user.username: status.days_overdue for status in supervision_overdue(user, TODAY)}


def test_overdue_supervision_is_scoped_to_the_team_the_area_or_everyone(history, south_manager):
    people = history
    north = {"alice": 11, "tess": 19}  # due 28 February (30 January + 1 month) and 20 February
    assert overdue_names(people.team_manager.user) == north
    assert overdue_names(people.hos.user) == north  # North's teams (Front Door and Reviewing are up to date)
    everyone = overdue_names(people.director.user)
    assert everyone["alice"] == 11 and everyone["tess"] == 19 and everyone["bob"] == 29
    assert overdue_names(people.inspector.user) == everyone
    assert overdue_names(south_manager.user) == {"bob": 29}
    assert overdue_names(people.social_worker.user) == {}


def test_the_overview_lists_everyone_in_scope_with_when_they_are_due(history):
    rows = {
        status.worker.user.username: status
        for status in supervision_statuses(history.team_manager.user, TODAY)
    }
    assert set(rows) == {"alice", "carl", "tess"}
    assert rows["carl"].last_supervised == days_ago(10) and not rows["carl"].is_overdue
    assert rows["alice"].due_on == D(2026, 2, 28)  # 30 January plus a calendar month, clamped


def test_a_workers_history_is_theirs_their_managers_and_their_supervisors(history, south_manager):
    people = history
    alice = people.social_worker
    for viewer in (alice, people.team_manager, people.hos, people.director, people.inspector):
        assert supervision_history(viewer.user, alice).count() == 1, viewer
    for viewer in (people.colleague, people.other_worker, south_manager, people.iro):
        assert not supervision_history(viewer.user, alice).exists(), viewer
    # A supervisor who has since moved on still sees the sessions they held, and only those.
    people.team_manager.team = people.south_team
    people.team_manager.save()
    alice.manager = people.hos
    alice.save()
    supervised(people, alice, days_ago(5), by=people.hos)
    assert list(supervision_history(people.team_manager.user, alice).values_list("held_on", flat=True)) == [
        days_ago(40)
    ]


def test_an_inactive_worker_is_not_expected_for_supervision(history):
    alice = history.social_worker.user
    alice.is_active = False
    alice.save()
    assert "alice" not in overdue_names(history.team_manager.user)


def test_a_worker_outside_the_supervised_roles_is_refused(people):
    auditor = WorkerFactory(user=UserFactory(username="qa"), role=Role.AUDITOR, team=people.north_team)
    assert "not recorded here" in supervision_refusal(people.team_manager, auditor)
