"""Safe closure: a case closes only when a worker has asked, with a closure summary and an analysis of risk,
and a manager who did not ask has approved, having seen the assessment and the last visit (issue 5).

Nothing else closes a child in need episode: the closing itself (``services._close_episode``) is a private
step of ``closure_decide``, and the CIN census rules about a closed episode (``services.closure_errors``)
are checked both when the worker asks and again when the manager approves, because the case may change in
between. Every request is kept with its decision and the manager's reasons; a returned request stays on the
record beside the one that followed it.

There is no bulk closure. An approval that takes a team's approved closures within the last
``SAFEGUARD["BULK_CLOSURE_DAYS"]`` days above ``SAFEGUARD["BULK_CLOSURE_SHARE"]`` of its caseload raises a
``BulkClosureAlert`` to the head of service for the area and the director, in the approval's transaction.

A closed case can be reopened by a manager (``cin_episode_reopen``): the CIN census has no "reopen", so it
is a new episode with its own referral date, linked to the one it follows.

Children Act 1989 s17; Working Together to Safeguard Children 2023 ch.3 (the decision to end involvement,
its reasons, and management oversight); DfE CIN census ReasonForClosure RC1-RC9 (DOMAIN.md §3).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.casework.models import (
    AssessmentStatus,
    BulkClosureAlert,
    CinEpisode,
    ClosureRequest,
    ClosureRequestStatus,
)
from safeguard.casework.policies import (
    may_acknowledge_bulk_closure_alert,
    may_authorise,
    may_record,
    may_withdraw_closure,
)
from safeguard.casework.services import (
    CLOSED_CHILD_DIED,
    CLOSED_NFA,
    _close_episode,
    _guarded_update,
    _not_future,
    _raise,
    _require,
    closure_errors,
    create_once,
    responsible_team,
)
from safeguard.compliance.services import compliance_event
from safeguard.core.reference import codes_valid_on
from safeguard.organisation.models import Team

NO_ASSESSMENT_NEEDED = frozenset({"RC1", "RC2", "RC3", "RC4", "RC5", "RC6"})
"""The CIN census ReasonForClosure codes with which a case may close without an authorised assessment, because
the council did not choose to stop: RC1 adopted (the child has a new legal family), RC2 died, RC3 a child
arrangements order and RC4 a special guardianship order (a court has decided with whom the child lives),
RC5 transferred to another local authority (which assesses the child itself) and RC6 transferred to adult
social care. A referral closed with no further action at the referral stage (ReferralNFA, closed RC8) needs
none either: the front door's threshold decision was that it did not.

