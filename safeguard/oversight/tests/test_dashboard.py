"""The oversight dashboard and the approvals queue: each count is the rows behind it, per team and area, in
the user's scope; the lists behind the counts name the children and are logged."""

import dataclasses
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework import services
from safeguard.casework.tests.conftest import ASSESSMENT_START, close_by_request, days_ago, request_closure
from safeguard.oversight.dashboard import approvals_waiting, dashboard
from safeguard.oversight.models import AuditStatus, CaseAudit, CaseAuditAction, Grade, Supervision
from safeguard.oversight.selectors import supervision_overdue
from safeguard.oversight.tests.conftest import TODAY, open_episode_for
from tests.factories import ChildFactory, TeamFactory


@pytest.fixture
def north(people):
    """Child in Need North holds three open cases: Alice's child (assessment submitted), Carl's child (closure
    requested) and a child no one holds yet. A fourth case of the team closed this week."""
    alices = open_episode_for(people.alices_child, people.social_worker)
    carls = open_episode_for(people.carls_child, people.colleague)
    open_episode_for(people.unallocated_child, people.social_worker)
    user = people.social_worker.user
    assessment = services.assessment_start(episode=alices, started_by=user, start_date=ASSESSMENT_START)
    services.assessment_update(
        assessment=assessment,
        updated_by=user,
        version=assessment.version,
        child_seen_on=days_ago(14),
        factors=["3A"],
        analysis="Neglect: the home is cold and the child is often hungry.",
        outcome="cin_plan",
    )
    services.assessment_submit(
        assessment=assessment, submitted_by=user, version=assessment.version, on=days_ago(4)
    )
    request_closure(
        carls,
        people.colleague.user,
        reason="RC5",
        primary_need="N9",
        no_assessment_reason="Moved to another council",
    )
    closed = open_episode_for(ChildFactory(), people.social_worker)
    close_by_request(
        closed,
        people.social_worker.user,
        people.team_manager.user,
        reason="RC5",
        primary_need="N9",
        no_assessment_reason="The family moved to another council, which has taken the case",
    )
    return {"alices": alices, "carls": carls}


def row_for(board, name):
    return next(row for row in board.rows if row.name == name)


def test_a_head_of_service_sees_their_areas_teams_with_the_counts_behind_them(people, north):
    board = dashboard(user=people.hos.user, today=TODAY)
    assert not board.by_area
    assert {row.name for row in board.rows} == {"Child in Need North"}
    figures = row_for(board, "Child in Need North").figures
    assert figures.open_cases == 3
    assert figures.unallocated == 1  # the child no one holds
    assert figures.assessments_waiting == 1
    assert figures.closures_waiting == 1
    assert figures.oldest_waiting_since == days_ago(4)
    assert figures.closures == 1
    assert figures.workers == 2  # Alice and Carl
    assert figures.limit > 0
    assert board.total.open_cases == 3


def test_the_director_sees_every_area_side_by_side_and_one_areas_teams(people, north):
    open_episode_for(people.bobs_child, people.other_worker)
    board = dashboard(user=people.director.user, today=TODAY)
    assert board.by_area
    assert {row.name for row in board.rows} == {"North", "South"}
    assert row_for(board, "North").figures.open_cases == 3
    assert row_for(board, "South").figures.open_cases == 1
    assert board.total.open_cases == 4

    chosen = dashboard(user=people.director.user, today=TODAY, area_id=people.north.pk)
    assert not chosen.by_area and chosen.area == people.north
    assert [row.name for row in chosen.rows] == ["Child in Need North"]


def test_a_team_manager_sees_only_their_team(people, north):
    south_team_manager_board = dashboard(user=people.team_manager.user, today=TODAY)
    assert [row.name for row in south_team_manager_board.rows] == ["Child in Need North"]
    # An area id outside the scope changes nothing: the rows stay within it.
    elsewhere = dashboard(user=people.team_manager.user, today=TODAY, area_id=people.south.pk)
    assert [row.name for row in elsewhere.rows] == ["Child in Need North"]


