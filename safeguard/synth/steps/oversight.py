"""Step ``oversight``: supervision of every practitioner, management decisions on children's files, and case
audits with their actions, over the last year.

Supervision (``oversight.Supervision``): everyone supervised (``oversight.policies.SUPERVISED_ROLES``) is
supervised by their line manager at the council's frequency (``oversight.supervision``: monthly, fortnightly in the first year after
qualifying), a few days either side. Most are up to date today; ``LAPSED_SHARE`` of workers (``LAPSED_SHARE
_STRUGGLING`` in ``geography.STRUGGLING_AREA``, whose managers are stretched) have had none for one to four
months. In each session in the last ``CASES_DISCUSSED_MONTHS`` months, 2-5 of the children the worker holds
are discussed, each with a management decision on the child's file (``ManagementDecision``, kind
supervision) and sometimes an action with a due date. Older sessions keep their notes only: who the worker
held then is not replayed.

Case audits (``oversight.CaseAudit``): ``AUDITS_PER_TEAM_PER_MONTH`` completed audits per case-holding team
each month of the last year, of a child the team holds today, by the area's head of service (independent of
the case, as ``oversight.policies.auditor_refusal`` requires), graded on Ofsted's scale (``GRADES``: worse in
the struggling area), each question answered near the overall grade. An audit graded below good has 1-3
actions for the child's worker, most done with evidence by now, some open and a few overdue. One audit per
area is still in progress. [S] all shares here are local choices, made so that the demo's oversight pages
have something to show; there is no national statistic for them.
"""

import datetime
import itertools
from collections import defaultdict

from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.oversight.models import (
    ActionStatus,
    AnswerGrade,
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    CaseAuditAnswer,
    DecisionKind,
    Grade,
    ManagementDecision,
    Supervision,
    SupervisionAction,
    SupervisionCase,
)
from safeguard.oversight.policies import SUPERVISED_ROLES
from safeguard.oversight.questions import questions as audit_questions
from safeguard.synth.context import SynthContext
from safeguard.synth.geography import STRUGGLING_AREA

HISTORY_DAYS = 365
LAPSED_SHARE = 0.08
LAPSED_SHARE_STRUGGLING = 0.35
CASES_DISCUSSED_MONTHS = 3
ACTION_SHARE = 0.4
AUDITS_PER_TEAM_PER_MONTH = 1
GRADES = {
    False: {
        Grade.OUTSTANDING: 0.05,
        Grade.GOOD: 0.45,
        Grade.REQUIRES_IMPROVEMENT: 0.38,
        Grade.INADEQUATE: 0.12,
    },
    True: {
        Grade.OUTSTANDING: 0.0,
        Grade.GOOD: 0.2,
        Grade.REQUIRES_IMPROVEMENT: 0.45,
        Grade.INADEQUATE: 0.35,
    },
}
GRADE_ORDER = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]

DECISIONS = (
    (
        "Continue the plan; visit within 10 working days and see the child alone.",
        "Progress is steady but the child has not been seen alone since the last review.",
    ),
    (
        "Hold a family network meeting before the next review.",
        "Wider family could offer support and safety; they have not yet been asked.",
    ),
    (
        "Request updated information from school and the health visitor.",
        "The analysis rests on information more than three months old.",
    ),
    (
        "Step down to early help at the next review if the home conditions are sustained.",
        "Home conditions have improved for three months and the parents are engaging.",
    ),
    (
        "Convene a strategy discussion if the next school report shows further injuries.",
        "Two minor injuries explained consistently; a third would change the risk picture.",
    ),
    (
        "Update the chronology and the risk analysis before the core group.",
        "The record does not yet reflect the last two incidents reported by the police.",
    ),
    (
        "Complete the direct work on the child's wishes and feelings this month.",
        "The plan does not yet show the child's own view.",
    ),
)
ACTIONS = (
    "Visit and see the child alone",
    "Update the chronology",
    "Ask school for attendance and wellbeing",
    "Arrange the family network meeting",
    "Record the child's wishes and feelings",
)
AUDIT_ACTIONS = (
    "Update the risk analysis with the current worries and strengths",
    "Record the child's wishes and feelings, in their words",
    "Make the plan's actions specific with dates and owners",
    "Bring the chronology up to date",
    "Record management oversight of the last two decisions",
)
SUMMARIES = {
    Grade.OUTSTANDING: "Exceptional practice: the child's voice runs through a sharp analysis and plan.",
    Grade.GOOD: "Timely, child-focused work with a clear analysis; small gaps in recording.",
    Grade.REQUIRES_IMPROVEMENT: "The child is safe but drift is evident: the plan is vague and visits slipped.",
    Grade.INADEQUATE: "Risk is not analysed, the child has not been seen alone, and there is no oversight.",
}


