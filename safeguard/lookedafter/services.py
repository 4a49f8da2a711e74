"""Every change to a looked-after child's or a care leaver's record.

As in casework: each service checks who is acting, validates (including the SSDA903 rules that can be
checked as the data is entered, ``lookedafter.rules``), runs in one transaction, guards its transition
against a concurrent one (the ``version`` the user read, ``casework.services._guarded_update``), writes its
own ``AuditEvent``, and raises the compliance events named in ``compliance/data/duties.csv``. Nothing
happens in a signal.

Every looked-after deadline belongs to the period of care (its ``scope``), so ending the period stops them
all; a return interview's belongs to the missing episode it follows. Care leaving deadlines belong to the
care leaver record. Visits are casework's (``casework.services.visit_record``): a visit in which the child
was seen meets the looked-after or personal adviser visit that was due.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.casework.services import (
    VersionConflict,
    _guarded_update,
    _not_future,
    _raise,
    _require,
    create_once,
)
from safeguard.compliance.services import compliance_event
from safeguard.core import record_checks
from safeguard.core.calendar import add_calendar_months
from safeguard.core.reference import codes_valid_on
from safeguard.core.years import CollectionYear
from safeguard.lookedafter import rules
from safeguard.lookedafter.models import (
    Adoption,
    AnnualOutcome,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    CareLeaverEndReason,
    CareLeaverStatus,
    DeprivationOfLiberty,
    HealthAssessment,
    HealthCheckKind,
    LacEpisode,
    LacPlan,
    LacPlanKind,
    LacReview,
    MissingEpisode,
    MissingKind,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
    UascEndReason,
    UascStatus,
    convictions_apply,
    placements_of,
    sdq_age_reason_allowed,
    sdq_applies,
)
from safeguard.lookedafter.policies import may_record
from safeguard.organisation.models import Allocation, AllocationRole, Worker
from safeguard.people.models import Child

CANNOT_CHANGE = "You cannot change this child's record"
LAC_NEED_CODES = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"})  # SSDA903 rule 145
UNDER_FOUR_PARTICIPATION = "PN0"  # rules 440 and 441
ELIGIBILITY_WEEKS = 13  # CPPCR 2010 reg 40(1): 13 weeks looked after since 14, ending after 16
# The fields of an episode that a later episode may keep (a legal status change keeps the placement), and
# those of them that may be corrected without a new episode.
DETAIL_FIELDS = ["provider_name", "home_postcode", "placement_postcode", "urn", "long_term"]
PLACEMENT_FIELDS = ["placement_type", "placement_provider", *DETAIL_FIELDS]
EPISODE_FIELDS = ["start_date", "reason_new_episode", "legal_status", "need_code", *PLACEMENT_FIELDS]
# Care leaver status changes the law allows: an eligible child leaves care (relevant) or turns 18 (former
# relevant); a relevant child turns 18. A qualifying care leaver stays qualifying.
STATUS_CHANGES = {
    CareLeaverStatus.ELIGIBLE: {CareLeaverStatus.RELEVANT, CareLeaverStatus.FORMER_RELEVANT},
    CareLeaverStatus.RELEVANT: {CareLeaverStatus.FORMER_RELEVANT},
    CareLeaverStatus.FORMER_RELEVANT: set(),
    CareLeaverStatus.QUALIFYING: set(),
}
# The needs assessment is owed to an eligible or relevant child (CPPCR 2010 reg 42; CLR 2010 reg 5).
NEEDS_ASSESSMENT_OWED = {CareLeaverStatus.ELIGIBLE, CareLeaverStatus.RELEVANT}


def _responsible(child: Child):
    """The team (and its area) that answers for the child's new deadlines: their allocated worker's."""
    allocation = (
        Allocation.objects.current()
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("team__area")
        .first()
    )
    return (allocation.team, allocation.team.area) if allocation else (None, None)


def _age(child: Child, on: datetime.date) -> int | None:
    return child.person.age_on(on)


def _code(errors: dict, field: str, value: str, code_set: str, on: datetime.date, what: str) -> None:
    """``value`` must be a code of ``code_set`` in use on ``on`` (code lists change by collection year)."""
    if not value:
        errors[field] = f"Choose the {what}"
    elif value not in codes_valid_on(code_set, on):
        errors[field] = f"{value} is not a code in use on {on:%-d %B %Y}: choose the {what}"


def _in_period(errors: dict, field: str, period: PeriodOfCare, day: datetime.date, what: str) -> None:
    if day < period.start_date:
        errors[field] = (
            f"The {what} cannot be before the child became looked after, on {period.start_date:%-d %B %Y}"
        )
    elif period.end_date is not None and day > period.end_date:
        errors[field] = (
            f"The {what} cannot be after the child ceased to be looked after, on {period.end_date:%-d %B %Y}"
        )


def _open_period(period: PeriodOfCare) -> None:
    if not period.is_open:
        raise ValidationError("The child is no longer looked after: this period of care has ended")


def _current_episode(period: PeriodOfCare, version: int) -> LacEpisode:
    """The period's open episode, if it is still at the ``version`` the user read.

    An episode's version carries on from the one before it (``_next_episode``), so a page read before a
    change of placement or legal status is out of date for the episode that change began too: the second
    person to save is told what the record now says, and nothing is overwritten.
    """
    episode = period.episodes.open().select_related("modified_by").first()
    if episode is None:  # a period is open exactly while its last episode is
        raise ValidationError("This period of care has no current episode")
    if episode.version != version:
        who = episode.modified_by.get_full_name() if episode.modified_by else "Someone else"
        when = timezone.localtime(episode.modified_at).strftime("%-d %B %Y at %H:%M")
        raise VersionConflict(
            f"{who} changed the child's placement or legal status on {when}, after you opened this page. "
            f"It is now: {episode.placement_type_label} ({episode.placement_type}) since "
            f"{episode.start_date:%-d %B %Y}, {episode.legal_status_label} ({episode.legal_status}). "
            "Your changes have not been saved: read theirs, then make yours again."
        )
    return episode


def _placement_fields(
    *,
    placement_type: str,
    placement_provider: str,
    provider_name: str,
    placement_postcode: str,
    home_postcode: str,
    urn: str,
    long_term: bool,
) -> dict:
    return {
        "placement_type": placement_type,
        "placement_provider": placement_provider.strip(),
        "provider_name": provider_name.strip(),
        "placement_postcode": rules.normalise_postcode(placement_postcode),
        "home_postcode": rules.normalise_postcode(home_postcode),
        "urn": urn.strip().upper(),
        "long_term": bool(long_term),
    }


def _check_placement(errors: dict, values: dict, on: datetime.date, age: int | None) -> None:
    _code(errors, "placement_type", values["placement_type"], "placement_type", on, "placement type")  # 146
    if values["placement_provider"]:  # 178
        _code(
            errors, "placement_provider", values["placement_provider"], "placement_provider", on, "provider"
        )
    for field, message in rules.check_placement(
        place=values["placement_type"],
        provider=values["placement_provider"],
        urn=values["urn"],
        placement_postcode=values["placement_postcode"],
        home_postcode=values["home_postcode"],
        age=age,
    ).items():
        errors.setdefault(field, message)
    if values["long_term"] and rules.is_temporary(values["placement_type"]):
        errors.setdefault("long_term", "A temporary placement is not intended to last until 18")


def _check_legal_status(
    errors: dict, legal_status: str, place: str, on: datetime.date, age: int | None, *, new: bool = True
) -> None:
    """A new legal status must be a code in use that day (rule 144); any must suit the placement and age."""
    if new:
        _code(errors, "legal_status", legal_status, "legal_status", on, "legal status")
    for field, message in rules.check_legal_status(legal_status=legal_status, place=place, age=age).items():
        errors.setdefault(field, message)


def _legal_status_began(period: PeriodOfCare, current: LacEpisode) -> datetime.date:
    """The day the current legal status began: the start of the run of episodes that kept it."""
    began = current.start_date
    for episode in period.episodes.filter(start_date__lte=current.start_date).order_by("-start_date"):
        if episode.legal_status != current.legal_status:
            break
        began = episode.start_date
    return began


def _check_overrun(
    errors: dict, field: str, period: PeriodOfCare, current: LacEpisode, on: datetime.date
) -> None:
    if current.legal_status in rules.LEGAL_STATUS_MAX_DAYS:
        message = rules.legal_status_overrun(current.legal_status, _legal_status_began(period, current), on)
        if message:
            errors.setdefault(field, message)


def _audit_episode(actor, episode: LacEpisode, action: str) -> None:
    audit_event_record(
        actor=actor,
        action=action,
        entity=episode,
        child=episode.child,
        changes=changes_between(None, episode, EPISODE_FIELDS),
    )


def _lac_event(event: str, *, period: PeriodOfCare, on: datetime.date, actor, scope=None) -> None:
    team, area = _responsible(period.child)
    compliance_event(
        event=event, child=period.child, on=on, scope=scope or period, actor=actor, team=team, area=area
    )


# -- periods of care and episodes -----------------------------------------------------------------------------


def period_of_care_start(
    *,
    child: Child,
    started_by,
    start_date: datetime.date,
    legal_status: str,
    need_code: str,
    placement_type: str,
    placement_provider: str = "",
    provider_name: str = "",
    placement_postcode: str = "",
    home_postcode: str = "",
    urn: str = "",
    long_term: bool = False,
    previous_permanence: str = "",
    previous_permanence_la: str = "",
    previous_permanence_on: datetime.date | None = None,
) -> PeriodOfCare:
    """The child starts to be looked after (Children Act 1989 s22(1)): a period of care and its first
    episode (RNE S, rule 357), and the clocks that starts: the care plan (CPPCR 2010 reg 4), the first review
    (reg 33), the initial health assessment (reg 7), the PEP, and for the first placement its plan (reg 9)
    and the visit within a week (reg 28). The previous permanence option (SSDA903 PrevPerm, rule 630) may be
    recorded with it, or later with ``previous_permanence_record``."""
    _require(may_record(started_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _not_future(errors, "start_date", start_date, "starting to be looked after")
    born = child.person.date_of_birth
    age = _age(child, start_date)
    if born is not None and start_date < born:  # 302
        errors["start_date"] = "A child cannot be looked after before they are born (SSDA903 rule 302)"
    elif age is not None and age >= 18:  # 352
        errors["start_date"] = (
            "A young person of 18 or over does not start to be looked after (SSDA903 rule 352)"
        )
    elif start_date < rules.EARLIEST_EPISODE:  # 353
        errors["start_date"] = "A period of care cannot start before 14 October 1991 (SSDA903 rule 353)"
    previous = PeriodOfCare.objects.filter(child=child).order_by("-start_date").first()
    if previous is not None and previous.is_open:
        errors["start_date"] = (
            f"The child is already looked after, since {previous.start_date:%-d %B %Y}: record a change of "
            "placement or legal status instead"
        )
    elif previous is not None and start_date <= previous.end_date:  # 431, 501
        errors["start_date"] = (
            f"The last period of care ended on {previous.end_date:%-d %B %Y}: a new one starts after it "
            "(SSDA903 rules 431 and 501)"
        )
    if need_code not in LAC_NEED_CODES or need_code not in codes_valid_on("primary_need", start_date):  # 145
        errors["need_code"] = "Choose the category of need, N1 to N8 (SSDA903 rule 145)"
    values = _placement_fields(
        placement_type=placement_type,
        placement_provider=placement_provider,
        provider_name=provider_name,
        placement_postcode=placement_postcode,
        home_postcode=home_postcode,
        urn=urn,
        long_term=long_term,
    )
    _check_placement(errors, values, start_date, age)
    if rules.is_temporary(placement_type):  # 380
        errors.setdefault(
            "placement_type", "A period of care cannot start with a temporary placement (SSDA903 rule 380)"
        )
    _check_legal_status(errors, legal_status, placement_type, start_date, age)
    permanence = {}
    if previous_permanence or previous_permanence_la or previous_permanence_on:
        permanence = _check_previous_permanence(
            errors,
            code=previous_permanence,
            la=previous_permanence_la,
            on=previous_permanence_on,
            started=start_date,
            born=born,
        )
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        # two people starting one at once: the constraint decides
        period = create_once(
            PeriodOfCare,
            "The child is already looked after: someone has just recorded it",
            child=child,
            start_date=start_date,
            created_by=started_by,
            modified_by=started_by,
            **permanence,
        )
        episode = LacEpisode.objects.create(
            period=period,
            child=child,
            start_date=start_date,
            reason_new_episode=rules.STARTED,
            legal_status=legal_status,
            need_code=need_code,
            created_by=started_by,
            modified_by=started_by,
            **values,
        )
        audit_event_record(
            actor=started_by,
            action="lac.started",
            entity=period,
            child=child,
            changes={"start_date": [None, start_date.isoformat()]},
        )
        _audit_episode(started_by, episode, "lac_episode.started")
        _lac_event("lac.started", period=period, on=start_date, actor=started_by)
        _lac_event("placement.started", period=period, on=start_date, actor=started_by)
    return period


def _next_episode(
    *,
    period: PeriodOfCare,
    current: LacEpisode,
    actor,
    version: int,
    on: datetime.date,
    reason_new_episode: str,
    reason_place_change: str,
    **values,
) -> LacEpisode:
    """End the current episode with X1 and begin the next the same day (SSDA903 rules 388, 433)."""
    _guarded_update(
        current,
        version=version,
        actor=actor,
        end_date=on,
        end_reason=rules.CONTINUES,
        reason_place_change=reason_place_change,
    )
    audit_event_record(
        actor=actor,
        action="lac_episode.ended",
        entity=current,
        child=current.child,
        changes={
            "end_date": [None, on.isoformat()],
            "end_reason": [None, rules.CONTINUES],
            **({"reason_place_change": [None, reason_place_change]} if reason_place_change else {}),
        },
    )
    episode = LacEpisode.objects.create(
        period=period,
        child=current.child,
        start_date=on,
        reason_new_episode=reason_new_episode,
        need_code=current.need_code,  # rule 504: the period's category of need
        version=current.version + 1,  # carries on: a page read before this change is out of date
        created_by=actor,
        modified_by=actor,
        **values,
    )
    _audit_episode(actor, episode, "lac_episode.started")
    return episode


def _check_change_date(errors: dict, field: str, current: LacEpisode, on: datetime.date) -> None:
    if on <= current.start_date:  # 355, 501
        errors[field] = (
            f"The change must be after the current episode began, on {current.start_date:%-d %B %Y}: to correct "
            "that episode, change its details (SSDA903 rules 355 and 501)"
        )
    _not_future(errors, field, on, "the change")


def lac_placement_change(
    *,
    period: PeriodOfCare,
    changed_by,
    version: int,
    on: datetime.date,
    placement_type: str,
    placement_provider: str = "",
    provider_name: str = "",
    placement_postcode: str = "",
    home_postcode: str | None = None,
    urn: str = "",
    long_term: bool = False,
    reason_place_change: str = "",
    same_carers: bool = False,
    legal_status: str = "",
) -> LacEpisode:
    """The child moves placement on ``on`` (and, if ``legal_status`` differs, their legal status changes the
    same day). The current episode ends with X1 and the reason for the change; the next begins with RNE P,
    T, U or B. A new placement starts its placement plan (CPPCR 2010 reg 9) and the visit within a week
    (reg 28(2)(a)), and ends those of the last. A temporary move (T0-T4), and the return from one to the usual
    placement (rule 383), is not a new placement: no clock restarts.

    ``version`` is the current episode's, as the user read it.
    """
    _require(may_record(changed_by, period.child), CANNOT_CHANGE)
    _open_period(period)
    current = _current_episode(period, version)
    child = period.child
    age = _age(child, on)
    errors: dict = {}
    _check_change_date(errors, "on", current, on)
    values = _placement_fields(
        placement_type=placement_type,
        placement_provider=placement_provider,
        provider_name=provider_name,
        placement_postcode=placement_postcode,
        home_postcode=current.home_postcode if home_postcode is None else home_postcode,
        urn=urn,
        long_term=long_term,
    )
    _check_placement(errors, values, on, age)
    legal_status = legal_status or current.legal_status
    legal_changed = legal_status != current.legal_status
    _check_legal_status(errors, legal_status, placement_type, on, age, new=legal_changed)
    if legal_changed:
        _check_overrun(errors, "legal_status", period, current, on)
    temporary_move = current.is_temporary or rules.is_temporary(placement_type)
    if current.is_temporary and not rules.is_temporary(placement_type):
        usual = list(placements_of(period.episodes.order_by("start_date")))[-1].settled
        if placement_type != usual.placement_type:  # 383
            errors.setdefault(
                "placement_type",
                f"After a temporary placement the child returns to their usual placement "
                f"({usual.placement_type_label}) (SSDA903 rule 383): record that, then any move",
            )
        # The same placement resumes: what it was intended to be does not lapse with the temporary move.
        values["long_term"] = values["long_term"] or usual.long_term
    if (
        placement_type not in DOLO_EXPECTED_PLACEMENTS
        and DeprivationOfLiberty.objects.filter(period=period, end_date__isnull=True).exists()
    ):  # 709, 710
        errors.setdefault(
            "placement_type",
            "A deprivation of liberty order is in force: while it is, the child is placed in a children's home "
            "(K2) or an other placement Z12 or Z13 (SSDA903 rules 709 and 710). Record the day it ended first",
        )
    reason_place_change = reason_place_change.strip()
    if temporary_move:
        if reason_place_change:  # 226
            errors["reason_place_change"] = (
                "Leave the reason blank for a temporary placement or the return from one (SSDA903 rule 226)"
            )
    elif not reason_place_change:  # 225
        errors["reason_place_change"] = "Choose the reason for the placement change (SSDA903 rule 225)"
    else:
        _code(  # 1009
            errors,
            "reason_place_change",
            reason_place_change,
            "reason_place_change",
            on,
            "reason for the change",
        )
        if reason_place_change == rules.CUSTODY_MOVE and age is not None and age < 10:  # 234
            errors["reason_place_change"] = (
                "A child under 10 cannot change placement because of custody (SSDA903 rule 234)"
            )
    _raise(errors)
    rne = rules.reason_for_new_episode(
        placement_changed=True,
        legal_status_changed=legal_changed,
        same_carers=same_carers,
        place=placement_type,
    )
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        episode = _next_episode(
            period=period,
            current=current,
            actor=changed_by,
            version=version,
            on=on,
            reason_new_episode=rne,
            reason_place_change=reason_place_change,
            legal_status=legal_status,
            **values,
        )
        if not temporary_move:
            _lac_event("placement.started", period=period, on=on, actor=changed_by)
    return episode


def lac_legal_status_change(
    *, period: PeriodOfCare, changed_by, version: int, on: datetime.date, legal_status: str
) -> LacEpisode:
    """The child's legal status changes (a care order made, an interim order renewed into a full one) while
    they stay where they are: a new episode with RNE L and the same placement (rule 434)."""
    _require(may_record(changed_by, period.child), CANNOT_CHANGE)
    _open_period(period)
    current = _current_episode(period, version)
    age = _age(period.child, on)
    errors: dict = {}
    _check_change_date(errors, "on", current, on)
    if legal_status == current.legal_status:  # 434
        errors["legal_status"] = f"The legal status is already {current.legal_status_label}"
    else:
        _check_legal_status(errors, legal_status, current.placement_type, on, age)
        _check_overrun(errors, "legal_status", period, current, on)
    _raise(errors)
    kept = {field: getattr(current, field) for field in PLACEMENT_FIELDS}
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        episode = _next_episode(
            period=period,
            current=current,
            actor=changed_by,
            version=version,
            on=on,
            reason_new_episode="L",
            reason_place_change="",
            legal_status=legal_status,
            **kept,
        )
    return episode


def lac_episode_update(
    *,
    episode: LacEpisode,
    updated_by,
    version: int,
    provider_name: str,
    placement_postcode: str,
    home_postcode: str,
    urn: str,
    long_term: bool,
) -> LacEpisode:
    """Correct or complete the current placement's details: the provider's name, postcodes, Ofsted URN, and
    whether the placement is now intended to last until the child is 18 (which lengthens visits to 3-monthly
    after its first year, CPPCR 2010 reg 28(2)(b)). Codes and dates change only by a new episode."""
    _require(may_record(updated_by, episode.child), CANNOT_CHANGE)
    if not episode.is_open:
        raise ValidationError("Only the current placement's details can be changed")
    values = _placement_fields(
        placement_type=episode.placement_type,
        placement_provider=episode.placement_provider,
        provider_name=provider_name,
        placement_postcode=placement_postcode,
        home_postcode=home_postcode,
        urn=urn,
        long_term=long_term,
    )
    errors: dict = {}
    _check_placement(errors, values, episode.start_date, _age(episode.child, episode.start_date))
    _raise(errors)
    changed = {name: values[name] for name in DETAIL_FIELDS}
    before = LacEpisode(**{f.attname: getattr(episode, f.attname) for f in LacEpisode._meta.concrete_fields})
    with transaction.atomic(), record_checks.no_new_problems(episode.child_id):
        _guarded_update(episode, version=version, actor=updated_by, **changed)
        audit_event_record(
            actor=updated_by,
            action="lac_episode.updated",
            entity=episode,
            child=episode.child,
            changes=changes_between(before, episode, list(changed)),
        )
    return episode


def period_of_care_end(
    *, period: PeriodOfCare, ended_by, version: int, end_date: datetime.date, reason: str
) -> PeriodOfCare:
    """The child ceases to be looked after: the last episode ends with the reason (REC), and so does the
    period; every looked-after deadline stops (``lac.ended``), and all the child's clocks if they died.

    ``version`` is the current episode's, as the user read it.
    """
    _require(may_record(ended_by, period.child), CANNOT_CHANGE)
    _open_period(period)
    current = _current_episode(period, version)
    child = period.child
    errors: dict = {}
    if end_date < current.start_date:  # 356
        errors["end_date"] = (
            f"The child cannot cease to be looked after before the current episode began, on {current.start_date:%-d %B %Y}"
        )
    _not_future(errors, "end_date", end_date, "ceasing to be looked after")
    if reason == rules.CONTINUES or reason not in codes_valid_on("reason_episode_ceased", end_date):  # 149
        errors["reason"] = "Choose why the child ceased to be looked after"
    else:
        for field, message in rules.check_ending(
            reason=reason, age=_age(child, end_date), last_place=current.placement_type
        ).items():
            errors.setdefault(field, message)
    if DeprivationOfLiberty.objects.filter(period=period, end_date__isnull=True).exists():  # 707
        errors.setdefault(
            "end_date",
            "A deprivation of liberty order is still in force: record the day it ended first (SSDA903 rule 707)",
        )
    if MissingEpisode.objects.filter(period=period, end_date__isnull=True).exists():  # 577
        errors.setdefault(
            "end_date", "The child is recorded as missing: record their return first (SSDA903 rule 577)"
        )
    later = [
        what
        for what, exists in (
            ("a review", period.reviews.filter(held_on__gt=end_date).exists()),
            ("a health assessment", period.health_assessments.filter(done_on__gt=end_date).exists()),
            ("a personal education plan", period.education_plans.filter(completed_on__gt=end_date).exists()),
            ("a missing episode", period.missing_episodes.filter(start_date__gt=end_date).exists()),
        )
        if exists
    ]
    if later:
        errors.setdefault("end_date", f"{', '.join(later).capitalize()} is recorded after this date")
    _check_overrun(errors, "end_date", period, current, end_date)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        _guarded_update(current, version=version, actor=ended_by, end_date=end_date, end_reason=reason)
        _guarded_update(period, version=period.version, actor=ended_by, end_date=end_date, end_reason=reason)
        audit_event_record(
            actor=ended_by,
            action="lac.ended",
            entity=period,
            child=child,
            changes={"end_date": [None, end_date.isoformat()], "end_reason": [None, reason]},
        )
        # Without a scope: the return interview clocks of the period's missing episodes stop too.
        compliance_event(event="lac.ended", child=child, on=end_date, actor=ended_by)
        if reason == rules.DIED:
            compliance_event(event="child.died", child=child, on=end_date, actor=ended_by)
    return period


# -- plans, reviews, health and education ---------------------------------------------------------------------


def _plan_record(
    *, period: PeriodOfCare, recorded_by, kind: str, completed_on: datetime.date, summary: str
) -> LacPlan:
    _require(may_record(recorded_by, period.child), CANNOT_CHANGE)
    _open_period(period)
    errors: dict = {}
    _not_future(errors, "completed_on", completed_on, "completion")
    _raise(errors)
    episode = None
    starts = period.start_date
    if kind == LacPlanKind.PLACEMENT_PLAN:
        placement = [p for p in placements_of(period.episodes.order_by("start_date"))][-1]
        episode, starts = placement.settled, placement.started_on
    plan_event = "care_plan.completed" if kind == LacPlanKind.CARE_PLAN else "placement_plan.completed"
    with transaction.atomic():
        plan = LacPlan.objects.create(
            period=period,
            child=period.child,
            kind=kind,
            episode=episode,
            completed_on=completed_on,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action=plan_event,
            entity=plan,
            child=period.child,
            changes={"completed_on": [None, completed_on.isoformat()]},
        )
        # A plan made before the placement (as the regulations prefer) is in place on its first day.
        _lac_event(plan_event, period=period, on=max(completed_on, starts), actor=recorded_by)
    return plan


def care_plan_complete(
    *, period: PeriodOfCare, recorded_by, completed_on: datetime.date, summary: str = ""
) -> LacPlan:
    """The care plan (CPPCR 2010 reg 4): before the first placement, or within 10 working days of it."""
    return _plan_record(
        period=period,
        recorded_by=recorded_by,
        kind=LacPlanKind.CARE_PLAN,
        completed_on=completed_on,
        summary=summary,
    )


def placement_plan_complete(
    *, period: PeriodOfCare, recorded_by, completed_on: datetime.date, summary: str = ""
) -> LacPlan:
    """The placement plan for the current placement (CPPCR 2010 reg 9): before it, or within 5 working days."""
    return _plan_record(
        period=period,
        recorded_by=recorded_by,
        kind=LacPlanKind.PLACEMENT_PLAN,
        completed_on=completed_on,
        summary=summary,
    )


def lac_review_record(
    *, period: PeriodOfCare, recorded_by, held_on: datetime.date, participation: str, summary: str = ""
) -> LacReview:
    """A looked-after review was held (CPPCR 2010 reg 33): it meets the review that was due and starts the
    clock for the next (20 working days, then 3 months, then 6 months)."""
    child = period.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _in_period(errors, "held_on", period, held_on, "review")
    _not_future(errors, "held_on", held_on, "the review")
    _code(errors, "participation", participation, "review_participation", held_on, "child's participation")
    age = _age(child, held_on)
    if "participation" not in errors and age is not None:
        if age < 4 and participation != UNDER_FOUR_PARTICIPATION:  # 441
            errors["participation"] = "The child was under 4 at the review: choose PN0 (SSDA903 rule 441)"
        elif age >= 4 and participation == UNDER_FOUR_PARTICIPATION:  # 440
            errors["participation"] = (
                "The child was 4 or over at the review: choose how they took part (SSDA903 rule 440)"
            )
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        review = create_once(
            LacReview,
            {"held_on": "A review on this day is already recorded"},
            period=period,
            child=child,
            held_on=held_on,
            participation=participation,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="lac_review.held",
            entity=review,
            child=child,
            changes={"held_on": [None, held_on.isoformat()], "participation": [None, participation]},
        )
        _lac_event("lac_review.held", period=period, on=held_on, actor=recorded_by)
    return review


def health_assessment_record(
    *, period: PeriodOfCare, recorded_by, kind: str, done_on: datetime.date, notes: str = ""
) -> HealthAssessment:
    """An initial or review health assessment (statutory guidance 2015: the initial within 20 working days of
    entering care; reviews 6-monthly under 5, yearly from 5), or a dental check (recorded for Annex A and
    SSDA903 OC2; it meets no deadline)."""
    child = period.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    if kind not in HealthCheckKind.values:
        errors["kind"] = "Choose the kind of health check"
    _in_period(errors, "done_on", period, done_on, "health check")
    _not_future(errors, "done_on", done_on, "the health check")
    initial = period.health_assessments.filter(kind=HealthCheckKind.INITIAL).first()
    if kind == HealthCheckKind.INITIAL and initial is not None:
        errors["kind"] = f"The initial health assessment was on {initial.done_on:%-d %B %Y}: this is a review"
    elif kind == HealthCheckKind.REVIEW and (initial is None or initial.done_on > done_on):
        errors["kind"] = "A review health assessment follows the initial one: record that first"
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        check = create_once(
            HealthAssessment,
            {"kind": "The initial health assessment is already recorded"},
            period=period,
            child=child,
            kind=kind,
            done_on=done_on,
            notes=notes.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action=f"health_check.{kind}",
            entity=check,
            child=child,
            changes={"kind": [None, kind], "done_on": [None, done_on.isoformat()]},
        )
        if kind != HealthCheckKind.DENTAL:
            _lac_event("health_assessment.completed", period=period, on=done_on, actor=recorded_by)
    return check


def pep_record(
    *, period: PeriodOfCare, recorded_by, completed_on: datetime.date, summary: str = ""
) -> PersonalEducationPlan:
    """A personal education plan completed or reviewed (statutory guidance 2018: in place within 10 working
    days of entry, reviewed each term)."""
    child = period.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _in_period(errors, "completed_on", period, completed_on, "personal education plan")
    _not_future(errors, "completed_on", completed_on, "the plan")
    _raise(errors)
    with transaction.atomic():
        pep = PersonalEducationPlan.objects.create(
            period=period,
            child=child,
            completed_on=completed_on,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="pep.completed",
            entity=pep,
            child=child,
            changes={"completed_on": [None, completed_on.isoformat()]},
        )
        _lac_event("pep.completed", period=period, on=completed_on, actor=recorded_by)
    return pep


# -- missing from placement -----------------------------------------------------------------------------------


def missing_episode_record(
    *,
    period: PeriodOfCare,
    recorded_by,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> MissingEpisode:
    """The child went missing, or away without authorisation, from their placement (SSDA903 Missing). With
    ``end_date`` (they are back already), the return is recorded at once and the return interview is due
    within 72 hours."""
    child = period.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    if kind not in MissingKind.values:  # 1006
        errors["kind"] = "Choose whether the child was missing or away without authorisation"
    _in_period(errors, "start_date", period, start_date, "missing episode")  # 578, 581
    _not_future(errors, "start_date", start_date, "going missing")
    if end_date is not None:
        if end_date < start_date:  # 567
            errors["end_date"] = "The child cannot return before they went missing (SSDA903 rule 567)"
        _not_future(errors, "end_date", end_date, "the return")
    others = MissingEpisode.objects.filter(child=child)
    overlapping = others.filter(end_date__gte=start_date)
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if others.filter(end_date__isnull=True).exists():  # 574
        errors.setdefault(
            "start_date",
            "The child is already recorded as missing: record their return first (SSDA903 rule 574)",
        )
    elif overlapping.exists():  # 574
        errors.setdefault("start_date", "This overlaps a missing episode already recorded (SSDA903 rule 574)")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        missing = create_once(
            MissingEpisode,
            "The child is already recorded as missing: record their return first",
            period=period,
            child=child,
            kind=kind,
            start_date=start_date,
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="missing.started",
            entity=missing,
            child=child,
            changes={"kind": [None, kind], "start_date": [None, start_date.isoformat()]},
        )
        if end_date is not None:
            missing_episode_end(
                missing=missing, recorded_by=recorded_by, version=missing.version, end_date=end_date
            )
    return missing


def missing_episode_end(
    *, missing: MissingEpisode, recorded_by, version: int, end_date: datetime.date
) -> MissingEpisode:
    """The child is back: the return interview is to be offered within 72 hours (statutory guidance 2014)."""
    child = missing.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    if not missing.is_open:
        raise ValidationError("The child's return from this episode is already recorded")
    errors: dict = {}
    if end_date < missing.start_date:  # 567
        errors["end_date"] = "The child cannot return before they went missing (SSDA903 rule 567)"
    _not_future(errors, "end_date", end_date, "the return")
    if MissingEpisode.objects.filter(
        child=child, start_date__gt=missing.start_date, start_date__lte=end_date
    ).exists():
        errors.setdefault("end_date", "This would overlap a later missing episode (SSDA903 rule 574)")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(missing.child_id):
        _guarded_update(missing, version=version, actor=recorded_by, end_date=end_date)
        audit_event_record(
            actor=recorded_by,
            action="missing.returned",
            entity=missing,
            child=child,
            changes={"end_date": [None, end_date.isoformat()]},
        )
        _lac_event("missing.returned", period=missing.period, on=end_date, actor=recorded_by, scope=missing)
    return missing


def return_interview_record(
    *,
    missing: MissingEpisode,
    recorded_by,
    version: int,
    offered_on: datetime.date,
    accepted_on: datetime.date | None = None,
) -> MissingEpisode:
    """The independent return interview offered (Annex A list 8: offered, accepted), which meets the 72 hour
    deadline the return started."""
    child = missing.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    if missing.is_open:
        errors["offered_on"] = "Record the child's return first"
    elif offered_on < missing.end_date:
        errors["offered_on"] = (
            f"The interview is offered after the child's return, on {missing.end_date:%-d %B %Y}"
        )
    _not_future(errors, "offered_on", offered_on, "the offer")
    if accepted_on is not None:
        if accepted_on < offered_on:
            errors["accepted_on"] = "The interview is accepted on or after the day it was offered"
        _not_future(errors, "accepted_on", accepted_on, "acceptance")
    _raise(errors)
    first_offer = missing.interview_offered_on is None
    before = MissingEpisode(
        **{f.attname: getattr(missing, f.attname) for f in MissingEpisode._meta.concrete_fields}
    )
    with transaction.atomic():
        _guarded_update(
            missing,
            version=version,
            actor=recorded_by,
            interview_offered_on=offered_on,
            interview_accepted_on=accepted_on,
        )
        audit_event_record(
            actor=recorded_by,
            action="return_interview.offered",
            entity=missing,
            child=child,
            changes=changes_between(before, missing, ["interview_offered_on", "interview_accepted_on"]),
        )
        if first_offer:
            _lac_event(
                "return_interview.offered",
                period=missing.period,
                on=offered_on,
                actor=recorded_by,
                scope=missing,
            )
    return missing


# -- care leavers ---------------------------------------------------------------------------------------------


def weeks_looked_after_since_14(child: Child, on: datetime.date) -> float:
    """Weeks the child has been looked after since their 14th birthday, up to ``on``, leaving out short breaks
    (CPPCR 2010 reg 40(1) and (2): 13 weeks, in one period or more, makes an eligible child)."""
    born = child.person.date_of_birth
    if born is None:
        return 0
    fourteenth = add_calendar_months(born, 14 * 12)
    days = 0
    episodes = LacEpisode.objects.filter(child=child, start_date__lte=on).exclude(
        legal_status__in=rules.SHORT_BREAKS
    )
    for episode in episodes.exclude(end_date__lt=fourteenth):
        begins = max(episode.start_date, fourteenth)
        ends = min(episode.end_date or on, on)
        days += max(0, (ends - begins).days)
    return days / 7


def _check_status(errors: dict, child: Child, status: str, on: datetime.date) -> None:
    """Who each status is for: ss19B (eligible), 23A (relevant), 23C (former relevant), 24 (qualifying)."""
    age = _age(child, on)
    # Looked after on the day: a period that began by then and had not ceased (DEC is the day it ceased).
    looked_after = (
        PeriodOfCare.objects.filter(child=child, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .exists()
    )
    if status not in CareLeaverStatus.values:
        errors["status"] = "Choose the young person's eligibility"
    elif age is None:
        errors["status"] = "Record the young person's date of birth first"
    elif status == CareLeaverStatus.ELIGIBLE:
        if not 16 <= age < 18:
            errors["status"] = "An eligible child is aged 16 or 17"
        elif not looked_after:
            errors["status"] = "An eligible child is still looked after: the young person was not on that day"
        elif weeks_looked_after_since_14(child, on) < ELIGIBILITY_WEEKS:
            errors["status"] = (
                "An eligible child has been looked after for at least 13 weeks since they were 14 "
                "(CPPCR 2010 reg 40): the record shows less"
            )
    elif status == CareLeaverStatus.RELEVANT:
        if not 16 <= age < 18:
            errors["status"] = "A relevant child is aged 16 or 17"
        elif looked_after:
            errors["status"] = (
                "A relevant child has left care: the young person was still looked after that day"
            )
    elif status == CareLeaverStatus.FORMER_RELEVANT and not 18 <= age < 25:
        errors["status"] = "A former relevant child is aged 18 to 24"
    elif status == CareLeaverStatus.QUALIFYING and not 16 <= age < 25:
        errors["status"] = "A qualifying care leaver is aged 16 to 24"


def _care_leaver_event(event: str, *, care_leaver: CareLeaver, on: datetime.date, actor) -> None:
    team, area = _responsible(care_leaver.child)
    compliance_event(
        event=event, child=care_leaver.child, on=on, scope=care_leaver, actor=actor, team=team, area=area
    )


def _open_care_leaver(care_leaver: CareLeaver) -> None:
    if not care_leaver.is_open:
        raise ValidationError("The leaving care record has ended")


def _in_care_leaver(errors: dict, field: str, care_leaver: CareLeaver, day: datetime.date, what: str) -> None:
    if day < care_leaver.start_date:
        errors[field] = (
            f"The {what} cannot be before the leaving care record began, on {care_leaver.start_date:%-d %B %Y}"
        )
    elif care_leaver.end_date is not None and day > care_leaver.end_date:
        errors[field] = (
            f"The {what} cannot be after the leaving care record ended, on {care_leaver.end_date:%-d %B %Y}"
        )
    _not_future(errors, field, day, f"the {what}")


def care_leaver_start(
    *,
    child: Child,
    started_by,
    status: str,
    start_date: datetime.date,
    personal_adviser: Worker | None = None,
) -> CareLeaver:
    """The local authority starts to owe the young person leaving care duties. For an eligible or relevant
    child the needs assessment is due within 3 months (CPPCR 2010 regs 40-42; CLR 2010 reg 5)."""
    _require(may_record(started_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _not_future(errors, "start_date", start_date, "the start")
    _check_status(errors, child, status, start_date)
    last = CareLeaver.objects.filter(child=child).order_by("-start_date").first()
    if last is not None and last.is_open:
        errors["status"] = (
            "The young person already has a leaving care record: change their eligibility there"
        )
    elif last is not None and start_date <= last.end_date:
        errors["start_date"] = (
            f"The last leaving care record ended on {last.end_date:%-d %B %Y}: a new one starts after it"
        )
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        care_leaver = create_once(
            CareLeaver,
            "The young person already has a leaving care record",
            child=child,
            status=status,
            status_since=start_date,
            start_date=start_date,
            personal_adviser=personal_adviser,
            created_by=started_by,
            modified_by=started_by,
        )
        audit_event_record(
            actor=started_by,
            action="care_leaver.started",
            entity=care_leaver,
            child=child,
            changes=changes_between(None, care_leaver, ["status", "start_date", "personal_adviser_id"]),
        )
        if status in NEEDS_ASSESSMENT_OWED:
            _care_leaver_event(
                "care_leaver.eligible", care_leaver=care_leaver, on=start_date, actor=started_by
            )
    return care_leaver


def care_leaver_update(
    *,
    care_leaver: CareLeaver,
    updated_by,
    version: int,
    status: str,
    status_since: datetime.date,
    personal_adviser: Worker | None,
) -> CareLeaver:
    """Change the young person's eligibility (an eligible child leaves care and becomes relevant, or turns 18
    and becomes former relevant) or their personal adviser. Two people changing it at once: the second is
    told what the first changed."""
    _require(may_record(updated_by, care_leaver.child), CANNOT_CHANGE)
    _open_care_leaver(care_leaver)
    errors: dict = {}
    if status != care_leaver.status:
        if status not in STATUS_CHANGES.get(care_leaver.status, set()):
            errors["status"] = (
                f"A young person who is {care_leaver.get_status_display().split(' (')[0].lower()} cannot become "
                f"{dict(CareLeaverStatus.choices).get(status, status).split(' (')[0].lower()}"
            )
        else:
            _check_status(errors, care_leaver.child, status, status_since)
        if status_since < care_leaver.status_since:
            errors["status_since"] = (
                f"The change is after the last one, on {care_leaver.status_since:%-d %B %Y}"
            )
        _not_future(errors, "status_since", status_since, "the change")
    else:
        status_since = care_leaver.status_since
    _raise(errors)
    before = CareLeaver(
        **{f.attname: getattr(care_leaver, f.attname) for f in CareLeaver._meta.concrete_fields}
    )
    with transaction.atomic(), record_checks.no_new_problems(care_leaver.child_id):
        _guarded_update(
            care_leaver,
            version=version,
            actor=updated_by,
            status=status,
            status_since=status_since,
            personal_adviser=personal_adviser,
        )
        audit_event_record(
            actor=updated_by,
            action="care_leaver.updated",
            entity=care_leaver,
            child=care_leaver.child,
            changes=changes_between(before, care_leaver, ["status", "status_since", "personal_adviser_id"]),
        )
        if before.status not in NEEDS_ASSESSMENT_OWED and status in NEEDS_ASSESSMENT_OWED:
            _care_leaver_event(
                "care_leaver.eligible", care_leaver=care_leaver, on=status_since, actor=updated_by
            )
    return care_leaver


def care_leaver_end(
    *, care_leaver: CareLeaver, ended_by, version: int, end_date: datetime.date, reason: str
) -> CareLeaver:
    """The leaving care duties end (at 21, or 25 where the young person asked for support to continue; or
    sooner): every care leaving deadline stops."""
    _require(may_record(ended_by, care_leaver.child), CANNOT_CHANGE)
    _open_care_leaver(care_leaver)
    errors: dict = {}
    if reason not in CareLeaverEndReason.values:
        errors["reason"] = "Choose why the leaving care record is ending"
    if end_date < care_leaver.status_since:
        errors["end_date"] = f"The record cannot end before {care_leaver.status_since:%-d %B %Y}"
    _not_future(errors, "end_date", end_date, "the end")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(care_leaver.child_id):
        _guarded_update(care_leaver, version=version, actor=ended_by, end_date=end_date, end_reason=reason)
        audit_event_record(
            actor=ended_by,
            action="care_leaver.ended",
            entity=care_leaver,
            child=care_leaver.child,
            changes={"end_date": [None, end_date.isoformat()], "end_reason": [None, reason]},
        )
        _care_leaver_event("care_leaver.ended", care_leaver=care_leaver, on=end_date, actor=ended_by)
        if reason == CareLeaverEndReason.DIED:
            compliance_event(event="child.died", child=care_leaver.child, on=end_date, actor=ended_by)
    return care_leaver


def needs_assessment_complete(
    *, care_leaver: CareLeaver, recorded_by, completed_on: datetime.date, summary: str = ""
) -> NeedsAssessment:
    """The needs assessment (CPPCR 2010 regs 40-42): it meets the 3 month deadline, and the pathway plan
    follows it."""
    _require(may_record(recorded_by, care_leaver.child), CANNOT_CHANGE)
    errors: dict = {}
    _in_care_leaver(errors, "completed_on", care_leaver, completed_on, "needs assessment")
    _raise(errors)
    with transaction.atomic():
        assessment = NeedsAssessment.objects.create(
            care_leaver=care_leaver,
            child=care_leaver.child,
            completed_on=completed_on,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="needs_assessment.completed",
            entity=assessment,
            child=care_leaver.child,
            changes={"completed_on": [None, completed_on.isoformat()]},
        )
        _care_leaver_event(
            "needs_assessment.completed", care_leaver=care_leaver, on=completed_on, actor=recorded_by
        )
    return assessment


def pathway_plan_start(
    *, care_leaver: CareLeaver, recorded_by, started_on: datetime.date, summary: str = ""
) -> PathwayPlan:
    """The pathway plan, prepared as soon as possible after the needs assessment (CPPCR 2010 reg 43) and
    reviewed at least every 6 months (CLR 2010 reg 7)."""
    _require(may_record(recorded_by, care_leaver.child), CANNOT_CHANGE)
    _open_care_leaver(care_leaver)
    errors: dict = {}
    _in_care_leaver(errors, "started_on", care_leaver, started_on, "pathway plan")
    assessment = care_leaver.needs_assessments.order_by("completed_on").first()
    if assessment is None:
        errors["started_on"] = (
            "The pathway plan follows the needs assessment: record that first (CPPCR 2010 reg 43)"
        )
    elif started_on < assessment.completed_on:
        errors["started_on"] = (
            f"The pathway plan follows the needs assessment, on {assessment.completed_on:%-d %B %Y}"
        )
    if PathwayPlan.objects.filter(care_leaver=care_leaver).exists():
        errors["started_on"] = "The pathway plan is already recorded: record a review of it instead"
    _raise(errors)
    with transaction.atomic():
        plan = create_once(
            PathwayPlan,
            "The pathway plan is already recorded",
            care_leaver=care_leaver,
            child=care_leaver.child,
            started_on=started_on,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="pathway_plan.started",
            entity=plan,
            child=care_leaver.child,
            changes={"started_on": [None, started_on.isoformat()]},
        )
        _care_leaver_event("pathway_plan.started", care_leaver=care_leaver, on=started_on, actor=recorded_by)
    return plan


def pathway_plan_review_record(
    *, plan: PathwayPlan, recorded_by, reviewed_on: datetime.date, summary: str = ""
) -> PathwayPlanReview:
    """A review of the pathway plan (CLR 2010 reg 7): the next is due within 6 months."""
    care_leaver = plan.care_leaver
    _require(may_record(recorded_by, care_leaver.child), CANNOT_CHANGE)
    errors: dict = {}
    _in_care_leaver(errors, "reviewed_on", care_leaver, reviewed_on, "review")
    if reviewed_on <= plan.started_on:
        errors["reviewed_on"] = f"A review comes after the plan was made, on {plan.started_on:%-d %B %Y}"
    _raise(errors)
    with transaction.atomic():
        review = create_once(
            PathwayPlanReview,
            {"reviewed_on": "A review on this day is already recorded"},
            plan=plan,
            child=care_leaver.child,
            reviewed_on=reviewed_on,
            summary=summary.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="pathway_plan.reviewed",
            entity=review,
            child=care_leaver.child,
            changes={"reviewed_on": [None, reviewed_on.isoformat()]},
        )
        _care_leaver_event(
            "pathway_plan.reviewed", care_leaver=care_leaver, on=reviewed_on, actor=recorded_by
        )
    return review


def care_leaver_contact_record(
    *, care_leaver: CareLeaver, recorded_by, contacted_on: datetime.date, in_touch: str, notes: str = ""
) -> CareLeaverContact:
    """Whether the local authority is in touch with the young person (SSDA903 OC3 IN_TOUCH, rule 131)."""
    _require(may_record(recorded_by, care_leaver.child), CANNOT_CHANGE)
    errors: dict = {}
    _in_care_leaver(errors, "contacted_on", care_leaver, contacted_on, "contact")
    _code(
        errors,
        "in_touch",
        in_touch,
        "care_leaver_in_touch",
        contacted_on,
        "answer to whether you are in touch",
    )
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(care_leaver.child_id):
        contact = CareLeaverContact.objects.create(
            care_leaver=care_leaver,
            child=care_leaver.child,
            contacted_on=contacted_on,
            in_touch=in_touch,
            notes=notes.strip(),
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="care_leaver.contact",
            entity=contact,
            child=care_leaver.child,
            changes={"contacted_on": [None, contacted_on.isoformat()], "in_touch": [None, in_touch]},
        )
    return contact


def care_leaver_accommodation_record(
    *,
    care_leaver: CareLeaver,
    recorded_by,
    start_date: datetime.date,
    code: str,
    suitable: bool,
    provided_by_la: bool = False,
) -> CareLeaverAccommodation:
    """Where the young person lives from ``start_date`` (SSDA903 OC3 ACCOM, rule 133). When the local
    authority starts providing it, the personal adviser visits within 7 days and then at most every 2 months
    (CLR 2010 reg 8)."""
    child = care_leaver.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _in_care_leaver(errors, "start_date", care_leaver, start_date, "move")
    _code(errors, "code", code, "care_leaver_accommodation", start_date, "accommodation")
    if "code" not in errors:
        age = _age(child, start_date)
        if code in rules.ALWAYS_UNSUITABLE and suitable:  # 133
            errors["suitable"] = "This accommodation is always recorded as unsuitable (SSDA903 rule 133)"
        elif code in rules.ADULTS_ONLY_ACCOMMODATION and age is not None and age < 18:  # 347, 3001
            errors["code"] = (
                "A care leaver under 18 cannot be recorded in this accommodation "
                f"(SSDA903 rule {rules.ADULTS_ONLY_ACCOMMODATION[code]})"
            )
    previous = care_leaver.accommodation.filter(start_date__lt=start_date).order_by("-start_date").first()
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(care_leaver.child_id):
        accommodation = create_once(
            CareLeaverAccommodation,
            {"start_date": "A move on this day is already recorded"},
            care_leaver=care_leaver,
            child=child,
            start_date=start_date,
            code=code,
            suitable=suitable,
            provided_by_la=provided_by_la,
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="care_leaver.accommodation",
            entity=accommodation,
            child=child,
            changes=changes_between(
                None, accommodation, ["start_date", "code", "suitable", "provided_by_la"]
            ),
        )
        if provided_by_la and (previous is None or not previous.provided_by_la):
            _care_leaver_event(
                "care_leaver.accommodation_provided",
                care_leaver=care_leaver,
                on=start_date,
                actor=recorded_by,
            )
    return accommodation


def care_leaver_activity_record(
    *, care_leaver: CareLeaver, recorded_by, start_date: datetime.date, code: str
) -> CareLeaverActivity:
    """What the young person is doing from ``start_date`` (SSDA903 OC3 ACTIV, rule 132)."""
    child = care_leaver.child
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _in_care_leaver(errors, "start_date", care_leaver, start_date, "change")
    _code(errors, "code", code, "care_leaver_activity", start_date, "activity")
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(care_leaver.child_id):
        activity = create_once(
            CareLeaverActivity,
            {"start_date": "A change on this day is already recorded"},
            care_leaver=care_leaver,
            child=child,
            start_date=start_date,
            code=code,
            created_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="care_leaver.activity",
            entity=activity,
            child=child,
            changes={"start_date": [None, start_date.isoformat()], "code": [None, code]},
        )
    return activity


# -- outcomes for children looked after for 12 months (SSDA903 OC2) --------------------------------------------

SDQ_SCORES = range(0, 41)  # rule 180: the SDQ total difficulties score, 0 to 40
SDQ_AGE_REASON = "SDQ1"  # no SDQ: under 4 or over 17 when it was due (rule 157)
OUTCOME_FIELDS = [
    "sdq_score",
    "sdq_reason",
    "convicted",
    "immunisations",
    "substance_misuse",
    "intervention_received",
    "intervention_offered",
    "notes",
]


def _year_text(year_end: int) -> str:
    return f"{year_end - 1}-{year_end % 100:02d}"


def _check_cohort(errors: dict, child: Child, year_end: int) -> None:
    """The child must be in the year's OC2 cohort: looked after throughout it, with no short break
    (``selectors.oc2_cohort``). For the year under way, looked after since 1 April is enough: the record is
    made before 31 March, and leaves the return if the child ceases to be looked after before it."""
    from safeguard.lookedafter.selectors import oc2_cohort

    today = timezone.localdate()
    starts, ends = CollectionYear(year_end).start, CollectionYear(year_end).end
    if year_end > CollectionYear.containing(today).end_year:
        errors["year_end"] = f"The year {_year_text(year_end)} has not begun"
    elif not oc2_cohort(year_end=year_end).filter(child=child).exists():
        errors["year_end"] = (
            f"The child was not looked after throughout {_year_text(year_end)} (from {starts:%-d %B %Y} to "
            f"{ends:%-d %B %Y}, with no short breaks): these outcomes are recorded only for children looked "
            "after continuously for 12 months at 31 March (SSDA903 OC2)"
        )


def _check_outcome(errors: dict, *, child: Child, year_end: int, values: dict) -> None:
    """The DfE's rules for one OC2 row that depend on the child's age on the year's first or last day."""
    born = child.person.date_of_birth
    if born is None:
        errors.setdefault(
            "year_end",
            "Record the child's date of birth first: which outcomes are recorded depends on their age",
        )
        return
    starts, ends = CollectionYear(year_end).start, CollectionYear(year_end).end
    score, reason = values["sdq_score"], values["sdq_reason"]
    if not sdq_applies(born, year_end):
        if score is not None or reason:  # 188, 189
            errors["sdq_score"] = (
                f"An SDQ is for children aged 4 to 16: the child was under 4 on {ends:%-d %B %Y} or 17 or over "
                f"on {starts:%-d %B %Y}, so leave the score and the reason blank (SSDA903 rules 188 and 189)"
            )
    elif score is not None and reason:  # 197a
        errors["sdq_reason"] = "Enter the SDQ score or the reason there is none, not both (SSDA903 rule 197a)"
    elif score is None and not reason:  # 186, 197B
        errors["sdq_score"] = (
            "Enter the child's SDQ total score, or choose the reason there is none (SSDA903 rule 186)"
        )
    elif score is not None and score not in SDQ_SCORES:  # 180
        errors["sdq_score"] = "The SDQ total score is a whole number from 0 to 40 (SSDA903 rule 180)"
    elif reason and reason not in codes_valid_on("sdq_reason", ends):  # 196
        errors["sdq_reason"] = "Choose the reason there is no SDQ score (SSDA903 rule 196)"
    elif reason == SDQ_AGE_REASON and not sdq_age_reason_allowed(born, year_end):  # 157
        errors["sdq_reason"] = (
            f"{SDQ_AGE_REASON} is for a child under 4 or over 17 when the SDQ was due: the child was aged 4 to "
            f"16 throughout {_year_text(year_end)}, so choose another reason or enter the score (SSDA903 rule 157)"
        )
    if convictions_apply(born, year_end):
        if values["convicted"] is None:  # 543
            errors["convicted"] = (
                "Say whether the child was convicted of an offence in the year (SSDA903 rule 543)"
            )
    elif values["convicted"] is not None:  # 542
        errors["convicted"] = (
            f"The child was under 10 on {ends:%-d %B %Y}: leave convictions blank (SSDA903 rule 542)"
        )
    if values["immunisations"] is None:  # 191
        errors["immunisations"] = "Say whether the child's immunisations are up to date (SSDA903 rule 191)"
    received, offered = values["intervention_received"], values["intervention_offered"]
    if values["substance_misuse"] is None:  # 191
        errors["substance_misuse"] = (
            "Say whether a substance misuse problem was identified in the year (SSDA903 rule 191)"
        )
    elif not values["substance_misuse"]:
        if received is not None or offered is not None:  # 193
            errors["intervention_received"] = (
                "No substance misuse problem was identified: leave the interventions blank (SSDA903 rule 193)"
            )
    elif received is None:  # 192
        errors["intervention_received"] = (
            "Say whether the child received an intervention for their substance misuse (SSDA903 rule 192)"
        )
    elif received and offered is not None:  # 158
        errors["intervention_offered"] = (
            "The child received an intervention: leave whether one was offered blank (SSDA903 rule 158)"
        )
    elif not received and offered is None:  # 159
        errors["intervention_offered"] = (
            "The child did not receive an intervention: say whether one was offered (SSDA903 rule 159)"
        )


