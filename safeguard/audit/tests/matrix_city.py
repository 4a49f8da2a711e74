"""The rows the permission matrix fills its URLs with, chosen in a synthetic city and arranged so that each
child stands in exactly the relationships ``permission_matrix.RELATED`` declares.

Side A: a child ``socialworker`` holds in Child in Need North (their team, their team manager and the head
of service for North reach it; ``iro`` is its named IRO). Side B: a child ``otherworker`` holds in South.
A page about a sub-record (an assessment, a plan, a note) is filled with a sub-record and *its own* child.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from safeguard.audit.policy import access_basis
from safeguard.audit.tests import permission_matrix as matrix
from safeguard.core import opaque
from safeguard.organisation.models import Allocation, AllocationRole, Team
from safeguard.people.models import Child
from tests.factories import TeamFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SIDE_WORKER = {"A": "socialworker", "B": "otherworker"}
ONE_DAY = datetime.timedelta(days=1)
ONE_HOUR = datetime.timedelta(hours=1)


class NotArranged(Exception):
    pass


def key_for(route: str, name: str) -> str:
    """The same kwarg name means different rows on different pages."""
    if name == "plan_id":
        return "cp_plan_id" if "/cp-plans/" in route else "cin_plan_id"
    if name == "action_id":
        if route.startswith("learning-actions/"):
            return "learning_action_id"
        return "leadership_action_id" if route.startswith("leadership/") else "audit_action_id"
    if name == "alert_id":
        return "emergency_alert_id" if route.startswith("restricted-records/") else "alert_id"
    if name == "request_id":
        return "sar_request_id" if route.startswith("subject-access/") else "request_id"
    return name


def fill(route: str, ids: dict, child_of: dict) -> str:
    """The URL for ``route`` with one side's rows; ``child_id`` is the child of the page's sub-record."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    subs = [key_for(route, n) for n in names if n != "child_id" and key_for(route, n) in child_of]
    child_id = child_of[subs[0]] if subs else child_of["child_id"]

    def value(match):
        converter, name = match.group(1), match.group(2)
        raw = child_id if name == "child_id" else ids[key_for(route, name)]
        # Children and contacts are addressed by opaque tokens (safeguard/core/opaque.py).
        return opaque.encode(raw) if converter == "opaque" else str(raw)

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _users() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=matrix.PERSONAS)}


def _hold(child: Child, side: str, users: dict, today: datetime.date) -> None:
    """Give ``child``'s case to the side's worker (team and open episode with it), and make ``iro`` the
    named IRO on side A and nobody's on side B."""
    from safeguard.casework.models import CinEpisode
    from safeguard.frontdoor.models import Contact

    worker = users[SIDE_WORKER[side]].worker
    iro = users["iro"].worker
    for allocation in Allocation.objects.filter(child=child, end_date__isnull=True):
        keep = (allocation.role == AllocationRole.SOCIAL_WORKER and allocation.worker_id == worker.pk) or (
            allocation.role == AllocationRole.IRO and side == "A" and allocation.worker_id == iro.pk
        )
        if not keep:
            ended = max(allocation.start_date, today - ONE_DAY)
            Allocation.objects.filter(pk=allocation.pk).update(end_date=ended)
    current = Allocation.objects.filter(child=child, end_date__isnull=True)
    if not current.filter(role=AllocationRole.SOCIAL_WORKER).exists():
        Allocation.objects.create(
            child=child, worker=worker, team=worker.team, start_date=today - 7 * ONE_DAY
        )
    if side == "A" and not current.filter(role=AllocationRole.IRO).exists():
        Allocation.objects.create(
            child=child, worker=iro, team=iro.team, role=AllocationRole.IRO, start_date=today - 7 * ONE_DAY
        )
    CinEpisode.objects.open().filter(child=child).update(team=worker.team, area=worker.team.area)
    # A contact before the personas' front door team would give it the child (frontdoor.FRONT_DOOR_REACH):
    # these children's contacts went to another area's front door.
    front_door = users["frontdoor"].worker.team
    elsewhere = Team.objects.filter(kind=front_door.kind).exclude(pk=front_door.pk).order_by("pk").first()
    if elsewhere is None:
        elsewhere = TeamFactory(area=front_door.area, kind=front_door.kind, name="Emergency duty team")
    Contact.objects.filter(child=child, team=front_door).update(team=elsewhere)


