"""Synthetic learning actions (issue 9): the actions agreed after each synthetic serious incident's rapid
review (and, for the older incidents, a local child safeguarding practice review), and the deadlines of every
case audit action the ``oversight`` step made, so that the learning-action report and the legal exposure
register show a history: most done on time, some late, a few overdue and still open.

Rates: no national statistic counts learning actions. A rapid review commonly agrees two or three actions for
the agencies involved, and an LCSPR a few more (Working Together 2023 ch.5; local partnership annual reports,
[S]); the due dates are one to four months after agreement. The mix of outcomes (about three in four done on
time) is invented for the demo.

Reads the ``SeriousIncident`` rows (one query) and the case audit actions (one query); writes no audit
events (the runner writes one for the whole generation).
"""

import datetime
import itertools

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.incidents.models import SeriousIncident
from safeguard.learning.models import DUTY, Entry, LearningAction, LearningActionEntry, Source, Status
from safeguard.organisation.models import Worker
from safeguard.oversight.models import ActionStatus, CaseAuditAction
from safeguard.synth.context import SynthContext

RAPID_REVIEW_ACTIONS = (
    "Multi-agency training on recognising neglect in babies, for health visitors and social workers",
    "Strategy discussions to include the school in every case where a child is of school age",
    "Audit of how fathers and other men in the household are assessed",
    "Briefing on bruising in non-mobile babies for all front door staff",
    "Review the escalation protocol between health and children's services",
)
PRACTICE_REVIEW_ACTIONS = (
    "Publish a seven-minute briefing on the review's findings to every agency",
    "Revise the pre-birth assessment procedure to include the wider family",
    "Learning event for practitioners on professional curiosity",
    "Check through a multi-agency audit that the revised procedure is followed",
)
# The outcome of an action whose due date has passed, in turn: mostly on time, some late, some still open.
OUTCOMES_PAST_DUE = ("on_time", "on_time", "late", "on_time", "overdue", "on_time")
LEARNING_SCOPE = LearningAction._meta.label_lower
AUDIT_SCOPE = CaseAuditAction._meta.label_lower


def run(ctx: SynthContext) -> None:
    made = _incident_actions(ctx)
    audit = _case_audit_deadlines(ctx)
    ctx.extra["learning"] = {"learning_actions": made, "case_audit_deadlines": audit}


def _team_area(ctx: SynthContext) -> tuple[dict[int, int | None], dict[int, int | None]]:
    workers = dict(Worker.objects.values_list("pk", "team_id"))
    area_of_team = {team: ctx.org.area_ids.get(code) for team, code in ctx.org.team_area.items()}
    return workers, area_of_team