def _outcome_values(**values) -> dict:
    values["sdq_reason"] = (values["sdq_reason"] or "").strip().upper()
    values["notes"] = (values["notes"] or "").strip()
    return values


def annual_outcome_record(
    *,
    child: Child,
    recorded_by,
    year_end: int,
    immunisations: bool | None,
    substance_misuse: bool | None,
    sdq_score: int | None = None,
    sdq_reason: str = "",
    convicted: bool | None = None,
    intervention_received: bool | None = None,
    intervention_offered: bool | None = None,
    notes: str = "",
) -> AnnualOutcome:
    """Record a looked-after child's outcomes for the collection year ending 31 March ``year_end`` (SSDA903
    OC2): the SDQ score or the reason there is none, immunisations, convictions, substance misuse and
    interventions. What the health assessments already say (dental check, health assessment, development
    checks) is not asked (``models.derived_health_items``). One record a child a year: a second is refused
    (change the first instead)."""
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    values = _outcome_values(
        sdq_score=sdq_score,
        sdq_reason=sdq_reason,
        convicted=convicted,
        immunisations=immunisations,
        substance_misuse=substance_misuse,
        intervention_received=intervention_received,
        intervention_offered=intervention_offered,
        notes=notes,
    )
    errors: dict = {}
    _check_cohort(errors, child, year_end)
    if not errors:
        _check_outcome(errors, child=child, year_end=year_end, values=values)
    if AnnualOutcome.objects.filter(child=child, year_end=year_end).exists():
        errors["year_end"] = (
            f"The outcomes for {_year_text(year_end)} are already recorded: change them instead"
        )
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        outcome = create_once(
            AnnualOutcome,
            {"year_end": f"The outcomes for {_year_text(year_end)} have just been recorded by someone else"},
            child=child,
            year_end=year_end,
            created_by=recorded_by,
            modified_by=recorded_by,
            **values,
        )
        audit_event_record(
            actor=recorded_by,
            action="annual_outcome.recorded",
            entity=outcome,
            child=child,
            changes=changes_between(None, outcome, ["year_end", *OUTCOME_FIELDS]),
        )
    return outcome