def _set_apart(child: Child) -> bool:
    """A child the synthetic city's restrictions or sharing steps made special (restricted, connected to a
    member of staff, shared, asked for by a subject access request): never a side's child."""
    from safeguard.restrictions.models import RecordRestriction, StaffConnection
    from safeguard.sar.models import SubjectAccessRequest
    from safeguard.sharing.models import Share, StaffShare

    return any(
        model.objects.filter(child=child).exists()
        for model in (RecordRestriction, StaffConnection, Share, StaffShare, SubjectAccessRequest)
    )


def _stands_as_declared(child: Child, side: str, users: dict) -> bool:
    return all(
        access_basis(user, child).allowed == (name in matrix.RELATED[side]) for name, user in users.items()
    )


def _choose(candidates, child_of, side: str, users: dict, today: datetime.date, taken: dict[int, str]):
    """The first candidate whose child, once held by the side's worker, stands as declared (a child serves
    one side only)."""
    for candidate in candidates[:40]:
        child = child_of(candidate)
        if taken.get(child.pk, side) != side or _set_apart(child):
            continue
        try:
            with transaction.atomic():
                _hold(child, side, users, today)
                if not _stands_as_declared(child, side, users):
                    raise NotArranged
        except NotArranged:
            continue
        taken[child.pk] = side
        return candidate, child
    return None, None


def _sub_records(today: datetime.date):
    """kwarg → (candidate rows, how to reach the row's child)."""
    from safeguard.casework.models import (
        OPEN_ASSESSMENT,
        Assessment,
        CinEpisode,
        CinPlan,
        ClosureRequest,
        CPPlan,
        S47Enquiry,
    )
    from safeguard.compliance.models import Deadline
    from safeguard.lookedafter.models import (
        Adoption,
        DeprivationOfLiberty,
        MissingEpisode,
        MissingKind,
        PeriodOfCare,
        UascStatus,
    )
    from safeguard.oversight.models import CaseAudit, CaseAuditAction, ManagementDecision

    by_child = lambda row: row.child  # noqa: E731
    periods = list(
        PeriodOfCare.objects.open()
        .filter(start_date__lte=today - 10 * ONE_DAY)
        .exclude(child__in=MissingEpisode.objects.filter(end_date__isnull=True).values("child"))
        .exclude(child__in=UascStatus.objects.values("child"))
        .exclude(child__in=DeprivationOfLiberty.objects.filter(end_date__isnull=True).values("child"))
        .exclude(child__in=Adoption.objects.values("child"))
        .select_related("child")
        .order_by("pk")
    )
    return {
        "child_id": (list(CinEpisode.objects.open().select_related("child").order_by("pk")), by_child),
        "assessment_id": (
            list(
                Assessment.objects.filter(status__in=OPEN_ASSESSMENT).select_related("child").order_by("pk")
            ),
            by_child,
        ),
        "deadline_id": (list(Deadline.objects.select_related("child").order_by("pk")), by_child),
        "cin_plan_id": (
            list(CinPlan.objects.filter(end_date__isnull=True).select_related("child")),
            by_child,
        ),
        "cp_plan_id": (list(CPPlan.objects.filter(end_date__isnull=True).select_related("child")), by_child),
        "enquiry_id": (list(S47Enquiry.objects.select_related("child").order_by("pk")), by_child),
        "episode_id": (list(CinEpisode.objects.open().select_related("child").order_by("-pk")), by_child),
        "request_id": (list(ClosureRequest.objects.select_related("child").order_by("pk")), by_child),
        # The synthetic city has few or none of these: each is recorded on an open period of care.
        "missing_id": (
            periods,
            by_child,
            lambda p: MissingEpisode.objects.create(
                period=p, child=p.child, kind=MissingKind.MISSING, start_date=today - 3 * ONE_DAY
            ),
        ),
        "uasc_id": (
            periods,
            by_child,
            lambda p: UascStatus.objects.create(child=p.child, start_date=p.start_date),
        ),
        "dolo_id": (
            periods,
            by_child,
            lambda p: DeprivationOfLiberty.objects.create(
                period=p, child=p.child, start_date=today - 5 * ONE_DAY
            ),
        ),
        "adoption_id": (
            periods,
            by_child,
            lambda p: Adoption.objects.create(period=p, child=p.child, decided_on=today - 10 * ONE_DAY),
        ),
        "decision_id": (list(ManagementDecision.objects.select_related("child").order_by("pk")), by_child),
        "audit_id": (list(CaseAudit.objects.select_related("child").order_by("pk")), by_child),
        "audit_action_id": (
            list(CaseAuditAction.objects.select_related("audit__child").order_by("pk")),
            lambda row: row.audit.child,
        ),
        # A child with an open episode taken off a school roll: a withdrawal flag on their record.
        "withdrawal_id": (
            list(CinEpisode.objects.open().select_related("child").order_by("-pk")),
            by_child,
            lambda episode: _withdrawn_from_school(episode.child, today),
        ),
    }


