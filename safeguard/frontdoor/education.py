"""A child's education status, and a withdrawal from school while the child or a sibling is known (issue 9).

The status itself is a fact about the child in ``people`` (``EducationStatus``, written by
``people.services.education_status_record``). Every page records a change through
:func:`education_status_change` here, which in the same transaction asks whether the change was a withdrawal
from school and, if on that day the child or a sibling was known to children's social care, raises an
``EducationWithdrawal``: a notice on the records, a flag at the front door. Knowing that needs casework,
children looked after and the front door's own contacts, which the foundation cannot import; so the rule
lives here, and the caller sees every side effect (no signal).

"Known to children's social care" on a day means open involvement that day: an open child in need episode,
a child protection plan, being looked after, an allocated social worker, or a contact at the front door
still awaiting its decision. Siblings are found as ``selectors.related_child_ids`` finds them for the
front door's "known to the service" flags (sibling relationships, and children in the same household).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.policy import may_change, worker_for
from safeguard.audit.services import audit_event_record
from safeguard.casework.models import CinEpisode, CPPlan
from safeguard.frontdoor.models import (
    Agency,
    Contact,
    ContactStatus,
    EducationWithdrawal,
    MashCheck,
    ThresholdDecision,
)
from safeguard.frontdoor.selectors import Flag
from safeguard.frontdoor.services import mash_check_respond
from safeguard.lookedafter.models import PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole, Role
from safeguard.people.links import RecordNotice
from safeguard.people.models import (
    NOT_ON_ROLL,
    Child,
    EducationSetting,
    EducationSource,
    EducationStatus,
    current_on_q,
)
from safeguard.people.selectors import education_status_on
from safeguard.people.services import education_status_record

# Managers who may record that a withdrawal has been considered: they answer for the plan around the child.
CONSIDERING_ROLES = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR)


def may_record_education(user, child: Child) -> bool:
    """Anyone who may change the child's record (``audit.policy.may_change``): the allocated worker and
    their team and managers, the front door team while the contact is before it. Not inspectors, auditors or
    information governance, who only read."""
    return may_change(user, child).allowed


def may_consider_withdrawal(user, child: Child) -> bool:
    """A team manager, head of service or the director who may change the child's record."""
    worker = worker_for(user)
    return worker is not None and worker.role in CONSIDERING_ROLES and may_change(user, child).allowed


def involvement_on(child_ids: set[int], day: datetime.date) -> dict[int, list[str]]:
    """For each of ``child_ids`` known to children's social care on ``day``, what made them known. Five
    queries, whatever the number of children."""
    known: dict[int, list[str]] = {}

    def note(ids, why: str) -> None:
        for pk in ids:
            if why not in known.setdefault(pk, []):
                known[pk].append(why)

    if not child_ids:
        return known
    note(
        CinEpisode.objects.filter(child_id__in=child_ids, referral_date__lte=day)
        .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=day))
        .values_list("child_id", flat=True),
        "an open child in need episode",
    )
    note(
        CPPlan.objects.filter(current_on_q(day), child_id__in=child_ids).values_list("child_id", flat=True),
        "a child protection plan",
    )
    note(
        PeriodOfCare.objects.filter(current_on_q(day), child_id__in=child_ids).values_list(
            "child_id", flat=True
        ),
        "looked after",
    )
    note(
        Allocation.objects.current(day)
        .filter(child_id__in=child_ids, role=AllocationRole.SOCIAL_WORKER)
        .values_list("child_id", flat=True),
        "an allocated social worker",
    )
    # A contact was open on the day if it had arrived and was not yet decided (a contact recorded in error
    # never was one).
    decided_later = ThresholdDecision.objects.filter(decided_at__date__gte=day).values("contact_id")
    note(
        Contact.objects.filter(child_id__in=child_ids, received_at__date__lte=day)
        .exclude(status=ContactStatus.RECORDED_IN_ERROR)
        .filter(Q(status=ContactStatus.AWAITING_DECISION) | Q(pk__in=decided_later))
        .values_list("child_id", flat=True),
        "a contact at the front door",
    )
    return known


def _withdrawal_check(*, status: EducationStatus, recorded_by) -> EducationWithdrawal | None:
    """Raise the flag if ``status`` took the child off a school roll while they or a sibling were known."""
    if status.setting not in NOT_ON_ROLL:
        return None
    before = education_status_on(child=status.child, on=status.changed_on, excluding=status.pk)
    if before is None or before.setting != EducationSetting.ON_ROLL:
        return None
    from safeguard.frontdoor.selectors import related_child_ids  # selectors imports this module's callers

    day = status.changed_on
    related = related_child_ids(status.child, day)
    known = involvement_on({status.child_id, *related}, day)
    siblings = sorted(pk for pk in known if pk != status.child_id)
    if status.child_id not in known and not siblings:
        return None
    withdrawal = EducationWithdrawal.objects.create(
        child=status.child,
        status=status,
        withdrawn_on=day,
        known_because=", ".join(known.get(status.child_id, [])),
        created_by=recorded_by,
        modified_by=recorded_by,
    )
    withdrawal.known_siblings.set(siblings)
    audit_event_record(
        actor=recorded_by,
        action="education_withdrawal.raised",
        entity=withdrawal,
        child=status.child,
        changes={
            "withdrawn_on": [None, day.isoformat()],
            "from": [before.setting, status.setting],
            "known_because": [None, withdrawal.known_because],
            "known_siblings": [None, siblings],
        },
    )
    return withdrawal


