"""Child protection pages: strategy discussion, section 47 enquiry, conferences, core groups, ending a plan."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safeguard.casework.models import (
    ChildProtectionConference,
    CinPlan,
    CoreGroupMeeting,
    CPPlan,
    S47Enquiry,
    StrategyDiscussion,
)
from safeguard.casework.tests.conftest import TODAY, date_fields, days_ago
from safeguard.compliance.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ----------------------------------------------------------------------------------------------------------
# Strategy discussion and section 47 enquiry


def discussion_data(**overrides) -> dict:
    data = {
        **date_fields("held_on", TODAY),
        "participants": "Alice (social care), DC Shah (police)",
        "concerns": "Disclosure at school of being hit",
        "outcome": "s47",
    }
    data.update(overrides)
    return data


def test_strategy_discussion_page_shows_the_form(people, client_for, episode):
    response = client_for(people.social_worker).get(url("strategy_discussion", people.alices_child))
    html = html_of(response)
    assert response.status_code == 200
    assert "Record a strategy discussion" in html and 'value="s47"' in html and 'value="no_s47"' in html


def test_a_discussion_deciding_on_s47_starts_the_enquiry_and_the_conference_clock(
    people, client_for, episode
):
    child = people.alices_child
    response = client_for(people.social_worker).post(url("strategy_discussion", child), discussion_data())
    assert response.status_code == 302
    discussion = StrategyDiscussion.objects.get(child=child)
    enquiry = S47Enquiry.objects.get(strategy_discussion=discussion)
    assert enquiry.start_date == TODAY and enquiry.is_open
    deadline = Deadline.objects.get(duty_id="initial_cp_conference", child=child)
    assert deadline.scope_id == enquiry.pk and deadline.status == DeadlineStatus.OPEN
    [message] = flashed(response)
    assert "section 47 enquiry started" in message and f"{deadline.due_on:%-d %B %Y}" in message


def test_a_discussion_deciding_against_s47_starts_no_enquiry(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("strategy_discussion", people.alices_child), discussion_data(outcome="no_s47")
    )
    assert response.status_code == 302
    assert StrategyDiscussion.objects.count() == 1 and not S47Enquiry.objects.exists()
    assert not Deadline.objects.filter(duty_id="initial_cp_conference").exists()


def test_a_discussion_with_nothing_recorded_is_refused_and_kept(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("strategy_discussion", people.alices_child), discussion_data(participants="", outcome="")
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in html and "Disclosure at school of being hit" in html
    assert not StrategyDiscussion.objects.exists()


def test_a_second_open_enquiry_is_refused(people, client_for, s47):
    response = client_for(people.social_worker).post(
        url("strategy_discussion", people.alices_child), discussion_data()
    )
    assert response.status_code == 400
    assert "already open" in html_of(response)
    assert StrategyDiscussion.objects.count() == 1


def test_concluding_an_enquiry_with_a_conference_needed(people, client_for, s47):
    child = people.alices_child
    page = url("s47_conclude", child, enquiry_id=s47.pk)
    client = client_for(people.social_worker)
    assert f'name="version" value="{s47.version}"' in html_of(client.get(page))
    response = client.post(
        page,
        {
            **date_fields("concluded_on", TODAY),
            "outcome": "conference",
            "findings": "Injuries non-accidental",
            "version": "1",
        },
    )
    assert response.status_code == 302
    s47.refresh_from_db()
    assert s47.concluded_on == TODAY and s47.outcome == "conference"
    assert Deadline.objects.get(duty_id="initial_cp_conference").status == DeadlineStatus.OPEN


def test_concluding_with_no_conference_stops_the_conference_clock(people, client_for, s47):
    response = client_for(people.social_worker).post(
        url("s47_conclude", people.alices_child, enquiry_id=s47.pk),
        {
            **date_fields("concluded_on", TODAY),
            "outcome": "no_conference",
            "findings": "Accidental",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert Deadline.objects.get(duty_id="initial_cp_conference").status != DeadlineStatus.OPEN


def test_concluding_without_findings_is_refused(people, client_for, s47):
    response = client_for(people.social_worker).post(
        url("s47_conclude", people.alices_child, enquiry_id=s47.pk),
        {**date_fields("concluded_on", TODAY), "outcome": "conference", "findings": "", "version": "1"},
    )
    assert response.status_code == 400
    s47.refresh_from_db()
    assert s47.is_open


def test_concluding_at_a_stale_version_shows_the_conflict(people, client_for, s47):
    S47Enquiry.objects.filter(pk=s47.pk).update(version=2, modified_by=people.colleague.user)
    response = client_for(people.social_worker).post(
        url("s47_conclude", people.alices_child, enquiry_id=s47.pk),
        {
            **date_fields("concluded_on", TODAY),
            "outcome": "conference",
            "findings": "My findings",
            "version": "1",
        },
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Carl" in html and "after you opened it" in html and "My findings" in html
    s47.refresh_from_db()
    assert s47.is_open


# ----------------------------------------------------------------------------------------------------------
# Initial conference


def conference_data(people, **overrides) -> dict:
    data = {
        **date_fields("held_on", TODAY),
        "chair": str(people.iro.pk),
        "decision": "plan",
        "category": "PHY",
        "visit_every": "4 weeks",
        "summary": "Plan agreed by all agencies",
    }
    data.update(overrides)
    return data


def test_initial_conference_page_offers_the_iros_as_chairs(people, client_for, s47_needing_conference):
    response = client_for(people.social_worker).get(
        url("initial_conference", people.alices_child, enquiry_id=s47_needing_conference.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert f'value="{people.iro.pk}"' in html
    assert f'value="{people.team_manager.pk}"' not in html
    assert 'value="NEG"' in html and "Physical abuse" in html
    due = Deadline.objects.get(duty_id="initial_cp_conference")
    assert f"{due.due_on:%-d %B %Y}" in html


def test_a_plan_decision_starts_the_cp_plan_and_ends_the_cin_plan(
    people, client_for, cin_plan, s47_needing_conference
):
    child = people.alices_child
    response = client_for(people.social_worker).post(
        url("initial_conference", child, enquiry_id=s47_needing_conference.pk), conference_data(people)
    )
    assert response.status_code == 302
    conference = ChildProtectionConference.objects.get(s47=s47_needing_conference)
    assert conference.chair == people.iro
    plan = CPPlan.objects.get(child=child)
    assert plan.start_date == TODAY and plan.initial_category == "PHY" and plan.visit_every == "4 weeks"
    assert CinPlan.objects.get(pk=cin_plan.pk).end_date == TODAY
    assert Deadline.objects.get(duty_id="initial_cp_conference").status == DeadlineStatus.MET
    opened = set(
        Deadline.objects.open()
        .filter(child=child, started_by="cp_plan.started")
        .values_list("duty_id", flat=True)
    )
    assert {"core_group_first", "cp_review_first", "cp_visit"} <= opened
    visit = Deadline.objects.get(duty_id="cp_visit")
    assert visit.due_on == days_ago(-28)  # the plan's own frequency
    [message] = flashed(response)
    assert "child protection plan started" in message


def test_a_plan_without_a_category_is_refused(people, client_for, s47_needing_conference):
    response = client_for(people.social_worker).post(
        url("initial_conference", people.alices_child, enquiry_id=s47_needing_conference.pk),
        conference_data(people, category=""),
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Choose the category of abuse" in html and "Plan agreed by all agencies" in html
    assert not ChildProtectionConference.objects.exists() and not CPPlan.objects.exists()


def test_a_chair_who_is_not_an_iro_is_refused(people, client_for, s47_needing_conference):
    response = client_for(people.social_worker).post(
        url("initial_conference", people.alices_child, enquiry_id=s47_needing_conference.pk),
        conference_data(people, chair=str(people.team_manager.pk)),
    )
    assert response.status_code == 400
    assert not ChildProtectionConference.objects.exists()


def test_no_plan_decision_records_the_conference_only(people, client_for, s47_needing_conference):
    response = client_for(people.social_worker).post(
        url("initial_conference", people.alices_child, enquiry_id=s47_needing_conference.pk),
        conference_data(people, decision="no_plan", category=""),
    )
    assert response.status_code == 302
    assert ChildProtectionConference.objects.get().decision == "no_plan"
    assert not CPPlan.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Review conferences, ending the plan, core groups


def test_review_conference_continues_the_plan_with_a_new_category(people, client_for, cp_plan):
    child = people.alices_child
    page = url("review_conference", child, plan_id=cp_plan.pk)
    client = client_for(people.social_worker)
    form = html_of(client.get(page))
    assert "No, it is still physical abuse" in form and 'value="same"' in form
    response = client.post(
        page,
        {
            **date_fields("held_on", TODAY),
            "chair": str(people.iro.pk),
            "version": str(cp_plan.version),
            "decision": "continue",
            "category": "EMO",
            "summary": "",
        },
    )
    assert response.status_code == 302
    cp_plan.refresh_from_db()
    assert cp_plan.is_open and cp_plan.latest_category == "EMO" and cp_plan.initial_category == "PHY"
    review = Deadline.objects.get(duty_id="cp_review_first")
    assert review.status == DeadlineStatus.MET
    assert Deadline.objects.open().filter(duty_id="cp_review", child=child).exists()


def test_review_conference_with_the_category_unchanged(people, client_for, cp_plan):
    response = client_for(people.social_worker).post(
        url("review_conference", people.alices_child, plan_id=cp_plan.pk),
        {
            **date_fields("held_on", TODAY),
            "chair": str(people.iro.pk),
            "version": str(cp_plan.version),
            "decision": "continue",
            "category": "same",
        },
    )
    assert response.status_code == 302
    cp_plan.refresh_from_db()
    assert cp_plan.latest_category == "PHY"
    assert ChildProtectionConference.objects.get(kind="review").category == ""


def test_review_conference_on_the_day_of_the_initial_one_is_refused(people, client_for, cp_plan):
    response = client_for(people.social_worker).post(
        url("review_conference", people.alices_child, plan_id=cp_plan.pk),
        {
            **date_fields("held_on", cp_plan.start_date),
            "chair": str(people.iro.pk),
            "version": str(cp_plan.version),
            "decision": "continue",
            "category": "same",
        },
    )
    assert response.status_code == 400
    assert "A review conference is after the initial conference" in html_of(response)
    assert not ChildProtectionConference.objects.filter(kind="review").exists()


def test_ending_the_plan_is_a_review_conference_that_decides_so(people, client_for, cp_plan):
    child = people.alices_child
    page = url("cp_plan_end", child, plan_id=cp_plan.pk)
    client = client_for(people.social_worker)
    form = html_of(client.get(page))
    assert (
        "End the child protection plan" in form
        and 'name="decision"' in form
        and 'value="continue"' not in form
    )
    missing_reason = client.post(
        page,
        {**date_fields("held_on", TODAY), "chair": str(people.iro.pk), "decision": "end", "version": "1"},
    )
    assert missing_reason.status_code == 400
    cp_plan.refresh_from_db()
    assert cp_plan.is_open
    response = client.post(
        page,
        {
            **date_fields("held_on", TODAY),
            "chair": str(people.iro.pk),
            "summary": "Risks reduced",
            "version": "1",
        },
    )
    assert response.status_code == 302
    cp_plan.refresh_from_db()
    assert cp_plan.end_date == TODAY and cp_plan.end_reason == "Risks reduced"
    conference = ChildProtectionConference.objects.get(kind="review")
    assert conference.decision == "end"
    assert (
        not Deadline.objects.open().filter(child=child, duty_id__in=["cp_visit", "cp_review_first"]).exists()
    )
    assert "This plan ended on" in html_of(client.get(page))


def test_recording_a_core_group_meets_the_first_core_group_deadline(people, client_for, cp_plan):
    page = url("core_group", people.alices_child, plan_id=cp_plan.pk)
    client = client_for(people.social_worker)
    assert client.get(page).status_code == 200
    response = client.post(page, {**date_fields("held_on", TODAY), "summary": "Actions agreed"})
    assert response.status_code == 302
    assert CoreGroupMeeting.objects.get(plan=cp_plan).held_on == TODAY
    assert Deadline.objects.get(duty_id="core_group_first").status == DeadlineStatus.MET


def test_a_core_group_before_the_plan_is_refused(people, client_for, cp_plan):
    response = client_for(people.social_worker).post(
        url("core_group", people.alices_child, plan_id=cp_plan.pk),
        {**date_fields("held_on", days_ago(20)), "summary": ""},
    )
    assert response.status_code == 400
    assert "A core group meets after the plan starts" in html_of(response)
    assert not CoreGroupMeeting.objects.exists()


def test_a_second_review_recorded_from_a_stale_page_is_refused(people, client_for, cp_plan):
    """Two people record the same review conference: the second is told, and it is not entered twice."""
    page = url("review_conference", people.alices_child, plan_id=cp_plan.pk)
    data = {
        **date_fields("held_on", TODAY),
        "chair": str(people.iro.pk),
        "version": str(cp_plan.version),
        "decision": "continue",
        "category": "same",
    }
    assert client_for(people.social_worker).post(page, data).status_code == 302
    second = client_for(people.colleague).post(page, data)
    assert second.status_code == 400
    assert "after you opened it" in html_of(second)
    assert ChildProtectionConference.objects.filter(kind="review").count() == 1
