"""Casework pages at their heaviest, in the benchmark council: the case file and chronology of a child with
ten years of history (hundreds of events), and "what is due" for a worker holding 25 children.

The long history and the extra allocations are written inside a transaction that is rolled back at the end,
so the benchmark database is left as it was. Rows are bulk-created with the shapes the services write.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    CinPlanReview,
    ConferenceKind,
    CoreGroupMeeting,
    CPPlan,
    S47Enquiry,
    StrategyDiscussion,
    Visit,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.registry import duty
from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.people.models import Child

RUNS = 30
YEARS = 10
CASELOAD = 25
DAY = datetime.timedelta(days=1)


class Rollback(Exception):
    pass


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def long_history(child: Child, worker: Worker, today: datetime.date) -> int:
    """Ten years of casework for ``child``: a closed episode a year (assessment, CIN plan and reviews, visits),
    two of them with a strategy discussion, enquiry, conference and a year-long child protection plan with
    reviews, core groups and fortnightly visits, and the statutory deadlines each left. Returns the number of
    chronology-worthy rows written."""
    team, area = worker.team, worker.team.area
    rows = 0
    start = today - datetime.timedelta(days=365 * YEARS)
    deadlines = []
    # The synthetic history may already hold the child's open episode: then every added one is closed.
    has_open_case = CinEpisode.objects.open().filter(child=child).exists()
    for year in range(YEARS):
        referral = start + datetime.timedelta(days=365 * year)
        closing = referral + datetime.timedelta(days=300)
        is_current = year == YEARS - 1 and not has_open_case
        episode = CinEpisode.objects.create(
            child=child,
            referral_date=referral,
            referral_source="2A",
            primary_need="N1",
            team=team,
            area=area,
            closure_date=None if is_current else closing,
            closure_reason="" if is_current else "RC8",
        )
        assessment = Assessment.objects.create(
            episode=episode,
            child=child,
            start_date=referral + DAY,
            child_seen_on=referral + 3 * DAY,
            factors=["3A", "4B"],
            analysis="Analysis " * 40,
            outcome=AssessmentOutcome.CIN_PLAN,
            status=AssessmentStatus.AUTHORISED,
            submitted_on=referral + 30 * DAY,
            authorised_on=referral + 35 * DAY,
        )
        rows += 4
        deadlines.append(
            Deadline(
                duty_id="assessment_from_start",
                child=child,
                scope_type="casework.cinepisode",
                scope_id=episode.pk,
                started_by="assessment.started",
                starts_on=assessment.start_date,
                due_on=duty("assessment_from_start").due_date(assessment.start_date),
                status=DeadlineStatus.MET,
                closed_on=assessment.authorised_on,
                closed_by="assessment.authorised",
                team=team,
                area=area,
            )
        )
        plan = CinPlan.objects.create(
            episode=episode,
            child=child,
            start_date=referral + 40 * DAY,
            end_date=None if is_current else closing - DAY,
            summary="Support at home",
        )
        CinPlanReview.objects.bulk_create(
            CinPlanReview(plan=plan, child=child, held_on=plan.start_date + k * 90 * DAY, summary="Reviewed")
            for k in range(1, 3)
        )
        rows += 4
        if year in (3, 7):
            held = referral + 100 * DAY
            discussion = StrategyDiscussion.objects.create(
                episode=episode, child=child, held_on=held, participants="Police, health", concerns="Concern",
                outcome="s47",
            )  # fmt: skip
            enquiry = S47Enquiry.objects.create(
                episode=episode, child=child, strategy_discussion=discussion, start_date=held,
                concluded_on=held + 7 * DAY, outcome="conference", findings="Findings",
            )  # fmt: skip
            conference = ChildProtectionConference.objects.create(
                episode=episode, child=child, kind=ConferenceKind.INITIAL, s47=enquiry, held_on=held + 14 * DAY,
                decision="plan", category="NEG",
            )  # fmt: skip
            cp_plan = CPPlan.objects.create(
                episode=episode, child=child, initial_conference=conference, start_date=conference.held_on,
                end_date=conference.held_on + 150 * DAY, initial_category="NEG", latest_category="NEG",
            )  # fmt: skip
            ChildProtectionConference.objects.create(
                episode=episode, child=child, kind=ConferenceKind.REVIEW, plan=cp_plan,
                held_on=cp_plan.start_date + 90 * DAY, decision="continue",
            )  # fmt: skip
            CoreGroupMeeting.objects.bulk_create(
                CoreGroupMeeting(plan=cp_plan, child=child, held_on=cp_plan.start_date + k * 28 * DAY)
                for k in range(1, 6)
            )
            rows += 10
        visits = [
            Visit(
                child=child,
                visited_on=referral + k * 14 * DAY,
                visited_by=worker,
                location="home",
                child_seen=True,
                seen_alone=k % 2 == 0,
                summary="Visit summary " * 10,
            )
            for k in range(1, 22)
        ]
        Visit.objects.bulk_create(visits)
        rows += len(visits)
        deadlines += [
            Deadline(
                duty_id="cp_visit",
                child=child,
                scope_type="casework.cinplan",
                scope_id=plan.pk,
                started_by="visit.child_seen",
                starts_on=visit.visited_on,
                due_on=visit.visited_on + 14 * DAY,
                status=DeadlineStatus.MET,
                closed_on=visit.visited_on + 14 * DAY,
                closed_by="visit.child_seen",
                team=team,
                area=area,
            )
            for visit in visits
        ]
    Deadline.objects.bulk_create(deadlines)
    return rows


def give_caseload(worker: Worker, today: datetime.date) -> None:
    """Bring ``worker``'s caseload to 25 children, each with a few open deadlines."""
    current = set(Allocation.objects.current(today).filter(worker=worker).values_list("child_id", flat=True))
    allocated = Allocation.objects.current(today).filter(role=AllocationRole.SOCIAL_WORKER).values("child_id")
    extra = list(
        Child.objects.exclude(pk__in=allocated)
        .order_by("pk")
        .values_list("pk", flat=True)[: CASELOAD - len(current)]
    )
    Allocation.objects.bulk_create(
        Allocation(child_id=pk, worker=worker, team=worker.team, start_date=today - 30 * DAY) for pk in extra
    )
    deadlines = []
    for pk in sorted(current | set(extra)):
        for code, started in (("cp_visit", 5), ("cp_review", 60), ("core_group_first", 12)):
            starts = today - started * DAY
            deadlines.append(
                Deadline(
                    duty_id=code,
                    child_id=pk,
                    scope_type="casework.cpplan",
                    scope_id=pk,
                    started_by="bench",
                    starts_on=starts,
                    due_on=duty(code).due_date(starts),
                    team=worker.team,
                    area=worker.team.area,
                )
            )
    Deadline.objects.bulk_create(deadlines)


def run(context):
    results = []
    today = timezone.localdate()
    user = get_user_model().objects.get(username="socialworker")
    worker = user.worker
    client = context.client_for("socialworker")
    try:
        with transaction.atomic():
            child_id = (
                Allocation.objects.current(today)
                .filter(worker=worker)
                .order_by("child_id")
                .values_list("child_id", flat=True)
                .first()
            )
            child = Child.objects.get(pk=child_id)
            rows = long_history(child, worker, today)
            give_caseload(worker, today)
            history = f"{context.scale}_child_with_{rows}_events_over_{YEARS}_years"
            for name, url in (
                ("case_file_long_history", reverse("casework:case_file", kwargs={"child_id": child.pk})),
                ("chronology_long_history", reverse("casework:chronology", kwargs={"child_id": child.pk})),
            ):
                results.append(measure(name, lambda _, u=url: _get(client, u), runs=RUNS, scale=history))
            caseload = f"{context.scale}_worker_with_{CASELOAD}_children"
            results.append(
                measure(
                    "what_is_due_25_children",
                    lambda _: _get(client, reverse("work:due")),
                    runs=RUNS,
                    scale=caseload,
                )
            )
            raise Rollback
    except Rollback:
        pass
    return results
