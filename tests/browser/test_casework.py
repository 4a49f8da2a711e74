"""Casework in a real browser: a social worker opens a child's case file from the record, sees what is due,
starts and completes an assessment and submits it; her manager authorises it, and both statutory clocks
close."""

import datetime

import pytest
from django.utils import timezone

from safeguard.casework.models import Assessment, AssessmentStatus, CinEpisode
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.services import compliance_event
from safeguard.core import opaque
from safeguard.core.calendar import add_working_days
from tests.browser import signing_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def sign_in(page, worker):
    signing_in.sign_in(page, worker.user.username, PASSWORD)


def fill_date(page, legend: str, day: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_assessment_from_the_case_file_to_authorisation(people, page, screenshot):
    worker, manager, child = people.social_worker, people.team_manager, people.alices_child
    for someone in (worker, manager):
        someone.user.set_password(PASSWORD)
        someone.user.save()
    today = timezone.localdate()
    referred = today - datetime.timedelta(days=7)
    episode = CinEpisode.objects.create(
        child=child, referral_date=referred, referral_source="3A", team=people.north_team, area=people.north
    )
    compliance_event(event="cin_episode.opened", child=child, on=referred, scope=episode)

    sign_in(page, worker)
    page.goto(f"/children/{opaque.encode(child.pk)}/")
    page.get_by_role("link", name="Case file").click()
    page.get_by_role("heading", name="What is due").wait_for()
    due = page.locator('tr[data-duty="assessment_from_referral"]')
    assert add_working_days(referred, 45).strftime("%-d %b %Y") in due.inner_text()
    screenshot("case-file")

    page.get_by_role("link", name="Start an assessment").click()
    fill_date(page, "When did the assessment start?", today)
    page.get_by_role("button", name="Start the assessment").click()
    fill_date(page, "When was the child seen for this assessment?", today)
    page.get_by_role("group", name="Concerns about a parent or carer").get_by_label("Domestic abuse").check()
    page.get_by_label("Analysis of risk and need").fill(
        "Domestic abuse between the adults; the child is frightened."
    )
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Assessment saved").wait_for()
    page.get_by_role("button", name="Submit for authorisation").click()  # a link styled as a button
    page.locator("form").get_by_role("button", name="Submit for authorisation").click()
    page.get_by_text("Assessment submitted to your manager for authorisation").wait_for()

    sign_in(page, manager)
    page.goto(f"/children/{opaque.encode(child.pk)}/case-file/")
    page.get_by_role("link", name="Authorise the assessment").click()
    page.get_by_label("Abuse or neglect").check()
    page.get_by_label("Your reasons for authorising").fill("The analysis supports a child in need plan.")
    screenshot("assessment-authorise")
    page.get_by_role("button", name="Authorise the assessment").click()
    page.get_by_text("Assessment authorised").wait_for()

    assessment = Assessment.objects.get(child=child)
    assert (assessment.status, assessment.factors) == (AssessmentStatus.AUTHORISED, ["3B"])
    clocks = Deadline.objects.filter(
        child=child, duty__in=["assessment_from_referral", "assessment_from_start"]
    )
    assert {deadline.status for deadline in clocks} == {DeadlineStatus.MET}


def test_a_child_becomes_looked_after_from_the_case_file(people, page, screenshot):
    from safeguard.lookedafter.models import PeriodOfCare

    worker, child = people.social_worker, people.alices_child
    worker.user.set_password(PASSWORD)
    worker.user.save()
    today = timezone.localdate()
    episode = CinEpisode.objects.create(
        child=child, referral_date=today - datetime.timedelta(days=20), referral_source="6",
        team=people.north_team, area=people.north,
    )  # fmt: skip
    compliance_event(event="cin_episode.opened", child=child, on=episode.referral_date, scope=episode)

    sign_in(page, worker)
    page.goto(f"/children/{opaque.encode(child.pk)}/case-file/")
    page.get_by_role("link", name="Record that the child became looked after").click()
    fill_date(page, "Date the child started to be looked after", today)
    page.get_by_label("Legal status").select_option("V2")
    page.get_by_label("Category of need").select_option("N1")
    page.get_by_label("Child's home postcode").fill("B1 1AA")
    page.get_by_label("Type of placement").select_option("U6")
    page.get_by_label("Who provides the placement").select_option("PR1")
    page.get_by_label("Placement postcode").fill("B2 2BB")
    page.get_by_role("button", name="Record that the child is looked after").click()
    # A foster placement needs the fostering service's Ofsted URN (SSDA903 rule 218): told, and kept typing.
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Placement postcode").input_value() == "B2 2BB"
    page.get_by_label("Ofsted URN of the provider").fill("SC123456")
    page.get_by_role("button", name="Record that the child is looked after").click()
    page.wait_for_load_state()
    screenshot("looked-after")

    period = PeriodOfCare.objects.get(child=child)
    assert period.start_date == today and period.end_date is None
    running = set(Deadline.objects.open().filter(child=child).values_list("duty_id", flat=True))
    assert {"lac_review_first", "lac_visit_first", "lac_care_plan", "health_assessment_initial"} <= running
    page.goto(f"/children/{opaque.encode(child.pk)}/case-file/")
    page.locator('tr[data-duty="lac_review_first"]').wait_for()
    assert page.get_by_role("link", name="Record that the child became looked after").count() == 0
