"""The workforce pages: who sees what, refusals logged, forms that keep what was typed and change nothing on bad
input, and the area dashboard's interface in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.organisation.models import Area, Post, PostFilling
from safeguard.workforce.selectors import workforce_by_area
from safeguard.workforce.tests.conftest import TODAY
from tests.factories import AreaFactory, TeamFactory


def client_for(client, worker):
    client.force_login(worker.user)
    return client


@pytest.mark.django_db
class TestReading:
    def test_director_sees_every_area_side_by_side(self, client, people, establishment):
        page = client_for(client, people.director).get(reverse("workforce:overview"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "North" in html and "South" in html
        # North: 2.6 FTE of posts; Alice permanent (1.0); Carl's 0.6 agency and the empty 1.0 are vacancies:
        # vacancy 1.6 / 2.6 = 61.5%, agency 0.6 / 1.6 = 37.5%.
        assert "61.5%" in html and "37.5%" in html
        assert "England 18.9% (30 Sep 2023)" in html

    def test_head_of_service_sees_their_area_only(self, client, people, establishment):
        client_for(client, people.hos)
        page = client.get(reverse("workforce:overview"))
        html = page.content.decode()
        assert reverse("workforce:area", args=[people.north.pk]) in html
        assert reverse("workforce:area", args=[people.south.pk]) not in html
        area_page = client.get(reverse("workforce:area", args=[people.north.pk]))
        assert area_page.status_code == 200
        html = area_page.content.decode()
        assert "<svg" in html and 'id="demand-table"' in html and "least squares" in html
        refused = client.get(reverse("workforce:area", args=[people.south.pk]))
        assert refused.status_code == 403
        assert AccessEvent.objects.filter(
            outcome=AccessOutcome.REFUSED, subject__contains="workforce area"
        ).exists()

    def test_team_manager_sees_their_team_read_only(self, client, people, establishment):
        client_for(client, people.team_manager)
        assert client.get(reverse("workforce:overview")).url == reverse(
            "workforce:team", args=[people.north_team.pk]
        )
        page = client.get(reverse("workforce:team", args=[people.north_team.pk]))
        assert page.status_code == 200 and "Add a post" not in page.content.decode()
        assert "Record a starter" not in page.content.decode()
        assert client.get(reverse("workforce:team", args=[people.south_team.pk])).status_code == 403
        assert client.get(reverse("workforce:post_new", args=[people.north_team.pk])).status_code == 403

    def test_inspector_reads_every_area_and_changes_nothing(self, client, people, establishment):
        client_for(client, people.inspector)
        assert client.get(reverse("workforce:area", args=[people.south.pk])).status_code == 200
        response = client.post(reverse("workforce:post_cut", args=[establishment["empty"].pk]), {})
        assert response.status_code == 403
        assert "Inspectors read the establishment" in response.content.decode()

    def test_social_workers_do_not_see_the_workforce_pages(self, client, people):
        assert client_for(client, people.social_worker).get(reverse("workforce:overview")).status_code == 403

    def test_a_census_date_can_be_chosen(self, client, people, establishment):
        page = client_for(client, people.director).get(reverse("workforce:overview") + "?on=2025-09-30")
        assert "Figures on <strong>30 September 2025</strong>" in page.content.decode()
        # On 30 September 2025 Carl had not yet started: his post was vacant and uncovered.
        figures = workforce_by_area(areas=[people.north], on=datetime.date(2025, 9, 30), today=TODAY)
        assert figures[people.north.pk].agency_fte == 0 and figures[people.north.pk].uncovered_fte == Decimal(
            "1.6"
        )


@pytest.mark.django_db
class TestForms:
    def test_recording_a_leaver(self, client, people, establishment):
        client_for(client, people.hos)
        url = reverse("workforce:post_leaver", args=[establishment["alices"].pk])
        response = client.post(
            url, {"end_date_day": "27", "end_date_month": "2", "end_date_year": "2026", "reason": "resigned"}
        )
        assert response.status_code == 302
        filling = PostFilling.objects.get(post=establishment["alices"])
        assert filling.end_date == datetime.date(2026, 2, 27) and filling.leaving_reason == "resigned"

    def test_bad_input_changes_nothing_and_says_why(self, client, people, establishment):
        client_for(client, people.hos)
        url = reverse("workforce:post_leaver", args=[establishment["alices"].pk])
        response = client.post(
            url, {"end_date_day": "1", "end_date_month": "1", "end_date_year": "2021", "reason": "resigned"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html and "started in this post on 3 May 2022" in html
        assert 'value="2021"' in html  # what they typed is kept
        assert PostFilling.objects.get(post=establishment["alices"]).end_date is None
        response = client.post(
            reverse("workforce:post_new", args=[people.north_team.pk]),
            {
                "title": "Social Worker",
                "grade": "social_worker",
                "fte": "2",
                "established_on_day": "1",
                "established_on_month": "4",
                "established_on_year": "2026",
            },
        )
        assert response.status_code == 400 and "FTE must be a number" in response.content.decode()
        assert Post.objects.count() == 3

    def test_adding_a_post_and_a_starter(self, client, people, establishment):
        client_for(client, people.director)
        response = client.post(
            reverse("workforce:post_new", args=[people.north_team.pk]),
            {
                "title": "Social Worker",
                "grade": "social_worker",
                "fte": "0.5",
                "established_on_day": "1",
                "established_on_month": "3",
                "established_on_year": "2026",
            },
        )
        assert response.status_code == 302
        post = Post.objects.get(fte="0.5")
        page = client.get(reverse("workforce:post_fill", args=[post.pk]))
        assert page.status_code == 200
        # Alice and Carl are in posts: only staff of the team not in a post are offered (here, the team manager).
        html = page.content.decode()
        assert f'value="{people.team_manager.pk}"' in html
        assert f'value="{people.social_worker.pk}"' not in html


@pytest.mark.django_db
def test_workforce_by_area_is_a_fixed_number_of_queries(people, establishment):
    """However many areas and posts, the same queries: posts, fillings, episodes, workers, teams and the
    weighted caseloads' own."""
    areas = Area.objects.all()
    with CaptureQueriesContext(connection) as few:
        first = workforce_by_area(areas=areas, on=TODAY, today=TODAY)
    for i in range(4):
        area = AreaFactory(code=f"X{i}", name=f"Extra {i}")
        team = TeamFactory(area=area, name=f"Extra team {i}")
        for _ in range(3):
            Post.objects.create(team=team, title="Social Worker", established_on=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as many:
        second = workforce_by_area(areas=Area.objects.all(), on=TODAY, today=TODAY)
    assert len(many) == len(few) <= 10
    assert len(second) == len(first) + 4
    north = second[people.north.pk]
    assert north.capacity == north.case_holding_fte * 18
    assert north.gap == north.weighted_caseload - north.capacity