def run(ctx: SynthContext) -> None:
    rng, today = ctx.rng, ctx.today
    start = max(ctx.history_start, today - datetime.timedelta(days=HISTORY_DAYS))
    workers = list(
        Worker.objects.filter(role__in=SUPERVISED_ROLES, manager__isnull=False, user__is_active=True)
        .order_by("pk")
        .values_list("pk", "manager_id", "manager__user_id", "team_id", "team__area__code", "qualified_on")
    )
    held: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for worker_id, child_id, since in (
        Allocation.objects.current(today)
        .filter(role=AllocationRole.SOCIAL_WORKER)
        .values_list("worker_id", "child_id", "start_date")
        .order_by("pk")
    ):
        held[worker_id].append((child_id, since))
    episodes = dict(CinEpisode.objects.open().values_list("child_id", "pk"))
    episode_start = dict(CinEpisode.objects.open().values_list("child_id", "referral_date"))

    supervision_ids = itertools.count(ctx.next_ids(Supervision))
    decision_ids = itertools.count(ctx.next_ids(ManagementDecision))
    case_ids = itertools.count(ctx.next_ids(SupervisionCase))
    sessions = decisions = lapsed = 0
    bar = ctx.progress(len(workers) + 1, "oversight")
    with ctx.writer(Supervision, ManagementDecision, SupervisionCase, SupervisionAction) as out:
        for worker_id, manager_id, manager_user, _team, area, qualified_on in workers:
            newly_qualified = qualified_on is not None and (today - qualified_on).days < 365
            interval = 14 if newly_qualified else 30
            lapse = LAPSED_SHARE_STRUGGLING if area == STRUGGLING_AREA else LAPSED_SHARE
            if rng.random() < lapse:
                last = today - datetime.timedelta(days=rng.randint(interval + 20, interval + 120))
                lapsed += 1
            else:
                last = today - datetime.timedelta(days=rng.randint(0, interval - 3))
            day = last
            while day >= start:
                supervision = next(supervision_ids)
                out.row(
                    Supervision,
                    id=supervision,
                    worker_id=worker_id,
                    supervisor_id=manager_id,
                    held_on=day,
                    notes="Workload, wellbeing and learning discussed.",
                )
                sessions += 1
                if (today - day).days <= CASES_DISCUSSED_MONTHS * 30:
                    children = [child for child, since in held.get(worker_id, ()) if since <= day]
                    for child_id in rng.sample(children, min(len(children), rng.randint(2, 5))):
                        if child_id not in episodes or episode_start[child_id] > day:
                            continue
                        decision, rationale = rng.choice(DECISIONS)
                        decision_id = next(decision_ids)
                        out.row(
                            ManagementDecision,
                            id=decision_id,
                            child_id=child_id,
                            episode_id=episodes[child_id],
                            decided_by_id=manager_user,
                            decided_on=day,
                            kind=DecisionKind.SUPERVISION,
                            decision=decision,
                            rationale=rationale,
                            supervision_id=supervision,
                        )
                        case_id = next(case_ids)
                        out.row(
                            SupervisionCase,
                            id=case_id,
                            supervision_id=supervision,
                            child_id=child_id,
                            discussion="Progress against the plan and the latest visit.",
                            decision_id=decision_id,
                        )
                        decisions += 1
                        if rng.random() < ACTION_SHARE:
                            out.row(
                                SupervisionAction,
                                case_id=case_id,
                                description=rng.choice(ACTIONS),
                                due_on=day + datetime.timedelta(days=rng.randint(5, 20)),
                            )
                day -= datetime.timedelta(days=interval + rng.randint(-3, 3))
            bar.update(1)
    ctx.reset_sequences(Supervision, ManagementDecision, SupervisionCase)

    audits, actions = _audits(ctx, start, workers, held, episodes, episode_start)
    bar.update(1)
    bar.close()
    ctx.extra["oversight"] = {
        "supervisions": sessions,
        "workers_supervision_lapsed": lapsed,
        "management_decisions": decisions,
        "case_audits": audits,
        "audit_actions": actions,
    }


