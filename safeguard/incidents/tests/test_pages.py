"""The pages: recording an incident and each step through the forms, bad input kept with an error summary,
the list with each clock's state, the child's page and link, the navigation and the home panel."""

import datetime

from django.urls import reverse

from safeguard.incidents.models import IncidentNotification, SeriousIncident

D = datetime.date


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


AWARE = D(2026, 12, 23)


def incident_post(people, aware=AWARE, **extra):
    return {
        "harm": "died",
        "abuse_or_neglect": "suspected",
        **date_fields("occurred_on", D(2026, 12, 22)),
        **date_fields("became_aware_on", aware),
        "looked_after": "no",
        "summary": "Found unresponsive at home",
        "lead": people.hos.pk,
        **extra,
    }


def test_a_manager_records_an_incident_through_the_childs_page(people, family, client_for):
    client = client_for(people.team_manager)
    child_page = reverse("incidents:child", kwargs={"child_id": family.subject.pk})
    assert "Record a serious incident" in client.get(child_page).content.decode()
    response = client.post(
        reverse("incidents:new", kwargs={"child_id": family.subject.pk}), incident_post(people)
    )
    incident = SeriousIncident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:incident", kwargs={"incident_id": incident.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Found unresponsive at home" in page and "4 January 2027" in page and "18 January 2027" in page


def test_bad_input_is_kept_with_an_error_summary_and_nothing_saved(people, family, client_for):
    client = client_for(people.team_manager)
    url = reverse("incidents:new", kwargs={"child_id": family.subject.pk})
    response = client.post(url, incident_post(people, aware=D(2026, 12, 21)))  # aware before it happened
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "must be the same as or after the incident" in page
    assert "Found unresponsive at home" in page
    response = client.post(url, incident_post(people, aware=D(2027, 1, 2)))
    assert response.status_code == 400 and "must be today or in the past" in response.content.decode()
    assert not SeriousIncident.objects.exists()


def test_a_worker_who_may_open_the_record_may_not_record_an_incident(people, family, client_for):
    url = reverse("incidents:new", kwargs={"child_id": family.subject.pk})
    assert client_for(people.social_worker).get(url).status_code == 403
    assert client_for(people.social_worker).post(url, incident_post(people)).status_code == 403
    assert not SeriousIncident.objects.exists()


def test_recording_the_panel_notification_meets_its_clock_on_the_page(people, incident, client_for):
    client = client_for(people.team_manager)
    url = reverse("incidents:notification_new", kwargs={"incident_id": incident.pk})
    response = client.post(url, {"recipient": "panel", **date_fields("notified_on", D(2026, 12, 23))})
    assert response.status_code == 400 and "Enter the Panel&#39;s reference" in response.content.decode()
    response = client.post(
        url, {"recipient": "panel", "reference": "CSPRP-123", **date_fields("notified_on", D(2026, 12, 23))}
    )
    assert response.status_code == 302
    assert IncidentNotification.objects.get().reference == "CSPRP-123"
    page = client.get(reverse("incidents:incident", kwargs={"incident_id": incident.pk})).content.decode()
    assert "CSPRP-123" in page and 'govuk-tag--green">Met<' in page


def test_the_list_shows_each_incidents_clocks_and_next_due(people, family, incident, client_for, frozen):
    frozen.move_to(datetime.datetime(2027, 1, 6, 10, 0, tzinfo=datetime.UTC))
    page = client_for(people.hos).get(reverse("incidents:index")).content.decode()
    assert incident.reference in page and "1 due, 0 met" in page and "1 late" in page
    # The next thing due is the oldest still open: the notification, now late.
    assert (
        "notified to the Child Safeguarding Practice Review Panel within 5 working days: 4 January 2027"
        in page
    )
    empty = client_for(people.colleague).get(reverse("incidents:index")).content.decode()
    assert incident.reference not in empty


def test_navigation_and_home_panel(people, family, incident, client_for):
    home = client_for(people.hos).get(reverse("home")).content.decode()
    # 23 December: the Panel's notification (due 4 January) is within 5 working days; the rapid review is not.
    assert "1 serious incident clock due in the next 5 working days" in home
    assert 'href="/serious-incidents/"' in home
    other = client_for(people.colleague).get(reverse("home")).content.decode()
    assert "serious incident clock" not in other and 'href="/serious-incidents/"' not in other


def test_whether_a_practice_review_exists_is_told_only_to_those_who_may_see_the_incident(
    people, incident, client_for
):
    url = reverse("incidents:practice_review", kwargs={"incident_id": incident.pk})
    assert client_for(people.colleague).get(url).status_code == 403
    assert client_for(people.hos).get(url).status_code == 404
    page = reverse("incidents:incident", kwargs={"incident_id": incident.pk})
    assert client_for(people.hos).post(page, {}).status_code == 405
    assert client_for(people.colleague).post(page, {}).status_code == 403
