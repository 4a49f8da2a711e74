"""Finding a child and opening their record, as the people who use the service do."""

import pytest
from django.db import connection
from django.urls import reverse

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.people.models import Household, HouseholdMembership, Relationship, RelationshipType
from safeguard.people.views import RESULTS_PER_PAGE
from tests.factories import ChildFactory, PersonFactory


def search(client, **terms):
    data = {
        "name": "",
        "date_of_birth_day": "",
        "date_of_birth_month": "",
        "date_of_birth_year": "",
        "nhs_number": "",
        "la_child_id": "",
    }
    data.update(terms)
    return client.post(reverse("children:search"), data, follow=True)


def test_search_lists_only_children_the_worker_may_see_and_is_logged(people, client_for):
    client = client_for(people.social_worker)
    response = search(client, name="kid")
    html = response.content.decode()
    assert response.status_code == 200
    assert people.alices_child.la_child_id in html
    assert people.carls_child.la_child_id in html  # same team
    assert people.bobs_child.la_child_id not in html
    assert people.unallocated_child.la_child_id not in html
    event = AccessEvent.objects.get(user=people.social_worker.user, action=AccessAction.SEARCH)
    assert event.result_count == 2 and "name=kid" in event.subject


def test_search_terms_never_appear_in_a_url(people, client_for):
    client = client_for(people.front_door)
    child = people.bobs_child
    response = search(client, name=child.person.first_name, nhs_number=child.person.nhs_number)
    final_url, _ = response.redirect_chain[-1]
    assert child.person.first_name.lower() not in final_url.lower()
    assert child.person.nhs_number not in final_url
    assert child.la_child_id in response.content.decode()


@pytest.mark.parametrize(
    "terms",
    [
        {"nhs_number": "nhs_number"},
        {"la_child_id": "la_child_id"},
        {"date_of_birth": "date_of_birth"},
    ],
)
def test_search_by_each_identifier_finds_the_child(people, client_for, terms):
    client = client_for(people.director)
    child = people.carls_child
    data = {}
    if "nhs_number" in terms:
        number = child.person.nhs_number
        data["nhs_number"] = f"{number[:3]} {number[3:6]} {number[6:]}"  # as people write them
    if "la_child_id" in terms:
        data["la_child_id"] = child.la_child_id.lower()
    if "date_of_birth" in terms:
        born = child.person.date_of_birth
        data.update(
            date_of_birth_day=str(born.day),
            date_of_birth_month=str(born.month),
            date_of_birth_year=str(born.year),
        )
    html = search(client, **data).content.decode()
    assert child.la_child_id in html


def test_name_search_ignores_case_and_punctuation(people, client_for):
    person = people.alices_child.person
    person.last_name = "O'Neill-Brown"
    person.save()
    html = search(client_for(people.social_worker), name="oneillbr").content.decode()
    assert people.alices_child.la_child_id in html


def test_an_empty_search_asks_for_a_term_and_shows_no_results(people, client_for):
    response = search(client_for(people.social_worker))
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert "Enter a name, date of birth, NHS number or local child ID" in html
    assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()


def test_a_wrong_nhs_number_is_explained_and_what_was_typed_is_kept(people, client_for):
    response = search(client_for(people.social_worker), nhs_number="1234567890", name="Kid")
    html = response.content.decode()
    assert "Enter a 10-digit NHS number" in html
    assert 'value="1234567890"' in html and 'value="Kid"' in html


def test_opening_a_record_shows_it_and_logs_the_view_with_its_basis(people, client_for):
    sibling = ChildFactory(person=PersonFactory(first_name="Sibling"))
    Relationship.objects.create(
        from_person=sibling.person,
        to_person=people.alices_child.person,
        relationship_type=RelationshipType.HALF_SIBLING,
    )
    household = Household.objects.create(description="Test household")
    for person in (sibling.person, people.alices_child.person):
        HouseholdMembership.objects.create(household=household, person=person)
    response = client_for(people.social_worker).get(reverse("children:record", args=[people.alices_child.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert people.alices_child.person.full_name in html
    assert "Half-sibling" in html and "Sibling" in html
    assert people.social_worker.name in html  # the allocated worker
    event = AccessEvent.objects.get(child=people.alices_child, action=AccessAction.VIEW)
    assert event.outcome == AccessOutcome.ALLOWED and event.basis == "allocated worker"
    assert response["Cache-Control"] == "no-store"


def test_a_record_outside_the_workers_reach_is_refused_and_the_refusal_logged(people, client_for):
    response = client_for(people.social_worker).get(reverse("children:record", args=[people.bobs_child.pk]))
    assert response.status_code == 403
    assert people.bobs_child.person.full_name not in response.content.decode()
    event = AccessEvent.objects.get(child=people.bobs_child)
    assert event.outcome == AccessOutcome.REFUSED and event.user == people.social_worker.user


def test_an_administrator_cannot_open_a_childs_record(people, client_for):
    response = client_for(people.administrator).get(reverse("children:record", args=[people.alices_child.pk]))
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(people, client):
    response = client.get(reverse("children:record", args=[people.alices_child.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not AccessEvent.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytewise already")
def test_name_keys_compare_bytewise_on_postgresql_whatever_the_database_collation(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = 'people_person' AND column_name IN ('first_name_key', 'last_name_key')"
        )
        assert dict(cursor.fetchall()) == {"first_name_key": "C", "last_name_key": "C"}


def test_the_front_door_finds_any_child_and_is_led_to_record_a_contact_not_to_the_case_file(
    people, client_for
):
    client = client_for(people.front_door)
    html = search(client, name=people.bobs_child.person.first_name).content.decode()
    assert people.bobs_child.la_child_id in html
    assert reverse("frontdoor:new_contact", args=[people.bobs_child.pk]) in html
    assert reverse("children:record", args=[people.bobs_child.pk]) not in html
    response = client.get(reverse("children:record", args=[people.bobs_child.pk]))
    assert response.status_code == 403  # no contact about the child is before the front door


def test_a_long_result_list_pages_without_the_terms_in_its_links(people, client_for):
    for _ in range(RESULTS_PER_PAGE + 1):
        ChildFactory(person=PersonFactory(first_name="Pagey"))
    client = client_for(people.director)
    first = search(client, name="pagey")
    html = first.content.decode()
    assert f"{RESULTS_PER_PAGE + 1} children found" in html and "govuk-pagination" in html
    key = first.redirect_chain[-1][0].split("results=")[1]
    next_link = f"?results={key}&amp;page=2"
    assert next_link in html and "pagey" not in next_link.lower()
    second = client.get(reverse("children:search"), {"results": key, "page": 2}).content.decode()
    assert second.count("Pagey") == 1  # the one left over
