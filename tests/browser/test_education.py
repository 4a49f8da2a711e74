"""Education at the front door in a real browser: a front door worker records the education check's answer,
"electively home educated", for a child known to the service, and sees the flag in the queue and on the
child's record (issue 9)."""

import datetime

import pytest
from django.utils import timezone

from safeguard.core import opaque
from safeguard.frontdoor.models import Agency, EducationWithdrawal
from safeguard.frontdoor.services import contact_record, mash_check_request
from safeguard.people.models import EducationSetting, EducationStatus
from tests.browser import signing_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def test_an_education_check_answer_of_home_education_flags_a_known_child(people, page, screenshot):
    worker = people.front_door
    worker.user.set_password(PASSWORD)
    worker.user.save()
    child = people.alices_child  # allocated to Alice: known to children's social care
    EducationStatus.objects.create(
        child=child,
        setting=EducationSetting.ON_ROLL,
        changed_on=datetime.date(2022, 9, 5),
        school_name="Hill Top Primary",
        source="school",
    )
    contact = contact_record(
        recorded_by=worker.user,
        child=child,
        team=people.front_door_team,
        area=people.north,
        source="6",
        reported="Neighbour says the child has not been seen for weeks",
        worry="Not seen by anyone outside the home",
        consent="given",
    )
    mash_check_request(contact=contact, agency=Agency.EDUCATION, requested_by=worker.user)
    today = timezone.localdate()

    signing_in.sign_in(page, worker.user.username, PASSWORD)
    page.get_by_role("heading", name="Check what is known about a child").wait_for()
    page.goto("/front-door/")
    page.get_by_role("link", name=f"{child.person.last_name.upper()}, {child.person.first_name}").click()
    page.get_by_role("link", name="Record the response from education").click()
    page.get_by_role("heading", name="Record education's response").wait_for()
    page.get_by_label("What the agency said").fill("The parents deregistered the child to home educate")
    page.get_by_label("Electively home educated").check()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        page.locator(f'input[name="changed_on_{part}"]').fill(str(value))
    screenshot("education-check-response")
    page.get_by_role("button", name="Record the response").click()
    page.get_by_text("Education's response is recorded").wait_for()

    withdrawal = EducationWithdrawal.objects.get(child=child)
    assert withdrawal.known_because == "an allocated social worker, a contact at the front door"
    flags = page.locator("#known-to-service")
    assert "Withdrawn from school on" in flags.inner_text()

    page.goto("/front-door/")
    row = page.locator("#queue tr", has_text=child.person.first_name)
    assert row.locator('[data-flag="withdrawn_from_school"]').inner_text().strip() == "Withdrawn from school"
    screenshot("education-queue-flag")

    page.goto(f"/children/{opaque.encode(child.pk)}/")
    notice = page.locator('[data-notice="withdrawn_from_school"]')
    assert notice.inner_text().startswith(
        f"Withdrawn from school on {today:%-d %B %Y} while known to children's social care"
    )
    screenshot("education-record-notice")

    # The notice leads to the child's education history, with the change and where it came from
    notice.get_by_role("link").click()
    page.get_by_role("heading", name="Education", exact=True).wait_for()
    history = page.locator("#education-history").inner_text()
    assert "Electively home educated" in history and "The front door's education check" in history
    assert "Hill Top Primary" in history
    screenshot("education-page")
