"""Serious incidents in a real browser: a team manager records one from the child's record, records the
Panel's notification, and sees the clocks; the notice appears on the record (issue 9)."""

import pytest
from django.utils import timezone

from safeguard.core import opaque
from safeguard.incidents.models import SeriousIncident
from tests.browser import signing_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def fill_date(page, name, day):
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f'input[name="{name}_{part}"]').fill(str(value))


def test_a_manager_records_an_incident_and_the_panel_notification_and_sees_the_clocks(
    people, page, screenshot
):
    manager = people.team_manager
    manager.user.set_password(PASSWORD)
    manager.user.save()
    child = people.alices_child
    today = timezone.localdate()

    signing_in.sign_in(page, manager.user.username, PASSWORD)
    page.goto(f"/children/{opaque.encode(child.pk)}/")
    page.get_by_role("link", name="Serious incidents").click()
    page.get_by_role("button", name="Record a serious incident").click()
    page.get_by_role("heading", name="Record a serious incident").wait_for()
    page.get_by_label("The child was seriously harmed").check()
    page.get_by_label("Suspected").check()
    fill_date(page, "became_aware_on", today)
    page.locator('input[name="looked_after"][value="no"]').check()
    page.get_by_label("What happened?").fill("Admitted to hospital with injuries the parents cannot explain")
    page.get_by_label("Lead officer").select_option(str(people.hos.pk))
    screenshot("incident-record")
    page.get_by_role("button", name="Record the serious incident").click()

    incident = SeriousIncident.objects.get()
    page.get_by_role("heading", name=f"{incident.reference}: {child.person.full_name}").wait_for()
    clocks = page.locator("#incident-clocks")
    assert "Child Safeguarding Practice Review Panel" in clocks.inner_text()
    assert "Rapid review" in clocks.inner_text()
    assert clocks.locator(".govuk-tag", has_text="Due").count() == 2

    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Child Safeguarding Practice Review Panel").check()
    fill_date(page, "notified_on", today)
    page.get_by_label("Their reference").fill("CSPRP-2026-0042")
    page.get_by_role("button", name="Record the notification").click()
    page.locator("#incident-notifications").wait_for()
    assert "CSPRP-2026-0042" in page.locator("#incident-notifications").inner_text()
    assert page.locator("#incident-clocks .govuk-tag", has_text="Met").count() == 1
    screenshot("incident-clocks")

    page.goto(f"/children/{opaque.encode(child.pk)}/")
    assert "Serious incident in this household" in page.locator("#record-notices").inner_text()