def annual_outcome_update(
    *,
    outcome: AnnualOutcome,
    updated_by,
    version: int,
    immunisations: bool | None,
    substance_misuse: bool | None,
    sdq_score: int | None = None,
    sdq_reason: str = "",
    convicted: bool | None = None,
    intervention_received: bool | None = None,
    intervention_offered: bool | None = None,
    notes: str = "",
) -> AnnualOutcome:
    """Change a year's outcomes (every item, checked again). ``version`` is the one the user read: if someone
    else saved since, nothing is saved and the user is told who changed what."""
    child = outcome.child
    _require(may_record(updated_by, child), CANNOT_CHANGE)
    values = _outcome_values(
        sdq_score=sdq_score,
        sdq_reason=sdq_reason,
        convicted=convicted,
        immunisations=immunisations,
        substance_misuse=substance_misuse,
        intervention_received=intervention_received,
        intervention_offered=intervention_offered,
        notes=notes,
    )
    errors: dict = {}
    _check_outcome(errors, child=child, year_end=outcome.year_end, values=values)
    _raise(errors)
    before = AnnualOutcome(
        **{f.attname: getattr(outcome, f.attname) for f in AnnualOutcome._meta.concrete_fields}
    )
    with transaction.atomic(), record_checks.no_new_problems(outcome.child_id):
        _guarded_update(outcome, version=version, actor=updated_by, **values)
        audit_event_record(
            actor=updated_by,
            action="annual_outcome.updated",
            entity=outcome,
            child=child,
            changes=changes_between(before, outcome, OUTCOME_FIELDS),
        )
    return outcome


