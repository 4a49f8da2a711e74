"""The front door in a real browser: a worker records a contact about a child whose sibling is known to the
service, and a manager decides it should be a referral for assessment."""

import datetime

import pytest

from safeguard.casework.models import CinEpisode
from safeguard.core import opaque
from safeguard.frontdoor.models import Contact, ContactStatus, Referral
from safeguard.organisation.models import Role
from safeguard.people.models import Relationship, RelationshipType
from tests.browser import signing_in
from tests.factories import ChildFactory, PersonFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def sign_in(page, worker):
    signing_in.sign_in(page, worker.user.username, PASSWORD)


def test_record_a_contact_and_decide_a_referral(people, page, screenshot):
    worker = people.front_door
    manager = WorkerFactory(
        user=UserFactory(username="mo", first_name="Mo"), role=Role.TEAM_MANAGER, team=people.front_door_team
    )
    for someone in (worker, manager):
        someone.user.set_password(PASSWORD)
        someone.user.save()
    child = ChildFactory(
        person=PersonFactory(
            first_name="Riley", last_name="Ashworth", date_of_birth=datetime.date(2017, 9, 12)
        )
    )
    sibling = people.alices_child  # allocated to Alice: known to the service
    Relationship.objects.create(
        from_person=child.person, to_person=sibling.person, relationship_type=RelationshipType.SIBLING
    )

    # The front door worker finds the child and records the contact
    sign_in(page, worker)
    page.get_by_role("heading", name="Check what is known about a child").wait_for()
    page.get_by_role("button", name="Record a contact").click()
    page.get_by_role("heading", name="Who is the contact about?").wait_for()
    page.get_by_label("Name").fill("riley ash")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 child found").wait_for()
    assert "riley" not in page.url.lower()
    page.get_by_role("link", name="Record a contact about this child").click()

    flags = page.locator("#known-to-service")
    flags.wait_for()
    assert f"{sibling.person.first_name} (sibling) is known to the service" in flags.inner_text()
    screenshot("front-door-new-contact")

    page.get_by_label("Who made the contact").select_option(label="Schools")
    page.get_by_label("Referrer's name").fill("Mrs Okafor")
    page.get_by_label("Organisation").fill("Hill Top Primary")
    page.get_by_label("What was reported").fill("Riley said he is left alone overnight")
    page.get_by_label("What is the worry for the child").fill("Neglect; no adult at home")
    page.get_by_role("group", name="Is the child at immediate risk of harm?").get_by_label("No").check()
    page.get_by_label("Amber").check()
    page.get_by_label("Given").check()
    page.get_by_label("Area the child lives in").select_option(label="North")
    page.get_by_role("button", name="Record the contact").click()
    page.get_by_text("Contact recorded").wait_for()
    contact = Contact.objects.get(child=child)
    assert page.url.endswith(f"/front-door/contacts/{opaque.encode(contact.pk)}/")

    page.get_by_label("Ask an agency what it knows").select_option(label="Education")
    page.get_by_role("button", name="Request the check").click()
    page.get_by_text("Education check requested").wait_for()
    screenshot("front-door-contact")

    # The manager finds it in the queue and decides
    sign_in(page, manager)
    page.goto("/front-door/")
    page.get_by_role("heading", name="Front door queue").wait_for()
    screenshot("front-door-queue")
    page.get_by_role("link", name="ASHWORTH, Riley").click()
    page.get_by_label("Child in need (s17)").check()
    page.get_by_role("group", name="Priority").get_by_label("Amber").check()
    page.get_by_label("Rationale").fill("Left alone overnight: a child in need assessment is needed")
    page.get_by_label("Referral for assessment").check()
    page.get_by_label("Abuse or neglect").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Referral created:").wait_for()
    screenshot("front-door-decided")

    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert Referral.objects.filter(contact=contact, child=child).exists()
    assert CinEpisode.objects.get(child=child).primary_need == "N1"