def test_supervision_overdue_is_counted_per_team_as_the_overview_counts_it(people, north):
    # Alice was last supervised two months ago (monthly: overdue); Carl last week (in time).
    Supervision.objects.create(
        worker=people.social_worker, supervisor=people.team_manager, held_on=days_ago(60)
    )
    Supervision.objects.create(worker=people.colleague, supervisor=people.team_manager, held_on=days_ago(7))
    overdue = supervision_overdue(people.hos.user, TODAY)
    assert [status.worker for status in overdue] == [people.social_worker]
    figures = row_for(dashboard(user=people.hos.user, today=TODAY), "Child in Need North").figures
    assert figures.supervision_overdue == 1


def inadequate_audit_with_an_overdue_action(people, episode) -> None:
    audit = CaseAudit.objects.create(
        child=episode.child,
        episode=episode,
        auditor=people.hos,
        started_on=days_ago(40),
        status=AuditStatus.COMPLETED,
        overall_grade=Grade.INADEQUATE,
        summary="No risk analysis.",
        completed_on=days_ago(35),
        created_by=people.hos.user,
        modified_by=people.hos.user,
    )
    CaseAuditAction.objects.create(
        audit=audit,
        description="Write the risk analysis",
        owner=people.social_worker,
        due_on=days_ago(5),
        created_by=people.hos.user,
        modified_by=people.hos.user,
    )


def test_audit_grades_and_overdue_actions_are_counted_by_the_team_holding_the_case(people, north):
    inadequate_audit_with_an_overdue_action(people, north["alices"])
    figures = row_for(dashboard(user=people.hos.user, today=TODAY), "Child in Need North").figures
    assert figures.audits == 1
    assert figures.below_good == 1
    assert figures.actions_overdue == 1


def test_without_the_audits_and_closures_every_other_figure_is_the_same(people, north):
    """The area dashboards do not show the audits and closures, so they ask for the rest alone: four queries
    fewer, those figures at zero, and every other figure as the oversight dashboard's."""
    inadequate_audit_with_an_overdue_action(people, north["alices"])
    with CaptureQueriesContext(connection) as everything:
        full = dashboard(user=people.hos.user, today=TODAY)
    with CaptureQueriesContext(connection) as fewer:
        lean = dashboard(user=people.hos.user, today=TODAY, audits_and_closures=False)
    assert len(everything) - len(fewer) == 4
    shown = row_for(full, "Child in Need North").figures
    assert (shown.audits, shown.actions_overdue, shown.closures) == (1, 1, 1)
    left_out = row_for(lean, "Child in Need North").figures
    assert (left_out.audits, left_out.actions_overdue, left_out.closures, left_out.alerts_open) == (
        0,
        0,
        0,
        0,
    )
    assert left_out == dataclasses.replace(
        shown, grades=Counter(), actions_overdue=0, closures=0, alerts_open=0
    )


def test_the_approvals_queue_lists_what_awaits_a_decision_oldest_first(people, north):
    items = approvals_waiting(user=people.team_manager.user, today=TODAY)
    assert [item.kind for item in items] == ["Assessment to authorise", "Case closure"]
    assert items[0].requested_on == days_ago(4)
    assert items[0].working_days(TODAY) > 0
    assert approvals_waiting(user=people.other_worker.user, today=TODAY) == []


def test_the_pages_show_the_counts_and_log_the_lists_that_name_children(people, north, client_for):
    client = client_for(people.hos)
    page = client.get(reverse("oversight:dashboard"))
    assert page.status_code == 200
    assert "Child in Need North" in page.content.decode()

    approvals = client.get(reverse("oversight:approvals"))
    assert approvals.status_code == 200
    html = approvals.content.decode()
    assert people.alices_child.person.full_name in html
    assert people.carls_child.person.full_name in html
    assert AccessEvent.objects.filter(user=people.hos.user, subject__startswith="approvals").exists()

    closures = client.get(reverse("oversight:closures"))
    assert closures.status_code == 200
    assert AccessEvent.objects.filter(user=people.hos.user, subject__startswith="closures").exists()


@pytest.mark.parametrize("url_name", ["oversight:dashboard", "oversight:approvals", "oversight:closures"])
def test_social_workers_are_refused_the_oversight_pages(people, client_for, url_name):
    response = client_for(people.social_worker).get(reverse(url_name))
    assert response.status_code == 403


def test_a_team_with_nothing_open_shows_no_empty_line(people, north):
    TeamFactory(area=people.north, name="Empty Team")
    board = dashboard(user=people.hos.user, today=TODAY)
    assert "Empty Team" not in {row.name for row in board.rows}