# -- unaccompanied asylum-seeking children ----------------------------------------------------------------------


def _check_uasc(
    errors: dict,
    *,
    child: Child,
    start_date: datetime.date,
    end_date: datetime.date | None,
    end_reason: str,
    exclude: int | None = None,
) -> None:
    """A UASC status is a child's (ceasing at 18 at the latest), begins while they are looked after, and does
    not overlap another."""
    born = child.person.date_of_birth
    _not_future(errors, "start_date", start_date, "the start of UASC status")
    if born is None:
        errors.setdefault("start_date", "Record the child's date of birth first: UASC status ends at 18")
    elif start_date < born:
        errors.setdefault("start_date", "UASC status cannot begin before the child was born")
    elif start_date >= add_calendar_months(born, 18 * 12):
        errors.setdefault(
            "start_date", "A young person of 18 or over is not an unaccompanied asylum-seeking child"
        )
    looked_after = (
        PeriodOfCare.objects.filter(child=child, start_date__lte=start_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .exists()
    )
    if not looked_after:
        errors.setdefault(
            "start_date",
            "The child was not looked after on this day: UASC status is recorded from a day they were "
            "(usually the day they started to be looked after)",
        )
    if end_date is None:
        if end_reason:
            errors["end_date"] = "Enter the date UASC status ceased, or leave the reason blank"
    else:
        if end_date < start_date:
            errors["end_date"] = "UASC status cannot cease before it began"
        elif born is not None and end_date > add_calendar_months(born, 18 * 12):
            errors["end_date"] = (
                f"UASC status ceases on the child's 18th birthday, {add_calendar_months(born, 18 * 12):%-d %B %Y}, "
                "at the latest"
            )
        _not_future(errors, "end_date", end_date, "UASC status ceasing")
        if end_reason not in UascEndReason.values:
            errors["end_reason"] = "Choose why UASC status ceased"
    others = UascStatus.objects.filter(child=child).exclude(pk=exclude)
    overlapping = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        errors.setdefault("start_date", "This overlaps a UASC status already recorded for the child")


UASC_FIELDS = ["start_date", "end_date", "end_reason", "notes"]


def uasc_status_record(
    *,
    child: Child,
    recorded_by,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    end_reason: str = "",
    notes: str = "",
) -> UascStatus:
    """Record that a looked-after child is (or was) an unaccompanied asylum-seeking child from ``start_date``,
    and, if it has, the day the status ceased (SSDA903 UASC: DUC)."""
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _check_uasc(errors, child=child, start_date=start_date, end_date=end_date, end_reason=end_reason)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        status = create_once(
            UascStatus,
            {"start_date": "The child's UASC status has just been recorded by someone else"},
            child=child,
            start_date=start_date,
            end_date=end_date,
            end_reason=end_reason if end_date else "",
            notes=notes.strip(),
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="uasc_status.recorded",
            entity=status,
            child=child,
            changes=changes_between(None, status, UASC_FIELDS),
        )
    return status


def uasc_status_update(
    *,
    uasc_status: UascStatus,
    updated_by,
    version: int,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    end_reason: str = "",
    notes: str = "",
) -> UascStatus:
    """Correct a UASC status, or record that it ceased (at 18, or sooner if the child was assessed as an
    adult or is no longer unaccompanied). ``version`` is the one the user read."""
    child = uasc_status.child
    _require(may_record(updated_by, child), CANNOT_CHANGE)
    errors: dict = {}
    _check_uasc(
        errors,
        child=child,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason,
        exclude=uasc_status.pk,
    )
    _raise(errors)
    before = UascStatus(
        **{f.attname: getattr(uasc_status, f.attname) for f in UascStatus._meta.concrete_fields}
    )
    with transaction.atomic(), record_checks.no_new_problems(uasc_status.child_id):
        _guarded_update(
            uasc_status,
            version=version,
            actor=updated_by,
            start_date=start_date,
            end_date=end_date,
            end_reason=end_reason if end_date else "",
            notes=notes.strip(),
        )
        audit_event_record(
            actor=updated_by,
            action="uasc_status.ended" if before.end_date is None and end_date else "uasc_status.updated",
            entity=uasc_status,
            child=child,
            changes=changes_between(before, uasc_status, UASC_FIELDS),
        )
    return uasc_status


# -- previous permanence (SSDA903 PrevPerm) ------------------------------------------------------------------

# PREV_PERM options with no order to date or place: Z1 none, P4 not known (SSDA903 rules 630, 635).
NO_PREVIOUS_ORDER = frozenset({"Z1", "P4"})
# LA_PERM outside England: Wales, Scotland, Northern Ireland, outside the UK (rule 633). An English council is
# its three-digit DfE code; the full list is the returns app's (rule 633 checks it there).
LA_OUTSIDE_ENGLAND = frozenset({"WAL", "SCO", "NIR", "NUK"})
PERMANENCE_FIELDS = ["previous_permanence", "previous_permanence_la", "previous_permanence_on"]


def _check_previous_permanence(
    errors: dict,
    *,
    code: str,
    la: str,
    on: datetime.date | None,
    started: datetime.date,
    born: datetime.date | None,
) -> dict:
    """Previous permanence as the SSDA903 takes it (DfE SSDA903 guide: PrevPerm): the option (631); for an
    adoption, special guardianship or residence/child arrangements order (P1-P3), the council that arranged
    it and the date of the order (630), before this period of care began (632); for none (Z1) or not known
    (P4), neither (635). Returns the model's values."""
    code = (code or "").strip().upper()
    la = (la or "").strip().upper()
    _code(errors, "previous_permanence", code, "previous_permanence", started, "previous permanence option")
    if code in NO_PREVIOUS_ORDER:
        if la or on:
            errors["previous_permanence_la"] = (
                "With no previous order, or none known, leave the council and date blank (SSDA903 rule 635)"
            )
    elif code:
        if not la:
            errors["previous_permanence_la"] = "Enter the council that arranged the order (SSDA903 rule 630)"
        elif not (len(la) == 3 and la.isdigit()) and la not in LA_OUTSIDE_ENGLAND:
            errors["previous_permanence_la"] = (
                "Enter the council's three-digit DfE code, or WAL, SCO, NIR or NUK outside England "
                "(SSDA903 rule 633)"
            )
        if on is None:
            errors["previous_permanence_on"] = "Enter the date of the order (SSDA903 rule 630)"
        elif on >= started:
            errors["previous_permanence_on"] = (
                f"The order must be before the child started to be looked after, on {started:%-d %B %Y} "
                "(SSDA903 rule 632)"
            )
        elif born is not None and on < born:
            errors["previous_permanence_on"] = "The order cannot be before the child was born"
    return {"previous_permanence": code, "previous_permanence_la": la, "previous_permanence_on": on}


def previous_permanence_record(
    *,
    period: PeriodOfCare,
    recorded_by,
    version: int,
    previous_permanence: str,
    previous_permanence_la: str = "",
    previous_permanence_on: datetime.date | None = None,
) -> PeriodOfCare:
    """Record (or correct) whether the child had been adopted or left care under a special guardianship or
    child arrangements order before this period of care (SSDA903 PrevPerm). ``version`` is the one the user
    read."""
    _require(may_record(recorded_by, period.child), CANNOT_CHANGE)
    errors: dict = {}
    values = _check_previous_permanence(
        errors,
        code=previous_permanence,
        la=previous_permanence_la,
        on=previous_permanence_on,
        started=period.start_date,
        born=period.child.person.date_of_birth,
    )
    _raise(errors)
    before = PeriodOfCare(
        **{f.attname: getattr(period, f.attname) for f in PeriodOfCare._meta.concrete_fields}
    )
    with transaction.atomic(), record_checks.no_new_problems(period.child_id):
        _guarded_update(period, version=version, actor=recorded_by, **values)
        audit_event_record(
            actor=recorded_by,
            action="lac.previous_permanence_recorded",
            entity=period,
            child=period.child,
            changes=changes_between(before, period, PERMANENCE_FIELDS),
        )
    return period


# -- adoption ------------------------------------------------------------------------------------------------

ADOPTION_FIELDS = [
    "decided_on", "ffa_or_concurrency_on", "matched_on", "placed_on", "order_on", "reversed_on",
    "reversal_reason", "adopted_by_foster_carers", "number_of_adopters", "adopters_sex",
    "adopters_legal_status", "notes",
]  # fmt: skip
ADOPTERS_FIELDS = ("adopted_by_foster_carers", "number_of_adopters", "adopters_sex", "adopters_legal_status")
SINGLE_ADOPTER = frozenset({"M1", "F1"})
COUPLE = frozenset({"MM", "FF", "MF"})
# The adopters' sexes each legal status allows (SSDA903 rules 514, 517-520, 524); L0 is a single adopter.
ADOPTERS_SEX_FOR_STATUS = {
    "L0": SINGLE_ADOPTER,
    "L11": frozenset({"MF"}),
    "L12": frozenset({"MM", "FF"}),
    "L2": COUPLE,
    "L3": frozenset({"MF"}),
    "L4": frozenset({"MM", "FF"}),
}


def _check_adopters(errors: dict, values: dict, on: datetime.date) -> None:
    """The AD1 items: all or none (rule 151); one or two adopters (175) whose sexes (176) and legal status
    (177) agree with the number and each other (511, 514, 517-520, 524). Needed for an adoption order (601)."""
    given = [field for field in ADOPTERS_FIELDS if values[field] not in (None, "")]
    if values["order_on"] is not None and len(given) < len(ADOPTERS_FIELDS):
        errors.setdefault(
            "number_of_adopters",
            "Record the adopters (whether they were the foster carers, how many, their sexes and legal "
            "status) with the adoption order (SSDA903 rule 601)",
        )
        return
    if not given:
        return
    if len(given) < len(ADOPTERS_FIELDS):
        missing = [field for field in ADOPTERS_FIELDS if field not in given]
        errors[missing[0]] = "Record all four facts about the adopters, or none yet (SSDA903 rule 151)"
        return
    number, sex, status = (
        values["number_of_adopters"],
        values["adopters_sex"],
        values["adopters_legal_status"],
    )
    if number not in (1, 2):
        errors["number_of_adopters"] = "There are one or two adopters (SSDA903 rule 175)"
    _code(errors, "adopters_sex", sex, "adopter_sex", on, "adopters' sexes")
    _code(errors, "adopters_legal_status", status, "adopter_legal_status", on, "adopters' legal status")
    if "adopters_sex" in errors or "adopters_legal_status" in errors or "number_of_adopters" in errors:
        return
    if (number == 1) != (sex in SINGLE_ADOPTER):
        errors["adopters_sex"] = (
            "One adopter is coded M1 or F1, and two as a couple, MM, FF or MF (SSDA903 rules 511 and 514)"
        )
    elif sex not in ADOPTERS_SEX_FOR_STATUS.get(status, COUPLE | SINGLE_ADOPTER):
        allowed = ", ".join(sorted(ADOPTERS_SEX_FOR_STATUS[status]))
        errors["adopters_legal_status"] = (
            f"Adopters of legal status {status} are coded {allowed} (SSDA903 rules 514, 517-520 and 524)"
        )


def _check_adoption(
    errors: dict, *, child: Child, values: dict, exclude: int | None = None
) -> PeriodOfCare | None:
    """An adoption journey against the DfE's rules (``models.Adoption`` lists them) and the child's periods of
    care and episodes. Returns the period of care the decision was made in."""
    decided = values["decided_on"]
    dates = {
        "decided_on": "decision",
        "ffa_or_concurrency_on": "fostering for adoption placement",
        "matched_on": "match",
        "placed_on": "placement with the adopters",
        "order_on": "adoption order",
        "reversed_on": "decision that the child should no longer be placed",
    }
    for field, what in dates.items():
        if values[field] is not None:
            _not_future(errors, field, values[field], f"the {what}")
    period = (
        PeriodOfCare.objects.filter(child=child, start_date__lte=decided)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=decided))
        .first()
    )
    if period is None:  # rules 334, 1003
        errors.setdefault(
            "decided_on",
            "The child was not looked after on this day: the decision that a child should be placed for "
            "adoption is made while they are looked after (SSDA903 rules 334 and 1003)",
        )
    matched, placed, order = values["matched_on"], values["placed_on"], values["order_on"]
    reversed_on, reason = values["reversed_on"], values["reversal_reason"]
    if matched is not None and matched < decided:  # 333
        errors.setdefault("matched_on", "The match cannot be before the decision (SSDA903 rule 333)")
    if placed is not None:
        if placed < decided:  # 552
            errors.setdefault(
                "placed_on", "The child cannot be placed for adoption before the decision (SSDA903 rule 552)"
            )
        elif matched is None or placed < matched:  # 331
            errors.setdefault(
                "placed_on",
                "Record the match: a child is matched on or before being placed (SSDA903 rule 331)",
            )
        if period is not None:
            _in_period(errors, "placed_on", period, placed, "placement for adoption")
    if order is not None:
        if placed is None or order < placed:
            errors.setdefault(
                "order_on", "An adoption order follows the placement with the adopters: record it"
            )
        elif matched is not None and order <= matched:  # 582
            errors.setdefault(
                "order_on", "The adoption order comes after the day of the match (SSDA903 rule 582)"
            )
        if reversed_on is not None:  # 558
            errors.setdefault(
                "reversed_on",
                "A child who was adopted has no decision that they should no longer be (SSDA903 rule 558)",
            )
    if (reversed_on is None) != (not reason):  # 119
        field = "reversal_reason" if reversed_on is not None else "reversed_on"
        errors.setdefault(
            field, "Give the date and the reason the decision was reversed together (SSDA903 rule 119)"
        )
    elif reversed_on is not None:
        if reversed_on < decided:  # 522
            errors.setdefault(
                "reversed_on", "The decision cannot be reversed before it was made (SSDA903 rule 522)"
            )
        _code(errors, "reversal_reason", reason, "adoption_reversal", reversed_on, "reason (RD1 to RD4)")
    _check_adopters(errors, values, order or decided)
    others = Adoption.objects.filter(child=child).exclude(pk=exclude)
    if others.filter(reversed_on__isnull=True, order_on__isnull=True).exists():  # 579, 583
        errors.setdefault(
            "decided_on",
            "A decision that the child should be placed for adoption already stands: record that it was "
            "reversed before recording a new one (SSDA903 rules 579 and 583)",
        )
    elif others.filter(Q(reversed_on__gt=decided) | Q(decided_on__gte=decided)).exists():  # 579
        errors.setdefault("decided_on", "This is not after the last decision ended (SSDA903 rule 579)")
    if period is not None and not others.filter(period=period).exists():
        # The first decision in this period of care comes on or before the first placement for adoption and
        # any placement or freeing order (rules 552, 554 and 556).
        first = (
            LacEpisode.objects.filter(period=period)
            .filter(
                Q(placement_type__in=rules.PLACED_FOR_ADOPTION)
                | Q(legal_status__in=(rules.PLACEMENT_ORDER, rules.FREEING_ORDER))
            )
            .order_by("start_date")
            .first()
        )
        if first is not None and first.start_date < decided:
            errors.setdefault(
                "decided_on",
                f"The child was placed for adoption or under a placement order from {first.start_date:%-d %B %Y}: "
                "the decision came on or before it (SSDA903 rules 552, 554 and 556)",
            )
    return period