def _audits(ctx: SynthContext, start, workers, held, episodes, episode_start) -> tuple[int, int]:
    """Completed audits across the year, one in progress per area, with their answers and actions."""
    rng, today = ctx.rng, ctx.today
    questions = list(audit_questions().values())
    heads = dict(
        Worker.objects.filter(role=Role.HEAD_OF_SERVICE, user__is_active=True).values_list("area__code", "pk")
    )
    head_users = dict(Worker.objects.filter(pk__in=heads.values()).values_list("pk", "user_id"))
    by_team: dict[int, list[tuple[int, int, datetime.date]]] = defaultdict(
        list
    )  # team: (worker, child, since)
    team_area: dict[int, str] = {}
    for worker_id, _manager, _user, team, area, _q in workers:
        team_area[team] = area
        for child_id, since in held.get(worker_id, ()):
            if child_id in episodes:
                by_team[team].append((worker_id, child_id, max(since, episode_start[child_id])))
    audit_ids = itertools.count(ctx.next_ids(CaseAudit))
    audits = actions = 0
    in_progress: set[str] = set()
    audited: set[int] = set()
    months = max(1, (today - start).days // 30)
    with ctx.writer(CaseAudit, CaseAuditAnswer, CaseAuditAction) as out:
        for team in sorted(by_team):
            area = team_area[team]
            auditor = heads.get(area)
            if auditor is None:
                continue
            cases = by_team[team]
            for month in range(months):
                for _ in range(AUDITS_PER_TEAM_PER_MONTH):
                    completed_on = today - datetime.timedelta(days=month * 30 + rng.randint(0, 29))
                    candidates = [c for c in cases if c[2] <= completed_on - datetime.timedelta(days=10)]
                    candidates = [c for c in candidates if c[1] not in audited]
                    if not candidates:
                        continue
                    worker_id, child_id, since = rng.choice(candidates)
                    audited.add(child_id)
                    started_on = max(since, completed_on - datetime.timedelta(days=rng.randint(1, 10)))
                    draft = area not in in_progress and month == 0
                    grade = _draw(rng, GRADES[area == STRUGGLING_AREA])
                    audit_id = next(audit_ids)
                    out.row(
                        CaseAudit,
                        id=audit_id,
                        child_id=child_id,
                        episode_id=episodes[child_id],
                        auditor_id=auditor,
                        started_on=started_on,
                        status=AuditStatus.DRAFT if draft else AuditStatus.COMPLETED,
                        overall_grade="" if draft else grade,
                        summary="" if draft else SUMMARIES[grade],
                        completed_on=None if draft else completed_on,
                        created_by_id=head_users[auditor],
                        modified_by_id=head_users[auditor],
                    )
                    audits += 1
                    if draft:
                        in_progress.add(area)
                    answered = questions if not draft else questions[: len(questions) // 2]
                    for question in answered:
                        out.row(
                            CaseAuditAnswer,
                            audit_id=audit_id,
                            question=question.code,
                            question_text=question.text,
                            grade=_near(rng, grade),
                            comment="",
                        )
                    if draft or grade in (Grade.OUTSTANDING, Grade.GOOD):
                        continue
                    for description in rng.sample(AUDIT_ACTIONS, rng.randint(1, 3)):
                        due = completed_on + datetime.timedelta(days=rng.randint(14, 42))
                        done_on = due - datetime.timedelta(days=rng.randint(0, 10))
                        done = done_on <= today and rng.random() < 0.75
                        out.row(
                            CaseAuditAction,
                            audit_id=audit_id,
                            description=description,
                            owner_id=worker_id,
                            due_on=due,
                            status=ActionStatus.DONE if done else ActionStatus.OPEN,
                            completed_on=max(done_on, completed_on) if done else None,
                            evidence="Done: recorded on the child's file." if done else "",
                            created_by_id=head_users[auditor],
                            modified_by_id=head_users[auditor],
                        )
                        actions += 1
    ctx.reset_sequences(CaseAudit)
    return audits, actions


def _draw(rng, shares: dict) -> str:
    pick, total = rng.random(), 0.0
    for grade, share in shares.items():
        total += share
        if pick < total:
            return grade
    return Grade.REQUIRES_IMPROVEMENT


def _near(rng, grade: str) -> str:
    """A question's grade: the overall grade, or one step either side, sometimes not applicable."""
    if rng.random() < 0.05:
        return AnswerGrade.NOT_APPLICABLE
    i = GRADE_ORDER.index(grade) + rng.choice((-1, 0, 0, 0, 1))
    return GRADE_ORDER[min(max(i, 0), len(GRADE_ORDER) - 1)]
