"""The measures and plan pages: who sees which areas, who is refused (and the refusal logged), and a bad
form that changes nothing."""

import datetime
import re

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.casework.tests.conftest import TODAY, date_fields
from safeguard.leadership import services
from safeguard.leadership.models import ImprovementAction

pytestmark = pytest.mark.django_db


def columns(response):
    """The measures table's column headers (the Jinja2 backend keeps no ``response.context``)."""
    header = response.content.decode().split('<table class="govuk-table govuk-body-s" id="measures">')[1]
    header = header.split("</thead>")[0]
    return re.findall(r'header--numeric">([^<]+)</th>', header)[:-1]  # the last is England


def test_the_director_and_inspector_see_the_council_and_every_area(people, client_for):
    for persona in (people.director, people.inspector):
        response = client_for(persona).get(reverse("leadership:measures"))
        assert response.status_code == 200
        assert columns(response) == ["Council", "North", "South"]
        assert b"Re-referrals within 12 months" in response.content
        assert b"Year ending 31 March 2025" in response.content


def test_a_head_of_service_and_a_team_manager_see_their_area_and_the_council(people, client_for):
    assert columns(client_for(people.hos).get(reverse("leadership:measures"))) == ["Council", "North"]
    assert columns(client_for(people.team_manager).get(reverse("leadership:measures"))) == [
        "Council",
        "North",
    ]


def test_the_period_can_be_the_last_twelve_months_or_to_a_date(people, client_for):
    client = client_for(people.director)
    assert (
        b"12 months to 11 March 2026"
        in client.get(reverse("leadership:measures") + "?period=rolling").content
    )
    response = client.get(reverse("leadership:measures") + "?end=2025-09-30")
    assert b"1 October 2024 to 30 September 2025" in response.content
    # A date in the future or malformed is ignored.
    assert (
        b"1 April 2024 to 31 March 2025"
        in client.get(reverse("leadership:measures") + "?end=2099-01-01").content
    )


@pytest.mark.parametrize("persona", ["social_worker", "front_door", "iro", "administrator"])
def test_others_are_refused_and_the_refusal_logged(people, client_for, persona):
    client = client_for(getattr(people, persona))
    for name in ("leadership:measures", "leadership:plan", "leadership:action_new"):
        assert client.get(reverse(name)).status_code == 403
    assert AccessEvent.objects.filter(outcome=AccessOutcome.REFUSED).count() == 3


def test_readers_read_the_plan_but_only_editors_set_actions(people, client_for):
    action = services.action_create(
        created_by=people.director.user,
        title="Reduce drift in child protection plans",
        description="Monthly review of plans over 12 months",
        owner=people.hos,
        due_on=TODAY + datetime.timedelta(days=90),
        area=None,
    )
    for persona in (people.team_manager, people.inspector):
        client = client_for(persona)
        assert b"Reduce drift" in client.get(reverse("leadership:plan")).content
        page = client.get(reverse("leadership:action", args=[action.pk]))
        assert page.status_code == 200 and b"Move it on" not in page.content
        assert client.get(reverse("leadership:action_new")).status_code == 403
        assert (
            client.post(reverse("leadership:action", args=[action.pk]), {"status": "done"}).status_code == 403
        )
    # A head of service cannot change the council's action.
    assert client_for(people.hos).get(reverse("leadership:action_edit", args=[action.pk])).status_code == 403


def test_setting_an_action_through_the_page_and_a_bad_form(people, client_for):
    client = client_for(people.director)
    bad = client.post(
        reverse("leadership:action_new"),
        {
            "title": "",
            "description": "Something",
            "owner": people.team_manager.pk,
            **date_fields("due_on", None),
        },
    )
    assert bad.status_code == 400
    assert b"Enter a title for the action" in bad.content and b"Enter the due date" in bad.content
    assert b"Something" in bad.content  # what was typed is kept
    assert not ImprovementAction.objects.exists()
    good = client.post(
        reverse("leadership:action_new"),
        {
            "title": "Front door rota",
            "description": "A second manager each morning",
            "area": people.north.pk,
            "owner": people.team_manager.pk,
            **date_fields("due_on", TODAY + datetime.timedelta(days=30)),
            "measure": "re_referral",
            "target": "20",
        },
    )
    action = ImprovementAction.objects.get()
    assert good.status_code == 302 and action.measure == "re_referral" and action.area == people.north
    # Marking it done without evidence is refused on the page; nothing changes.
    refused = client.post(
        reverse("leadership:action", args=[action.pk]),
        {"status": "done", "note": "", "version": action.version},
    )
    assert refused.status_code == 400 and b"Enter the evidence" in refused.content
    action.refresh_from_db()
    assert action.status == "not_started"
    done = client.post(
        reverse("leadership:action", args=[action.pk]),
        {"status": "done", "note": "Rota running since March", "version": action.version},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.evidence == "Rota running since March"
    plan = client.get(reverse("leadership:plan"))
    assert b"Front door rota" in plan.content and b"govuk-tag--green" in plan.content


def test_a_head_of_service_is_offered_their_own_area_only_and_told_to_choose_it(people, client_for):
    client = client_for(people.hos)
    page = client.get(reverse("leadership:action_new")).content.decode()
    assert "The whole council" not in page
    area_select = page.split('id="id_area"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)"', area_select) == [str(people.north.pk)]
    missing = client.post(
        reverse("leadership:action_new"),
        {
            "title": "Front door rota",
            "description": "A second manager each morning",
            "area": "",
            "owner": people.team_manager.pk,
            **date_fields("due_on", TODAY + datetime.timedelta(days=30)),
        },
    )
    assert missing.status_code == 400 and b"Choose the area" in missing.content
    assert not ImprovementAction.objects.exists()
    # The director may still set one for the whole council.
    assert (
        "The whole council"
        in client_for(people.director).get(reverse("leadership:action_new")).content.decode()
    )