def _adoption_values(**values) -> dict:
    values["reversal_reason"] = (values["reversal_reason"] or "").strip().upper()
    values["adopters_sex"] = (values["adopters_sex"] or "").strip().upper()
    values["adopters_legal_status"] = (values["adopters_legal_status"] or "").strip().upper()
    values["notes"] = (values["notes"] or "").strip()
    return values


def adoption_record(
    *,
    child: Child,
    recorded_by,
    decided_on: datetime.date,
    ffa_or_concurrency_on: datetime.date | None = None,
    matched_on: datetime.date | None = None,
    placed_on: datetime.date | None = None,
    order_on: datetime.date | None = None,
    reversed_on: datetime.date | None = None,
    reversal_reason: str = "",
    adopted_by_foster_carers: bool | None = None,
    number_of_adopters: int | None = None,
    adopters_sex: str = "",
    adopters_legal_status: str = "",
    notes: str = "",
) -> Adoption:
    """Record the agency decision maker's decision that a looked-after child should be placed for adoption,
    and as much of the journey since as has happened (``models.Adoption``; the SSDA903's PlacedAdoption and
    AD1)."""
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    values = _adoption_values(
        decided_on=decided_on, ffa_or_concurrency_on=ffa_or_concurrency_on, matched_on=matched_on,
        placed_on=placed_on, order_on=order_on, reversed_on=reversed_on, reversal_reason=reversal_reason,
        adopted_by_foster_carers=adopted_by_foster_carers, number_of_adopters=number_of_adopters,
        adopters_sex=adopters_sex, adopters_legal_status=adopters_legal_status, notes=notes,
    )  # fmt: skip
    errors: dict = {}
    period = _check_adoption(errors, child=child, values=values)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        adoption = create_once(
            Adoption,
            {
                "decided_on": "A decision for this child has just been recorded by someone else: reload the page"
            },
            child=child,
            period=period,
            created_by=recorded_by,
            modified_by=recorded_by,
            **values,
        )
        audit_event_record(
            actor=recorded_by,
            action="adoption.recorded",
            entity=adoption,
            child=child,
            changes=changes_between(None, adoption, ADOPTION_FIELDS),
        )
    return adoption


