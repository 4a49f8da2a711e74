"""Leadership in a real browser: the director reads the areas side by side and opens one, then the legal
exposure register with its trend chart and downloads it as a spreadsheet; a head of service sets an
improvement action, is told to give evidence before marking it done, and marks it done; the director
imports the areas' populations from a small CSV file, checks what will be saved, saves it, and reads each
area's counts as rates per 10,000 children on the performance page."""

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from safeguard.casework.tests.conftest import open_episode_for
from safeguard.compliance.models import Deadline
from safeguard.leadership.measures import year_to_last_31_march
from tests.browser.signing_in import confirm_it_is_you
from tests.browser.test_allocation_and_oversight import PASSWORD, fill_date, sign_in, with_passwords

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_reads_the_areas_and_downloads_the_legal_exposure_register(people, page, screenshot):
    director = people.director
    with_passwords(director)
    today = timezone.localdate()
    referred = today - datetime.timedelta(days=5)
    open_episode_for(people.alices_child, people.social_worker, referred)
    open_episode_for(people.bobs_child, people.other_worker, referred)
    # South's child's assessment ran past its day, three weeks ago, and is still open: a breach.
    Deadline.objects.filter(child=people.bobs_child, duty_id="assessment_from_referral").update(
        starts_on=today - datetime.timedelta(days=90), due_on=today - datetime.timedelta(days=21)
    )

    sign_in(page, director)
    page.get_by_role("link", name="Areas", exact=True).click()
    page.get_by_role("heading", name="Areas side by side").wait_for()
    breaches = page.locator('tr[data-figure="breaches-open"]')
    assert breaches.locator('td[data-area="North"]').inner_text().strip() == "0"
    assert breaches.locator('td[data-area="South"]').inner_text().strip() == "1"
    assert breaches.locator('td[data-area="Council"]').inner_text().strip() == "1"
    screenshot("areas-side-by-side")
    page.locator("#areas thead").get_by_role("link", name="South").click()
    page.get_by_role("heading", name="South", exact=True).wait_for()

    page.get_by_role("link", name="Legal exposure").click()
    page.get_by_role("heading", name="Legal exposure register").wait_for()
    chart = page.locator("#trend-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 1
    assert page.locator("#by-month").is_visible()  # the chart's figures, as a table beside it
    screenshot("legal-exposure-register")
    page.locator("#download-xlsx").click()
    # The whole register leaves the building: the director confirms it is them first (step-up).
    with page.expect_download() as download:
        confirm_it_is_you(page, PASSWORD)
    assert download.value.suggested_filename == f"legal-exposure-{today.isoformat()}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book["Breaches"].iter_rows(values_only=True))[1:]
    assert [row[3] for row in rows] == [people.bobs_child.la_child_id]


def test_a_head_of_service_sets_an_action_and_marks_it_done_with_evidence(people, page, screenshot):
    hos = people.hos
    with_passwords(hos)
    due = timezone.localdate() + datetime.timedelta(days=60)

    sign_in(page, hos)
    page.get_by_role("link", name="Improvement plan").click()
    page.get_by_role("button", name="Set an action").click()
    page.get_by_label("Title").fill("Every contact decided within one working day")
    page.get_by_label("What will be done, and why").fill(
        "A second duty manager at the front door on Mondays."
    )
    page.get_by_label("Owner").select_option(value=str(people.team_manager.pk))
    fill_date(page, "Due by", due)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Every contact decided within one working day").wait_for()

    page.get_by_label("Done").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("alert").is_visible()  # the error summary: evidence is needed
    screenshot("plan-evidence-needed")
    page.get_by_label("Done").check()
    page.get_by_label("Evidence or reason").fill("Rota in place from 2 March; decisions audited weekly.")
    page.get_by_role("button", name="Save").click()
    evidence = "Rota in place from 2 March; decisions audited weekly."
    assert page.get_by_role("definition").filter(has_text=evidence).is_visible()  # the action's evidence
    assert page.get_by_role("cell", name=evidence).is_visible()  # and its history of status changes
    screenshot("plan-action-done")


def test_the_director_imports_populations_and_reads_the_rates_per_10000(people, page, screenshot):
    director = people.director
    with_passwords(director)
    year = year_to_last_31_march(timezone.localdate())
    population_year = year.start.year  # the DfE's: the mid-year estimate of the year the period began in
    # One child in need in North, open at the end of the year: 1 in 5,000 children is 2.0 per 10,000.
    open_episode_for(people.alices_child, people.social_worker, year.start + datetime.timedelta(days=10))
    csv_text = (
        "area_code,year,children_0_17,source_note\n"
        f"N,{population_year},5000,ONS mid-{population_year} estimates\n"
        f"S,{population_year},4000,ONS mid-{population_year} estimates\n"
    )

    sign_in(page, director)
    page.get_by_role("link", name="Populations", exact=True).click()
    page.get_by_role("heading", name="Areas' populations and deprivation").wait_for()
    page.get_by_role("button", name="Import from a file").click()
    page.get_by_label("Population aged 0 to 17").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "populations.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check the figures before saving them").wait_for()
    assert "2 to add, 0 to change" in page.locator("#plan-summary").inner_text()
    screenshot("populations-import-check")
    page.get_by_role("button", name="Save these figures").click()
    page.get_by_role("heading", name="Areas' populations and deprivation").wait_for()
    north = page.locator(f'#figures tr[data-area="N"][data-year="{population_year}"]')
    assert north.locator('td[data-figure="population"]').inner_text().strip() == "5,000"

    page.get_by_role("link", name="Performance", exact=True).click()
    rates = page.locator("#rates-table")
    assert rates.is_visible()
    children_in_need = rates.locator('tr[data-rate="children_in_need"]')
    assert children_in_need.locator('td[data-column="North"] [data-part="rate"]').inner_text() == "2.0"
    assert children_in_need.locator('td[data-column="Council"] [data-part="count"]').inner_text() == "1"
    # The council's population is North's and South's together: 1 in 9,000 is 1.1 per 10,000.
    assert children_in_need.locator('td[data-column="Council"] [data-part="rate"]').inner_text() == "1.1"
    screenshot("rates-per-10000")
