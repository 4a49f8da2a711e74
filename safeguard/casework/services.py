"""Every change to child in need and child protection casework.

Each service checks who is acting, validates (including the CIN census rules that can be checked as the
data is entered, so that bad data cannot be stored rather than being found at year end), runs in one
transaction, guards its transition against a concurrent one, writes its own ``AuditEvent``, and raises the
compliance events that start and meet statutory deadlines. Nothing happens in a signal.

The services that change what the CIN census returns (assessments, plans, enquiries, conferences) also ask
``core.record_checks`` in their transaction: a change that would give the child's census a new error under
the DfE's rules is refused, with the rule in plain words (ADR 11).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.casework.models import (
    OPEN_ASSESSMENT,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    CinPlanReview,
    ConferenceDecision,
    ConferenceKind,
    CoreGroupMeeting,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    StrategyDiscussion,
    StrategyOutcome,
    Visit,
    VisitLocation,
)
from safeguard.casework.policies import may_authorise, may_chair, may_record
from safeguard.compliance.registry import Period
from safeguard.compliance.services import compliance_event
from safeguard.core import record_checks
from safeguard.core.calendar import add_calendar_months
from safeguard.core.reference import codes_valid_on
from safeguard.organisation.models import Team, TeamKind, Worker
from safeguard.people.models import Child

SATURDAY = 5  # date.weekday()
NO_FACTORS = "21"  # "no factors identified": must be used alone (CIN census rule 8869)
CLOSED_CHILD_DIED = "RC2"  # ReasonForClosure "child died": every clock for the child stops
CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")  # "case closed after assessment" (no further action; early help)
CLOSED_NFA = "RC8"  # also the reason a referral closed with no further action (ReferralNFA) carries
RE_REFERRAL_MONTHS = 12  # an episode opened within 12 months of the child's last closure links back to it


class VersionConflict(ValidationError):
    """Someone else saved the record after this user read it. The message says who, when and what."""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _not_future(errors: dict, field: str, day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = f"The date of {what} cannot be in the future"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def create_once(model: type[models.Model], refusal: str | dict, **values) -> models.Model:
    """Create a row that a database constraint allows only once (one open assessment or period of care per
    child, one review a day). When two people save at the same moment the constraint decides, and the second
    is told ``refusal`` instead of seeing an error page. Runs in a savepoint, inside the caller's
    transaction."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError as error:
        raise ValidationError(refusal) from error


def _guarded_update(instance: models.Model, *, version: int, actor, **values) -> None:
    """Save ``values`` only if the row is still at ``version``; otherwise tell the user what changed.

    Fields that differ between what is stored now and what this user is saving are named, with the person
    who saved last, so the second person re-reads rather than overwrites (DESIGN.md: never a silent
    overwrite).
    """
    model = type(instance)
    updated = model.objects.filter(pk=instance.pk, version=version).update(
        version=version + 1, modified_by=actor, modified_at=timezone.now(), **values
    )
    if not updated:
        current = model.objects.select_related("modified_by").get(pk=instance.pk)
        differing = [
            model._meta.get_field(name).verbose_name
            for name, value in values.items()
            if getattr(current, name) != value
        ]
        who = current.modified_by.get_full_name() if current.modified_by else "someone else"
        when = timezone.localtime(current.modified_at).strftime("%-d %B %Y at %H:%M")
        what = f" They changed: {', '.join(differing)}." if differing else ""
        raise VersionConflict(
            f"{who} saved this record on {when}, after you opened it.{what} "
            "Your changes have not been saved: read theirs, then make yours again."
        )
    for name, value in values.items():
        setattr(instance, name, value)
    instance.version = version + 1


def responsible_team(area, fallback: Team) -> Team:
    """The team that answers for a new episode until it is allocated: the area's assessment team."""
    team = Team.objects.filter(area=area, kind=TeamKind.ASSESSMENT).order_by("pk").first()
    return team or fallback


# -- child in need episodes ---------------------------------------------------------------------------------


def re_referral_of(child: Child, referral_date: datetime.date) -> CinEpisode | None:
    """The child's latest closed episode, if it closed within ``RE_REFERRAL_MONTHS`` (12) months before
    ``referral_date``: the episode a new referral follows, linked so that whoever picks the case up reads
    what happened last time (issue 5: "a re-referral within 12 months links back").

    Measured from the last *closure*, not, as the DfE's re-referral rate is (the front door's
    ``repeat_referral`` flag, ``frontdoor.selectors.REPEAT_REFERRAL_MONTHS``), from the last *referral*: an
    episode closes after its referral, so every DfE re-referral is linked, and so is a child whose long
    episode closed only weeks ago, whom the DfE measure does not count (ADR 0006)."""
    latest = (
        CinEpisode.objects.filter(child=child, closure_date__isnull=False, closure_date__lte=referral_date)
        .order_by("-closure_date", "-pk")
        .first()
    )
    if latest is not None and latest.closure_date >= add_calendar_months(referral_date, -RE_REFERRAL_MONTHS):
        return latest
    return None