def adoption_update(
    *,
    adoption: Adoption,
    updated_by,
    version: int,
    decided_on: datetime.date,
    ffa_or_concurrency_on: datetime.date | None = None,
    matched_on: datetime.date | None = None,
    placed_on: datetime.date | None = None,
    order_on: datetime.date | None = None,
    reversed_on: datetime.date | None = None,
    reversal_reason: str = "",
    adopted_by_foster_carers: bool | None = None,
    number_of_adopters: int | None = None,
    adopters_sex: str = "",
    adopters_legal_status: str = "",
    notes: str = "",
) -> Adoption:
    """Record the next step of an adoption journey (the match, the placement, the order with the adopters'
    details, or the decision reversed), or correct it. ``version`` is the one the user read."""
    child = adoption.child
    _require(may_record(updated_by, child), CANNOT_CHANGE)
    values = _adoption_values(
        decided_on=decided_on, ffa_or_concurrency_on=ffa_or_concurrency_on, matched_on=matched_on,
        placed_on=placed_on, order_on=order_on, reversed_on=reversed_on, reversal_reason=reversal_reason,
        adopted_by_foster_carers=adopted_by_foster_carers, number_of_adopters=number_of_adopters,
        adopters_sex=adopters_sex, adopters_legal_status=adopters_legal_status, notes=notes,
    )  # fmt: skip
    errors: dict = {}
    period = _check_adoption(errors, child=child, values=values, exclude=adoption.pk)
    _raise(errors)
    before = Adoption(**{f.attname: getattr(adoption, f.attname) for f in Adoption._meta.concrete_fields})
    with transaction.atomic(), record_checks.no_new_problems(adoption.child_id):
        _guarded_update(adoption, version=version, actor=updated_by, period=period, **values)
        action = "adoption.updated"
        if before.reversed_on is None and values["reversed_on"] is not None:
            action = "adoption.reversed"
        elif before.order_on is None and values["order_on"] is not None:
            action = "adoption.order_made"
        audit_event_record(
            actor=updated_by,
            action=action,
            entity=adoption,
            child=child,
            changes=changes_between(before, adoption, ADOPTION_FIELDS),
        )
    return adoption