Every other closure needs an authorised assessment in the episode: RC8 and RC9 close *after* one (CIN census
8825Q), and RC7, "services ceased for any other reason", without one is exactly the case "closed without
being risk assessed" (issue 5) and is refused. Where a reason here is used and there is no authorised
assessment, the worker records why none is needed (``ClosureRequest.no_assessment_reason``)."""

CLOSURE_WITHOUT_ASSESSMENT = (
    "A case closes only after an authorised assessment. Without one it can close only if the child was "
    "adopted, has died, is subject to a child arrangements or special guardianship order, has moved to "
    "another council or to adult services, or the referral led to no further action"
)


def assessment_needed(reason: str, referral_nfa: bool) -> bool:
    """Whether a closure for ``reason`` needs an authorised assessment (see ``NO_ASSESSMENT_NEEDED``)."""
    return not (reason in NO_ASSESSMENT_NEEDED or (referral_nfa and reason == CLOSED_NFA))


def has_authorised_assessment(episode: CinEpisode) -> bool:
    return episode.assessments.filter(status=AssessmentStatus.AUTHORISED).exists()


def _request_errors(
    *,
    episode: CinEpisode,
    closure_date: datetime.date,
    reason: str,
    referral_nfa: bool,
    primary_need: str,
    summary: str,
    risk_analysis: str,
    no_assessment_reason: str,
) -> tuple[dict[str, str], str]:
    """Everything that stops the case closing as asked: the census rules (``closure_errors``) and the safe
    closure rules (a summary, an analysis of risk, an authorised assessment or a reason none is needed)."""
    errors, need = closure_errors(
        episode=episode,
        closure_date=closure_date,
        reason=reason,
        referral_nfa=referral_nfa,
        primary_need=primary_need,
    )
    if not summary.strip():
        errors["summary"] = "Write the closure summary: what was done, and what changed for the child"
    if not risk_analysis.strip():
        errors["risk_analysis"] = "Write the analysis of risk: why it is safe to close the case"
    if "reason" not in errors and not has_authorised_assessment(episode):
        if assessment_needed(reason, referral_nfa):
            errors["reason"] = CLOSURE_WITHOUT_ASSESSMENT
        elif not no_assessment_reason.strip():
            errors["no_assessment_reason"] = "Say why the case can close without an assessment"
    return errors, need


# -- the request and the decision ------------------------------------------------------------------------------


def closure_request(
    *,
    episode: CinEpisode,
    requested_by,
    closure_date: datetime.date,
    reason: str,
    summary: str,
    risk_analysis: str,
    referral_nfa: bool = False,
    primary_need: str = "",
    no_assessment_reason: str = "",
) -> ClosureRequest:
    """A worker asks for the case to close. Nothing closes yet: the request waits for a manager
    (``closure_decide``). One request at a time per episode (a partial unique constraint decides between
    two made at once)."""
    _require(may_record(requested_by, episode.child), "You cannot change this child's record")
    errors, _need = _request_errors(
        episode=episode,
        closure_date=closure_date,
        reason=reason,
        referral_nfa=referral_nfa,
        primary_need=primary_need,
        summary=summary,
        risk_analysis=risk_analysis,
        no_assessment_reason=no_assessment_reason,
    )
    already = "A request to close this case is already waiting for a manager's decision"
    if ClosureRequest.objects.filter(episode=episode, status=ClosureRequestStatus.PENDING).exists():
        raise ValidationError(already)
    _raise(errors)
    assessed = has_authorised_assessment(episode)
    with transaction.atomic():
        request = create_once(
            ClosureRequest,
            already,
            episode=episode,
            child=episode.child,
            requested_by=requested_by,
            requested_on=timezone.localdate(),
            closure_date=closure_date,
            reason=reason,
            referral_nfa=referral_nfa,
            primary_need="" if episode.primary_need else primary_need,
            summary=summary.strip(),
            risk_analysis=risk_analysis.strip(),
            no_assessment_reason="" if assessed else no_assessment_reason.strip(),
            team_id=episode.team_id,
            area_id=episode.area_id,
            created_by=requested_by,
            modified_by=requested_by,
        )
        audit_event_record(
            actor=requested_by,
            action="closure.requested",
            entity=request,
            child=episode.child,
            changes=changes_between(
                None, request, ["episode_id", "closure_date", "reason", "referral_nfa", "primary_need"]
            ),
            reason=request.summary,
        )
    return request


def closure_decide(
    *, request: ClosureRequest, decided_by, approve: bool, rationale: str, version: int
) -> ClosureRequest:
    """A manager approves or returns a closure request, with their reasons. Not the person who asked: the
    four-eyes rule is what makes it an authorisation (also a database constraint).

    Approval closes the episode in the same transaction, with the census and safe closure rules checked
    again first (the case may have changed since the request: an assessment started, a plan made), and
    counts the approval towards the team's bulk closure alert. A return keeps the request, with the
    manager's reasons, for the worker to act on and for anyone who reads the file later."""
    child = request.child
    _require(
        may_authorise(decided_by, child),
        "Only a team manager or head of service decides whether a case closes",
    )
    _require(
        request.requested_by_id != decided_by.pk,
        "You asked for this case to close: another manager must decide the request",
    )
    if not request.is_pending:
        raise ValidationError(
            f"This request is no longer waiting for a decision: it was {request.get_status_display().lower()}"
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the reasons for your decision"})
    today = timezone.localdate()
    status = ClosureRequestStatus.APPROVED if approve else ClosureRequestStatus.RETURNED
    with transaction.atomic():
        # The episode's row is locked while the rules are checked and the case closed (PostgreSQL; SQLite
        # runs one writer at a time anyway).
        episode = (
            CinEpisode.objects.select_for_update().select_related("team", "area").get(pk=request.episode_id)
        )
        need = ""
        if approve:
            errors, need = _request_errors(
                episode=episode,
                closure_date=request.closure_date,
                reason=request.reason,
                referral_nfa=request.referral_nfa,
                primary_need=request.primary_need,
                summary=request.summary,
                risk_analysis=request.risk_analysis,
                no_assessment_reason=request.no_assessment_reason,
            )
            if errors:
                raise ValidationError(
                    {
                        "decision": [
                            f"The case cannot close as asked: {message}. Return the request to the worker"
                            for message in errors.values()
                        ]
                    }
                )
        _guarded_update(
            request,
            version=version,
            actor=decided_by,
            status=status,
            decided_by=decided_by,
            decided_on=today,
            decision_rationale=rationale.strip(),
            team=episode.team,
            area=episode.area,
        )
        audit_event_record(
            actor=decided_by,
            action=f"closure.{status}",
            entity=request,
            child=child,
            changes={"status": [ClosureRequestStatus.PENDING, status]},
            reason=rationale.strip(),
        )
        if approve:
            _close_episode(
                episode,
                closed_by=decided_by,
                closure_date=request.closure_date,
                reason=request.reason,
                referral_nfa=request.referral_nfa,
                primary_need=need,
                version=episode.version,
            )
            request.episode = episode
            _bulk_closure_check(team=episode.team, on=today, actor=decided_by)
    return request


def closure_withdraw(*, request: ClosureRequest, withdrawn_by, reason: str, version: int) -> ClosureRequest:
    """The worker who asked (or a manager) withdraws a request that is still waiting: the case is staying
    open after all. Kept, with who withdrew it and why."""
    _require(
        may_withdraw_closure(withdrawn_by, request),
        "Only the worker who asked, or a manager, withdraws a closure request",
    )
    if not request.is_pending:
        raise ValidationError(
            f"This request is no longer waiting for a decision: it was {request.get_status_display().lower()}"
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is withdrawn"})
    with transaction.atomic():
        _guarded_update(
            request,
            version=version,
            actor=withdrawn_by,
            status=ClosureRequestStatus.WITHDRAWN,
            decided_by=withdrawn_by,
            decided_on=timezone.localdate(),
            decision_rationale=reason.strip(),
        )
        audit_event_record(
            actor=withdrawn_by,
            action="closure.withdrawn",
            entity=request,
            child=request.child,
            changes={"status": [ClosureRequestStatus.PENDING, ClosureRequestStatus.WITHDRAWN]},
            reason=reason.strip(),
        )
    return request


# -- closing many cases quickly -------------------------------------------------------------------------------


def bulk_closure_settings() -> tuple[Decimal, int]:
    """The share of a team's caseload, and the number of days, over which approved closures raise an alert."""
    return (
        Decimal(str(settings.SAFEGUARD["BULK_CLOSURE_SHARE"])),
        int(settings.SAFEGUARD["BULK_CLOSURE_DAYS"]),
    )


def approved_closures(team_id: int, start: datetime.date, end: datetime.date) -> QuerySet[ClosureRequest]:
    """The closures ``team`` approved from ``start`` to ``end`` (both included), by the day of approval."""
    return ClosureRequest.objects.filter(
        team_id=team_id, status=ClosureRequestStatus.APPROVED, decided_on__range=(start, end)
    )


def team_caseload_on(team_id: int, day: datetime.date) -> int:
    """The team's caseload at the start of ``day``: its episodes referred by then and still open in the
    system, that is, not closed, closed on or after ``day``, or closed by an approval made on or after
    ``day`` (a closure may be dated before the manager approved it; until then the case was open)."""
    approved_since = ClosureRequest.objects.filter(
        episode_id=OuterRef("pk"), status=ClosureRequestStatus.APPROVED, decided_on__gte=day
    )
    return (
        CinEpisode.objects.filter(team_id=team_id, referral_date__lte=day)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=day) | Exists(approved_since))
        .count()
    )


