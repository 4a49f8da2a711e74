"""The oversight pages: what each persona sees and does, and every refusal, logged."""

import pytest
from django.urls import URLPattern, reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.core import opaque
from safeguard.organisation.models import Allocation
from safeguard.oversight import services, urls
from safeguard.oversight.models import (
    ActionStatus,
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    DecisionKind,
    ManagementDecision,
    Supervision,
)
from safeguard.oversight.questions import questions
from safeguard.oversight.services import CaseDiscussed
from safeguard.oversight.tests.conftest import TODAY, date_fields, days_ago


def html_of(response) -> str:
    return response.content.decode()


def refused_and_logged(response, user) -> bool:
    return (
        response.status_code == 403
        and AccessEvent.objects.filter(user=user, outcome=AccessOutcome.REFUSED).exists()
    )


def test_every_oversight_page_declares_its_access_policy():
    views = [entry.callback for entry in urls.urlpatterns if isinstance(entry, URLPattern)]
    assert views
    assert all(getattr(view, "access_policy", "") for view in views)


# -- supervision ----------------------------------------------------------------------------------------------


@pytest.fixture
def supervision(people):
    """Tess supervised Alice 40 days ago (so she is overdue), when her child was already allocated to her."""
    Allocation.objects.update(start_date=days_ago(400))
    return services.supervision_record(
        worker=people.social_worker,
        supervised_by=people.team_manager.user,
        held_on=days_ago(40),
        notes="Alice is carrying too many cases",
        cases=[CaseDiscussed(child=people.alices_child, decision="Weekly visits", rationale="Neglect")],
    )


def test_the_overview_shows_a_team_manager_their_team_with_overdue_highlighted(
    people, client_for, supervision
):
    response = client_for(people.team_manager).get(reverse("oversight:supervision"))
    page = html_of(response)
    assert response.status_code == 200
    assert f'data-worker="{people.social_worker.pk}" data-overdue="11"' in page  # due 28 February
    assert f'data-worker="{people.colleague.pk}">' in page
    assert 'id="overdue-count">1<' in page
    assert "Record a supervision" in page
    assert 'href="/oversight/supervision/"' in page and 'href="/oversight/audits/"' in page  # navigation


def test_a_social_worker_sees_only_the_way_to_their_own_supervision(people, client_for, supervision):
    response = client_for(people.social_worker).get(reverse("oversight:supervision"))
    page = html_of(response)
    assert response.status_code == 200
    assert "Your own supervision record" in page and "data-worker" not in page
    assert 'href="/oversight/audits/"' not in page and "Record a supervision" not in page


def test_choosing_whom_to_supervise(people, client_for):
    client = client_for(people.team_manager)
    page = html_of(client.get(reverse("oversight:supervision_choose")))
    assert "Alice Worker" in page and "Carl Worker" in page and "Bob Worker" not in page
    response = client.get(reverse("oversight:supervision_choose"), {"worker": people.social_worker.pk})
    assert response["Location"] == reverse("oversight:supervision_record", args=[people.social_worker.pk])
    response = client.get(reverse("oversight:supervision_choose"), {"worker": people.other_worker.pk})
    assert response.status_code == 400 and "Select a valid choice" in html_of(response)
    social_worker = client_for(people.social_worker).get(reverse("oversight:supervision_choose"))
    assert refused_and_logged(social_worker, people.social_worker.user)


def test_recording_a_supervision_with_a_decision_on_a_childs_file(people, client_for, episode):
    url = reverse("oversight:supervision_record", args=[people.social_worker.pk])
    client = client_for(people.team_manager)
    page = html_of(client.get(url))
    child = people.alices_child
    assert child.person.full_name in page and f'name="case-{child.pk}-decision"' in page
    assert AccessEvent.objects.filter(subject__startswith="record a supervision", result_count=1).exists()
    data = {
        **date_fields("held_on", days_ago(1)),
        "notes": "Good progress",
        "cases": [str(child.pk)],
        f"case-{child.pk}-discussion": "School attendance is improving",
        f"case-{child.pk}-decision": "Continue the child in need plan",
        f"case-{child.pk}-rationale": "Attendance up to 90%",
        f"case-{child.pk}-action-1": "Speak to the school",
        **date_fields(f"case-{child.pk}-action-1-due", days_ago(-7)),
        **date_fields(f"case-{child.pk}-action-2-due", None),
    }
    response = client.post(url, data)
    supervision = Supervision.objects.get()
    assert response["Location"] == reverse("oversight:supervision_detail", args=[supervision.pk])
    decision = ManagementDecision.objects.get()
    assert decision.child == child and decision.supervision == supervision and decision.episode == episode
    assert supervision.cases.get().actions.get().description == "Speak to the school"
    detail = html_of(client.get(response["Location"]))
    assert "Continue the child in need plan" in detail and "Speak to the school" in detail