def _withdrawn_from_school(child: Child, today: datetime.date):
    """Record ``child`` on a school roll, then home educated, by their allocated worker: a withdrawal while
    known to the service (frontdoor.education)."""
    from safeguard.frontdoor.education import education_status_change
    from safeguard.people.models import EducationSetting, EducationSource

    worker = Allocation.objects.in_force().get(child=child, role=AllocationRole.SOCIAL_WORKER).worker
    for setting, day in (
        (EducationSetting.ON_ROLL, today - 60 * ONE_DAY),
        (EducationSetting.ELECTIVE_HOME_EDUCATION, today - ONE_DAY),
    ):
        education_status_change(
            child=child,
            recorded_by=worker.user,
            setting=setting,
            changed_on=day,
            source=EducationSource.SOCIAL_WORKER,
            school_name="Northbridge Primary" if setting == EducationSetting.ON_ROLL else "",
        )
    return child.education_withdrawals.get()


def _incident_rows(child: Child, users: dict, today: datetime.date) -> dict:
    """A serious incident on side A's child: recorded by its team manager, led by the head of service, a
    local practice review commissioned at the rapid review, one access-list entry for a worker who is no
    persona, and a learning action owned by ``socialworker``."""
    from safeguard.incidents.models import AbuseOrNeglect, Harm, ReviewDecision, SeriousIncidentChild
    from safeguard.incidents.services import incident_access_add, rapid_review_record, serious_incident_record
    from safeguard.learning.models import Source
    from safeguard.learning.services import learning_action_agree
    from safeguard.organisation.models import Role, Worker

    manager = users["teammanager"]
    incident = serious_incident_record(
        child=child,
        harm=Harm.SERIOUSLY_HARMED,
        abuse_or_neglect=AbuseOrNeglect.SUSPECTED,
        occurred_on=today - 5 * ONE_DAY,
        became_aware_on=today - 4 * ONE_DAY,
        looked_after=False,
        summary="Admitted to hospital with injuries not explained",
        lead=users["headofservice"].worker,
        recorded_by=manager,
    )
    # The incident links every child of the household, and a sibling may be held by another side's worker
    # (who would then rightly see it): the matrix declares its viewers as side A's, so only the subject stays.
    SeriousIncidentChild.objects.filter(incident=incident).exclude(child=child).delete()
    rapid_review_record(
        incident=incident,
        completed_on=today - ONE_DAY,
        sent_to_panel_on=today - ONE_DAY,
        decision=ReviewDecision.LCSPR,
        summary="A local review will look at the agencies' work with the family",
        recorded_by=manager,
    )
    reviewer = (
        Worker.objects.filter(role=Role.TEAM_MANAGER)
        .exclude(user__username__in=matrix.PERSONAS)
        .order_by("pk")
        .first()
    )
    entry = incident_access_add(
        incident=incident,
        worker=reviewer,
        reason="Safeguarding partnership reviewer",
        added_by=users["director"],
    )
    action = learning_action_agree(
        incident=incident,
        agreed_by=manager,
        source=Source.RAPID_REVIEW,
        description="Schools to share attendance concerns with the allocated worker",
        owner=users["socialworker"].worker,
        due_on=today + 30 * ONE_DAY,
    )
    return {"incident_id": incident.pk, "entry_id": entry.pk, "learning_action_id": action.pk}


def _written_records(child: Child, side: str, users: dict, today: datetime.date) -> dict:
    """A finalised case note, a document and the allocation, on ``child`` (held by the side's worker)."""
    from safeguard.casenotes.services import case_note_draft, case_note_finalise, document_upload

    author = users[SIDE_WORKER[side]]
    note = case_note_draft(
        child=child, written_by=author, subject="visit", occurred_on=today - ONE_DAY, text="Seen at home"
    )
    case_note_finalise(note=note, finalised_by=author, version=note.version)
    document = document_upload(
        child=child,
        uploaded_by=author,
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        title="School report",
        kind="assessment_report",
    )
    allocation = Allocation.objects.get(
        child=child, role=AllocationRole.SOCIAL_WORKER, worker=author.worker, end_date__isnull=True
    )
    return {"note_id": note.thread_id, "document_id": document.pk, "allocation_id": allocation.pk}