def _bulk_closure_check(*, team: Team, on: datetime.date, actor) -> BulkClosureAlert | None:
    """After an approval on ``on``: if the team's approved closures in the window of ``BULK_CLOSURE_DAYS``
    days ending that day are more than ``BULK_CLOSURE_SHARE`` of its caseload at the window's start, raise an
    alert, or, if the team has an unacknowledged alert whose window overlaps this one, extend that alert
    (one alert per run of closures, not one per closure). An acknowledged alert is not reopened: closures
    after it raise a new one, so that more closures are never hidden behind a note already written.

    Runs in the approval's transaction; the team's row is locked so that two approvals at once in one team
    count each other and raise one alert."""
    share, days = bulk_closure_settings()
    start = on - datetime.timedelta(days=days - 1)
    list(Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True))
    closures = approved_closures(team.pk, start, on).count()
    caseload = team_caseload_on(team.pk, start)
    if closures <= share * caseload:
        return None
    alert = (
        BulkClosureAlert.objects.filter(team=team, acknowledged_on__isnull=True, window_end__gte=start)
        .order_by("-window_end", "-pk")
        .first()
    )
    if alert is None:
        alert = BulkClosureAlert.objects.create(
            team=team,
            area_id=team.area_id,
            raised_on=on,
            window_start=start,
            window_end=on,
            window_days=days,
            threshold=share,
            closures=closures,
            caseload=caseload,
            created_by=actor,
            modified_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="bulk_closure_alert.raised",
            entity=alert,
            changes=changes_between(
                None, alert, ["team_id", "window_start", "window_end", "closures", "caseload"]
            ),
        )
        return alert
    before = alert.closures
    count = approved_closures(team.pk, alert.window_start, on).count()
    _guarded_update(alert, version=alert.version, actor=actor, window_end=on, closures=count)
    audit_event_record(
        actor=actor,
        action="bulk_closure_alert.updated",
        entity=alert,
        changes={"closures": [before, count], "window_end": [None, on.isoformat()]},
    )
    return alert


