"""Each kind of user lands on the home page their work needs."""

import pytest
from django.urls import reverse

HOME_SHOWS = {
    "social_worker": "Children allocated to you",
    "iro": "Children you are the IRO for",
    "front_door": "Check what is known about a child",
    "inspector": "read-only access",
    "team_manager": "Caseloads",
    "hos": "North at a glance",
    "director": "The service at a glance",
    "administrator": "does not give access to children",
    "analyst": "does not open children's case records",
}


@pytest.mark.parametrize("persona", HOME_SHOWS)
def test_home_page_fits_the_role(people, client_for, persona):
    response = client_for(getattr(people, persona)).get(reverse("home"))
    assert response.status_code == 200
    assert HOME_SHOWS[persona] in response.content.decode()


def test_every_role_has_a_home_page():
    from safeguard.organisation.models import Role
    from safeguard.ui.views import HOME_TEMPLATES

    assert set(HOME_TEMPLATES) == set(Role)


def test_a_social_worker_sees_their_own_children_and_no_one_elses(people, client_for):
    html = client_for(people.social_worker).get(reverse("home")).content.decode()
    assert people.alices_child.la_child_id in html
    assert people.carls_child.la_child_id not in html


def test_the_team_manager_sees_each_workers_caseload(people, client_for):
    html = client_for(people.team_manager).get(reverse("home")).content.decode()
    assert people.social_worker.name in html and people.colleague.name in html
    assert people.other_worker.name not in html


def test_the_director_sees_every_area(people, client_for):
    html = client_for(people.director).get(reverse("home")).content.decode()
    assert "North" in html and "South" in html


def test_every_link_on_the_administrators_home_page_opens(people, client_for):
    import re

    client = client_for(people.administrator)
    html = client.get(reverse("home")).content.decode()
    links = re.findall(r'href="(/admin/[^"]+)"', html)
    assert "/admin/mfa/authenticator/" in links and "/admin/axes/accessattempt/" in links
    for link in links:
        assert client.get(link).status_code == 200, link