# -- deprivation of liberty orders (SSDA903 DoLo, from 2026-27) ---------------------------------------------

# While a DoLO is in force the child is placed in a children's home (K2) or an other placement Z12 or Z13
# (SSDA903 rule 709), never in a secure children's home, with parents, a young offender institution or
# supported accommodation (rule 710). Rule 709 is an error in the DfE's list, not a query (no Q), and the
# return's check fails any other placement the order overlaps, so it refuses, as 710 does.
DOLO_EXPECTED_PLACEMENTS = frozenset({"K2", "Z12", "Z13"})
DOLO_BARRED_PLACEMENTS = frozenset({"K1", "P1", "R5", "K3"})
DOLO_FIELDS = ["start_date", "end_date", "notes"]


def _check_dolo(
    errors: dict,
    *,
    child: Child,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exclude: int | None = None,
) -> PeriodOfCare | None:
    """The SSDA903 rules 700-710 that can be checked as a DoLO is entered; returns the period of care the
    order falls in."""
    if not isinstance(start_date, datetime.date):
        errors["start_date"] = "Enter the date the order started (rule 700)"
        return None
    if end_date is not None and not isinstance(end_date, datetime.date):
        errors["end_date"] = "Enter the date the order ended as a date, or leave it blank (rule 701)"
        return None
    _not_future(errors, "start_date", start_date, "the start of the order (rule 703)")
    born = child.person.date_of_birth
    if born is not None and start_date < born:
        errors.setdefault("start_date", "The order cannot start before the child was born (rule 708)")
    period = (
        PeriodOfCare.objects.filter(child=child, start_date__lte=start_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .order_by("-start_date")
        .first()
    )
    if period is None:
        errors.setdefault(
            "start_date",
            "The child was not looked after on this day: a deprivation of liberty order is recorded for a "
            "child looked after",
        )
    if end_date is not None:
        if end_date < start_date:
            errors["end_date"] = "The order cannot end before it started (rule 702)"
        _not_future(errors, "end_date", end_date, "the end of the order (rule 704)")
        if period is not None and period.end_date is not None and end_date > period.end_date:
            errors.setdefault(
                "end_date",
                f"The order must end by the day the child ceased to be looked after, "
                f"{period.end_date:%-d %B %Y} (rule 707)",
            )
    elif period is not None and period.end_date is not None:
        errors["end_date"] = (
            f"The child ceased to be looked after on {period.end_date:%-d %B %Y}: enter the date the order "
            "ended (rule 707)"
        )
    others = DeprivationOfLiberty.objects.filter(child=child).exclude(pk=exclude)
    overlapping = others.filter(Q(end_date__isnull=True) | Q(end_date__gt=start_date))
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lt=end_date)
    earlier = overlapping.order_by("start_date").first()
    if earlier is not None:
        until = f"until {earlier.end_date:%-d %B %Y}" if earlier.end_date else "and is still open"
        errors.setdefault(
            "start_date",
            f"This overlaps the order from {earlier.start_date:%-d %B %Y}, which is {until}: an order cannot "
            "start while another is open (rule 705)",
        )
    if period is None or errors:
        return period
    last_day = end_date or timezone.localdate()
    placements = list(
        LacEpisode.objects.filter(child=child, start_date__lte=last_day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .order_by("start_date")
    )
    barred = [episode for episode in placements if episode.placement_type in DOLO_BARRED_PLACEMENTS]
    unexpected = [episode for episode in placements if episode.placement_type not in DOLO_EXPECTED_PLACEMENTS]
    if barred:
        errors["start_date"] = (
            f"The child was placed in {_placements_text(barred)} while the order was in force: a child "
            "with a DoLO cannot be placed in a secure children's home, with parents, in a young offender "
            "institution or in supported accommodation (rule 710)"
        )
    elif unexpected:
        errors["start_date"] = (
            f"The child was placed in {_placements_text(unexpected)} while the order was in force: a child "
            "with a DoLO is placed in a children's home (K2) or an other placement Z12 or Z13 (rule 709). "
            "Record the placement change first, or the order's dates as the court made them"
        )
    return period


def _placements_text(episodes: list[LacEpisode]) -> str:
    return "; ".join(
        f"{episode.placement_type} from {episode.start_date:%-d %B %Y}"
        + (f" to {episode.end_date:%-d %B %Y}" if episode.end_date else "")
        for episode in episodes
    )


def deprivation_of_liberty_record(
    *,
    child: Child,
    recorded_by,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    notes: str = "",
) -> DeprivationOfLiberty:
    """Record a deprivation of liberty order for a looked-after child: the day it started and, if it has, the
    day it ended (SSDA903 DoLo: DOLO_START, DOLO_END)."""
    _require(may_record(recorded_by, child), CANNOT_CHANGE)
    errors: dict = {}
    period = _check_dolo(errors, child=child, start_date=start_date, end_date=end_date)
    _raise(errors)
    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        order = create_once(
            DeprivationOfLiberty,
            {"start_date": "This order has just been recorded by someone else"},
            child=child,
            period=period,
            start_date=start_date,
            end_date=end_date,
            notes=notes.strip(),
            created_by=recorded_by,
            modified_by=recorded_by,
        )
        audit_event_record(
            actor=recorded_by,
            action="deprivation_of_liberty.recorded",
            entity=order,
            child=child,
            changes=changes_between(None, order, DOLO_FIELDS),
        )
    return order


def deprivation_of_liberty_update(
    *,
    order: DeprivationOfLiberty,
    updated_by,
    version: int,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    notes: str = "",
) -> DeprivationOfLiberty:
    """Correct a deprivation of liberty order, or record the day it ended. ``version`` is the one the user
    read."""
    child = order.child
    _require(may_record(updated_by, child), CANNOT_CHANGE)
    errors: dict = {}
    period = _check_dolo(errors, child=child, start_date=start_date, end_date=end_date, exclude=order.pk)
    _raise(errors)
    before = DeprivationOfLiberty(
        **{f.attname: getattr(order, f.attname) for f in DeprivationOfLiberty._meta.concrete_fields}
    )
    with transaction.atomic(), record_checks.no_new_problems(order.child_id):
        _guarded_update(
            order,
            version=version,
            actor=updated_by,
            period=period,
            start_date=start_date,
            end_date=end_date,
            notes=notes.strip(),
        )
        audit_event_record(
            actor=updated_by,
            action="deprivation_of_liberty.ended"
            if before.end_date is None and end_date
            else "deprivation_of_liberty.updated",
            entity=order,
            child=child,
            changes=changes_between(before, order, DOLO_FIELDS),
        )
    return order