def test_a_case_ticked_without_a_decision_is_refused_and_what_was_typed_kept(people, client_for):
    child = people.alices_child
    data = {
        **date_fields("held_on", days_ago(1)),
        "cases": [str(child.pk)],
        f"case-{child.pk}-discussion": "We talked about the school",
        f"case-{child.pk}-action-1": "Visit",
    }
    response = client_for(people.team_manager).post(
        reverse("oversight:supervision_record", args=[people.social_worker.pk]), data
    )
    page = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in page and f"Enter the decision for {child.person.full_name}" in page
    assert "Enter when action 1 for" in page and "We talked about the school" in page
    assert not Supervision.objects.exists()


def test_a_future_date_is_refused_on_the_page(people, client_for):
    data = {**date_fields("held_on", TODAY.replace(year=2027))}
    response = client_for(people.team_manager).post(
        reverse("oversight:supervision_record", args=[people.social_worker.pk]), data
    )
    assert response.status_code == 400 and "must be today or in the past" in html_of(response)


def test_a_manager_of_another_team_may_not_record_alices_supervision(people, client_for, south_manager):
    response = client_for(south_manager).get(
        reverse("oversight:supervision_record", args=[people.social_worker.pk])
    )
    assert refused_and_logged(response, south_manager.user)


def test_a_supervision_record_is_seen_by_the_worker_and_managers_only(people, client_for, supervision):
    url = reverse("oversight:supervision_detail", args=[supervision.pk])
    for viewer in (people.social_worker, people.team_manager, people.hos, people.director, people.inspector):
        page = html_of(client_for(viewer).get(url))
        assert "Alice is carrying too many cases" in page, viewer
    response = client_for(people.colleague).get(url)
    assert refused_and_logged(response, people.colleague.user)


def test_a_child_the_reader_can_no_longer_see_is_not_named(people, client_for, supervision):
    people.alices_child.allocations.update(end_date=days_ago(1))
    people.social_worker.team = people.south_team  # Alice has moved to South, and her child stayed in North
    people.social_worker.save()
    page = html_of(
        client_for(people.social_worker).get(reverse("oversight:supervision_detail", args=[supervision.pk]))
    )
    assert people.alices_child.person.full_name not in page and "A child whose record you cannot see" in page


def test_a_workers_supervision_history(people, client_for, supervision):
    url = reverse("oversight:worker_supervision", args=[people.social_worker.pk])
    page = html_of(client_for(people.team_manager).get(url))
    assert f'data-supervision="{supervision.pk}"' in page and "11 days overdue" in page
    assert refused_and_logged(client_for(people.colleague).get(url), people.colleague.user)


# -- management decisions --------------------------------------------------------------------------------------


def test_a_manager_records_a_decision_from_the_case_file(people, client_for, episode):
    child = people.alices_child
    client = client_for(people.team_manager)
    case_file = html_of(client.get(f"/children/{opaque.encode(child.pk)}/case-file/"))
    new = reverse("oversight:decision_new", kwargs={"child_id": child.pk})
    assert f'href="{new}"' in case_file and "Start a case audit" in case_file
    assert "No management decision is recorded yet." in case_file
    data = {
        "kind": DecisionKind.PLAN_CHANGE,
        "decision": "Increase visits to weekly",
        "rationale": "Concerns about neglect",
        **date_fields("decided_on", TODAY),
    }
    response = client.post(new, data)
    assert response["Location"] == f"/children/{opaque.encode(child.pk)}/case-file/"
    decision = ManagementDecision.objects.get()
    assert decision.kind == DecisionKind.PLAN_CHANGE and decision.episode == episode
    case_file = html_of(client.get(f"/children/{opaque.encode(child.pk)}/case-file/"))
    assert f'data-decision="{decision.pk}"' in case_file and "Increase visits to weekly" in case_file
    chronology = html_of(
        client.get(f"/children/{opaque.encode(child.pk)}/chronology/", {"kind": "management"})
    )
    assert "Management decision (change to the plan)" in chronology


