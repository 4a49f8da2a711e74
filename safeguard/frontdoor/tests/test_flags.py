"""What the front door is told at once about a child: an open case, a repeat referral, siblings known."""

import datetime

from django.utils import timezone

from safeguard.frontdoor.models import Referral
from safeguard.frontdoor.selectors import known_to_service
from safeguard.frontdoor.services import contact_record
from safeguard.people.models import Household, HouseholdMembership, Relationship, RelationshipType
from tests.factories import ChildFactory, PersonFactory


def kinds(flags) -> list[str]:
    return [flag.kind for flag in flags]


def contact_about(people, child, received_at=None):
    return contact_record(
        recorded_by=people.front_door.user,
        child=child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="Reported",
        worry="Worry",
        consent="given",
        received_at=received_at,
    )


def refer(people, child, days_ago: int) -> Referral:
    contact = contact_about(people, child, timezone.now() - datetime.timedelta(days=days_ago))
    return Referral.objects.create(
        child=child,
        contact=contact,
        referral_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        source="6",
    )


def test_a_child_nobody_knows_has_no_flags(people):
    assert known_to_service(child=ChildFactory()) == []


def test_an_open_case_is_flagged_with_its_worker(people):
    flags = known_to_service(child=people.alices_child)
    assert kinds(flags) == ["open_case"]
    assert "Alice" in flags[0].text and "Child in Need North" in flags[0].text


def test_a_referral_in_the_last_12_months_is_a_repeat_referral(people):
    child = ChildFactory()
    refer(people, child, days_ago=200)
    flags = known_to_service(child=child)
    assert "repeat_referral" in kinds(flags)
    assert "1 time in the last 12 months" in next(f.text for f in flags if f.kind == "repeat_referral")


def test_a_referral_more_than_12_months_ago_is_not(people):
    child = ChildFactory()
    refer(people, child, days_ago=400)
    assert "repeat_referral" not in kinds(known_to_service(child=child))
    assert "previous_contacts" not in kinds(known_to_service(child=child))


def test_the_contact_being_read_is_not_counted_as_a_previous_one(people):
    child = ChildFactory()
    contact = contact_about(people, child)
    assert kinds(known_to_service(child=child)) == ["previous_contacts"]
    assert known_to_service(child=child, excluding=contact) == []


def test_a_sibling_by_relationship_known_to_the_service(people):
    child = ChildFactory(person=PersonFactory(first_name="Mia"))
    sibling = people.alices_child  # allocated, so known
    Relationship.objects.create(
        from_person=sibling.person, to_person=child.person, relationship_type=RelationshipType.HALF_SIBLING
    )
    flags = known_to_service(child=child)
    assert kinds(flags) == ["sibling_known"]
    assert sibling.person.first_name in flags[0].text and "half-sibling" in flags[0].text


def test_a_household_member_known_to_the_service(people):
    child = ChildFactory()
    other = ChildFactory()
    refer(people, other, days_ago=30)  # referred this year: known
    household = Household.objects.create(description="Flat 3")
    for person in (child.person, other.person):
        HouseholdMembership.objects.create(
            household=household, person=person, start_date=datetime.date(2020, 1, 1)
        )
    flags = known_to_service(child=child)
    assert kinds(flags) == ["sibling_known"]
    assert "lives in the same household" in flags[0].text


def test_a_sibling_not_known_to_the_service_is_not_flagged(people):
    child = ChildFactory()
    Relationship.objects.create(
        from_person=child.person, to_person=ChildFactory().person, relationship_type=RelationshipType.SIBLING
    )
    assert known_to_service(child=child) == []


def test_a_household_that_ended_does_not_count(people):
    child = ChildFactory()
    household = Household.objects.create()
    HouseholdMembership.objects.create(
        household=household,
        person=child.person,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    HouseholdMembership.objects.create(household=household, person=people.alices_child.person)
    assert known_to_service(child=child) == []


def test_the_referral_a_contact_became_is_not_a_repeat_referral_on_its_own_page(people):
    child = ChildFactory()
    referral = refer(people, child, days_ago=1)
    assert known_to_service(child=child, excluding=referral.contact) == []
    assert "repeat_referral" in kinds(known_to_service(child=child))
