"""Closing a child in need episode."""

import pytest
from django.urls import reverse

from safeguard.casework.models import CinEpisode
from safeguard.casework.tests.conftest import TODAY, date_fields
from safeguard.compliance.models import Deadline, DeadlineStatus

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"child_id": child.pk, **kwargs})


def html_of(response) -> str:
    return response.content.decode()


def close_data(episode, **overrides) -> dict:
    # Transferred to another council before any assessment: the need is "not stated" (CIN census 8610).
    data = {
        **date_fields("closure_date", TODAY),
        "reason": "RC5",
        "primary_need": "N0",
        "version": str(episode.version),
    }
    data.update(overrides)
    return data


def test_close_page_offers_the_reasons_valid_today(people, client_for, episode):
    response = client_for(people.social_worker).get(
        url("episode_close", people.alices_child, episode_id=episode.pk)
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "Close the case" in html and 'value="RC9"' in html and "referred to early help" in html
    assert f'name="version" value="{episode.version}"' in html


def test_closing_the_case_records_the_date_and_reason_and_stops_its_clocks(people, client_for, episode):
    child = people.alices_child
    response = client_for(people.social_worker).post(
        url("episode_close", child, episode_id=episode.pk), close_data(episode)
    )
    assert response.status_code == 302 and response["Location"] == url("case_file", child)
    episode.refresh_from_db()
    assert episode.closure_date == TODAY and episode.closure_reason == "RC5" and not episode.referral_nfa
    assert episode.primary_need == "N0"
    assert Deadline.objects.get(duty_id="assessment_from_referral").status == DeadlineStatus.CANCELLED
    closed = html_of(client_for(people.social_worker).get(url("episode_close", child, episode_id=episode.pk)))
    assert "The case closed on" in closed and 'name="reason"' not in closed


def test_a_case_with_an_open_assessment_cannot_close(people, client_for, assessment):
    episode = assessment.episode
    response = client_for(people.social_worker).post(
        url("episode_close", people.alices_child, episode_id=episode.pk), close_data(episode)
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Finish an assessment before closing the case" in html
    episode.refresh_from_db()
    assert episode.is_open


def test_closing_without_a_reason_is_refused(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("episode_close", people.alices_child, episode_id=episode.pk), close_data(episode, reason="")
    )
    assert response.status_code == 400
    assert CinEpisode.objects.get(pk=episode.pk).is_open


def test_closing_at_a_stale_version_shows_the_conflict(people, client_for, episode):
    CinEpisode.objects.filter(pk=episode.pk).update(version=2, modified_by=people.team_manager.user)
    response = client_for(people.social_worker).post(
        url("episode_close", people.alices_child, episode_id=episode.pk), close_data(episode, version="1")
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Tess" in html and "after you opened it" in html
    assert 'name="version" value="2"' in html
    assert CinEpisode.objects.get(pk=episode.pk).is_open


def test_closing_after_assessment_needs_an_assessment(people, client_for, episode):
    response = client_for(people.social_worker).post(
        url("episode_close", people.alices_child, episode_id=episode.pk), close_data(episode, reason="RC8")
    )
    assert response.status_code == 400
    assert "needs an authorised assessment" in html_of(response)
    assert CinEpisode.objects.get(pk=episode.pk).is_open
