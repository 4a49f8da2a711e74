"""Recording why a statutory deadline was missed."""

import datetime

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.conftest import open_episode_for
from safeguard.compliance.models import Deadline
from safeguard.compliance.services import deadline_explain_delay

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def overdue(people):
    """The referral's 45 working day clock, run out: the episode was opened long ago."""
    episode = open_episode_for(
        people.alices_child, people.social_worker, referral_date=datetime.date(2026, 1, 5)
    )
    deadline = Deadline.objects.get(duty_id="assessment_from_referral", scope_id=episode.pk)
    assert deadline.is_overdue()
    return deadline


def test_delay_page_shows_the_deadline_and_the_form(people, client_for, overdue):
    response = client_for(people.social_worker).get(
        url("deadline_delay", people.alices_child, deadline_id=overdue.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert overdue.duty.name in html and "Overdue by" in html
    assert f"{overdue.due_on:%-d %B %Y}" in html
    assert f'name="version" value="{overdue.version}"' in html


def test_recording_the_reason(people, client_for, overdue):
    child = people.alices_child
    response = client_for(people.social_worker).post(
        url("deadline_delay", child, deadline_id=overdue.pk),
        {"reason": "Family moved out of area for three weeks", "version": str(overdue.version)},
    )
    assert response.status_code == 302 and response["Location"] == url("case_file", child)
    overdue.refresh_from_db()
    assert overdue.delay_reason == "Family moved out of area for three weeks" and overdue.version == 2
    assert AuditEvent.objects.filter(action="deadline.delay_explained").count() == 1


def test_an_empty_reason_is_refused(people, client_for, overdue):
    response = client_for(people.social_worker).post(
        url("deadline_delay", people.alices_child, deadline_id=overdue.pk), {"reason": " ", "version": "1"}
    )
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    overdue.refresh_from_db()
    assert overdue.delay_reason == ""


def test_a_stale_version_is_told_the_reason_now_recorded_and_keeps_theirs(people, client_for, overdue):
    deadline_explain_delay(
        deadline=overdue, reason="Carl's reason", recorded_by=people.colleague.user, version=1
    )
    response = client_for(people.social_worker).post(
        url("deadline_delay", people.alices_child, deadline_id=overdue.pk),
        {"reason": "Alice's reason", "version": "1"},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Someone else changed this deadline" in html and "Carl&#39;s reason" in html
    assert "Alice&#39;s reason" in html
    assert 'name="version" value="2"' in html
    overdue.refresh_from_db()
    assert overdue.delay_reason == "Carl's reason"


def test_a_deadline_of_another_child_is_not_found_through_this_child(people, client_for, overdue):
    response = client_for(people.colleague).get(
        url("deadline_delay", people.carls_child, deadline_id=overdue.pk)
    )
    assert response.status_code == 404