def cin_episode_open(*, referral, opened_by, primary_need: str = "") -> CinEpisode:
    """Open the child in need episode a referral starts (CINreferralDate is the referral's date), with the
    primary need apparent at referral (the front door's decision; the assessment's authorisation confirms
    or changes it).

    Called by the front door's decision, in its transaction. A child can be in only one open episode (CIN
    census 8815-8820), so a referral about a child whose case is open joins that episode: no new one is
    opened, and an urgent child protection referral starts the strategy discussion clock on it. A new
    episode within 12 months of the child's last closure links back to it (``re_referral_of``).
    """
    child = referral.child
    contact = referral.contact
    episode = CinEpisode.objects.open().filter(child=child).first()
    if episode is not None:
        if referral.urgent_child_protection:
            compliance_event(
                event="referral.urgent_child_protection",
                child=child,
                on=referral.referral_date,
                scope=episode,
                actor=opened_by,
                team=episode.team,
                area=episode.area,
            )
        return episode
    episode = CinEpisode.objects.create(
        child=child,
        referral=referral,
        referral_date=referral.referral_date,
        referral_source=referral.source,
        primary_need=primary_need,
        team=responsible_team(contact.area, contact.team),
        area=contact.area,
        previous_episode=re_referral_of(child, referral.referral_date),
        created_by=opened_by,
        modified_by=opened_by,
    )
    audit_event_record(
        actor=opened_by,
        action="cin_episode.opened",
        entity=episode,
        child=child,
        changes=changes_between(
            None,
            episode,
            ["referral_date", "referral_source", "primary_need", "team_id", "area_id", "previous_episode_id"],
        ),
    )
    common = {"child": child, "on": episode.referral_date, "scope": episode, "actor": opened_by}
    compliance_event(event="cin_episode.opened", team=episode.team, area=episode.area, **common)
    if referral.urgent_child_protection:
        compliance_event(
            event="referral.urgent_child_protection", team=episode.team, area=episode.area, **common
        )
    return episode


def closure_errors(
    *,
    episode: CinEpisode,
    closure_date: datetime.date,
    reason: str,
    referral_nfa: bool = False,
    primary_need: str = "",
) -> tuple[dict[str, str], str]:
    """What stops ``episode`` closing on ``closure_date`` for ``reason`` under the CIN census rules about a
    closed episode, checked when the data is entered rather than at year end; and the primary need the
    closed episode will carry. Asked when a worker requests closure and again when a manager approves it
    (``closure.closure_request``, ``closure.closure_decide``): the case may have changed in between.

    - nothing may be left open inside it: an assessment (8867), a section 47 enquiry (8868), a child in need
      or child protection plan;
    - it cannot close before the referral (8630) or before anything recorded in it, nor in the future;
    - a referral closed with no further action had no assessment, plan or enquiry (8831, 8832, 4000);
    - "closed after assessment" (RC8, RC9) needs an authorised assessment (8825Q), except that a referral
      closed with no further action is closed RC8 with none (the answer to the 8825Q query), and no enquiry
      or plan (2990);
    - a primary need is recorded unless the referral led to no further action (8610): the assessment's
      authorisation sets it, or it is given here (N0, not stated, where it was never assessed).

    Raises ``ValidationError`` (not field errors) for an episode already closed.
    """
    if not episode.is_open:
        raise ValidationError("This case is already closed")
    errors: dict[str, str] = {}
    if reason not in codes_valid_on("closure_reason", closure_date):
        errors["reason"] = "Choose the reason the case is closing"
    if closure_date < episode.referral_date:
        errors["closure_date"] = "The case cannot close before the referral"
    elif closure_date < (latest := _latest_activity(episode)):
        errors["closure_date"] = (
            f"The case cannot close before the last thing recorded in it, on {latest:%-d %B %Y}"
        )
    _not_future(errors, "closure_date", closure_date, "closure")
    activity = {
        "an assessment": episode.assessments.exclude(status=AssessmentStatus.WITHDRAWN).exists(),
        "a section 47 enquiry": episode.s47_enquiries.exists(),
        "a child in need plan": episode.cin_plans.exists(),
        "a child protection plan": episode.cp_plans.exists(),
    }
    if referral_nfa and any(activity.values()):
        found = ", ".join(what for what, exists in activity.items() if exists)
        errors["referral_nfa"] = (
            f"The referral went further than no further action: it has {found} (CIN census 8831)"
        )
    if reason in CLOSED_AFTER_ASSESSMENT:
        nfa_on_referral = referral_nfa and reason == CLOSED_NFA
        if (
            not nfa_on_referral
            and not episode.assessments.filter(status=AssessmentStatus.AUTHORISED).exists()
        ):
            errors["reason"] = "“Closed after assessment” needs an authorised assessment in this episode"
        elif any(exists for what, exists in activity.items() if what != "an assessment"):
            errors["reason"] = (
                "“Closed after assessment” is for a case that went no further than the assessment; this one "
                "had an enquiry or a plan (CIN census 2990)"
            )
    need = episode.primary_need or primary_need
    if not referral_nfa and not need:
        errors["primary_need"] = "Choose the child's primary need (“Not stated” if it was never assessed)"
    elif (
        primary_need
        and not episode.primary_need
        and primary_need not in codes_valid_on("primary_need", closure_date)
    ):
        errors["primary_need"] = "Choose the child's primary need"
    still_open = [
        what
        for what, exists in (
            ("an assessment", episode.assessments.filter(status__in=OPEN_ASSESSMENT).exists()),
            ("a section 47 enquiry", episode.s47_enquiries.filter(concluded_on__isnull=True).exists()),
            ("a child in need plan", episode.cin_plans.filter(end_date__isnull=True).exists()),
            ("a child protection plan", episode.cp_plans.filter(end_date__isnull=True).exists()),
        )
        if exists
    ]
    if still_open:
        errors["closure_date"] = f"Finish {', '.join(still_open)} before closing the case"
    return errors, need


