"""Case audits: who commissions and carries them out, grading, the completion guard, actions tracked to done,
and the quality assurance auditor's reach, which lasts exactly as long as the audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.audit.policy import access_basis, may_change, visible_children
from safeguard.casework.chronology import chronology_for
from safeguard.oversight import services
from safeguard.oversight.models import ActionStatus, AnswerGrade, AuditStatus, CaseAudit, Grade
from safeguard.oversight.policies import CASE_AUDITOR
from safeguard.oversight.questions import QUESTIONS_FILE, questions, read_questions
from safeguard.oversight.selectors import audit_actions_overdue, audit_grades, auditor_candidates, case_audits
from safeguard.oversight.tests.conftest import TODAY, days_ago
from tests.factories import WorkerFactory

ALL_GOOD = {code: (AnswerGrade.GOOD, "") for code in questions()}


def start(people, auditor, child=None, by=None):
    return services.case_audit_start(
        child=child or people.alices_child, started_by=(by or people.hos).user, auditor=auditor
    )


def answer_all(audit, auditor, **overrides):
    answers = {**ALL_GOOD, **overrides}
    return services.case_audit_answer(audit=audit, answered_by=auditor.user, answers=answers)


def complete(audit, auditor, grade=Grade.GOOD, summary="Good work with the family", **extra):
    return services.case_audit_complete(
        audit=audit, completed_by=auditor.user, overall_grade=grade, summary=summary, **extra
    )


@pytest.fixture
def audit(people, auditor):
    """Hana (head of service) asks Quinn (quality assurance) to audit Alice's child's case file."""
    return start(people, auditor)


# -- the questions --------------------------------------------------------------------------------------------


def test_the_questions_each_have_a_code_text_and_the_guidance_they_rest_on():
    asked = questions()
    assert {"voice", "risk", "plan", "timeliness", "oversight", "child_seen"} <= set(asked)
    for question in asked.values():
        assert question.text.endswith("?") and question.guidance and question.theme


def test_a_broken_questions_file_is_refused(tmp_path):
    broken = tmp_path / "questions.csv"
    broken.write_text(QUESTIONS_FILE.read_text() + "voice,Again,Twice?,Somewhere\n")
    with pytest.raises(ValueError, match="used twice"):
        read_questions(broken)
    broken.write_text("code,theme,text,guidance\nvoice,,Is it?,Here\n")
    with pytest.raises(ValueError, match="theme is empty"):
        read_questions(broken)


# -- starting: who, and the independence of the auditor ----------------------------------------------------------


def test_a_manager_starts_an_audit_and_the_auditor_reaches_the_child_until_it_is_completed(people, auditor):
    child = people.alices_child
    assert not access_basis(auditor.user, child).allowed
    audit = start(people, auditor)
    assert audit.status == AuditStatus.DRAFT and audit.started_on == TODAY
    decision = access_basis(auditor.user, child)
    assert decision.allowed and decision.reason == CASE_AUDITOR
    assert set(visible_children(auditor.user)) == {child}
    assert not may_change(auditor.user, child).allowed  # read only
    answer_all(audit, auditor)
    complete(audit, auditor)
    assert not access_basis(auditor.user, child).allowed
    assert not visible_children(auditor.user).exists()
    assert (
        AuditEvent.objects.filter(entity_type="oversight.caseaudit").count() == 3
    )  # started, answered, completed


@pytest.mark.parametrize("persona", ["social_worker", "colleague", "inspector", "iro", "other_worker"])
def test_only_a_manager_who_may_change_the_record_starts_an_audit(people, auditor, persona):
    with pytest.raises(PermissionDenied):
        start(people, auditor, by=getattr(people, persona))
    assert not CaseAudit.objects.exists()


def test_whoever_directly_manages_the_case_may_not_audit_it(people):
    with pytest.raises(ValidationError, match="holds or directly manages this case"):
        start(people, people.team_manager)  # Alice's line manager and her team's manager
    people.social_worker.manager = people.hos
    people.social_worker.save()
    with pytest.raises(ValidationError, match="holds or directly manages this case"):
        start(people, people.hos, by=people.director)  # now Alice's line manager


def test_a_team_manager_of_the_holding_team_may_not_audit_even_without_line_managing(people):
    deputy = WorkerFactory(role="team_manager", team=people.north_team)
    with pytest.raises(ValidationError, match="directly manages"):
        start(people, deputy)


def test_a_manager_who_cannot_see_the_child_may_not_audit_it_and_a_worker_is_not_an_auditor(
    people, south_manager
):
    with pytest.raises(ValidationError, match="cannot see this child's record"):
        start(people, south_manager)
    with pytest.raises(ValidationError, match="cannot audit case files"):
        start(people, people.other_worker)


def test_the_head_of_service_and_the_director_may_audit(people):
    audit = start(people, people.hos, by=people.team_manager)
    assert audit.auditor == people.hos
    audit = start(people, people.director, child=people.carls_child)
    assert audit.auditor == people.director


def test_the_auditors_offered_are_independent_of_the_case(people, auditor):
    offered = set(auditor_candidates(people.alices_child, TODAY))
    assert offered == {auditor, people.director, people.hos}


def test_one_audit_of_a_case_file_at_a_time(people, auditor, audit):
    with pytest.raises(ValidationError, match="already in progress"):
        start(people, people.director)


# -- answering and completing ----------------------------------------------------------------------------------


def test_only_the_auditor_answers_and_a_grade_below_good_needs_a_comment(people, auditor, audit):
    with pytest.raises(PermissionDenied):
        answer_all(audit, people.hos)
    with pytest.raises(ValidationError) as error:
        answer_all(audit, auditor, voice=(AnswerGrade.INADEQUATE, ""), risk=("", "Some notes"))
    assert error.value.message_dict == {
        "voice.comment": ["Say why “The child's voice” is graded inadequate"],
        "risk.grade": ["Choose a grade for “Risk analysis”"],
    }
    assert not audit.answers.exists()
    services.case_audit_answer(
        audit=audit, answered_by=auditor.user, answers={"voice": ("good", ""), "plan": ("", "")}
    )
    assert list(audit.answers.values_list("question", "grade")) == [("voice", "good")]


def test_answers_can_be_changed_while_in_progress(people, auditor, audit):
    answer_all(audit, auditor)
    answer_all(audit, auditor, plan=(AnswerGrade.REQUIRES_IMPROVEMENT, "No timescales"))
    assert audit.answers.get(question="plan").grade == AnswerGrade.REQUIRES_IMPROVEMENT
    changed = AuditEvent.objects.filter(action="case_audit.answered").order_by("pk").last()
    assert changed.changes == {"plan": ["good", "requires_improvement"]}


def test_an_audit_is_completed_only_with_every_question_answered_a_grade_and_a_summary(
    people, auditor, audit
):
    services.case_audit_answer(audit=audit, answered_by=auditor.user, answers={"voice": ("good", "")})
    with pytest.raises(ValidationError) as error:
        complete(audit, auditor, grade="", summary="")
    messages = error.value.message_dict
    assert messages["__all__"][0].startswith("Answer every question before completing the audit")
    assert messages["overall_grade"] == ["Choose the overall grade"]
    assert messages["summary"] == ["Summarise what the audit found"]
    audit.refresh_from_db()
    assert audit.status == AuditStatus.DRAFT


def test_an_inadequate_answer_limits_the_overall_grade(people, auditor, audit):
    answer_all(audit, auditor, child_seen=(AnswerGrade.INADEQUATE, "Not seen for 3 months"))
    with pytest.raises(ValidationError, match="cannot be good or outstanding"):
        complete(audit, auditor, grade=Grade.GOOD)
    complete(audit, auditor, grade=Grade.REQUIRES_IMPROVEMENT)
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.REQUIRES_IMPROVEMENT and audit.completed_on == TODAY


def test_a_completed_audit_cannot_change(people, auditor, audit):
    answer_all(audit, auditor)
    complete(audit, auditor)
    with pytest.raises(ValidationError, match="has been completed: it can no longer change"):
        answer_all(audit, auditor, voice=(AnswerGrade.INADEQUATE, "Changed my mind"))
    stale = CaseAudit.objects.get(pk=audit.pk)
    stale.status = AuditStatus.DRAFT  # a second tab, opened before it was completed
    with pytest.raises(ValidationError, match="already been completed"):
        complete(stale, auditor, grade=Grade.OUTSTANDING)
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.GOOD and audit.answers.get(question="voice").grade == "good"


def test_a_completion_date_before_the_start_is_refused(people, auditor, audit):
    answer_all(audit, auditor)
    with pytest.raises(ValidationError, match="before it started"):
        complete(audit, auditor, completed_on=days_ago(1))


# -- actions --------------------------------------------------------------------------------------------------


def add_action(audit, by, owner, due_on, description="Update the chronology"):
    return services.case_audit_action_add(
        audit=audit, added_by=by.user, description=description, owner=owner, due_on=due_on
    )


def test_actions_are_set_by_the_auditor_or_a_manager_and_owned_by_someone_who_works_with_the_child(
    people, auditor, audit
):
    action = add_action(audit, auditor, people.social_worker, days_ago(-14))
    assert action.status == ActionStatus.OPEN and action.owner == people.social_worker
    add_action(audit, people.team_manager, people.colleague, TODAY)
    with pytest.raises(PermissionDenied):
        add_action(audit, people.social_worker, people.social_worker, TODAY)
    with pytest.raises(ValidationError) as error:
        add_action(audit, auditor, people.other_worker, days_ago(1), description=" ")
    assert error.value.message_dict == {
        "description": ["Describe what needs to be done"],
        "owner": ["Bob Worker cannot act on this child's record: choose someone who works with the child"],
        "due_on": ["The due date must be today or in the future"],
    }
    assert audit.actions.count() == 2


def test_an_action_is_done_only_with_evidence_by_its_owner_or_a_manager(people, auditor, audit):
    action = add_action(audit, auditor, people.social_worker, days_ago(-14))
    with pytest.raises(PermissionDenied):
        services.case_audit_action_complete(
            action=action, completed_by=people.colleague.user, evidence="Done"
        )
    with pytest.raises(PermissionDenied):  # the auditor reads the record, and does not act on it
        services.case_audit_action_complete(action=action, completed_by=auditor.user, evidence="Done")
    with pytest.raises(ValidationError) as error:
        services.case_audit_action_complete(
            action=action, completed_by=people.social_worker.user, evidence=" "
        )
    assert error.value.message_dict == {"evidence": ["Describe what was done, and where it is recorded"]}
    done = services.case_audit_action_complete(
        action=action,
        completed_by=people.social_worker.user,
        evidence="Chronology updated, case note 3 March",
    )
    assert done.status == ActionStatus.DONE and done.completed_on == TODAY
    with pytest.raises(ValidationError, match="already been completed"):
        services.case_audit_action_complete(
            action=action, completed_by=people.team_manager.user, evidence="Again"
        )
    other = add_action(audit, people.team_manager, people.colleague, TODAY)
    services.case_audit_action_complete(
        action=other, completed_by=people.team_manager.user, evidence="Checked"
    )
    assert AuditEvent.objects.filter(action="case_audit_action.completed").count() == 2


def test_overdue_actions_are_listed_for_those_who_see_the_child(people, auditor, audit, south_manager):
    add_action(audit, auditor, people.social_worker, TODAY, description="Due today")
    add_action(audit, auditor, people.social_worker, days_ago(-3), description="Due in three days")
    done = add_action(audit, auditor, people.colleague, TODAY, description="Done on time")
    services.case_audit_action_complete(action=done, completed_by=people.colleague.user, evidence="Did it")
    assert not audit_actions_overdue(people.team_manager.user, TODAY).exists()
    later = TODAY + datetime.timedelta(days=2)
    assert [a.description for a in audit_actions_overdue(people.team_manager.user, later)] == ["Due today"]
    for viewer in (people.hos, people.director, people.social_worker):
        assert audit_actions_overdue(viewer.user, later).count() == 1, viewer
    assert not audit_actions_overdue(south_manager.user, later).exists()
    rows = {row.pk: row for row in case_audits(people.team_manager.user, later)}
    assert (rows[audit.pk].open_actions, rows[audit.pk].overdue_actions) == (2, 1)


def test_audit_grades_count_completed_audits_since_a_date_for_children_in_reach(
    people, auditor, south_manager
):
    first = start(people, auditor)
    answer_all(first, auditor)
    complete(first, auditor, grade=Grade.GOOD)
    second = start(people, auditor, child=people.carls_child)
    answer_all(second, auditor, risk=(AnswerGrade.INADEQUATE, "No risk analysis"))
    complete(second, auditor, grade=Grade.INADEQUATE)
    start(people, auditor)  # in progress: not counted
    expected = {"outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 1}
    assert audit_grades(people.team_manager.user, days_ago(30)) == expected
    assert audit_grades(people.director.user, days_ago(30)) == expected
    assert audit_grades(south_manager.user, days_ago(30)) == dict.fromkeys(expected, 0)
    assert audit_grades(people.director.user, TODAY + datetime.timedelta(days=1)) == dict.fromkeys(
        expected, 0
    )


def test_a_completed_audit_is_on_the_childs_chronology(people, auditor, audit):
    answer_all(audit, auditor)
    complete(audit, auditor, grade=Grade.OUTSTANDING)
    (entry,) = chronology_for(people.alices_child, kinds=["management"])
    assert entry.title == "Case audit completed: outstanding" and entry.by == "Quinn Worker"
