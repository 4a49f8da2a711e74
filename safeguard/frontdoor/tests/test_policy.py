"""The front door's relationship with a child: a contact before its team, for a while."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.policy import Basis, access_basis, findable_children, visible_children
from safeguard.frontdoor.models import Consent, Contact
from safeguard.frontdoor.policies import RECENT_CONTACT_DAYS


def make_contact(people, child, received_at):
    return Contact.objects.create(
        child=child,
        team=people.front_door_team,
        area=people.north,
        received_at=received_at,
        source="2A",
        reported="Reported",
        worry="Worry",
        consent=Consent.GIVEN,
    )


def test_the_front_door_finds_every_child_but_opens_only_those_with_a_contact(people):
    user = people.front_door.user
    assert set(findable_children(user)) == set(people.children)
    assert not visible_children(user).exists()
    make_contact(people, people.bobs_child, timezone.now())
    assert set(visible_children(user)) == {people.bobs_child}
    assert access_basis(user, people.bobs_child).reason == Basis.FRONT_DOOR
    assert not access_basis(user, people.alices_child)


def test_the_record_closes_to_the_front_door_a_while_after_the_decision(people):
    user = people.front_door.user
    contact = make_contact(people, people.bobs_child, timezone.now())
    contact.status = "decided"
    contact.save()
    later = timezone.now() + datetime.timedelta(days=RECENT_CONTACT_DAYS + 1)
    with time_machine.travel(later):
        assert not access_basis(user, people.bobs_child)
        assert people.bobs_child not in visible_children(user)


def test_a_contact_still_awaiting_decision_keeps_the_record_open_however_old(people):
    user = people.front_door.user
    make_contact(people, people.bobs_child, timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(days=RECENT_CONTACT_DAYS * 3)):
        assert access_basis(user, people.bobs_child).reason == Basis.FRONT_DOOR


def test_another_teams_contact_gives_no_access(people):
    make_contact(people, people.bobs_child, timezone.now())
    assert not access_basis(people.social_worker.user, people.bobs_child)


def test_the_front_door_is_in_the_navigation_only_for_those_who_use_it(people, client_for):
    link = f'href="{reverse("frontdoor:queue")}"'
    navigation = client_for(people.front_door).get(reverse("home")).content.decode().split("<main")[0]
    assert link in navigation
    navigation = client_for(people.director).get(reverse("home")).content.decode().split("<main")[0]
    assert link in navigation
    navigation = client_for(people.social_worker).get(reverse("home")).content.decode().split("<main")[0]
    assert link not in navigation