def test_a_decision_without_reasons_is_refused_on_the_page(people, client_for):
    url = reverse("oversight:decision_new", kwargs={"child_id": people.alices_child.pk})
    response = client_for(people.team_manager).post(
        url, {"decision": "Close", **date_fields("decided_on", TODAY)}
    )
    page = html_of(response)
    assert response.status_code == 400
    assert "Choose what kind of decision this is" in page and "Enter the reasons for the decision" in page
    assert not ManagementDecision.objects.exists()


@pytest.mark.parametrize("persona", ["social_worker", "inspector", "other_worker"])
def test_others_may_not_record_a_decision(people, client_for, persona):
    worker = getattr(people, persona)
    url = reverse("oversight:decision_new", kwargs={"child_id": people.alices_child.pk})
    assert refused_and_logged(client_for(worker).get(url), worker.user)
    case_file = html_of(
        client_for(worker).get(f"/children/{opaque.encode(people.alices_child.pk)}/case-file/")
    )
    assert "Record a management decision" not in case_file


def test_the_decision_page_links_its_supervision_only_for_those_who_may_see_it(
    people, client_for, supervision
):
    decision = ManagementDecision.objects.get()
    url = reverse("oversight:decision", kwargs={"child_id": decision.child_id, "decision_id": decision.pk})
    assert 'id="supervision-link"' in html_of(client_for(people.team_manager).get(url))
    page = html_of(client_for(people.colleague).get(url))
    assert (
        "Weekly visits" in page
        and 'id="supervision-link"' not in page
        and "A worker&#39;s supervision" in page
    )
    assert client_for(people.other_worker).get(url).status_code == 403


# -- case audits ----------------------------------------------------------------------------------------------


def audit_url(audit, name="audit") -> str:
    return reverse(f"oversight:{name}", kwargs={"child_id": audit.child_id, "audit_id": audit.pk})


def test_a_head_of_service_starts_an_audit_for_an_auditor(people, client_for, auditor):
    child = people.alices_child
    url = reverse("oversight:audit_start", kwargs={"child_id": child.pk})
    client = client_for(people.hos)
    page = html_of(client.get(url))
    assert "Quinn Worker, quality assurance auditor" in page and "Tess Worker" not in page
    response = client.post(url, {"auditor": auditor.pk})
    audit = CaseAudit.objects.get()
    assert response["Location"] == audit_url(audit) and audit.auditor == auditor
    assert client.get(url)["Location"] == audit_url(audit)  # one at a time: to the audit in progress
    assert refused_and_logged(client_for(people.social_worker).get(url), people.social_worker.user)


def test_the_auditor_answers_completes_and_then_no_longer_reaches_the_child(people, client_for, auditor):
    audit = services.case_audit_start(child=people.alices_child, started_by=people.hos.user, auditor=auditor)
    client = client_for(auditor)
    page = html_of(client.get(f"/children/{opaque.encode(people.alices_child.pk)}/case-file/"))
    assert "Continue the audit" in page and "Record a visit" not in page  # reads, does not record
    page = html_of(client.get(audit_url(audit)))
    assert 'name="voice-grade"' in page and "0 of 11 questions answered" in page
    bad = {"voice-grade": "inadequate", "voice-comment": ""}
    response = client.post(audit_url(audit), bad)
    assert response.status_code == 400 and "Say why “The child&#39;s voice” is graded inadequate" in html_of(
        response
    )
    answers = {f"{code}-grade": "good" for code in questions()}
    response = client.post(audit_url(audit), {**answers, "then": "complete"})
    assert response["Location"] == audit_url(audit, "audit_complete")
    assert audit.answers.count() == len(questions())
    response = client.post(
        audit_url(audit, "audit_complete"), {"overall_grade": "good", "summary": "Solid work"}
    )
    assert response["Location"] == reverse("oversight:audits")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.COMPLETED
    assert refused_and_logged(client.get(audit_url(audit)), auditor.user)
    manager_view = html_of(client_for(people.team_manager).get(audit_url(audit)))
    assert "Solid work" in manager_view and 'name="voice-grade"' not in manager_view