def education_status_change(
    *,
    child: Child,
    recorded_by,
    setting: str,
    changed_on: datetime.date,
    source: str,
    school_name: str = "",
    school_urn: str = "",
    notes: str = "",
    corrects: EducationStatus | None = None,
) -> EducationStatus:
    """Record a change in ``child``'s education (a new row; a correction names the row it puts right) and,
    in the same transaction, raise a withdrawal flag if it was one while the child or a sibling was known."""
    if not may_record_education(recorded_by, child):
        raise PermissionDenied("Only those who may change the child's record record their education")
    with transaction.atomic():
        status = education_status_record(
            child=child,
            recorded_by=recorded_by,
            setting=setting,
            changed_on=changed_on,
            source=source,
            school_name=school_name,
            school_urn=school_urn,
            notes=notes,
            corrects=corrects,
        )
        _withdrawal_check(status=status, recorded_by=recorded_by)
    return status


# What the education check's form offers besides the settings: the education service could not say.
NOT_KNOWN = "not_known"


def education_check_respond(
    *,
    check: MashCheck,
    recorded_by,
    responded_on: datetime.date,
    response: str,
    setting: str,
    changed_on: datetime.date | None = None,
    school_name: str = "",
    school_urn: str = "",
    notes: str = "",
) -> MashCheck:
    """The education check's answer, with where the child is educated and since when (issue 9). The
    response and the status are recorded together or not at all, and every problem with either is reported
    at once. ``setting`` may be ``NOT_KNOWN`` when education could not say: then no status is recorded."""
    if check.agency != Agency.EDUCATION:
        raise ValidationError("Only the education check records the child's education")
    errors: dict = {}
    if setting != NOT_KNOWN and setting not in EducationSetting.values:
        errors["setting"] = "Choose where the child is educated, or that education could not say"
    with transaction.atomic():
        try:
            mash_check_respond(
                check=check, responded_on=responded_on, response=response, recorded_by=recorded_by
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            errors.update(error.message_dict)
        if setting in EducationSetting.values:
            try:
                status = education_status_change(
                    child=check.contact.child,
                    recorded_by=recorded_by,
                    setting=setting,
                    changed_on=changed_on,
                    source=EducationSource.FRONT_DOOR_CHECK,
                    school_name=school_name,
                    school_urn=school_urn,
                    notes=notes,
                )
            except ValidationError as error:
                errors.update({key: value for key, value in error.message_dict.items() if key not in errors})
            else:
                MashCheck.objects.filter(pk=check.pk).update(education_status=status)
                check.education_status = status
        if errors:
            # Nothing is kept: the response without its status (or the reverse) would be half an answer.
            raise ValidationError(errors)
    return check


def withdrawal_consider(*, withdrawal: EducationWithdrawal, considered_by, note: str) -> EducationWithdrawal:
    """A manager records that the withdrawal has been considered, and what was decided. The flag then leaves
    the records and the queue; the row, and the note, stay in the child's education history."""
    if not may_consider_withdrawal(considered_by, withdrawal.child):
        raise PermissionDenied("Only a manager who may change the child's record records this")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what was considered and what will happen"})
    with transaction.atomic():
        now = timezone.now()
        updated = EducationWithdrawal.objects.filter(pk=withdrawal.pk, considered_at__isnull=True).update(
            considered_at=now, considered_by=considered_by, consideration=note, modified_by=considered_by
        )
        if not updated:
            raise ValidationError("This withdrawal has already been considered; the note stands as recorded")
        withdrawal.considered_at, withdrawal.considered_by, withdrawal.consideration = (
            now,
            considered_by,
            note,
        )
        audit_event_record(
            actor=considered_by,
            action="education_withdrawal.considered",
            entity=withdrawal,
            child=withdrawal.child,
            changes={"considered_at": [None, now.isoformat()]},
            reason=note,
        )
    return withdrawal


# ----------------------------------------------------------------------------------------------------------
# Reads: the flags, wherever they show


def open_withdrawals(child: Child) -> list[EducationWithdrawal]:
    """Withdrawals not yet considered of ``child``, and of children whose flag names ``child`` as a known
    sibling, newest first."""
    return list(
        EducationWithdrawal.objects.filter(considered_at__isnull=True)
        .filter(Q(child=child) | Q(known_siblings=child))
        .select_related("child__person")
        .distinct()
        .order_by("-withdrawn_on", "-pk")
    )


def withdrawal_text(withdrawal: EducationWithdrawal, child: Child) -> str:
    """The flag's words as ``child``'s record shows them: the withdrawn child's own, or a sibling's."""
    if withdrawal.child_id == child.pk:
        return f"Withdrawn from school on {withdrawal.withdrawn_on:%-d %B %Y} {withdrawal.while_known}"
    return (
        f"{withdrawal.child.person.first_name} (a sibling or child in the household) was withdrawn from school "
        f"on {withdrawal.withdrawn_on:%-d %B %Y} while this child was known to children's social care"
    )


def withdrawal_flags(child: Child, today: datetime.date, related: set[int]) -> list[Flag]:
    """The front door's "known to the service" flags for the withdrawals not yet considered
    (``selectors.FLAG_PROVIDERS``)."""
    return [
        Flag("withdrawn_from_school", withdrawal_text(withdrawal, child))
        for withdrawal in open_withdrawals(child)
    ]


def record_notices(child: Child, user, today: datetime.date) -> list[RecordNotice]:
    """The notice at the top of the record, for everyone who can open it (``people.links``)."""
    return [
        RecordNotice(
            kind="withdrawn_from_school",
            text=withdrawal_text(withdrawal, child),
            href=reverse("frontdoor:education", kwargs={"child_id": withdrawal.child_id}),
        )
        for withdrawal in open_withdrawals(child)
    ]