def _incident_actions(ctx: SynthContext) -> int:
    rng, today = ctx.rng, ctx.today
    incidents = list(
        # Incidents with actions already are left alone: the step may be rerun on a city being extended.
        SeriousIncident.objects.filter(learning_actions__isnull=True)
        .order_by("pk")
        .values_list("pk", "child_id", "became_aware_on", "lead_id", "team_id", "area_id", "lead__user_id")
    )
    if not incidents:
        return 0
    worker_team, area_of_team = _team_area(ctx)
    ids = itertools.count(ctx.next_ids(LearningAction))
    turn = itertools.count()
    made = 0
    with ctx.writer(LearningAction, LearningActionEntry, Deadline) as out:
        for incident_id, child_id, aware, lead_id, team_id, area_id, lead_user in incidents:
            holders = [worker for worker, _ in ctx.org.case_holders.get(team_id, [])] if team_id else []
            reviews = [(Source.RAPID_REVIEW, aware + datetime.timedelta(days=21), RAPID_REVIEW_ACTIONS)]
            if (today - aware).days > 240:  # an LCSPR reports about six months after it is commissioned
                reviews.append(
                    (Source.PRACTICE_REVIEW, aware + datetime.timedelta(days=200), PRACTICE_REVIEW_ACTIONS)
                )
            for source, agreed_on, texts in reviews:
                if agreed_on > today:
                    continue
                for description in rng.sample(texts, rng.randint(2, 3)):
                    owner = rng.choice(holders) if holders and rng.random() < 0.6 else lead_id
                    team = team_id or worker_team.get(owner)
                    area = area_id or area_of_team.get(team)
                    due_on = agreed_on + datetime.timedelta(days=rng.randint(28, 120))
                    outcome = (
                        OUTCOMES_PAST_DUE[next(turn) % len(OUTCOMES_PAST_DUE)]
                        if due_on < today
                        else ("early" if rng.random() < 0.25 else "open")
                    )
                    completed_on = None
                    if outcome in ("on_time", "early"):
                        completed_on = min(today, due_on - datetime.timedelta(days=rng.randint(0, 14)))
                        completed_on = max(completed_on, agreed_on)
                    elif outcome == "late":
                        completed_on = min(today, due_on + datetime.timedelta(days=rng.randint(3, 40)))
                    done = completed_on is not None
                    action_id = next(ids)
                    out.row(
                        LearningAction,
                        id=action_id,
                        incident_id=incident_id,
                        source=source,
                        description=description,
                        owner_id=owner,
                        agreed_on=agreed_on,
                        due_on=due_on,
                        status=Status.DONE if done else Status.OPEN,
                        evidence="Done: the briefing and attendance list are on the partnership's site."
                        if done
                        else "",
                        completed_on=completed_on,
                        completed_by_id=lead_user if done else None,
                        closed_reason="",
                        team_id=team,
                        area_id=area,
                        version=2 if done else 1,
                        created_by_id=lead_user,
                        modified_by_id=lead_user,
                    )
                    out.row(
                        LearningActionEntry,
                        action_id=action_id,
                        kind=Entry.AGREED,
                        note="",
                        old_due_on=None,
                        new_due_on=due_on,
                        recorded_on=agreed_on,
                        recorded_by_id=lead_user,
                    )
                    if done:
                        out.row(
                            LearningActionEntry,
                            action_id=action_id,
                            kind=Entry.COMPLETED,
                            note="Done: the briefing and attendance list are on the partnership's site.",
                            old_due_on=None,
                            new_due_on=None,
                            recorded_on=completed_on,
                            recorded_by_id=lead_user,
                        )
                    out.row(
                        Deadline,
                        **_deadline(
                            child_id,
                            LEARNING_SCOPE,
                            action_id,
                            agreed_on,
                            due_on,
                            completed_on,
                            team,
                            area,
                            lead_user,
                        ),
                    )
                    made += 1
    ctx.reset_sequences(LearningAction)
    return made


def _deadline(child_id, scope_type, scope_id, starts_on, due_on, completed_on, team, area, user) -> dict:
    """The deadline the services would have left: open, or met (late, with the days late, after its day)."""
    late = completed_on is not None and completed_on > due_on
    return {
        "duty_id": DUTY,
        "child_id": child_id,
        "scope_type": scope_type,
        "scope_id": scope_id,
        "started_by": "learning_action.agreed",
        "starts_on": starts_on,
        "due_on": due_on,
        "status": DeadlineStatus.MET if completed_on else DeadlineStatus.OPEN,
        "closed_on": completed_on,
        "closed_by": "learning_action.completed" if completed_on else "",
        "breached_on": due_on + datetime.timedelta(days=1) if late else None,
        "days_late": (completed_on - due_on).days if late else None,
        "delay_reason": "",
        "team_id": team,
        "area_id": area,
        "version": 1,
        "created_by_id": user,
        "modified_by_id": user,
    }


def _case_audit_deadlines(ctx: SynthContext) -> int:
    """Each case audit action's clock, from the day its audit was completed (when the action was set)."""
    worker_team, area_of_team = _team_area(ctx)
    have = set(
        Deadline.objects.filter(duty_id=DUTY, scope_type=AUDIT_SCOPE).values_list("scope_id", flat=True)
    )
    rows = CaseAuditAction.objects.values_list(
        "pk",
        "audit__child_id",
        "audit__completed_on",
        "audit__started_on",
        "due_on",
        "status",
        "completed_on",
        "owner_id",
        "created_by_id",
    )
    made = 0
    with ctx.writer(Deadline) as out:
        for (
            pk,
            child_id,
            audited_on,
            started_on,
            due_on,
            status,
            completed_on,
            owner,
            user,
        ) in rows.iterator():
            if pk in have:
                continue
            starts_on = min(audited_on or started_on, due_on)
            team = worker_team.get(owner)
            done_on = completed_on if status == ActionStatus.DONE else None
            out.row(
                Deadline,
                **_deadline(
                    child_id, AUDIT_SCOPE, pk, starts_on, due_on, done_on, team, area_of_team.get(team), user
                ),
            )
            made += 1
    return made
