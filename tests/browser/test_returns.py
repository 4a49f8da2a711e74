"""Statutory returns in a real browser: the performance analyst reads the year's CIN census validation and
downloads the XML; the team manager follows a failure to the child's case file to put it right."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from safeguard.casework.tests.conftest import open_episode_for
from safeguard.core import opaque
from safeguard.core.years import CollectionYear
from safeguard.people.models import Child
from safeguard.returns.annex_a import workbook
from safeguard.returns.cin_census import files
from safeguard.returns.tests.cin import a_child, a_return
from tests.browser.signing_in import confirm_it_is_you
from tests.browser.test_allocation_and_oversight import PASSWORD, sign_in, with_passwords

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
    page.get_by_role("link", name="Download the XML").click()
    # A whole return leaves the building: the analyst confirms it is them first (step-up).
    with page.expect_download() as download:
        confirm_it_is_you(page, PASSWORD)
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
    page.wait_for_url(f"**/children/{opaque.encode(people.alices_child.pk)}/case-file/")


def test_the_analyst_downloads_ofsted_annex_a_as_at_a_date(people, page, screenshot):
    """Annex A: pick a date, see each list's count, download the workbook; a date to come is refused."""
    today = timezone.localdate()
    open_episode_for(people.alices_child, people.social_worker, today - datetime.timedelta(days=10))
    with_passwords(people.analyst)

    sign_in(page, people.analyst)
    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_role("link", name="Ofsted Annex A lists").click()
    page.get_by_role("heading", name="Ofsted Annex A").wait_for()
    page.get_by_label("The lists as at").fill((today + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.get_by_text("The date must be today or in the past").first.wait_for()
    page.get_by_label("The lists as at").fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    assert page.locator("#list-6-count").inner_text() == "1"  # the child in need open now
    screenshot("annex-a")
    page.get_by_role("link", name="Download the workbook (.xlsx)").click()
    # A whole return leaves the building: the analyst confirms it is them first (step-up).
    with page.expect_download() as download:
        confirm_it_is_you(page, PASSWORD)
    assert download.value.suggested_filename == f"annex-a-{today.isoformat()}.xlsx"
    annex, notes = workbook.read(Path(download.value.path()).read_bytes())
    assert [row[0] for row in annex.rows[6]] == [people.alices_child.la_child_id]


def test_the_analyst_imports_a_councils_old_census(people, page, screenshot, tmp_path):
    """A council arriving: check the old system's CIN census file, read what it would do, confirm."""
    old = tmp_path / "old-system-cin.xml"
    old.write_bytes(files.to_xml(a_return(a_child())))
    with_passwords(people.analyst)

    sign_in(page, people.analyst)
    page.get_by_role("link", name="Returns", exact=True).click()
    page.get_by_role("link", name="Import the old system's returns").click()
    page.get_by_label("Upload the CIN census file").set_input_files(str(old))
    page.get_by_role("button", name="Check the file", exact=True).click()
    assert page.locator("#created-count").inner_text() == "1"
    assert not Child.objects.filter(la_child_id="C1001").exists()  # nothing written until confirmed
    screenshot("import-check")
    page.get_by_role("button", name="Import these records").click()
    page.get_by_text("CIN census imported").first.wait_for()
    assert Child.objects.get(la_child_id="C1001").cin_episodes.count() == 1
