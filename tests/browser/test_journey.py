"""A social worker signs in, finds a child and opens the child's record, in a real browser."""

import pytest

from safeguard.audit.models import AccessAction, AccessEvent
from tests.browser.signing_in import authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_search_and_open_a_childs_record(people, page, screenshot):
    worker = people.social_worker
    worker.user.set_password("correct-horse-battery-staple")
    worker.user.save()
    child = people.alices_child

    page.goto("/")
    assert "/sign-in/" in page.url
    page.get_by_label("Username").fill(worker.user.username)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    page.get_by_label("Code").fill(authenticator_code())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Children allocated to you").wait_for()

    page.get_by_role("link", name="Find a child").first.click()
    page.get_by_label("Name").fill(child.person.first_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 child found").wait_for()
    assert child.person.first_name not in page.url  # search terms stay out of the address bar
    screenshot("search-results")

    page.get_by_role("link", name=child.person.first_name).click()
    page.get_by_role("heading", name=child.person.full_name).wait_for()
    assert (
        page.locator("body.govuk-frontend-supported").count() == 1
    )  # GOV.UK Frontend's JS ran under our CSP
    screenshot("child-record")
    assert AccessEvent.objects.filter(child=child, action=AccessAction.VIEW, user=worker.user).count() == 1


def test_a_form_error_is_shown_the_govuk_way(people, page):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.is_visible()
