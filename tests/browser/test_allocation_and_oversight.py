"""Allocation and oversight in a real browser: a team manager allocates a waiting child from the unallocated
queue; a worker asks for a case to close and her manager, from the approvals queue, reviews the request beside
the authorised assessment and the last visit and approves it; the director's dashboard counts the waiting
child and opens the queue behind the count."""

import datetime

import pytest
from django.utils import timezone

from safeguard.casework import services
from safeguard.casework.models import CinEpisode, ClosureRequest, ClosureRequestStatus, VisitLocation
from safeguard.compliance.services import compliance_event
from safeguard.core import opaque
from safeguard.organisation.models import Allocation, AllocationRole
from tests.browser import signing_in
from tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
ANALYSIS = "Domestic abuse between the parents; the child is frightened at home."
CLOSURE_SUMMARY = "The family engaged with the plan; school attendance is now good."
RISK_ANALYSIS = "No current risk of significant harm; the school and GP will refer again if concerns return."


def sign_in(page, worker):
    signing_in.sign_in(page, worker.user.username, PASSWORD)


def fill_date(page, legend: str, day: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def with_passwords(*workers):
    for worker in workers:
        worker.user.set_password(PASSWORD)
        worker.user.save()


def open_case(child, team, referred: datetime.date) -> CinEpisode:
    """An open child in need episode held by ``team``, with the referral's clock started as the front door
    starts it."""
    episode = CinEpisode.objects.create(
        child=child, referral_date=referred, referral_source="2A", team=team, area=team.area
    )
    compliance_event(event="cin_episode.opened", child=child, on=referred, scope=episode)
    return episode


def test_a_team_manager_allocates_a_waiting_child_from_the_queue(people, page, screenshot):
    manager, alice = people.team_manager, people.social_worker
    with_passwords(manager)
    today = timezone.localdate()
    waiting = ChildFactory()
    open_case(waiting, people.north_team, today - datetime.timedelta(days=10))
    name = waiting.person.full_name
    start = today - datetime.timedelta(days=2)

    sign_in(page, manager)
    page.get_by_role("link", name="1 child waiting for a social worker").click()
    page.get_by_role("heading", name="Unallocated children").wait_for()
    assert page.locator("#unallocated-count").inner_text() == "1"
    row = page.locator(f'tr[data-child="{waiting.pk}"]')
    assert "Child in Need North" in row.inner_text()
    screenshot("unallocated-queue")

    row.get_by_role("link", name=f"Allocate {name}").click()
    assert page.locator("#open-case").get_by_text("No allocated social worker").is_visible()
    assert page.locator(f'#caseloads tr[data-worker="{alice.pk}"]').is_visible()
    page.get_by_label(alice.name, exact=True).check()
    fill_date(page, "When does the allocation start?", start)
    screenshot("allocate")
    page.get_by_role("button", name="Allocate", exact=True).click()

    page.get_by_text(f"{name} allocated to {alice.name} from {long_date(start)}").wait_for()
    assert page.get_by_role("heading", name="Unallocated children").is_visible()
    assert page.locator("#unallocated-count").inner_text() == "0"
    assert page.locator(f'tr[data-child="{waiting.pk}"]').count() == 0

    allocation = Allocation.objects.get(child=waiting, end_date__isnull=True)
    assert (allocation.worker, allocation.role, allocation.team, allocation.start_date) == (
        alice,
        AllocationRole.SOCIAL_WORKER,
        people.north_team,
        start,
    )


def test_a_closure_requested_by_the_worker_is_approved_by_her_manager(people, page, screenshot):
    alice, manager, child = people.social_worker, people.team_manager, people.alices_child
    with_passwords(alice, manager)
    today = timezone.localdate()
    referred = today - datetime.timedelta(days=30)
    episode = open_case(child, people.north_team, referred)
    assessment = services.assessment_start(
        episode=episode, started_by=alice.user, start_date=referred + datetime.timedelta(days=2)
    )
    services.assessment_update(
        assessment=assessment,
        updated_by=alice.user,
        version=assessment.version,
        child_seen_on=today - datetime.timedelta(days=14),
        factors=["3A", "3B"],
        analysis=ANALYSIS,
        outcome="cin_plan",
    )
    services.assessment_submit(
        assessment=assessment,
        submitted_by=alice.user,
        version=assessment.version,
        on=today - datetime.timedelta(days=3),
    )
    services.assessment_authorise(
        assessment=assessment,
        authorised_by=manager.user,
        version=assessment.version,
        primary_need="N1",
        rationale="Sound analysis of the domestic abuse",
        on=today - datetime.timedelta(days=2),
    )
    visited_on = today - datetime.timedelta(days=1)
    services.visit_record(
        child=child,
        recorded_by=alice.user,
        visited_on=visited_on,
        location=VisitLocation.HOME,
        child_seen=True,
        seen_alone=True,
        summary="Seen alone in her room; said things are calmer at home",
    )

    # Alice asks for the case to close, from the case file.
    sign_in(page, alice)
    page.goto(f"/children/{opaque.encode(child.pk)}/case-file/")
    page.get_by_role("link", name="Request closure").click()
    page.get_by_role("heading", name="Request closure").wait_for()
    page.get_by_label("Case closed after assessment: no further action").check()
    page.get_by_label("Closure summary").fill(CLOSURE_SUMMARY)
    page.get_by_label("Analysis of risk").fill(RISK_ANALYSIS)
    screenshot("closure-request")
    page.get_by_role("button", name="Send to a manager").click()
    page.get_by_text("Closure requested. The case stays open until a manager approves it").wait_for()
    request = ClosureRequest.objects.get(episode=episode)
    assert (request.status, request.requested_by, request.closure_date) == (
        ClosureRequestStatus.PENDING,
        alice.user,
        today,
    )

    # Tess finds it waiting for her decision.
    sign_in(page, manager)
    page.goto("/oversight/approvals/")
    assert page.title().startswith("Awaiting a decision")
    page.get_by_role("heading", name="Awaiting a manager's decision").wait_for()
    assert page.locator("#approvals-count").inner_text() == "1"
    row = page.locator("#approvals tbody tr").filter(has_text=child.person.full_name)
    assert "Case closure" in row.inner_text() and alice.user.get_full_name() in row.inner_text()
    screenshot("approvals")
    row.get_by_role("link", name=child.person.full_name).click()

    page.get_by_role("heading", name="Review the closure request").wait_for()
    assert ANALYSIS in page.locator("#assessment").inner_text()
    assert f"{long_date(visited_on)}, at home" in page.locator("#last-visit").inner_text()
    page.get_by_label("Yes, close the case").check()
    page.get_by_label("Your reasons").fill("Agreed: the analysis shows it is safe to close.")
    screenshot("closure-review")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"Closure approved: the case closed on {long_date(today)}").wait_for()

    episode.refresh_from_db()
    request.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (today, "RC8")
    assert (request.status, request.decided_by) == (ClosureRequestStatus.APPROVED, manager.user)
    page.goto(f"/children/{opaque.encode(child.pk)}/case-file/")
    page.get_by_text(
        f"The case closed on {long_date(today)}: Case closed after assessment: no further action"
    ).wait_for()
    assert page.get_by_role("link", name="Request closure").count() == 0
    page.goto("/oversight/approvals/")
    page.locator("#nothing-waiting").wait_for()


def test_the_directors_dashboard_counts_a_waiting_child_and_opens_the_queue(people, page, screenshot):
    director = people.director
    with_passwords(director)
    waiting = ChildFactory()
    open_case(waiting, people.north_team, timezone.localdate() - datetime.timedelta(days=5))

    sign_in(page, director)
    page.goto("/oversight/")
    page.get_by_role("heading", name="Oversight").wait_for()
    assert page.locator("#total-unallocated").inner_text() == "1"
    north = page.locator('#oversight tr[data-row="North"]')
    assert north.locator('[data-figure="open"]').inner_text() == "1"
    screenshot("oversight-dashboard")
    north.locator('[data-figure="unallocated"]').get_by_role("link", name="1").click()

    page.get_by_role("heading", name="Unallocated children: North").wait_for()
    assert f"area={people.north.pk}" in page.url
    row = page.locator(f'tr[data-child="{waiting.pk}"]')
    assert row.get_by_role("link", name=waiting.person.full_name, exact=True).is_visible()