def _other_rows(users: dict, today: datetime.date) -> dict:
    """Rows for pages that are not one child's record: in North, where socialworker works."""
    from safeguard.casework.models import BulkClosureAlert
    from safeguard.frontdoor.models import Contact, ContactStatus, MashCheck
    from safeguard.leadership.models import ImprovementAction
    from safeguard.organisation.models import Post
    from safeguard.oversight.models import Supervision
    from safeguard.returns.catalogue import COLLECTIONS

    sam = users["socialworker"].worker
    team = sam.team
    front_door_team = users["frontdoor"].worker.team
    contacts = Contact.objects.filter(team=front_door_team)
    contact = (
        contacts.filter(status=ContactStatus.AWAITING_DECISION).order_by("pk").first()
        or contacts.order_by("-received_at", "-pk").first()
    )
    check = MashCheck.objects.filter(contact__team=front_door_team).order_by("pk").first()
    alert = BulkClosureAlert.objects.create(
        team=team,
        area=team.area,
        raised_on=today,
        window_start=today - 14 * ONE_DAY,
        window_end=today,
        window_days=28,
        threshold="0.250",
        closures=6,
        caseload=12,
    )
    rows = {
        "alert_id": alert.pk,
        "contact_id": contact.pk,
        "contact_child_id": contact.child_id,
        "check_id": check.pk,
        "worker_id": sam.pk,
        "supervision_id": Supervision.objects.filter(worker=sam).order_by("-pk").first().pk,
        "area_id": team.area_id,
        "team_id": team.pk,
        "post_id": Post.objects.filter(team=team).order_by("pk").first().pk,
        "leadership_action_id": (
            ImprovementAction.objects.filter(area=team.area).order_by("pk").first()
            or ImprovementAction.objects.order_by("pk").first()
        ).pk,
        "collection": "cin-census" if "cin-census" in COLLECTIONS else next(iter(COLLECTIONS)),
        "year": 2026,
        "code": matrix.RETURN_QUERY_CODE,
        "year_end": 2026,
    }
    return rows


def _shares(child: Child, users: dict, now: datetime.datetime) -> dict:
    """A share in force with the partner persona's agency, and time-limited access for a worker who is no
    persona, on ``child`` (approved by the side's manager; neither gives a persona a relationship)."""
    from safeguard.organisation.models import Role, Worker
    from safeguard.sharing.models import LawfulBasis, PartnerUser, Share, StaffShare

    approver = users["teammanager"].worker
    agency = PartnerUser.objects.get(worker=users["partner"].worker).agency
    share = Share.objects.create(
        child=child,
        agency=agency,
        fields=["identity"],
        purpose="Joint section 47 enquiry",
        lawful_basis=LawfulBasis.S47_ENQUIRY,
        approved_by=approver,
        starts_at=now - ONE_DAY,
        expires_at=now + 10 * ONE_DAY,
        created_by=approver.user,
    )
    cover = (
        Worker.objects.filter(role=Role.SOCIAL_WORKER)
        .exclude(user__username__in=matrix.PERSONAS)
        .exclude(allocations__child=child)
        .order_by("pk")
        .first()
    )
    staff_share = StaffShare.objects.create(
        child=child,
        worker=cover,
        reason="Covering a visit",
        approved_by=approver,
        starts_at=now - ONE_DAY,
        expires_at=now + 3 * ONE_DAY,
        created_by=approver.user,
    )
    return {"share_id": share.pk, "staff_share_id": staff_share.pk}


