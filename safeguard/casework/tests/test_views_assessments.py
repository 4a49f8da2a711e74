"""The assessment pages, as Alice (the allocated social worker) and Tess (her team manager) use them."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome, AuditEvent
from safeguard.casework import services
from safeguard.casework.models import Assessment, AssessmentStatus, CinEpisode
from safeguard.casework.tests.conftest import ASSESSMENT_START, TODAY, date_fields, days_ago, open_episode_for
from safeguard.compliance.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_data(assessment, **overrides) -> dict:
    data = {
        "version": str(assessment.version),
        **date_fields("child_seen_on", days_ago(7)),
        "factors": ["1B", "3A"],
        "analysis": "Father drinks heavily; the child witnessed an assault.",
        "outcome": "cin_plan",
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------------------------------------
# Starting an assessment


def test_start_page_shows_the_form_with_the_child_and_the_way_back(people, client_for, episode):
    child = people.alices_child
    response = client_for(people.social_worker).get(url("assessment_start", child))
    html = html_of(response)
    assert response.status_code == 200
    assert "Start an assessment" in html
    assert child.person.full_name in html
    assert f'href="{url("case_file", child)}"' in html
    assert 'name="start_date_day"' in html and f'value="{TODAY.day}"' in html


def test_starting_an_assessment_records_it_and_opens_its_45_working_day_clock(people, client_for, episode):
    child = people.alices_child
    response = client_for(people.social_worker).post(
        url("assessment_start", child), date_fields("start_date", days_ago(1))
    )
    assessment = Assessment.objects.get(child=child)
    assert response.status_code == 302
    assert response["Location"] == url("assessment_edit", child, assessment_id=assessment.pk)
    assert assessment.start_date == days_ago(1) and assessment.status == AssessmentStatus.IN_PROGRESS
    deadline = Deadline.objects.get(duty_id="assessment_from_start", child=child)
    assert deadline.status == DeadlineStatus.OPEN and deadline.starts_on == days_ago(1)
    assert deadline.scope_type == "casework.cinepisode" and deadline.scope_id == episode.pk
    [message] = flashed(response)
    assert message.startswith("Assessment started.") and f"{deadline.due_on:%-d %B %Y}" in message


def test_a_start_date_before_the_referral_is_refused_and_nothing_is_recorded(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("assessment_start", people.alices_child), date_fields("start_date", days_ago(60))
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "The assessment cannot start before the referral" in html
    assert 'href="#id_start_date-day"' in html
    assert f'value="{days_ago(60).day}"' in html  # what was typed is kept
    assert not Assessment.objects.exists()
    assert not Deadline.objects.filter(duty_id="assessment_from_start").exists()


def test_a_half_typed_start_date_is_refused_the_govuk_way(people, client_for, episode):
    data = {**date_fields("start_date", days_ago(1)), "start_date_year": ""}
    response = client_for(people.social_worker).post(url("assessment_start", people.alices_child), data)
    assert response.status_code == 400
    assert "must include a year" in html_of(response)
    assert not Assessment.objects.exists()


def test_a_second_open_assessment_is_refused(people, client_for, assessment):
    response = client_for(people.social_worker).post(
        url("assessment_start", people.alices_child), date_fields("start_date", days_ago(1))
    )
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


def test_without_an_open_episode_the_page_says_so(people, client_for):
    response = client_for(people.social_worker).get(url("assessment_start", people.alices_child))
    assert response.status_code == 200
    assert "There is no open case" in html_of(response)
    assert 'name="start_date_day"' not in html_of(response)


# ----------------------------------------------------------------------------------------------------------
# Working on it


def test_edit_page_groups_the_factors_for_the_child_a_parent_and_others(people, client_for, assessment):
    response = client_for(people.social_worker).get(
        url("assessment_edit", people.alices_child, assessment_id=assessment.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    child_at = html.index("Concerns about the child")
    parent_at = html.index("Concerns about a parent or carer")
    other_at = html.index("Concerns about another person in the household")
    assert child_at < html.index('value="1A"') < parent_at < html.index('value="1B"') < other_at
    assert other_at < html.index('value="1C"')
    assert html.index('value="18C"') < parent_at  # adult-on-child abuse is a concern about the child
    assert 'data-behaviour="exclusive"' in html  # "no factors identified" stands alone
    assert 'id="id_factors"' in html  # the error summary's link lands on the first box
    assert f'name="version" value="{assessment.version}"' in html


def test_saving_the_assessment_records_every_answer(people, client_for, assessment):
    child = people.alices_child
    response = client_for(people.social_worker).post(
        url("assessment_edit", child, assessment_id=assessment.pk), edit_data(assessment)
    )
    assert response.status_code == 302
    assert response["Location"] == url("assessment", child, assessment_id=assessment.pk)
    assessment.refresh_from_db()
    assert assessment.child_seen_on == days_ago(7)
    assert assessment.factors == ["1B", "3A"]
    assert assessment.analysis.startswith("Father drinks")
    assert assessment.outcome == "cin_plan" and assessment.version == 2
    assert AuditEvent.objects.filter(action="assessment.updated").count() == 1
    assert flashed(response) == ["Assessment saved"]


def test_no_factors_with_other_factors_is_refused_and_the_text_kept(people, client_for, assessment):
    response = client_for(people.social_worker).post(
        url("assessment_edit", people.alices_child, assessment_id=assessment.pk),
        edit_data(assessment, factors=["21", "3A"]),
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "cannot be chosen with other factors" in html
    assert 'href="#id_factors"' in html
    assert "Father drinks heavily" in html
    assessment.refresh_from_db()
    assert assessment.factors == [] and assessment.version == 1


def test_a_stale_version_is_told_who_saved_and_keeps_what_was_typed(people, client_for, assessment):
    child = people.alices_child
    stale = assessment.version
    services.assessment_update(  # Carl, Alice's colleague, saves first
        assessment=Assessment.objects.get(pk=assessment.pk),
        updated_by=people.colleague.user,
        version=stale,
        child_seen_on=days_ago(3),
        factors=["16A"],
        analysis="Carl's analysis",
        outcome="",
    )
    response = client_for(people.social_worker).post(
        url("assessment_edit", child, assessment_id=assessment.pk), edit_data(assessment, version=str(stale))
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Carl" in html and "after you opened it" in html and "Your changes have not been saved" in html
    assert "Father drinks heavily" in html  # Alice's text is kept
    assert "What is saved now" in html and "Carl&#39;s analysis" in html
    assert f'name="version" value="{stale + 1}"' in html  # saving again is now her decision
    assessment.refresh_from_db()
    assert assessment.analysis == "Carl's analysis"

    again = client_for(people.social_worker).post(
        url("assessment_edit", child, assessment_id=assessment.pk),
        edit_data(assessment, version=str(stale + 1)),
    )
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.analysis.startswith("Father drinks")


def test_an_assessment_no_longer_in_progress_cannot_be_edited(people, client_for, submitted_assessment):
    child = people.alices_child
    response = client_for(people.social_worker).get(
        url("assessment_edit", child, assessment_id=submitted_assessment.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == url("assessment", child, assessment_id=submitted_assessment.pk)


# ----------------------------------------------------------------------------------------------------------
# The assessment, read only


def test_detail_page_shows_the_assessment_and_both_clocks(people, client_for, submitted_assessment):
    response = client_for(people.social_worker).get(
        url("assessment", people.alices_child, assessment_id=submitted_assessment.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Submitted for authorisation" in html
    assert "Domestic abuse: concerns about" not in html and "Domestic abuse (3B)" in html
    assert "The child is frightened at home." in html
    referral, start = (
        Deadline.objects.get(duty_id="assessment_from_referral"),
        Deadline.objects.get(duty_id="assessment_from_start"),
    )
    assert f"{referral.due_on.day} " in html and referral.duty.name in html and start.duty.name in html
    assert "Authorise" not in html  # Alice is not a manager


def test_an_inspector_reads_the_assessment_but_is_offered_no_change(people, client_for, assessment):
    response = client_for(people.inspector).get(
        url("assessment", people.alices_child, assessment_id=assessment.pk)
    )
    assert response.status_code == 200
    assert "Change the assessment" not in html_of(response)


def test_an_assessment_of_another_child_is_not_found_through_this_child(people, client_for, assessment):
    carls_episode = open_episode_for(people.carls_child, people.colleague)
    carls = services.assessment_start(
        episode=carls_episode, started_by=people.colleague.user, start_date=ASSESSMENT_START
    )
    client = client_for(people.social_worker)  # Alice's team: she may open both children's records
    for name in ("assessment", "assessment_edit", "assessment_submit"):
        assert client.get(url(name, people.alices_child, assessment_id=carls.pk)).status_code == 404
    response = client.post(
        url("assessment_edit", people.alices_child, assessment_id=carls.pk), edit_data(carls)
    )
    assert response.status_code == 404
    carls.refresh_from_db()
    assert carls.version == 1


# ----------------------------------------------------------------------------------------------------------
# Submitting


def test_submit_page_shows_the_answers_to_check(people, client_for, assessment):
    child = people.alices_child
    response = client_for(people.social_worker).get(
        url("assessment_submit", child, assessment_id=assessment.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Check the assessment before you submit it" in html
    assert url("assessment_edit", child, assessment_id=assessment.pk) + "#id_analysis" in html


def test_submitting_an_unfinished_assessment_lists_what_is_missing(people, client_for, assessment):
    response = client_for(people.social_worker).post(
        url("assessment_submit", people.alices_child, assessment_id=assessment.pk),
        {"version": str(assessment.version)},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Record when the child was seen" in html and "Write the analysis of risk and need" in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_submitting_sends_it_to_the_manager(people, client_for, assessment):
    child = people.alices_child
    services.assessment_update(
        assessment=assessment,
        updated_by=people.social_worker.user,
        version=1,
        child_seen_on=days_ago(5),
        factors=["21"],
        analysis="No concerns found",
        outcome="nfa",
    )
    response = client_for(people.social_worker).post(
        url("assessment_submit", child, assessment_id=assessment.pk), {"version": "2"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_on == TODAY
    assert assessment.submitted_by == people.social_worker.user


def test_submitting_a_stale_version_is_refused_with_the_conflict(people, client_for, assessment):
    services.assessment_update(
        assessment=Assessment.objects.get(pk=assessment.pk),
        updated_by=people.colleague.user,
        version=1,
        child_seen_on=days_ago(5),
        factors=["21"],
        analysis="Carl's analysis",
        outcome="nfa",
    )
    response = client_for(people.social_worker).post(
        url("assessment_submit", people.alices_child, assessment_id=assessment.pk), {"version": "1"}
    )
    assert response.status_code == 400
    assert "after you opened it" in html_of(response)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


# ----------------------------------------------------------------------------------------------------------
# The manager's decision


def test_authorise_page_shows_the_analysis_and_both_recorded_deadlines(
    people, client_for, submitted_assessment
):
    child = people.alices_child
    response = client_for(people.team_manager).get(
        url("assessment_authorise", child, assessment_id=submitted_assessment.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "The child is frightened at home." in html
    for deadline in Deadline.objects.filter(child=child, duty__code__startswith="assessment_from"):
        assert deadline.duty.name in html
        assert f"{deadline.due_on.day} {deadline.due_on:%b} {deadline.due_on.year}" in html
    assert 'value="N1"' in html and "Abuse or neglect" in html
    assert url("assessment_return", child, assessment_id=submitted_assessment.pk) in html


def test_the_authorise_page_reads_the_due_dates_it_shows_from_the_deadline_rows(
    people, client_for, submitted_assessment
):
    """A due day moved by the engine (a local override, a correction) is what the manager sees."""
    moved = Deadline.objects.get(duty_id="assessment_from_referral")
    moved.due_on = days_ago(-40)
    moved.save()
    html = html_of(
        client_for(people.team_manager).get(
            url("assessment_authorise", people.alices_child, assessment_id=submitted_assessment.pk)
        )
    )
    assert f"{moved.due_on.day} {moved.due_on:%b} {moved.due_on.year}" in html


def test_authorising_records_the_primary_need_and_meets_both_clocks(people, client_for, submitted_assessment):
    child = people.alices_child
    response = client_for(people.team_manager).post(
        url("assessment_authorise", child, assessment_id=submitted_assessment.pk),
        {"version": str(submitted_assessment.version), "primary_need": "N1", "rationale": "Agreed: CIN plan"},
    )
    assert response.status_code == 302
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.status == AssessmentStatus.AUTHORISED
    assert submitted_assessment.authorised_on == TODAY
    assert submitted_assessment.authorised_by == people.team_manager.user
    assert CinEpisode.objects.get(child=child).primary_need == "N1"
    clocks = Deadline.objects.filter(child=child, duty__code__startswith="assessment_from")
    assert sorted(clocks.values_list("status", flat=True)) == [DeadlineStatus.MET, DeadlineStatus.MET]
    assert AuditEvent.objects.get(action="assessment.authorised").reason == "Agreed: CIN plan"


def test_authorising_without_a_primary_need_is_refused(people, client_for, submitted_assessment):
    response = client_for(people.team_manager).post(
        url("assessment_authorise", people.alices_child, assessment_id=submitted_assessment.pk),
        {"version": str(submitted_assessment.version), "primary_need": "", "rationale": "Agreed"},
    )
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.status == AssessmentStatus.SUBMITTED
    assert not Deadline.objects.filter(status=DeadlineStatus.MET).exists()


def test_authorising_is_a_decision_with_reasons(people, client_for, submitted_assessment):
    """Issue 5: assessment authorisation is a request (the submission) and a decision with rationale."""
    child = people.alices_child
    page = url("assessment_authorise", child, assessment_id=submitted_assessment.pk)
    client = client_for(people.team_manager)
    response = client.post(page, {"version": str(submitted_assessment.version), "primary_need": "N1"})
    assert response.status_code == 400
    assert "Give your reasons for authorising the assessment" in html_of(response)
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.status == AssessmentStatus.SUBMITTED
    client.post(
        page,
        {"version": str(submitted_assessment.version), "primary_need": "N1", "rationale": "Analysis sound."},
    )
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.authorisation_rationale == "Analysis sound."
    detail = html_of(client.get(url("assessment", child, assessment_id=submitted_assessment.pk)))
    assert "Reasons for authorising" in detail and "Analysis sound." in detail


def test_a_head_of_service_may_authorise_too(people, client_for, submitted_assessment):
    response = client_for(people.hos).post(
        url("assessment_authorise", people.alices_child, assessment_id=submitted_assessment.pk),
        {"version": str(submitted_assessment.version), "primary_need": "N4", "rationale": "Agreed"},
    )
    assert response.status_code == 302


def test_returning_it_for_more_work(people, client_for, submitted_assessment):
    child = people.alices_child
    client = client_for(people.team_manager)
    assert (
        client.get(url("assessment_return", child, assessment_id=submitted_assessment.pk)).status_code == 200
    )
    empty = client.post(
        url("assessment_return", child, assessment_id=submitted_assessment.pk),
        {"version": str(submitted_assessment.version), "reason": " "},
    )
    assert empty.status_code == 400 and "There is a problem" in html_of(empty)
    response = client.post(
        url("assessment_return", child, assessment_id=submitted_assessment.pk),
        {"version": str(submitted_assessment.version), "reason": "Speak to the school"},
    )
    assert response.status_code == 302
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.status == AssessmentStatus.IN_PROGRESS
    assert AuditEvent.objects.get(action="assessment.returned").reason == "Speak to the school"


def test_the_managers_pages_are_refused_to_a_social_worker_and_logged(
    people, client_for, submitted_assessment
):
    child = people.alices_child
    client = client_for(people.social_worker)
    detail = html_of(client.get(url("assessment", child, assessment_id=submitted_assessment.pk)))
    assert url("assessment_authorise", child, assessment_id=submitted_assessment.pk) not in detail
    for name, data in (
        ("assessment_authorise", {"version": "3", "primary_need": "N1"}),
        ("assessment_return", {"version": "3", "reason": "More"}),
    ):
        page = url(name, child, assessment_id=submitted_assessment.pk)
        assert client.get(page).status_code == 403
        assert client.post(page, data).status_code == 403
    submitted_assessment.refresh_from_db()
    assert submitted_assessment.status == AssessmentStatus.SUBMITTED
    refusals = AccessEvent.objects.filter(user=people.social_worker.user, outcome=AccessOutcome.REFUSED)
    assert refusals.count() == 4 and {event.child for event in refusals} == {child}


def test_the_manager_sees_the_decision_on_the_detail_page(people, client_for, submitted_assessment):
    child = people.alices_child
    html = html_of(
        client_for(people.team_manager).get(url("assessment", child, assessment_id=submitted_assessment.pk))
    )
    assert url("assessment_authorise", child, assessment_id=submitted_assessment.pk) in html


def test_the_worker_reads_why_it_was_returned_and_the_history_shows_each_step(
    people, client_for, submitted_assessment
):
    child = people.alices_child
    services.assessment_return(
        assessment=submitted_assessment,
        returned_by=people.team_manager.user,
        version=submitted_assessment.version,
        reason="Speak to the school about attendance",
    )
    client = client_for(people.social_worker)
    edit = html_of(client.get(url("assessment_edit", child, assessment_id=submitted_assessment.pk)))
    assert "Returned for more work" in edit and "Speak to the school about attendance" in edit
    detail = html_of(client.get(url("assessment", child, assessment_id=submitted_assessment.pk)))
    steps = ["Started", "Submitted for authorisation", "Returned for more work"]
    history = detail[detail.index('id="history"') :]
    assert [history.index(f"<strong>{step}</strong>") for step in steps] == sorted(
        history.index(f"<strong>{step}</strong>") for step in steps
    )
    assert "Tess" in history and "Speak to the school about attendance" in history


def test_a_manager_withdraws_an_assessment_saying_why(people, client_for, assessment):
    child = people.alices_child
    page = url("assessment_withdraw", child, assessment_id=assessment.pk)
    assert client_for(people.social_worker).get(page).status_code == 403  # a manager's step
    manager = client_for(people.team_manager)
    assert "Withdraw this assessment" in html_of(
        manager.get(url("assessment", child, assessment_id=assessment.pk))
    )
    refused = manager.post(page, {"version": str(assessment.version), "reason": ""})
    assert refused.status_code == 400 and "Say why the assessment is withdrawn" in html_of(refused)
    response = manager.post(
        page, {"version": str(assessment.version), "reason": "Started on the wrong child"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.withdrawn_reason) == (
        AssessmentStatus.WITHDRAWN,
        "Started on the wrong child",
    )
    # Its own clock stops; the referral's keeps running.
    assert Deadline.objects.get(duty_id="assessment_from_start").status == DeadlineStatus.CANCELLED
    assert Deadline.objects.get(duty_id="assessment_from_referral").status == DeadlineStatus.OPEN
    assert "Withdrawn" in html_of(manager.get(url("assessment", child, assessment_id=assessment.pk)))
