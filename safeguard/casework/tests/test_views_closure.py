"""The safe closure pages: a worker requests closure from the case file; the manager reviews the request beside
the authorised assessment and the last visit and approves or returns it; pending and past requests on the
case file and the chronology; reopening; the bulk closure alert on the home page and its page."""

import datetime

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.casework import closure, services
from safeguard.casework.models import (
    BulkClosureAlert,
    CinEpisode,
    ClosureRequest,
    ClosureRequestStatus,
    VisitLocation,
)
from safeguard.casework.tests.conftest import (
    TODAY,
    close_by_request,
    date_fields,
    days_ago,
    request_closure,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.organisation.models import Role
from tests.factories import WorkerFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

NO_ASSESSMENT = {"reason": "RC5", "primary_need": "N0", "no_assessment_reason": "The family moved to Leeds"}


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def request_data(**overrides) -> dict:
    # Transferred to another council before any assessment: the need is "not stated" (CIN census 8610).
    data = {
        **date_fields("closure_date", TODAY),
        "reason": "RC5",
        "primary_need": "N0",
        "summary": "The family moved to Leeds on 2 March.",
        "risk_analysis": "Leeds children's services have the case; no current risk of significant harm.",
        "no_assessment_reason": "Leeds will assess: the family lives there now",
    }
    data.update(overrides)
    return data


@pytest.fixture
def authorised(submitted_assessment, people):
    return services.assessment_authorise(
        assessment=submitted_assessment,
        authorised_by=people.team_manager.user,
        version=submitted_assessment.version,
        primary_need="N1",
        rationale="Sound analysis of the domestic abuse",
        on=TODAY,
    )


@pytest.fixture
def visited(people, episode):
    return services.visit_record(
        child=episode.child,
        recorded_by=people.social_worker.user,
        visited_on=days_ago(1),
        location=VisitLocation.HOME,
        child_seen=True,
        seen_alone=True,
        summary="Seen alone in her room; said things are calmer at home",
    )


# -- the request ----------------------------------------------------------------------------------------------


def test_the_request_page_asks_for_the_summary_the_risk_and_why_no_assessment(people, client_for, episode):
    response = client_for(people.social_worker).get(
        url("closure_request", people.alices_child, episode_id=episode.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Request closure" in html and 'value="RC9"' in html
    for name in ("summary", "risk_analysis", "no_assessment_reason", "primary_need"):
        assert f'name="{name}"' in html, name
    assert "There is no authorised assessment in this episode" in html


def test_with_an_authorised_assessment_the_page_does_not_ask_why_there_is_none(
    people, client_for, authorised
):
    html = html_of(
        client_for(people.social_worker).get(
            url("closure_request", people.alices_child, episode_id=authorised.episode_id)
        )
    )
    assert 'name="no_assessment_reason"' not in html and 'name="primary_need"' not in html
    assert "Authorised assessment: child in need plan, authorised on 11 March 2026" in html


def test_requesting_closure_leaves_the_case_open_until_a_manager_decides(people, client_for, episode):
    child = people.alices_child
    client = client_for(people.social_worker)
    response = client.post(url("closure_request", child, episode_id=episode.pk), request_data())
    assert response.status_code == 302 and response["Location"] == url("case_file", child)
    request = ClosureRequest.objects.get()
    assert (request.status, request.requested_by, request.reason) == (
        ClosureRequestStatus.PENDING,
        people.social_worker.user,
        "RC5",
    )
    assert CinEpisode.objects.get(pk=episode.pk).is_open
    case_file = html_of(client.get(url("case_file", child)))
    assert 'id="closure-pending"' in case_file and "Closure requested" in case_file
    assert "Request closure" not in case_file and "Review the closure request" not in case_file
    manager_file = html_of(client_for(people.team_manager).get(url("case_file", child)))
    assert url("closure_review", child, request_id=request.pk) in manager_file
    again = html_of(client.get(url("closure_request", child, episode_id=episode.pk)))
    assert 'id="pending"' in again and 'name="summary"' not in again


def test_ceased_for_any_other_reason_without_an_assessment_is_refused_on_the_page(
    people, client_for, episode
):
    response = client_for(people.social_worker).post(
        url("closure_request", people.alices_child, episode_id=episode.pk), request_data(reason="RC7")
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "A case closes only after an authorised assessment" in html
    assert "The family moved to Leeds on 2 March." in html  # what was typed is kept
    assert not ClosureRequest.objects.exists()


def test_a_request_without_a_summary_or_risk_analysis_is_refused(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("closure_request", people.alices_child, episode_id=episode.pk),
        request_data(summary="", risk_analysis=" "),
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Write the closure summary" in html and "Write the analysis of risk" in html
    assert not ClosureRequest.objects.exists()


def test_a_case_with_an_open_assessment_cannot_be_asked_to_close(people, client_for, assessment):
    response = client_for(people.social_worker).post(
        url("closure_request", people.alices_child, episode_id=assessment.episode_id), request_data()
    )
    assert response.status_code == 400
    assert "Finish an assessment before closing the case" in html_of(response)


# -- the manager's review -------------------------------------------------------------------------------------


def test_the_review_page_shows_the_assessment_and_the_last_visit(people, client_for, authorised, visited):
    request = request_closure(authorised.episode, people.social_worker.user, reason="RC8")
    html = html_of(
        client_for(people.team_manager).get(url("closure_review", people.alices_child, request_id=request.pk))
    )
    assert "Review the closure request" in html
    # The request: its summary and risk analysis.
    assert "Family engaged with the plan" in html and "No current risk of significant harm" in html
    # The assessment: analysis, outcome, who authorised it and when.
    assert "The child is frightened at home." in html and "Child in need plan" in html
    assert "11 March 2026 by Tess" in html and "Sound analysis of the domestic abuse" in html
    # The last visit: date, seen, seen alone, by whom.
    visit = html[html.index('id="last-visit"') :]
    assert "10 March 2026" in visit and "Alice" in visit and "Seen alone" in visit
    assert "said things are calmer at home" in visit


def test_the_review_page_says_plainly_when_there_is_no_assessment_or_visit(people, client_for, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    html = html_of(
        client_for(people.hos).get(url("closure_review", people.alices_child, request_id=request.pk))
    )
    assert "There is no authorised assessment in this episode" in html
    assert f"No visit to {people.alices_child.person.first_name} is recorded" in html
    assert "The family moved to Leeds" in html  # why no assessment is needed


def test_approving_closes_the_case_and_stops_its_clocks(people, client_for, episode):
    child = people.alices_child
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    client = client_for(people.team_manager)
    page = url("closure_review", child, request_id=request.pk)
    empty = client.post(page, {"version": "1", "decision": "approve", "rationale": ""})
    assert empty.status_code == 400 and "Give the reasons for your decision" in html_of(empty)
    assert CinEpisode.objects.get(pk=episode.pk).is_open
    response = client.post(page, {"version": "1", "decision": "approve", "rationale": "Leeds have it"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (TODAY, "RC5")
    assert Deadline.objects.get(duty_id="assessment_from_referral").status == DeadlineStatus.CANCELLED
    case_file = html_of(client.get(url("case_file", child)))
    assert "The case closed on 11 March 2026" in case_file and "Approved: the case closed" in case_file
    assert "Reopen the case" in case_file
    chronology = html_of(client.get(url("chronology", child)))
    assert (
        "Closure requested" in chronology
        and "Closure approved" in chronology
        and "Leeds have it" in chronology
    )


def test_returning_keeps_the_request_and_its_reasons(people, client_for, episode):
    child = people.alices_child
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    client = client_for(people.team_manager)
    client.post(
        url("closure_review", child, request_id=request.pk),
        {"version": "1", "decision": "return", "rationale": "Confirm Leeds accepted the transfer"},
    )
    request.refresh_from_db()
    assert request.status == ClosureRequestStatus.RETURNED
    worker_file = html_of(client_for(people.social_worker).get(url("case_file", child)))
    assert "Returned to the worker" in worker_file and "Request closure" in worker_file
    detail = html_of(client.get(url("closure_request_detail", child, request_id=request.pk)))
    assert "Confirm Leeds accepted the transfer" in detail and "Manager&#39;s reasons" in detail
    chronology = html_of(client.get(url("chronology", child)))
    assert "Closure request returned to the worker" in chronology


def test_a_decision_at_a_stale_version_shows_the_conflict(people, client_for, episode):
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    closure.closure_withdraw(
        request=request, withdrawn_by=people.social_worker.user, reason="New concerns", version=1
    )
    response = client_for(people.team_manager).post(
        url("closure_review", people.alices_child, request_id=request.pk),
        {"version": "1", "decision": "approve", "rationale": "Fine"},
    )
    assert response.status_code == 400
    assert "no longer waiting for a decision" in html_of(response)
    assert CinEpisode.objects.get(pk=episode.pk).is_open


def test_the_review_is_refused_to_a_worker_and_to_the_manager_who_asked_and_logged(
    people, client_for, episode
):
    child = people.alices_child
    by_worker = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    page = url("closure_review", child, request_id=by_worker.pk)
    data = {"version": "1", "decision": "approve", "rationale": "Mine"}
    client = client_for(people.social_worker)
    assert client.get(page).status_code == 403
    assert client.post(page, data).status_code == 403
    closure.closure_withdraw(
        request=by_worker, withdrawn_by=people.social_worker.user, reason="Redo", version=1
    )
    by_manager = request_closure(episode, people.team_manager.user, **NO_ASSESSMENT)
    page = url("closure_review", child, request_id=by_manager.pk)
    manager = client_for(people.team_manager)
    refused = manager.get(page)
    assert refused.status_code == 403 and "another manager must decide" in html_of(refused)
    assert manager.post(page, data).status_code == 403
    assert ClosureRequest.objects.get(pk=by_manager.pk).is_pending
    assert CinEpisode.objects.get(pk=episode.pk).is_open
    refusals = AccessEvent.objects.filter(outcome=AccessOutcome.REFUSED, child=child)
    assert refusals.filter(user=people.social_worker.user).count() == 2
    assert refusals.filter(user=people.team_manager.user).count() == 2


def test_the_worker_withdraws_the_request(people, client_for, episode):
    child = people.alices_child
    request = request_closure(episode, people.social_worker.user, **NO_ASSESSMENT)
    client = client_for(people.social_worker)
    page = url("closure_withdraw", child, request_id=request.pk)
    assert client.get(page).status_code == 200
    assert client.post(page, {"version": "1", "reason": ""}).status_code == 400
    assert client.post(page, {"version": "1", "reason": "School raised new concerns"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_rationale) == (
        ClosureRequestStatus.WITHDRAWN,
        "School raised new concerns",
    )
    colleague = client_for(people.colleague)
    assert colleague.get(url("closure_request_detail", child, request_id=request.pk)).status_code == 200


# -- reopening and re-referral --------------------------------------------------------------------------------


def test_a_manager_reopens_a_closed_case_and_the_case_file_links_back(people, client_for, episode):
    child = people.alices_child
    approved = close_by_request(
        episode,
        people.social_worker.user,
        people.team_manager.user,
        closure_date=days_ago(5),
        **NO_ASSESSMENT,
    )
    page = url("episode_reopen", child, episode_id=episode.pk)
    worker = client_for(people.social_worker)
    assert worker.get(page).status_code == 403
    assert "Reopen the case" not in html_of(worker.get(url("case_file", child)))
    client = client_for(people.team_manager)
    assert client.get(page).status_code == 200
    bad = client.post(page, {**date_fields("reopened_on", days_ago(6)), "referral_source": "", "reason": ""})
    assert bad.status_code == 400 and CinEpisode.objects.filter(child=child).count() == 1
    response = client.post(
        page, {**date_fields("reopened_on", TODAY), "referral_source": "2A", "reason": "School: new bruising"}
    )
    assert response.status_code == 302
    new = CinEpisode.objects.open().get(child=child)
    assert new.previous_episode == episode
    case_file = html_of(client.get(url("case_file", child)))
    assert "Reopened: previous episode closed on" in case_file and "6 March 2026" in case_file
    assert url("closure_request_detail", child, request_id=approved.pk) in case_file
    assert "School: new bruising" in case_file
    assert "Case reopened" in html_of(client.get(url("chronology", child)))


def test_a_re_referral_shows_the_earlier_episode_on_the_case_file(people, client_for):
    child = people.alices_child
    earlier = CinEpisode.objects.create(
        child=child, referral_date=datetime.date(2025, 9, 1), referral_source="2A", team=people.north_team,
        area=people.north, closure_date=datetime.date(2025, 12, 1), closure_reason="RC8", primary_need="N1",
    )  # fmt: skip
    CinEpisode.objects.create(
        child=child, referral_date=days_ago(3), referral_source="2A", team=people.north_team,
        area=people.north, previous_episode=earlier,
    )  # fmt: skip
    html = html_of(client_for(people.social_worker).get(url("case_file", child)))
    assert "Re-referral: previous episode closed on" in html and "1 December 2025" in html
    assert f"{url('chronology', child)}?kind=closure" in html


# -- bulk closure alerts --------------------------------------------------------------------------------------


@pytest.fixture
def alert(people, episode):
    """Child in Need North's whole caseload (one case) closed this week: more than a tenth of it."""
    close_by_request(episode, people.social_worker.user, people.team_manager.user, **NO_ASSESSMENT)
    return BulkClosureAlert.objects.get()


def test_the_home_page_of_the_head_of_service_and_the_director_shows_the_alert(people, client_for, alert):
    for who in (people.hos, people.director):
        html = html_of(client_for(who).get("/"))
        assert 'id="bulk-closure-panel"' in html, who
        assert reverse("work:bulk_closure_alert", kwargs={"alert_id": alert.pk}) in html
        assert "Child in Need North: 1 closure approved" in html
    for who in (people.team_manager, people.social_worker):
        assert 'id="bulk-closure-panel"' not in html_of(client_for(who).get("/")), who
    south = WorkerFactory(role=Role.HEAD_OF_SERVICE, area=people.south)
    assert 'id="bulk-closure-panel"' not in html_of(client_for(south).get("/"))


def test_the_alert_page_lists_the_closures_logs_the_viewing_and_takes_an_acknowledgement(
    people, client_for, alert
):
    page = reverse("work:bulk_closure_alert", kwargs={"alert_id": alert.pk})
    client = client_for(people.hos)
    html = html_of(client.get(page))
    assert people.alices_child.person.full_name in html and "Transferred to services of another" in html
    viewed = AccessEvent.objects.get(user=people.hos.user, subject=f"bulk closure alert {alert.pk}")
    assert (viewed.outcome, viewed.result_count) == (AccessOutcome.ALLOWED, 1)
    empty = client.post(page, {"version": "1", "note": ""})
    assert empty.status_code == 400 and "Say what you found" in html_of(empty)
    done = client.post(page, {"version": "1", "note": "Read it: a transfer, appropriate"})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (
        people.hos.user,
        "Read it: a transfer, appropriate",
    )
    assert "Acknowledged by Hana" in html_of(client.get(page))
    assert 'id="bulk-closure-panel"' not in html_of(client.get("/"))


def test_the_alert_page_is_refused_to_others_and_the_refusal_logged(people, client_for, alert):
    page = reverse("work:bulk_closure_alert", kwargs={"alert_id": alert.pk})
    south = WorkerFactory(role=Role.HEAD_OF_SERVICE, area=people.south)
    for who in (people.team_manager, people.social_worker, south):
        assert client_for(who).get(page).status_code == 403, who
        assert client_for(who).post(page, {"version": "1", "note": "x"}).status_code == 403, who
        assert AccessEvent.objects.filter(user=who.user, outcome=AccessOutcome.REFUSED).count() == 2
    inspector = client_for(people.inspector)
    html = html_of(inspector.get(page))
    assert 'name="note"' not in html and people.alices_child.person.full_name in html
    assert inspector.post(page, {"version": "1", "note": "x"}).status_code == 403
    assert BulkClosureAlert.objects.get().is_open