def _close_episode(
    episode: CinEpisode,
    *,
    closed_by,
    closure_date: datetime.date,
    reason: str,
    referral_nfa: bool,
    primary_need: str,
    version: int,
) -> CinEpisode:
    """Write the closure (CINclosureDate, ReasonForClosure) and stop the clocks it stops. Private: the only
    way a case closes is a manager approving a closure request (``closure.closure_decide``), which has
    checked ``closure_errors`` in the same transaction. Runs inside the caller's transaction."""
    _guarded_update(
        episode,
        version=version,
        actor=closed_by,
        closure_date=closure_date,
        closure_reason=reason,
        referral_nfa=referral_nfa,
        primary_need=primary_need,
    )
    audit_event_record(
        actor=closed_by,
        action="cin_episode.closed",
        entity=episode,
        child=episode.child,
        changes={"closure_date": [None, closure_date.isoformat()], "closure_reason": [None, reason]},
    )
    event = "child.died" if reason == CLOSED_CHILD_DIED else "cin_episode.closed"
    compliance_event(event=event, child=episode.child, on=closure_date, actor=closed_by)
    return episode


def _latest_activity(episode: CinEpisode) -> datetime.date:
    """The last day anything inside the episode happened (four small aggregate queries)."""
    days = [episode.referral_date]
    for rows, fields in (
        (episode.assessments.exclude(status=AssessmentStatus.WITHDRAWN), ("start_date", "authorised_on")),
        (episode.s47_enquiries, ("start_date", "concluded_on")),
        (episode.cin_plans, ("start_date", "end_date")),
        (episode.cp_plans, ("start_date", "end_date")),
    ):
        found = rows.aggregate(**{name: models.Max(name) for name in fields})
        days += [day for day in found.values() if day is not None]
    return max(days)


def _alive_on(errors: dict, field: str, child: Child, day: datetime.date, what: str) -> None:
    """Nothing starts after a child's death (CIN census 4008, 8915)."""
    died = child.person.date_of_death
    if died is not None and day > died:
        errors[field] = f"{what} cannot start after the child's death on {died:%-d %B %Y}"


def _open_episode(episode: CinEpisode) -> None:
    if not episode.is_open:
        raise ValidationError("This child in need episode is closed: reopen the case first")


# -- assessments ----------------------------------------------------------------------------------------------


def assessment_start(*, episode: CinEpisode, started_by, start_date: datetime.date) -> Assessment:
    """Start a single assessment. One open assessment per child (CIN census 8896)."""
    _require(may_record(started_by, episode.child), "You cannot change this child's record")
    _open_episode(episode)
    errors: dict = {}
    if start_date < episode.referral_date:
        errors["start_date"] = "The assessment cannot start before the referral"
    _not_future(errors, "start_date", start_date, "the start")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(episode.child_id):
        # two people starting one at once: the constraint (8896) decides
        assessment = create_once(
            Assessment,
            "This child already has an assessment in progress: finish that one first",
            episode=episode,
            child=episode.child,
            start_date=start_date,
            created_by=started_by,
            modified_by=started_by,
        )
        audit_event_record(
            actor=started_by,
            action="assessment.started",
            entity=assessment,
            child=episode.child,
            changes={"start_date": [None, start_date.isoformat()]},
        )
        compliance_event(
            event="assessment.started",
            child=episode.child,
            on=start_date,
            scope=episode,
            actor=started_by,
            team=episode.team,
            area=episode.area,
        )
    return assessment


