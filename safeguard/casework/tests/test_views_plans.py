"""Child in need plan pages: start, review, end."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safeguard.casework.models import CinPlan, CinPlanReview
from safeguard.casework.tests.conftest import TODAY, date_fields, days_ago
from safeguard.compliance.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def test_start_page_shows_the_form_and_the_usual_review_interval(people, client_for, episode):
    response = client_for(people.social_worker).get(url("cin_plan_start", people.alices_child))
    html = html_of(response)
    assert response.status_code == 200
    assert "Start a child in need plan" in html and people.alices_child.person.full_name in html
    assert "Leave blank for the usual 3 months" in html


def test_starting_a_plan_with_its_own_review_interval_sets_the_review_clock(people, client_for, episode):
    child = people.alices_child
    data = {
        **date_fields("start_date", days_ago(1)),
        "summary": "Family support twice a week",
        "review_every": "every 6 Weeks",
    }
    response = client_for(people.social_worker).post(url("cin_plan_start", child), data)
    assert response.status_code == 302
    assert response["Location"] == url("case_file", child)
    plan = CinPlan.objects.get(child=child)
    assert plan.review_every == "6 weeks" and plan.start_date == days_ago(1)
    review = Deadline.objects.get(duty_id="cin_plan_review", child=child)
    assert review.starts_on == days_ago(1) and review.due_on == days_ago(1 - 42)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"{review.due_on:%-d %B %Y}" in message


def test_a_review_interval_that_is_not_a_period_is_refused_and_kept(people, client_for, episode):
    data = {**date_fields("start_date", days_ago(1)), "summary": "Support", "review_every": "fortnightly"}
    response = client_for(people.social_worker).post(url("cin_plan_start", people.alices_child), data)
    html = html_of(response)
    assert response.status_code == 400
    assert "Enter how often" in html and 'value="fortnightly"' in html
    assert not CinPlan.objects.exists()


def test_a_plan_without_a_summary_is_refused(people, client_for, episode):
    data = {**date_fields("start_date", days_ago(1)), "summary": "", "review_every": ""}
    response = client_for(people.social_worker).post(url("cin_plan_start", people.alices_child), data)
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert not CinPlan.objects.exists() and not Deadline.objects.filter(duty_id="cin_plan_review").exists()


def test_a_plan_cannot_run_alongside_a_child_protection_plan(people, client_for, cp_plan):
    data = {**date_fields("start_date", TODAY), "summary": "Support"}
    response = client_for(people.social_worker).post(url("cin_plan_start", people.alices_child), data)
    assert response.status_code == 400
    assert "cannot run alongside it" in html_of(response)
    assert not CinPlan.objects.filter(end_date__isnull=True).exists()


def test_recording_a_review_meets_the_review_due_and_starts_the_next(people, client_for, cin_plan):
    child = people.alices_child
    page = url("cin_plan_review", child, plan_id=cin_plan.pk)
    client = client_for(people.social_worker)
    assert client.get(page).status_code == 200
    response = client.post(page, {**date_fields("held_on", TODAY), "summary": "Progress on attendance"})
    assert response.status_code == 302
    review = CinPlanReview.objects.get(plan=cin_plan)
    assert review.held_on == TODAY
    deadlines = Deadline.objects.filter(duty_id="cin_plan_review", child=child).order_by("pk")
    assert [d.status for d in deadlines] == [DeadlineStatus.MET, DeadlineStatus.OPEN]
    assert deadlines[1].starts_on == TODAY


def test_a_review_before_the_plan_started_is_refused(people, client_for, cin_plan):
    response = client_for(people.social_worker).post(
        url("cin_plan_review", people.alices_child, plan_id=cin_plan.pk),
        {**date_fields("held_on", days_ago(30)), "summary": "Too early"},
    )
    assert response.status_code == 400
    assert "A review cannot be before the plan started" in html_of(response)
    assert not CinPlanReview.objects.exists()


def test_ending_a_plan_cancels_its_review_clock(people, client_for, cin_plan):
    child = people.alices_child
    page = url("cin_plan_end", child, plan_id=cin_plan.pk)
    client = client_for(people.social_worker)
    assert f'name="version" value="{cin_plan.version}"' in html_of(client.get(page))
    response = client.post(
        page, {**date_fields("end_date", TODAY), "reason": "Needs met", "version": str(cin_plan.version)}
    )
    assert response.status_code == 302
    cin_plan.refresh_from_db()
    assert cin_plan.end_date == TODAY
    assert Deadline.objects.get(duty_id="cin_plan_review").status == DeadlineStatus.CANCELLED
    ended = html_of(client.get(page))
    assert "This plan ended on" in ended and 'name="end_date_day"' not in ended


def test_ending_a_plan_at_a_stale_version_shows_the_conflict(people, client_for, cin_plan):
    CinPlan.objects.filter(pk=cin_plan.pk).update(version=2, modified_by=people.colleague.user)
    response = client_for(people.social_worker).post(
        url("cin_plan_end", people.alices_child, plan_id=cin_plan.pk),
        {**date_fields("end_date", TODAY), "reason": "Needs met", "version": "1"},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "after you opened it" in html and "Needs met" in html
    cin_plan.refresh_from_db()
    assert cin_plan.end_date is None


def test_an_end_date_in_the_future_is_refused(people, client_for, cin_plan):
    response = client_for(people.social_worker).post(
        url("cin_plan_end", people.alices_child, plan_id=cin_plan.pk),
        {**date_fields("end_date", days_ago(-3)), "version": str(cin_plan.version)},
    )
    assert response.status_code == 400
    assert "must be today or in the past" in html_of(response)
    cin_plan.refresh_from_db()
    assert cin_plan.end_date is None