def test_only_the_auditor_answers_on_the_page(people, client_for, auditor):
    audit = services.case_audit_start(child=people.alices_child, started_by=people.hos.user, auditor=auditor)
    response = client_for(people.team_manager).post(audit_url(audit), {"voice-grade": "good"})
    assert refused_and_logged(response, people.team_manager.user)
    response = client_for(people.team_manager).get(audit_url(audit, "audit_complete"))
    assert response.status_code == 403
    assert not audit.answers.exists()


def test_completing_without_every_answer_shows_the_problem(people, client_for, auditor):
    audit = services.case_audit_start(child=people.alices_child, started_by=people.hos.user, auditor=auditor)
    response = client_for(auditor).post(
        audit_url(audit, "audit_complete"), {"overall_grade": "good", "summary": "x"}
    )
    assert response.status_code == 400 and "Answer every question before completing" in html_of(response)


@pytest.fixture
def completed_audit(people, auditor):
    audit = services.case_audit_start(child=people.alices_child, started_by=people.hos.user, auditor=auditor)
    services.case_audit_answer(
        audit=audit, answered_by=auditor.user, answers={code: ("good", "") for code in questions()}
    )
    return services.case_audit_complete(
        audit=audit, completed_by=auditor.user, overall_grade="good", summary="Fine"
    )


def test_actions_are_set_and_completed_with_evidence(people, client_for, completed_audit):
    client = client_for(people.team_manager)
    url = audit_url(completed_audit, "audit_action_new")
    page = html_of(client.get(url))
    assert "Alice Worker, social worker" in page and "Bob Worker" not in page
    data = {
        "description": "Update the plan",
        "owner": people.social_worker.pk,
        **date_fields("due_on", days_ago(-5)),
    }
    assert client.post(url, data)["Location"] == audit_url(completed_audit)
    action = CaseAuditAction.objects.get()
    action_url = reverse(
        "oversight:audit_action", kwargs={"child_id": action.audit.child_id, "action_id": action.pk}
    )
    response = client_for(people.colleague).post(
        action_url, {"evidence": "Done", **date_fields("completed_on", TODAY)}
    )
    assert refused_and_logged(response, people.colleague.user)
    alice = client_for(people.social_worker)
    response = alice.post(action_url, {"evidence": "", **date_fields("completed_on", TODAY)})
    assert response.status_code == 400 and "Describe what was done" in html_of(response)
    response = alice.post(
        action_url, {"evidence": "Plan updated 12 March", **date_fields("completed_on", TODAY)}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.evidence == "Plan updated 12 March"


def test_the_audits_list_shows_grades_and_overdue_actions_and_is_logged(people, client_for, completed_audit):
    CaseAuditAction.objects.create(
        audit=completed_audit, description="Overdue thing", owner=people.social_worker, due_on=days_ago(3)
    )
    response = client_for(people.hos).get(reverse("oversight:audits"))
    page = html_of(response)
    assert response.status_code == 200
    assert f'data-audit="{completed_audit.pk}"' in page and 'id="grade-good">1<' in page
    assert "Overdue thing" in page and "3 days overdue" in page
    assert AccessEvent.objects.filter(
        user=people.hos.user, subject__startswith="case audits", result_count=1
    ).exists()
    assert refused_and_logged(
        client_for(people.social_worker).get(reverse("oversight:audits")), people.social_worker.user
    )


def test_an_auditor_lists_only_the_audits_in_progress_with_them(people, client_for, auditor, completed_audit):
    in_progress = services.case_audit_start(
        child=people.carls_child, started_by=people.hos.user, auditor=auditor
    )
    page = html_of(client_for(auditor).get(reverse("oversight:audits")))
    assert f'data-audit="{in_progress.pk}"' in page and f'data-audit="{completed_audit.pk}"' not in page


def test_what_is_typed_for_a_case_not_ticked_is_ignored(people, client_for):
    child = people.alices_child
    data = {
        **date_fields("held_on", days_ago(1)),
        f"case-{child.pk}-decision": "Typed, then unticked",
        f"case-{child.pk}-action-1-due_day": "99",
    }
    response = client_for(people.team_manager).post(
        reverse("oversight:supervision_record", args=[people.social_worker.pk]), data
    )
    assert response.status_code == 302
    assert Supervision.objects.get().cases.count() == 0 and not ManagementDecision.objects.exists()
