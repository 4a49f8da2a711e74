"""The area dashboards: each figure is the count of the records behind it, in the area they belong to; the
director sees every area and the council, a head of service their own area, anyone else is refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from safeguard.compliance.models import Deadline
from safeguard.frontdoor.models import Consent
from safeguard.frontdoor.services import contact_record
from safeguard.organisation.models import Employment, Grade, Post, PostFilling
from safeguard.oversight.areas import area_board
from safeguard.oversight.tests.conftest import TODAY, open_episode_for
from tests.factories import ChildFactory

D = datetime.date
AREAS = reverse("oversight:areas")


@pytest.fixture
def cases(people):
    """North: Alice's and Carl's children, and one no social worker holds; South: Bob's child. Every case's
    assessment clock (45 working days from 2 February 2026) is still open on 11 March 2026: not yet due."""
    open_episode_for(people.alices_child, people.social_worker)
    open_episode_for(people.carls_child, people.colleague)
    open_episode_for(people.unallocated_child, people.social_worker)
    open_episode_for(people.bobs_child, people.other_worker)


def column(board, name):
    return next(column for column in board.columns if column.name == name)


def test_the_director_sees_each_area_and_the_council_with_the_counts_behind_them(people, cases):
    # Make South's child's assessment a breach, still open: due yesterday.
    Deadline.objects.filter(child=people.bobs_child, duty_id="assessment_from_referral").update(
        due_on=TODAY - datetime.timedelta(days=1), starts_on=TODAY - datetime.timedelta(days=60)
    )
    board = area_board(user=people.director.user, today=TODAY)
    assert [c.name for c in board.columns] == ["North", "South", "Council"]
    north, south, council = board.columns
    assert (north.casework.open_cases, north.casework.unallocated) == (3, 1)
    assert (south.casework.open_cases, south.casework.unallocated) == (1, 0)
    assert (north.exposure.still_open, south.exposure.still_open) == (0, 1)
    assert (south.exposure.children_still_open, south.exposure.fell_due_lately) == (1, 1)
    assert council.casework.open_cases == 4 and council.exposure.still_open == 1


def test_contacts_waiting_are_counted_in_the_childs_area(people, cases):
    for area in (people.north, people.south, people.south):
        contact_record(
            recorded_by=people.front_door.user,
            child=ChildFactory(),
            team=people.front_door_team,
            area=area,
            source="6",
            reported="Reported by the police",
            worry="A worry",
            consent=Consent.GIVEN,
        )
    board = area_board(user=people.director.user, today=TODAY)
    assert {c.name: c.front_door.awaiting for c in board.columns} == {"North": 1, "South": 2, "Council": 3}
    assert {c.name: c.front_door.overdue for c in board.columns} == {"North": 0, "South": 0, "Council": 0}


def test_a_head_of_service_sees_their_area_only(people, cases):
    board = area_board(user=people.hos.user, today=TODAY)
    assert [c.name for c in board.columns] == ["North"]
    assert board.columns[0].casework.open_cases == 3
    # Asking for another area shows their own, not South's.
    other = area_board(user=people.hos.user, today=TODAY, area_id=people.south.pk)
    assert [c.name for c in other.columns] == ["North"] and other.columns[0].casework.open_cases == 3


def test_the_page_shows_the_figures_and_links_each_to_its_list(people, cases, client_for):
    page = client_for(people.director).get(AREAS).content.decode()
    assert 'data-figure="unallocated"' in page
    assert f"{reverse('allocation:unallocated')}?area={people.north.pk}" in page
    one = client_for(people.director).get(AREAS, {"area": people.south.pk}).content.decode()
    assert '<h1 class="govuk-heading-l">South</h1>' in one


@pytest.mark.parametrize("who", ["team_manager", "social_worker", "front_door", "iro"])
def test_anyone_who_does_not_answer_for_an_area_is_refused(people, client_for, who):
    assert client_for(getattr(people, who)).get(AREAS).status_code == 403


def test_the_navigation_offers_the_areas_to_those_who_lead_them(people, client_for):
    assert AREAS in client_for(people.hos).get("/").content.decode()
    assert AREAS not in client_for(people.team_manager).get("/").content.decode()


def test_each_areas_workforce_and_the_councils_rates_from_the_sums(people, cases):
    """North: a permanent full-time social worker, a 0.6 agency worker in a post, and an empty post: vacancies
    (agency-covered or empty) 1.6 of 1.6 + 1 permanent, 61.5%; agency 0.6 of 1.6, 37.5%. South: one permanent
    full-time post, no vacancy. The council's vacancy rate is 1.6 of 1.6 + 2, 44.4%: not the areas' mean."""

    def post(team, fte, worker=None, employment=Employment.PERMANENT):
        made = Post.objects.create(
            team=team,
            title="Social Worker",
            grade=Grade.SOCIAL_WORKER,
            fte=Decimal(fte),
            established_on=D(2020, 1, 1),
        )
        if worker is not None:
            PostFilling.objects.create(
                post=made, worker=worker, employment=employment, start_date=D(2024, 1, 1)
            )

    post(people.north_team, "1", people.social_worker)
    post(people.north_team, "0.6", people.colleague, Employment.AGENCY)
    post(people.north_team, "1")
    post(people.south_team, "1", people.other_worker)
    board = area_board(user=people.director.user, today=TODAY)
    north, south, council = (c.workforce for c in board.columns)
    assert round(north.vacancy_rate, 3) == round(1.6 / 2.6, 3) and round(north.agency_rate, 3) == 0.375
    assert south.vacancy_rate == 0
    assert round(council.vacancy_rate, 3) == round(1.6 / 3.6, 3)
    assert council.posts_fte == north.posts_fte + south.posts_fte == Decimal("3.6")
    assert council.capacity == north.capacity + south.capacity