def bulk_closure_alert_acknowledge(
    *, alert: BulkClosureAlert, acknowledged_by, note: str, version: int
) -> BulkClosureAlert:
    """The head of service for the area, or the director, has looked at the closures and says what they
    found and did (a note is required: an acknowledgement without one is a click, not oversight)."""
    _require(
        may_acknowledge_bulk_closure_alert(acknowledged_by, alert),
        "Only the head of service for the area or the director acknowledges a bulk closure alert",
    )
    if not alert.is_open:
        raise ValidationError("This alert has already been acknowledged")
    if not note.strip():
        raise ValidationError({"note": "Say what you found and what you have done about it"})
    with transaction.atomic():
        _guarded_update(
            alert,
            version=version,
            actor=acknowledged_by,
            acknowledged_by=acknowledged_by,
            acknowledged_on=timezone.localdate(),
            acknowledgement=note.strip(),
        )
        audit_event_record(
            actor=acknowledged_by,
            action="bulk_closure_alert.acknowledged",
            entity=alert,
            changes={"acknowledged_on": [None, alert.acknowledged_on.isoformat()]},
            reason=note.strip(),
        )
    return alert


# -- reopening ------------------------------------------------------------------------------------------------


def cin_episode_reopen(
    *,
    episode: CinEpisode,
    reopened_by,
    reopened_on: datetime.date,
    referral_source: str,
    reason: str,
) -> CinEpisode:
    """A manager reopens a closed case. The CIN census has no "reopen": this is a new episode (a new
    CINdetails whose CINreferralDate is ``reopened_on``, from ``referral_source``), linked to the closed one
    (``previous_episode``), and its assessment clock starts as for any new episode. Only the child's latest
    episode is reopened, after the day it closed (8815-8820: episodes do not overlap), and never while the
    child has an open case."""
    child = episode.child
    _require(may_authorise(reopened_by, child), "Only a team manager or head of service reopens a case")
    if episode.is_open:
        raise ValidationError("This case is open: there is nothing to reopen")
    open_case = f"{child.person.first_name} already has an open case: record the new concerns in it"
    if CinEpisode.objects.open().filter(child=child).exists():
        raise ValidationError(open_case)
    latest = CinEpisode.objects.filter(child=child).order_by("-referral_date", "-pk").first()
    if latest is not None and latest.pk != episode.pk:
        raise ValidationError("Only the child's latest case can be reopened")
    if episode.closure_reason == CLOSED_CHILD_DIED:
        raise ValidationError("This case closed because the child died")
    errors: dict[str, str] = {}
    if reopened_on <= episode.closure_date:
        errors["reopened_on"] = (
            f"The case can reopen only after the day it closed, {episode.closure_date:%-d %B %Y}"
        )
    _not_future(errors, "reopened_on", reopened_on, "reopening")
    if referral_source not in codes_valid_on("referral_source", reopened_on):
        errors["referral_source"] = "Choose who raised the concerns that reopen the case"
    if not reason.strip():
        errors["reason"] = "Say why the case is reopening"
    _raise(errors)
    with transaction.atomic():
        new = create_once(
            CinEpisode,
            open_case,
            child=child,
            referral=None,
            referral_date=reopened_on,
            referral_source=referral_source,
            team=responsible_team(episode.area, episode.team),
            area=episode.area,
            previous_episode=episode,
            reopen_reason=reason.strip(),
            created_by=reopened_by,
            modified_by=reopened_by,
        )
        audit_event_record(
            actor=reopened_by,
            action="cin_episode.reopened",
            entity=new,
            child=child,
            changes=changes_between(
                None, new, ["referral_date", "referral_source", "team_id", "area_id", "previous_episode_id"]
            ),
            reason=reason.strip(),
        )
        compliance_event(
            event="cin_episode.opened",
            child=child,
            on=reopened_on,
            scope=new,
            actor=reopened_by,
            team=new.team,
            area=new.area,
        )
    return new