def validate_factors(factors: Iterable[str], on: datetime.date) -> list[str]:
    """Assessment factors must be codes valid on the day; "21" (no factors) stands alone (8869)."""
    factors = list(dict.fromkeys(factors))
    valid = codes_valid_on("assessment_factor", on)
    unknown = [code for code in factors if code not in valid]
    if unknown:
        raise ValidationError({"factors": f"These are not assessment factor codes: {', '.join(unknown)}"})
    if NO_FACTORS in factors and len(factors) > 1:
        raise ValidationError(
            {"factors": "“No factors identified” cannot be chosen with other factors (CIN census rule 8869)"}
        )
    return factors


def assessment_update(
    *,
    assessment: Assessment,
    updated_by,
    version: int,
    child_seen_on: datetime.date | None,
    factors: Iterable[str],
    analysis: str,
    outcome: str,
) -> Assessment:
    _require(may_record(updated_by, assessment.child), "You cannot change this child's record")
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError("Only an assessment in progress can be changed")
    errors: dict = {}
    if child_seen_on is not None and child_seen_on < assessment.start_date:
        errors["child_seen_on"] = "The child was seen for this assessment on or after its start"
    _not_future(errors, "child_seen_on", child_seen_on, "the visit")
    if outcome and outcome not in AssessmentOutcome.values:
        errors["outcome"] = "Choose the outcome of the assessment"
    try:
        factors = validate_factors(factors, assessment.start_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    _raise(errors)
    before = Assessment(
        **{f.attname: getattr(assessment, f.attname) for f in Assessment._meta.concrete_fields}
    )
    with transaction.atomic():
        _guarded_update(
            assessment,
            version=version,
            actor=updated_by,
            child_seen_on=child_seen_on,
            factors=factors,
            analysis=analysis.strip(),
            outcome=outcome,
        )
        audit_event_record(
            actor=updated_by,
            action="assessment.updated",
            entity=assessment,
            child=assessment.child,
            changes=changes_between(before, assessment, ["child_seen_on", "factors", "analysis", "outcome"]),
        )
    return assessment


def assessment_submit(
    *, assessment: Assessment, submitted_by, version: int, on: datetime.date | None = None
) -> Assessment:
    """Submit for a manager's authorisation: the child seen, factors, analysis and outcome all recorded."""
    _require(may_record(submitted_by, assessment.child), "You cannot change this child's record")
    on = on or timezone.localdate()
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError("Only an assessment in progress can be submitted")
    errors: dict = {}
    if assessment.child_seen_on is None:
        errors["child_seen_on"] = "Record when the child was seen: an assessment is not complete without it"
    if not assessment.factors:
        errors["factors"] = "Choose the factors identified, or “No factors identified”"
    if not assessment.analysis:
        errors["analysis"] = "Write the analysis of risk and need"
    if not assessment.outcome:
        errors["outcome"] = "Choose the outcome of the assessment"
    if on < assessment.start_date:
        errors["submitted_on"] = "The assessment cannot be submitted before it started"
    _raise(errors)
    with transaction.atomic():
        _guarded_update(
            assessment,
            version=version,
            actor=submitted_by,
            status=AssessmentStatus.SUBMITTED,
            submitted_on=on,
            submitted_by=submitted_by,
        )
        audit_event_record(
            actor=submitted_by,
            action="assessment.submitted",
            entity=assessment,
            child=assessment.child,
            changes={"status": [AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED]},
        )
    return assessment


def assessment_return(*, assessment: Assessment, returned_by, version: int, reason: str) -> Assessment:
    """A manager sends a submitted assessment back for more work, saying why: the decision's rationale. An
    assessment may go back more than once, so each return and its reasons is kept in the audit log (the
    assessment page's history shows them all), not in a column the next return would overwrite."""
    _require(may_authorise(returned_by, assessment.child), "Only the team's manager returns an assessment")
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned")
    if not reason.strip():
        raise ValidationError({"reason": "Say what more the assessment needs"})
    with transaction.atomic():
        _guarded_update(
            assessment,
            version=version,
            actor=returned_by,
            status=AssessmentStatus.IN_PROGRESS,
            submitted_on=None,
        )
        audit_event_record(
            actor=returned_by,
            action="assessment.returned",
            entity=assessment,
            child=assessment.child,
            changes={"status": [AssessmentStatus.SUBMITTED, AssessmentStatus.IN_PROGRESS]},
            reason=reason.strip(),
        )
    return assessment


def assessment_withdraw(*, assessment: Assessment, withdrawn_by, version: int, reason: str) -> Assessment:
    """A manager withdraws an assessment started in error or no longer needed (the child moved away before it
    began), saying why. Its own 45 working day clock stops; the referral's does not."""
    _require(may_authorise(withdrawn_by, assessment.child), "Only the team's manager withdraws an assessment")
    if not assessment.is_open:
        raise ValidationError("Only an assessment in progress or submitted can be withdrawn")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the assessment is withdrawn"})
    before = assessment.status
    with transaction.atomic():
        _guarded_update(
            assessment,
            version=version,
            actor=withdrawn_by,
            status=AssessmentStatus.WITHDRAWN,
            withdrawn_reason=reason.strip(),
        )
        audit_event_record(
            actor=withdrawn_by,
            action="assessment.withdrawn",
            entity=assessment,
            child=assessment.child,
            changes={"status": [before, AssessmentStatus.WITHDRAWN]},
            reason=reason.strip(),
        )
        compliance_event(
            event="assessment.withdrawn",
            child=assessment.child,
            on=timezone.localdate(),
            scope=assessment.episode,
            actor=withdrawn_by,
        )
    return assessment


def assessment_authorise(
    *,
    assessment: Assessment,
    authorised_by,
    version: int,
    primary_need: str,
    rationale: str,
    on: datetime.date | None = None,
) -> Assessment:
    """A manager authorises the assessment (AssessmentAuthorisationDate), with their reasons: the submission
    is the request, this is the decision, and like every management decision it records why (issue 5;
    Working Together 2023 ch.3: the manager's oversight of the analysis and the decision). The rationale is
    kept on the assessment and in the audit log. This meets both 45 working day clocks. The episode's
    primary need is set here (CIN census 8610: a need code unless the referral was no further action)."""
    _require(
        may_authorise(authorised_by, assessment.child), "Only a team manager or head of service authorises"
    )
    on = on or timezone.localdate()
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be authorised")
    errors: dict = {}
    if primary_need not in codes_valid_on("primary_need", on):
        errors["primary_need"] = "Choose the child's primary need"
    if not rationale.strip():
        errors["rationale"] = "Give your reasons for authorising the assessment"
    if on < assessment.submitted_on:
        errors["authorised_on"] = "The assessment cannot be authorised before it was submitted"
    _not_future(errors, "authorised_on", on, "authorisation")
    _raise(errors)
    episode = assessment.episode
    with transaction.atomic(), record_checks.no_new_problems(assessment.child_id):
        _guarded_update(
            assessment,
            version=version,
            actor=authorised_by,
            status=AssessmentStatus.AUTHORISED,
            authorised_on=on,
            authorised_by=authorised_by,
            authorisation_rationale=rationale.strip(),
        )
        CinEpisode.objects.filter(pk=episode.pk).update(primary_need=primary_need)
        episode.primary_need = primary_need
        audit_event_record(
            actor=authorised_by,
            action="assessment.authorised",
            entity=assessment,
            child=assessment.child,
            changes={
                "status": [AssessmentStatus.SUBMITTED, AssessmentStatus.AUTHORISED],
                "authorised_on": [None, on.isoformat()],
                "primary_need": [None, primary_need],
            },
            reason=rationale.strip(),
        )
        compliance_event(
            event="assessment.authorised", child=assessment.child, on=on, scope=episode, actor=authorised_by
        )
    return assessment


# -- child in need plans --------------------------------------------------------------------------------------


def _validate_period(errors: dict, field: str, text: str) -> None:
    if text:
        try:
            Period.parse(text)
        except ValueError:
            errors[field] = "Enter a number and a unit, for example “3 months” or “10 working_days”"


def cin_plan_start(
    *, episode: CinEpisode, started_by, start_date: datetime.date, summary: str, review_every: str = ""
) -> CinPlan:
    """Start a child in need plan. Not while a child protection plan is open (CIN census 4001)."""
    _require(may_record(started_by, episode.child), "You cannot change this child's record")
    _open_episode(episode)
    errors: dict = {}
    if start_date < episode.referral_date:
        errors["start_date"] = "The plan cannot start before the referral"
    _not_future(errors, "start_date", start_date, "the start")
    if CPPlan.objects.filter(child=episode.child, end_date__isnull=True).exists():
        errors["start_date"] = (
            "The child is on a child protection plan: a child in need plan cannot run alongside it"
        )
    _alive_on(errors, "start_date", episode.child, start_date, "A child in need plan")
    if not summary.strip():
        errors["summary"] = "Say what the plan is for"
    _validate_period(errors, "review_every", review_every)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(episode.child_id):
        plan = create_once(
            CinPlan,
            "This child already has a child in need plan",
            episode=episode,
            child=episode.child,
            start_date=start_date,
            summary=summary.strip(),
            review_every=review_every,
            created_by=started_by,
            modified_by=started_by,
        )
        audit_event_record(
            actor=started_by,
            action="cin_plan.started",
            entity=plan,
            child=episode.child,
            changes={"start_date": [None, start_date.isoformat()]},
        )
        compliance_event(
            event="cin_plan.started",
            child=episode.child,
            on=start_date,
            scope=plan,
            actor=started_by,
            team=episode.team,
            area=episode.area,
        )
    return plan


def cin_plan_review_record(
    *, plan: CinPlan, recorded_by, held_on: datetime.date, summary: str
) -> CinPlanReview:
    _require(may_record(recorded_by, plan.child), "You cannot change this child's record")
    errors: dict = {}
    if plan.end_date is not None:
        errors["held_on"] = "This plan has ended"
    elif held_on < plan.start_date:
        errors["held_on"] = "A review cannot be before the plan started"
    _not_future(errors, "held_on", held_on, "the review")
    if not summary.strip():
        errors["summary"] = "Summarise the review"
    _raise(errors)
    with transaction.atomic():
        review = CinPlanReview.objects.create(
            plan=plan, child=plan.child, held_on=held_on, summary=summary.strip(), created_by=recorded_by
        )
        audit_event_record(
            actor=recorded_by,
            action="cin_plan.reviewed",
            entity=review,
            child=plan.child,
            changes={"held_on": [None, held_on.isoformat()]},
        )
        compliance_event(
            event="cin_plan_review.held", child=plan.child, on=held_on, scope=plan, actor=recorded_by
        )
    return review


def cin_plan_end(
    *, plan: CinPlan, ended_by, end_date: datetime.date, version: int, reason: str = ""
) -> CinPlan:
    _require(may_record(ended_by, plan.child), "You cannot change this child's record")
    errors: dict = {}
    if plan.end_date is not None:
        raise ValidationError("This plan has already ended")
    if end_date < plan.start_date:
        errors["end_date"] = "The plan cannot end before it started"
    _not_future(errors, "end_date", end_date, "the end")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(plan.child_id):
        _end_cin_plan(plan, ended_by=ended_by, end_date=end_date, version=version, reason=reason)
    return plan


def _end_cin_plan(plan: CinPlan, *, ended_by, end_date: datetime.date, version: int, reason: str) -> None:
    _guarded_update(plan, version=version, actor=ended_by, end_date=end_date)
    audit_event_record(
        actor=ended_by,
        action="cin_plan.ended",
        entity=plan,
        child=plan.child,
        changes={"end_date": [None, end_date.isoformat()]},
        reason=reason,
    )
    compliance_event(event="cin_plan.ended", child=plan.child, on=end_date, scope=plan, actor=ended_by)


# -- strategy discussions and section 47 enquiries ----------------------------------------------------------


def strategy_discussion_record(
    *,
    episode: CinEpisode,
    recorded_by,
    held_on: datetime.date,
    participants: str,
    concerns: str,
    outcome: str,
) -> StrategyDiscussion:
    """Record a strategy discussion. If it decides on a section 47 enquiry, the enquiry starts that day and
    the initial conference is due 15 working days later (WT 2023 ch.3). One open enquiry per child (8839)."""
    child = episode.child
    _require(may_record(recorded_by, child), "You cannot change this child's record")
    _open_episode(episode)
    errors: dict = {}
    if held_on < episode.referral_date:
        errors["held_on"] = "The strategy discussion cannot be before the referral"
    _not_future(errors, "held_on", held_on, "the discussion")
    if not participants.strip():
        errors["participants"] = "Say who took part, and for which agency"
    if not concerns.strip():
        errors["concerns"] = "Record what is known and the concerns"
    if outcome not in StrategyOutcome.values:
        errors["outcome"] = "Choose whether a section 47 enquiry starts"
    if (
        outcome == StrategyOutcome.SECTION_47
        and S47Enquiry.objects.filter(child=child, concluded_on__isnull=True).exists()
    ):
        errors["outcome"] = "A section 47 enquiry is already open for this child: conclude it first"
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(episode.child_id):
        discussion = StrategyDiscussion.objects.create(
            episode=episode,
            child=child,
            held_on=held_on,
            participants=participants.strip(),
            concerns=concerns.strip(),
            outcome=outcome,
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="strategy_discussion.held",
            entity=discussion,
            child=child,
            changes={"held_on": [None, held_on.isoformat()], "outcome": [None, outcome]},
        )
        compliance_event(
            event="strategy_discussion.held", child=child, on=held_on, scope=episode, actor=recorded_by
        )
        if outcome == StrategyOutcome.SECTION_47:
            enquiry = S47Enquiry.objects.create(
                episode=episode,
                child=child,
                strategy_discussion=discussion,
                start_date=held_on,
                created_by=recorded_by,
                modified_by=recorded_by,
            )
            audit_event_record(
                actor=recorded_by,
                action="s47.started",
                entity=enquiry,
                child=child,
                changes={"start_date": [None, held_on.isoformat()]},
            )
            compliance_event(
                event="s47.started",
                child=child,
                on=held_on,
                scope=enquiry,
                actor=recorded_by,
                team=episode.team,
                area=episode.area,
            )
    return discussion


def s47_conclude(
    *,
    enquiry: S47Enquiry,
    concluded_by,
    version: int,
    concluded_on: datetime.date,
    outcome: str,
    findings: str,
) -> S47Enquiry:
    """Conclude an enquiry: an initial conference is needed, or not (ICPCnotRequired)."""
    _require(may_record(concluded_by, enquiry.child), "You cannot change this child's record")
    if not enquiry.is_open:
        raise ValidationError("This enquiry has already been concluded")
    errors: dict = {}
    if outcome not in S47Outcome.values:
        errors["outcome"] = "Choose whether an initial child protection conference is needed"
    if concluded_on < enquiry.start_date:
        errors["concluded_on"] = "The enquiry cannot conclude before it started"
    _not_future(errors, "concluded_on", concluded_on, "the conclusion")
    if not findings.strip():
        errors["findings"] = "Record what the enquiry found"
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(enquiry.child_id):
        _guarded_update(
            enquiry,
            version=version,
            actor=concluded_by,
            concluded_on=concluded_on,
            outcome=outcome,
            findings=findings.strip(),
        )
        audit_event_record(
            actor=concluded_by,
            action="s47.concluded",
            entity=enquiry,
            child=enquiry.child,
            changes={"concluded_on": [None, concluded_on.isoformat()], "outcome": [None, outcome]},
        )
        if outcome == S47Outcome.NO_CONFERENCE:
            compliance_event(
                event="s47.no_conference",
                child=enquiry.child,
                on=concluded_on,
                scope=enquiry,
                actor=concluded_by,
            )
    return enquiry


# -- conferences and child protection plans -----------------------------------------------------------------


def _validate_category(errors: dict, category: str, on: datetime.date) -> None:
    if category not in codes_valid_on("abuse_category", on):
        errors["category"] = "Choose the category of abuse"


def _validate_chair(errors: dict, chair: Worker | None) -> None:
    if not may_chair(chair):
        errors["chair"] = "Choose the independent chair (an IRO or child protection chair)"


def initial_conference_record(
    *,
    enquiry: S47Enquiry,
    recorded_by,
    held_on: datetime.date,
    chair: Worker,
    decision: str,
    category: str = "",
    summary: str = "",
    visit_every: str = "",
) -> ChildProtectionConference:
    """Record the initial child protection conference an enquiry led to. A plan decision starts the child
    protection plan that day (CIN census 2885: CPPstartDate = DateOfInitialCPC), with its category; any
    child in need plan ends the same day (4001: the two never run together)."""
    child = enquiry.child
    _require(may_record(recorded_by, child), "You cannot change this child's record")
    errors: dict = {}
    if enquiry.outcome != S47Outcome.CONFERENCE:
        errors["held_on"] = "Conclude the section 47 enquiry with “conference needed” first"
    elif held_on < enquiry.start_date:
        errors["held_on"] = "The conference cannot be before the strategy discussion"
    if ChildProtectionConference.objects.filter(s47=enquiry).exists():
        errors["held_on"] = "The initial conference for this enquiry is already recorded"
    elif held_on.weekday() >= SATURDAY:
        errors["held_on"] = "An initial conference is not held at a weekend: check the date (CIN census 8875)"
    _not_future(errors, "held_on", held_on, "the conference")
    _validate_chair(errors, chair)
    if decision not in (ConferenceDecision.PLAN, ConferenceDecision.NO_PLAN):
        errors["decision"] = "Choose whether the child needs a child protection plan"
    if decision == ConferenceDecision.PLAN:
        _validate_category(errors, category, held_on)
        _alive_on(errors, "held_on", child, held_on, "A child protection plan")
        _validate_period(errors, "visit_every", visit_every)
        if CPPlan.objects.filter(child=child, end_date__isnull=True).exists():
            errors["decision"] = "The child is already on a child protection plan"
    _raise(errors)
    episode = enquiry.episode
    with transaction.atomic(), record_checks.no_new_problems(enquiry.child_id):
        conference = ChildProtectionConference.objects.create(
            episode=episode,
            child=child,
            kind=ConferenceKind.INITIAL,
            s47=enquiry,
            held_on=held_on,
            chair=chair,
            decision=decision,
            category=category if decision == ConferenceDecision.PLAN else "",
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="icpc.held",
            entity=conference,
            child=child,
            changes={"held_on": [None, held_on.isoformat()], "decision": [None, decision]},
        )
        compliance_event(event="icpc.held", child=child, on=held_on, scope=enquiry, actor=recorded_by)
        if decision == ConferenceDecision.PLAN:
            for cin_plan in CinPlan.objects.filter(child=child, end_date__isnull=True):
                _end_cin_plan(
                    cin_plan,
                    ended_by=recorded_by,
                    end_date=held_on,
                    version=cin_plan.version,
                    reason="A child protection plan started",
                )
            plan = CPPlan.objects.create(
                episode=episode,
                child=child,
                initial_conference=conference,
                start_date=held_on,
                initial_category=category,
                latest_category=category,
                visit_every=visit_every,
                created_by=recorded_by,
                modified_by=recorded_by,
            )
            audit_event_record(
                actor=recorded_by,
                action="cp_plan.started",
                entity=plan,
                child=child,
                changes={"start_date": [None, held_on.isoformat()], "initial_category": [None, category]},
            )
            compliance_event(
                event="cp_plan.started",
                child=child,
                on=held_on,
                scope=plan,
                actor=recorded_by,
                team=episode.team,
                area=episode.area,
            )
    return conference


def review_conference_record(
    *,
    plan: CPPlan,
    recorded_by,
    version: int,
    held_on: datetime.date,
    chair: Worker,
    decision: str,
    category: str = "",
    summary: str = "",
) -> ChildProtectionConference:
    """Record a review conference (CPPreviewDate). It may change the latest category, or end the plan.

    ``version`` is the plan's, as the user read it: a plan changed meanwhile (another review recorded) is
    not silently changed again."""
    child = plan.child
    _require(may_record(recorded_by, child), "You cannot change this child's record")
    errors: dict = {}
    if not plan.is_open:
        errors["held_on"] = "This plan has ended"
    elif held_on <= plan.start_date:
        errors["held_on"] = "A review conference is after the initial conference"
    _not_future(errors, "held_on", held_on, "the conference")
    _validate_chair(errors, chair)
    if decision not in (ConferenceDecision.CONTINUE, ConferenceDecision.END):
        errors["decision"] = "Choose whether the plan continues or ends"
    if category:
        _validate_category(errors, category, held_on)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(plan.child_id):
        values = {"latest_category": category} if category and category != plan.latest_category else {}
        if decision == ConferenceDecision.END:
            values.update(end_date=held_on, end_reason=summary.strip() or "Ended at review conference")
        # Even with nothing to change on the plan, the version moves: a second review recorded from the same
        # page is refused rather than entered twice.
        _guarded_update(plan, version=version, actor=recorded_by, **values)
        conference = ChildProtectionConference.objects.create(
            episode=plan.episode,
            child=child,
            kind=ConferenceKind.REVIEW,
            plan=plan,
            held_on=held_on,
            chair=chair,
            decision=decision,
            category=category,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="cp_review.held",
            entity=conference,
            child=child,
            changes={"held_on": [None, held_on.isoformat()], "decision": [None, decision]},
        )
        compliance_event(event="cp_review.held", child=child, on=held_on, scope=plan, actor=recorded_by)
        if decision == ConferenceDecision.END:
            audit_event_record(
                actor=recorded_by,
                action="cp_plan.ended",
                entity=plan,
                child=child,
                changes={"end_date": [None, held_on.isoformat()]},
            )
            compliance_event(event="cp_plan.ended", child=child, on=held_on, scope=plan, actor=recorded_by)
    return conference


def core_group_record(
    *, plan: CPPlan, recorded_by, held_on: datetime.date, summary: str = ""
) -> CoreGroupMeeting:
    _require(may_record(recorded_by, plan.child), "You cannot change this child's record")
    errors: dict = {}
    if not plan.is_open:
        errors["held_on"] = "This plan has ended"
    elif held_on < plan.start_date:
        errors["held_on"] = "A core group meets after the plan starts"
    _not_future(errors, "held_on", held_on, "the meeting")
    _raise(errors)
    with transaction.atomic():
        meeting = CoreGroupMeeting.objects.create(
            plan=plan, child=plan.child, held_on=held_on, summary=summary.strip(), created_by=recorded_by
        )
        audit_event_record(
            actor=recorded_by,
            action="core_group.held",
            entity=meeting,
            child=plan.child,
            changes={"held_on": [None, held_on.isoformat()]},
        )
        compliance_event(event="core_group.held", child=plan.child, on=held_on, scope=plan, actor=recorded_by)
    return meeting


# -- visits ---------------------------------------------------------------------------------------------------


def visit_record(
    *,
    child: Child,
    recorded_by,
    visited_on: datetime.date,
    location: str,
    child_seen: bool,
    seen_alone: bool,
    summary: str,
    visited_by: Worker | None = None,
) -> Visit:
    """Record a visit. One in which the child was seen meets whichever statutory visit was due (a child
    protection visit, a looked-after visit under CPPCR 2010 reg 28, a personal adviser's visit) and starts
    the clock for the next."""
    _require(may_record(recorded_by, child), "You cannot change this child's record")
    visited_by = visited_by or getattr(recorded_by, "worker", None)
    errors: dict = {}
    if visited_by is None:
        errors["visited_by"] = "Say who visited"
    if location not in VisitLocation.values:
        errors["location"] = "Choose where the visit took place"
    if seen_alone and not child_seen:
        errors["seen_alone"] = "A child seen alone was seen: tick “child seen” too"
    if not summary.strip():
        errors["summary"] = "Record what was seen, heard and done"
    _not_future(errors, "visited_on", visited_on, "the visit")
    _raise(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            child=child,
            visited_on=visited_on,
            visited_by=visited_by,
            location=location,
            child_seen=child_seen,
            seen_alone=seen_alone,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="visit.recorded",
            entity=visit,
            child=child,
            changes=changes_between(None, visit, ["visited_on", "location", "child_seen", "seen_alone"]),
        )
        if child_seen:
            compliance_event(event="visit.child_seen", child=child, on=visited_on, actor=recorded_by)
    return visit
