"""Statutory returns in a real browser: the performance analyst reads the year's CIN census validation and
downloads the XML; the team manager follows a failure to the child's case file to put it right."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from safeguard.casework.tests.conftest import open_episode_for
from safeguard.core.years import CollectionYear
from safeguard.returns.cin_census import files
from tests.browser.test_allocation_and_oversight import sign_in, with_passwords

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_reads_the_census_and_the_manager_puts_a_record_right(people, page, screenshot):
    today = timezone.localdate()
    year = CollectionYear.containing(today)
    # Alice's child was referred this week and is being assessed: no primary need recorded yet (8610).
    open_episode_for(people.alices_child, people.social_worker, today - datetime.timedelta(days=2))
    with_passwords(people.analyst, people.team_manager)

    sign_in(page, people.analyst)
    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_role("heading", name="Statutory returns").wait_for()
    page.get_by_role("link", name=f"CIN census {year.label}").click()
    page.get_by_role("heading", name=f"CIN census {year.label}").wait_for()
    assert int(page.locator("#error-count").inner_text()) >= 1
    row = page.locator('#by-rule tr[data-rule="8610"]')
    assert "Primary Need code is missing" in row.inner_text()
    failures = page.locator('table[data-failures="8610"]')
    assert people.alices_child.la_child_id in failures.inner_text()
    assert failures.get_by_role("link", name=people.alices_child.la_child_id).count() == 0  # opens no record
    screenshot("cin-census-validation")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the XML").click()
    assert download.value.suggested_filename == f"cin-census-{year.label}.xml"
    the_return, notes = files.read(Path(download.value.path()).read_bytes())
    assert notes == [] and [child.la_child_id for child in the_return.children] == [
        people.alices_child.la_child_id
    ]

    sign_in(page, people.team_manager)
    page.goto(f"/returns/cin-census/{year.end_year}/")
    assert page.get_by_role("link", name="Download the XML").count() == 0
    page.locator('table[data-failures="8610"]').get_by_role(
        "link", name=people.alices_child.la_child_id
    ).click()
    page.wait_for_url(f"**/children/{people.alices_child.pk}/case-file/")
