"""The action's page and the incident's page: forms, bad input kept with a GOV.UK error summary, refusals,
and every view logged."""

import datetime

from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.learning import services
from safeguard.learning.models import LearningAction, Source, Status

D = datetime.date
DUE = D(2026, 12, 18)


def agree(people, incident, due=DUE):
    return services.learning_action_agree(
        incident=incident,
        agreed_by=people.team_manager.user,
        source=Source.RAPID_REVIEW,
        description="Briefing on bruising in babies",
        owner=people.social_worker,
        due_on=due,
    )


def date_parts(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_a_manager_agrees_an_action_on_the_incident_page(people, incident, client_for):
    client = client_for(people.team_manager)
    url = reverse("learning:incident", kwargs={"incident_id": incident.pk})
    assert client.get(url).status_code == 200
    data = {
        "source": Source.PRACTICE_REVIEW,
        "description": "Learning event on professional curiosity",
        "owner": people.social_worker.pk,
        **date_parts("due_on", D(2027, 1, 29)),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    action = LearningAction.objects.get()
    assert (action.source, action.due_on, action.owner) == (
        Source.PRACTICE_REVIEW,
        D(2027, 1, 29),
        people.social_worker,
    )
    assert AccessEvent.objects.filter(
        child=people.alices_child, subject="serious incident learning actions"
    ).exists()


def test_bad_input_on_the_incident_page_keeps_what_was_typed(people, incident, client_for):
    url = reverse("learning:incident", kwargs={"incident_id": incident.pk})
    response = client_for(people.team_manager).post(
        url,
        {
            "description": "Kept text",
            "owner": people.social_worker.pk,
            **date_parts("due_on", D(2026, 11, 1)),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Kept text" in text and "Choose the review" in text
    assert not LearningAction.objects.exists()


def test_the_incident_page_is_refused_to_those_who_may_not_see_the_incident(people, incident, client_for):
    url = reverse("learning:incident", kwargs={"incident_id": incident.pk})
    for worker in (people.colleague, people.other_worker):
        assert client_for(worker).get(url).status_code == 403
    refused = AccessEvent.objects.filter(outcome=AccessOutcome.REFUSED, child=people.alices_child)
    assert refused.count() == 2
    # Alice sees the incident (allocated) but, not a manager, may not add to it.
    assert client_for(people.social_worker).get(url).status_code == 200
    assert client_for(people.social_worker).post(url, {"description": "x"}).status_code == 403


def test_the_owner_completes_with_evidence_on_the_action_page(people, incident, client_for):
    action = agree(people, incident)
    client = client_for(people.social_worker)
    url = reverse("learning:action", kwargs={"action_id": action.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Mark as done" in page.content.decode()
    missing = client.post(url, {"form": "complete", "complete-version": 1, "complete-evidence": ""})
    assert missing.status_code == 400 and "Describe what was done" in missing.content.decode()
    done = client.post(url, {"form": "complete", "complete-version": 1, "complete-evidence": "Briefing held"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.DONE and action.evidence == "Briefing held"


def test_a_stale_due_date_change_is_told_and_the_form_keeps_the_text(people, incident, client_for):
    action = agree(people, incident)
    services.learning_action_record_progress(
        action=action, recorded_by=people.team_manager.user, note="Booked"
    )
    services.learning_action_change_due_date(
        action=action, changed_by=people.team_manager.user, due_on=D(2027, 1, 8), reason="Moved", version=1
    )
    url = reverse("learning:action", kwargs={"action_id": action.pk})
    response = client_for(people.social_worker).post(
        url,
        {
            "form": "due_date",
            "due_date-version": 1,
            "due_date-reason": "My reason",
            **date_parts("due_date-due_on", D(2027, 2, 1)),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "after you opened it" in text and "My reason" in text
    action.refresh_from_db()
    assert action.due_on == D(2027, 1, 8)


def test_the_action_page_is_refused_to_those_who_may_not_see_the_incident(people, incident, client_for):
    action = agree(people, incident)
    url = reverse("learning:action", kwargs={"action_id": action.pk})
    assert client_for(people.colleague).get(url).status_code == 403
    assert client_for(people.inspector).get(url).status_code == 200
    # The inspector reads only: no form, and a post is refused.
    assert "Mark as done" not in client_for(people.inspector).get(url).content.decode()
    assert (
        client_for(people.inspector).post(url, {"form": "progress", "progress-note": "x"}).status_code == 403
    )


def test_only_a_manager_closes_an_action_as_no_longer_needed(people, incident, client_for):
    action = agree(people, incident)
    url = reverse("learning:action", kwargs={"action_id": action.pk})
    post = {"form": "not_needed", "not_needed-version": 1, "not_needed-reason": "Overtaken"}
    assert client_for(people.social_worker).post(url, post).status_code == 403
    assert client_for(people.hos).post(url, post).status_code == 302
    action.refresh_from_db()
    assert action.status == Status.NOT_NEEDED


def test_an_empty_post_is_a_bad_request_for_who_may_act_and_refused_for_others(people, incident, client_for):
    action = agree(people, incident)
    url = reverse("learning:action", kwargs={"action_id": action.pk})
    assert client_for(people.team_manager).post(url, {}).status_code == 400
    assert client_for(people.inspector).post(url, {}).status_code == 403
    assert client_for(people.colleague).post(url, {}).status_code == 403
    incident_url = reverse("learning:incident", kwargs={"incident_id": incident.pk})
    assert client_for(people.team_manager).post(incident_url, {}).status_code == 400
    assert client_for(people.inspector).post(incident_url, {}).status_code == 403
