"""Recording a visit."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safeguard.casework.models import Visit
from safeguard.casework.tests.conftest import TODAY, date_fields, days_ago
from safeguard.compliance.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def visit_data(**overrides) -> dict:
    data = {
        **date_fields("visited_on", TODAY),
        "location": "home",
        "child_seen": "yes",
        "seen_alone": "yes",
        "summary": "Seen in her bedroom; said school is going better",
    }
    data.update(overrides)
    return data


def test_visit_page_shows_the_form(people, client_for):
    response = client_for(people.social_worker).get(url("visit", people.alices_child))
    html = html_of(response)
    assert response.status_code == 200
    assert "Record a visit" in html and people.alices_child.person.full_name in html
    assert 'name="seen_alone"' in html and 'value="school"' in html


def test_a_visit_where_the_child_was_seen_alone(people, client_for):
    child = people.alices_child
    response = client_for(people.social_worker).post(url("visit", child), visit_data())
    assert response.status_code == 302 and response["Location"] == url("case_file", child)
    visit = Visit.objects.get(child=child)
    assert visit.child_seen and visit.seen_alone and visit.visited_by == people.social_worker
    assert visit.location == "home" and visit.visited_on == TODAY


def test_seen_alone_is_not_recorded_when_the_child_was_not_seen(people, client_for):
    response = client_for(people.social_worker).post(
        url("visit", people.alices_child), visit_data(child_seen="no", seen_alone="yes")
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert not visit.child_seen and not visit.seen_alone


def test_a_visit_meets_the_child_protection_visit_due_and_says_when_the_next_is(people, client_for, cp_plan):
    child = people.alices_child
    response = client_for(people.social_worker).post(url("visit", child), visit_data())
    assert response.status_code == 302
    visits = Deadline.objects.filter(duty_id="cp_visit", child=child).order_by("pk")
    assert [d.status for d in visits] == [DeadlineStatus.MET, DeadlineStatus.OPEN]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"{visits[1].due_on:%-d %B %Y}" in message


def test_a_visit_without_a_summary_or_place_is_refused_and_kept(people, client_for):
    response = client_for(people.social_worker).post(
        url("visit", people.alices_child), visit_data(location="", summary="  ")
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'value="yes" checked' in html.replace("\n", " ") or "checked" in html
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused(people, client_for):
    response = client_for(people.social_worker).post(
        url("visit", people.alices_child), visit_data(**date_fields("visited_on", days_ago(-1)))
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()