def _governance_rows(users: dict, today: datetime.date, now: datetime.datetime, taken: dict) -> dict:
    """Rows for the restricted records, retention, subject access and account pages. The restrictions come
    from the synthetic city's own step; the rest are made here on a child that is no side's (the subject
    access request gives ``infogov`` a relationship with its child, the emergency access has expired)."""
    from allauth.mfa.models import Authenticator

    from safeguard.organisation.models import Worker
    from safeguard.restrictions.models import (
        AccessListEntry,
        EmergencyAccess,
        EmergencyAlert,
        RecordRestriction,
        StaffConnection,
    )
    from safeguard.retention.models import DisposalReview, HoldReason, LegalHold, ReviewDecision
    from safeguard.sar.models import Redaction, RedactionReason, SarStatus, SubjectAccessRequest

    officer = users["infogov"]
    third = (
        Child.objects.exclude(pk__in=list(taken))
        .exclude(pk__in=RecordRestriction.objects.values("child_id"))
        .exclude(pk__in=StaffConnection.objects.values("child_id"))
        .order_by("pk")
        .first()
    )
    use = EmergencyAccess.objects.create(
        worker=users["frontdoor"].worker,
        child=third,
        reason_category="risk_of_harm",
        reason="Police called out of hours",
        granted_at=now - 2 * 24 * ONE_HOUR,
        expires_at=now - 2 * 24 * ONE_HOUR + ONE_HOUR,
        review_due=today + 3 * ONE_DAY,
    )
    alert = EmergencyAlert.objects.create(
        emergency_access=use, recipient=users["director"].worker, because="Caldicott Guardian"
    )
    review = DisposalReview.objects.create(
        child=third,
        decision=ReviewDecision.DISPOSE,
        reason="Retention period over",
        keep_until_then=today - ONE_DAY,
        rule_code="test",
        reviewed_by=officer,
        reviewed_at=now - ONE_DAY,
        status="awaiting",
        created_by=officer,
    )
    hold = LegalHold.objects.create(
        child=third,
        reason_kind=HoldReason.LITIGATION,
        reason="Claim expected",
        placed_by=officer,
        placed_at=now - ONE_DAY,
        created_by=officer,
    )
    request = SubjectAccessRequest.objects.create(
        child=third,
        requester_kind="subject",
        received_on=today - 5 * ONE_DAY,
        clock_starts_on=today - 5 * ONE_DAY,
        due_on=today + 25 * ONE_DAY,
        status=SarStatus.IN_PROGRESS,
        assigned_to=officer.worker,
        created_by=officer,
    )
    redaction = Redaction.objects.create(
        request=request,
        item_key="person:name",
        field="name",
        text="",
        reason=RedactionReason.THIRD_PARTY,
        explanation="Names a neighbour",
        made_by=officer,
    )
    stranger = get_user_model().objects.exclude(username__in=matrix.PERSONAS).order_by("pk").first()
    key = Authenticator.objects.create(
        user=stranger, type=Authenticator.Type.WEBAUTHN, data={"name": "Someone else's key", "credential": {}}
    )
    # The city's restrictions step records a staff connection only when Sam's team has a colleague's case to
    # connect her to: otherwise one here, of a worker who is no persona, to the third child.
    connection = StaffConnection.objects.current().order_by("pk").first() or StaffConnection.objects.create(
        worker=Worker.objects.exclude(user__username__in=matrix.PERSONAS).order_by("pk").first(),
        child=third,
        kind="relative",
        details="A cousin",
        recorded_by=officer.worker,
        created_by=officer,
    )
    return {
        "restriction_id": RecordRestriction.objects.in_force().order_by("pk").first().pk,
        "entry_id": AccessListEntry.objects.current().order_by("pk").first().pk,
        "connection_id": connection.pk,
        "emergency_access_id": use.pk,
        "emergency_alert_id": alert.pk,
        "review_id": review.pk,
        "hold_id": hold.pk,
        "sar_request_id": request.pk,
        "redaction_id": redaction.pk,
        "user_id": users["socialworker"].pk,
        "pk": key.pk,
    }


def arrange(today: datetime.date):
    """``(users, ids, child_of)``: the personas' users; per side, each kwarg's value, and per sub-record
    kwarg the child it belongs to."""
    users = _users()
    ids: dict[str, dict] = {"A": {}, "B": {}}
    child_of: dict[str, dict] = {"A": {}, "B": {}}
    missing = []
    other = _other_rows(users, today)
    # The front door's contact stays before the front door: its child is no side's.
    taken: dict[int, str] = {other["contact_child_id"]: "front door"}
    for kwarg, (candidates, reach_child, *make) in _sub_records(today).items():
        for side in ("A", "B"):
            row, child = _choose(candidates, reach_child, side, users, today, taken)
            if row is None:
                missing.append(f"{kwarg} (side {side})")
                continue
            if make:
                row = make[0](row)
            ids[side][kwarg] = child.pk if kwarg == "child_id" else row.pk
            child_of[side][kwarg] = child.pk
    if missing:
        raise NotArranged(f"The synthetic city has no row to arrange for: {', '.join(missing)}")
    now = timezone.now()
    other.update(_governance_rows(users, today, now, taken))
    other.update(_incident_rows(Child.objects.get(pk=child_of["A"]["child_id"]), users, today))
    for side in ("A", "B"):
        base = Child.objects.get(pk=child_of[side]["child_id"])
        written = {**_written_records(base, side, users, today), **_shares(base, users, now)}
        for kwarg, value in written.items():
            ids[side][kwarg] = value
            child_of[side][kwarg] = base.pk
        for kwarg, value in other.items():
            ids[side].setdefault(kwarg, value)
    return users, ids, child_of
