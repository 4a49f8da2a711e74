"""Annex A's rows from the records as they stood on a date (``lists`` says who is in each list and why).

A fixed number of queries for the whole council, whatever its size: each list's records in one or two
queries of plain values, then what several lists share (the children's details and disabilities, their
allocated workers, visits) once for every child in any list. Nothing is read per child. A statutory return
is made for the whole council, so these reads are not scoped to a user: the caller (the returns pages and
command) decides who may make it, as for the CIN census and the SSDA903.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from safeguard.casework.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    CinPlan,
    ConferenceDecision,
    ConferenceKind,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    Visit,
)
from safeguard.frontdoor.models import Contact as ContactRecord
from safeguard.frontdoor.models import ContactStatus, Outcome, ThresholdDecision
from safeguard.lookedafter.models import (
    Adoption,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    HealthAssessment,
    HealthCheckKind,
    LacEpisode,
    LacReview,
    MissingEpisode,
    MissingKind,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    UascStatus,
    placements_of,
)
from safeguard.lookedafter.rules import ADOPTED, PLACED_FOR_ADOPTION, SHORT_BREAKS
from safeguard.organisation.models import Allocation, AllocationRole
from safeguard.people.models import Child, ChildDisability, current_on_q
from safeguard.returns.annex_a import lists as L

# What an authorised assessment concluded, as list 4's "requiring children's social care support".
SUPPORT_REQUIRED = {
    AssessmentOutcome.CIN_PLAN: True,
    AssessmentOutcome.SECTION_47: True,
    AssessmentOutcome.LOOKED_AFTER: True,
    AssessmentOutcome.NO_FURTHER_ACTION: False,
    AssessmentOutcome.EARLY_HELP: False,
}
PROTECTION_STATUSES = ("L1", "L2")  # police protection, emergency protection order (SSDA903 LS)
PLACEMENT_ORDER = "E1"
FOSTERING_FOR_ADOPTION = ("U2", "U5")  # foster carers who are approved adopters: FFA or concurrent planning
NOT_A_DISABILITY = "NONE"
ADOPTION_DATES = ("decided_on", "matched_on", "placed_on", "order_on", "reversed_on", "ffa_or_concurrency_on")
QUERIES = 38  # at most, whatever the size of the council (a list with no one in it skips its next reads)


@dataclass
class AnnexA:
    """The workbook's content: for each list's number, its rows, each a tuple in the list's column order
    (dates as ``datetime.date``, counts as ``int``, text as ``str``, empty as ``None`` or "")."""

    as_of: datetime.date
    rows: dict[int, list[tuple]] = field(default_factory=dict)

    @property
    def children(self) -> int:
        """How many children the workbook names (for the access log)."""
        return len({row[0] for number, rows in self.rows.items() if number != 11 for row in rows})


def build(as_of: datetime.date) -> AnnexA:
    return _Builder(as_of).build()


def _after(day: datetime.date | None, as_of: datetime.date) -> datetime.date | None:
    """A date that had not come by ``as_of`` had not happened on it."""
    return day if day is not None and day <= as_of else None


def _open_in(start_field: str, end_field: str, since: datetime.date, as_of: datetime.date) -> Q:
    """Records begun by ``as_of`` and not ended before ``since``: going on at some time in the window."""
    return Q(**{f"{start_field}__lte": as_of}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": since})
    )


def _open_on(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """Going on at the end of ``day``: a plan that ended on the date had ended on it."""
    return start <= day and (end is None or end > day)


class _Builder:
    def __init__(self, as_of: datetime.date):
        self.as_of = as_of
        self.since = L.six_months_before(as_of)
        self.year_ago = L.twelve_months_before(as_of)
        # Each list's rows before the child's details are known: (child pk, values after the child columns).
        self.pending: dict[int, list[tuple[int, tuple]]] = {}

    def build(self) -> AnnexA:
        self.pending[1] = self.contacts()
        self.pending[2] = self.early_help()
        self.pending[3] = self.referrals()
        self.pending[4] = self.assessments()
        self.pending[5] = self.enquiries()
        lists_6_to_8 = self.casework_context()
        self.pending[6] = self.children_in_need(lists_6_to_8)
        self.pending[7] = self.protection(lists_6_to_8)
        self.pending[8] = self.in_care()
        self.pending[9] = self.care_leavers()
        self.pending[10] = self.adoption()
        return self.finish()

    # -- shared ------------------------------------------------------------------------------------------

    def finish(self) -> AnnexA:
        """Every list's rows with the child's details, allocated team and worker, and disability, in three
        queries for every child in the workbook."""
        child_pks = {pk for rows in self.pending.values() for pk, _ in rows}
        details = {
            pk: (la_child_id, L.GENDER.get(sex, ""), L.ETHNICITY.get(ethnicity, ethnicity), born)
            for pk, la_child_id, sex, ethnicity, born in Child.objects.filter(pk__in=child_pks).values_list(
                "pk", "la_child_id", "person__sex", "person__ethnicity", "person__date_of_birth"
            )
        }
        disabled = set(
            ChildDisability.objects.filter(child__in=child_pks)
            .exclude(code=NOT_A_DISABILITY)
            .values_list("child_id", flat=True)
        )
        allocated = defaultdict(lambda: ("", ""), self._allocations(child_pks))
        result = AnnexA(as_of=self.as_of)
        for number, rows in self.pending.items():
            annex_list = L.BY_NUMBER[number]
            built = []
            for pk, values in rows:
                la_child_id, gender, ethnicity, born = details[pk]
                age = _age(born, self.as_of)
                values = tuple(
                    L.yes_no(pk in disabled)
                    if value is _DISABILITY
                    else allocated[pk][0]
                    if value is _TEAM
                    else allocated[pk][1]
                    if value is _WORKER
                    else value
                    for value in values
                )
                if number == 10:  # the family identifier comes second (Ofsted's order)
                    built.append((la_child_id, values[0], gender, ethnicity, born, age, *values[1:]))
                else:
                    built.append((la_child_id, gender, ethnicity, born, age, *values))
            assert all(len(row) == len(annex_list.columns) for row in built), number
            result.rows[number] = built
        result.rows[11] = []
        return result

    def _allocations(self, child_pks) -> dict[int, tuple[str, str]]:
        """Each child's allocated social worker and their team on the date (one query)."""
        rows = (
            Allocation.objects.filter(
                current_on_q(self.as_of), child__in=child_pks, role=AllocationRole.SOCIAL_WORKER
            )
            .order_by("start_date", "pk")
            .values_list("child_id", "team__name", "worker__user__first_name", "worker__user__last_name")
        )
        return {pk: (team, f"{first} {last}".strip()) for pk, team, first, last in rows}

    # -- lists 1 to 5: the front door and assessments ------------------------------------------------------

    def _moment(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    def contacts(self) -> list[tuple[int, tuple]]:
        rows = (
            ContactRecord.objects.filter(
                received_at__gte=self._moment(self.since),
                received_at__lt=self._moment(self.as_of + datetime.timedelta(days=1)),
            )
            .exclude(status=ContactStatus.RECORDED_IN_ERROR)
            .order_by("received_at", "pk")
            .values_list("child_id", "received_at", "source")
        )
        return [(pk, (timezone.localtime(at).date(), L.source(source))) for pk, at, source in rows]

    def early_help(self) -> list[tuple[int, tuple]]:
        rows = (
            ThresholdDecision.objects.filter(
                outcome=Outcome.EARLY_HELP,
                decided_at__gte=self._moment(self.since),
                decided_at__lt=self._moment(self.as_of + datetime.timedelta(days=1)),
            )
            .exclude(contact__status=ContactStatus.RECORDED_IN_ERROR)
            .order_by("decided_at", "pk")
            .values_list("contact__child_id", "decided_at")
        )
        return [(pk, (timezone.localtime(at).date(), None, "")) for pk, at in rows]

    def referrals(self) -> list[tuple[int, tuple]]:
        rows = list(
            CinEpisode.objects.filter(referral_date__range=(self.since, self.as_of))
            .order_by("referral_date", "pk")
            .values_list("pk", "child_id", "referral_date", "referral_source", "referral_nfa")
        )
        earlier: dict[int, list[datetime.date]] = defaultdict(list)
        for pk, day in CinEpisode.objects.filter(
            child__in={row[1] for row in rows},
            referral_date__range=(L.twelve_months_before(self.since), self.as_of),
        ).values_list("child_id", "referral_date"):
            earlier[pk].append(day)
        result = []
        for _, pk, day, source, nfa in rows:
            before = sum(1 for other in earlier[pk] if L.twelve_months_before(day) <= other < day)
            result.append((pk, (day, L.source(source), L.yes_no(nfa), before, _TEAM, _WORKER)))
        return result

    def assessments(self) -> list[tuple[int, tuple]]:
        rows = (
            Assessment.objects.filter(start_date__lte=self.as_of)
            .exclude(status=AssessmentStatus.WITHDRAWN)
            .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gte=self.since))
            .order_by("start_date", "pk")
            .values_list("child_id", "start_date", "child_seen_on", "authorised_on", "outcome")
        )
        result = []
        for pk, start, seen, authorised, outcome in rows:
            authorised = _after(authorised, self.as_of)
            support = L.yes_no(SUPPORT_REQUIRED.get(outcome)) if authorised else ""
            seen = L.yes_no(_after(seen, self.as_of) is not None)
            result.append((pk, (_DISABILITY, start, seen, authorised, support, _TEAM, _WORKER)))
        return result

    def enquiries(self) -> list[tuple[int, tuple]]:
        rows = list(
            S47Enquiry.objects.filter(_open_in("start_date", "concluded_on", self.since, self.as_of))
            .order_by("start_date", "pk")
            .values_list(
                "pk",
                "child_id",
                "start_date",
                "outcome",
                "concluded_on",
                "initial_conference__held_on",
                "initial_conference__decision",
            )
        )
        children = {row[1] for row in rows}
        earliest = L.twelve_months_before(min((row[2] for row in rows), default=self.as_of))
        started: dict[int, list[datetime.date]] = defaultdict(list)
        for pk, day in S47Enquiry.objects.filter(
            child__in=children, start_date__range=(earliest, self.as_of)
        ).values_list("child_id", "start_date"):
            started[pk].append(day)
        conferences: dict[int, list[datetime.date]] = defaultdict(list)
        for pk, day in ChildProtectionConference.objects.filter(
            child__in=children, kind=ConferenceKind.INITIAL, held_on__range=(earliest, self.as_of)
        ).values_list("child_id", "held_on"):
            conferences[pk].append(day)
        result = []
        for _, pk, start, outcome, concluded, icpc, decision in rows:
            concluded = _after(concluded, self.as_of)
            icpc = _after(icpc, self.as_of)
            unnecessary = L.yes_no(outcome == S47Outcome.NO_CONFERENCE) if concluded else ""
            plan = L.yes_no(decision == ConferenceDecision.PLAN) if icpc else ""
            window = L.twelve_months_before(start)
            enquiries = sum(1 for day in started[pk] if window <= day < start)
            icpcs = sum(1 for day in conferences[pk] if window <= day < start)
            result.append(
                (pk, (_DISABILITY, start, unnecessary, icpc, plan, enquiries, icpcs, _TEAM, _WORKER))
            )
        return result

    # -- lists 6 and 7: children in need and child protection ---------------------------------------------

    def casework_context(self) -> "_Casework":
        """What lists 6 and 7 share: the episodes and plans in the window, and the visits in which their
        children were seen (five queries)."""
        episodes = list(
            CinEpisode.objects.filter(_open_in("referral_date", "closure_date", self.since, self.as_of))
            .filter(referral_nfa=False)
            .order_by("child_id", "referral_date", "pk")
            .values_list("child_id", "referral_date", "primary_need", "closure_date", "closure_reason")
        )
        plans = list(
            CPPlan.objects.filter(_open_in("start_date", "end_date", self.since, self.as_of))
            .order_by("child_id", "start_date", "pk")
            .values_list("pk", "child_id", "start_date", "end_date", "initial_category", "latest_category")
        )
        children = {row[0] for row in episodes} | {row[1] for row in plans}
        earliest = min([row[1] for row in episodes] + [row[2] for row in plans], default=self.as_of)
        visits: dict[int, list[tuple[datetime.date, bool]]] = defaultdict(list)
        for pk, day, alone in (
            Visit.objects.filter(
                child__in=children, child_seen=True, visited_on__range=(earliest, self.as_of)
            )
            .order_by("visited_on", "seen_alone")
            .values_list("child_id", "visited_on", "seen_alone")
        ):
            visits[pk].append((day, alone))
        cin_plans = set(
            CinPlan.objects.filter(child__in=children, start_date__lte=self.as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=self.as_of))
            .values_list("child_id", flat=True)
        )
        assessing = set(
            Assessment.objects.filter(child__in=children, start_date__lte=self.as_of)
            .exclude(status=AssessmentStatus.WITHDRAWN)
            .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gt=self.as_of))
            .values_list("child_id", flat=True)
        )
        return _Casework(episodes, plans, visits, cin_plans, assessing)

    def _last_seen(self, visits, start, end) -> tuple[datetime.date, bool] | None:
        """The last visit in which the child was seen from ``start`` to ``end`` (or the date)."""
        until = min(end, self.as_of) if end else self.as_of
        days = [day for day, _ in visits]
        index = bisect.bisect_right(days, until)
        if index and visits[index - 1][0] >= start:
            return visits[index - 1]
        return None

    def children_in_need(self, casework: "_Casework") -> list[tuple[int, tuple]]:
        latest = {}
        for row in casework.episodes:  # in order of referral: the child's last one wins
            latest[row[0]] = row
        looked_after = self._looked_after_on_date(latest)
        on_plan = {
            pk
            for _, pk, start, end, *_ in casework.plans
            if _open_on(start, _after(end, self.as_of), self.as_of)
        }
        result = []
        for pk, (_, referral, need, closed, reason) in sorted(
            latest.items(), key=lambda item: item[1][1:2] + (item[0],)
        ):
            closed = _after(closed, self.as_of)
            if closed is not None:
                status = "closed"
            elif pk in looked_after:
                status = "looked_after"
            elif pk in on_plan:
                status = "cp_plan"
            elif pk in casework.cin_plans or pk not in casework.assessing:
                status = "cin_plan"
            else:
                status = "assessment"
            seen = self._last_seen(casework.visits[pk], referral, closed)
            result.append(
                (
                    pk,
                    (
                        _DISABILITY,
                        referral,
                        L.coded("primary_need", need),
                        seen[0] if seen else None,
                        closed,
                        L.coded("closure_reason", reason) if closed else "",
                        L.CASE_STATUS[status],
                        _TEAM,
                        _WORKER,
                    ),
                )
            )
        return result

    def _looked_after_on_date(self, children) -> set[int]:
        return set(
            PeriodOfCare.objects.filter(child__in=children, start_date__lte=self.as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=self.as_of))
            .values_list("child_id", flat=True)
        )

    def protection(self, casework: "_Casework") -> list[tuple[int, tuple]]:
        latest = {}
        for row in casework.plans:
            latest[row[1]] = row
        children = set(latest)
        reviews: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
        for plan, day, category in (
            ChildProtectionConference.objects.filter(
                kind=ConferenceKind.REVIEW,
                plan__in=[row[0] for row in latest.values()],
                held_on__lte=self.as_of,
            )
            .order_by("held_on", "pk")
            .values_list("plan_id", "held_on", "category")
        ):
            reviews[plan].append((day, category))
        before: dict[int, list[datetime.date]] = defaultdict(list)
        for pk, start in CPPlan.objects.filter(child__in=children, start_date__lte=self.as_of).values_list(
            "child_id", "start_date"
        ):
            before[pk].append(start)
        protected = set(
            LacEpisode.objects.filter(
                _open_in("start_date", "end_date", self.since, self.as_of),
                child__in=children,
                legal_status__in=PROTECTION_STATUSES,
            ).values_list("child_id", flat=True)
        )
        result = []
        for pk, (plan, _, start, end, initial, _latest) in sorted(
            latest.items(), key=lambda item: (item[1][2], item[0])
        ):
            end = _after(end, self.as_of)
            held = reviews.get(plan, [])
            # The category as the latest conference by the date set it (the record holds today's).
            category = next((c for _, c in reversed(held) if c), initial)
            seen = self._last_seen(casework.visits[pk], start, end)
            result.append(
                (
                    pk,
                    (
                        _DISABILITY,
                        start,
                        L.ABUSE.get(initial, initial),
                        L.ABUSE.get(category, category),
                        seen[0] if seen else None,
                        L.yes_no(seen[1]) if seen else "",
                        held[-1][0] if held else None,
                        end,
                        L.yes_no(pk in protected),
                        sum(1 for other in before[pk] if other < start),
                        _TEAM,
                        _WORKER,
                    ),
                )
            )
        return result

    # -- list 8: children in care -------------------------------------------------------------------------

    def in_care(self) -> list[tuple[int, tuple]]:
        periods = {
            pk: (child, start, end, reason)
            for pk, child, start, end, reason in PeriodOfCare.objects.filter(
                _open_in("start_date", "end_date", self.since, self.as_of)
            )
            .order_by("child_id", "start_date")
            .values_list("pk", "child_id", "start_date", "end_date", "end_reason")
        }
        episodes: dict[int, list[LacEpisode]] = defaultdict(list)
        for episode in (
            LacEpisode.objects.filter(period__in=periods, start_date__lte=self.as_of)
            .only(
                "period_id", "start_date", "end_date", "reason_new_episode", "legal_status", "need_code",
                "placement_type", "placement_provider", "placement_postcode", "urn", "long_term",
            )
            .order_by("start_date", "pk")
        ):  # fmt: skip
            episodes[episode.period_id].append(episode)
        latest = {}
        for pk, (child, *_dates) in periods.items():
            if episodes[pk] and not all(e.legal_status in SHORT_BREAKS for e in episodes[pk]):
                latest[child] = pk  # ordered by start: the child's latest period wins
        children = set(latest)
        earlier = defaultdict(list)
        for child, start, end in PeriodOfCare.objects.filter(
            child__in=children, start_date__lte=self.as_of
        ).values_list("child_id", "start_date", "end_date"):
            earlier[child].append((start, end))
        last = _latest_by(
            LacReview.objects.filter(period__in=latest.values(), held_on__lte=self.as_of),
            "period_id",
            "held_on",
        )
        health = defaultdict(dict)
        for period, kind, day in (
            HealthAssessment.objects.filter(period__in=latest.values(), done_on__lte=self.as_of)
            .order_by("done_on")
            .values_list("period_id", "kind", "done_on")
        ):
            health[period]["dental" if kind == HealthCheckKind.DENTAL else "health"] = day
        missing = defaultdict(list)
        for child, kind, start, end, offered, accepted in (
            MissingEpisode.objects.filter(child__in=children, start_date__range=(self.year_ago, self.as_of))
            .order_by("start_date", "pk")
            .values_list(
                "child_id", "kind", "start_date", "end_date", "interview_offered_on", "interview_accepted_on"
            )
        ):
            missing[child].append((kind, start, end, offered, accepted))
        uasc = self._uasc(children)
        visits = defaultdict(list)
        first_start = min((periods[pk][1] for pk in latest.values()), default=self.as_of)
        for child, day in (
            Visit.objects.filter(
                child__in=children, child_seen=True, visited_on__range=(first_start, self.as_of)
            )
            .order_by("visited_on")
            .values_list("child_id", "visited_on")
        ):
            visits[child].append(day)
        result = []
        for child, pk in sorted(latest.items(), key=lambda item: (periods[item[1]][1], item[0])):
            _, start, end, reason = periods[pk]
            end = _after(end, self.as_of)
            these = episodes[pk]
            placements = list(placements_of(these))
            current = placements[-1]
            since = current.episode.start_date
            for episode in reversed(these):
                if episode.legal_status != current.episode.legal_status:
                    break
                since = episode.start_date
            placement_starts = {
                p.started_on for p in placements if (p.episode.end_date or self.as_of) >= self.year_ago
            }
            second = any(
                other_start < start and other_end is not None and other_end >= L.twelve_months_before(start)
                for other_start, other_end in earlier[child]
            )
            ha = health.get(pk, {})
            theirs = missing[child]
            gone = [m for m in theirs if m[0] == MissingKind.MISSING]
            returned = [m for m in gone if _after(m[2], self.as_of)]
            last_missing = returned[-1] if returned else None
            seen = [day for day in visits[child] if day >= start and (end is None or day <= end)]
            settled = current.episode
            result.append(
                (
                    child,
                    (
                        L.yes_no(child in uasc),
                        _DISABILITY,
                        start,
                        L.coded("primary_need", these[0].need_code),
                        L.yes_no(second),
                        since,
                        L.coded("legal_status", settled.legal_status),
                        last.get(pk),
                        seen[-1] if seen else None,
                        "",  # permanence plan: not held
                        None,  # last IRO visit or contact: not held
                        ha.get("health"),
                        ha.get("dental"),
                        len(placement_starts),
                        end,
                        L.coded("reason_episode_ceased", reason) if end else "",
                        current.started_on,
                        L.coded("placement_type", settled.placement_type),
                        L.coded("placement_provider", settled.placement_provider),
                        settled.placement_postcode,
                        settled.urn,
                        "",  # placement location: needs a postcode directory
                        "",  # LA of placement: the same
                        len(gone),
                        sum(1 for m in theirs if m[0] == MissingKind.AWAY),
                        L.yes_no(_after(last_missing[3], self.as_of) is not None) if last_missing else "",
                        L.yes_no(_after(last_missing[4], self.as_of) is not None) if last_missing else "",
                        _TEAM,
                        _WORKER,
                    ),
                )
            )
        return result

    def _uasc(self, children) -> set[int]:
        """Children who were unaccompanied asylum-seeking children at some time by the date."""
        return set(
            UascStatus.objects.filter(child__in=children, start_date__lte=self.as_of).values_list(
                "child_id", flat=True
            )
        )

    # -- list 9: care leavers -----------------------------------------------------------------------------

    def care_leavers(self) -> list[tuple[int, tuple]]:
        records = {
            pk: (child, status, adviser_first, adviser_last)
            for pk, child, status, adviser_first, adviser_last in CareLeaver.objects.filter(
                current_on_q(self.as_of), start_date__isnull=False
            )
            .order_by("child_id", "start_date")
            .values_list(
                "pk",
                "child_id",
                "status",
                "personal_adviser__user__first_name",
                "personal_adviser__user__last_name",
            )
        }
        mine = Q(care_leaver__in=records)
        plans = _latest_by(
            PathwayPlan.objects.filter(mine, started_on__lte=self.as_of), "care_leaver_id", "started_on"
        )
        reviewed = _latest_by(
            PathwayPlanReview.objects.filter(plan__care_leaver__in=records, reviewed_on__lte=self.as_of),
            "plan__care_leaver_id",
            "reviewed_on",
        )
        contacts = _latest_by(
            CareLeaverContact.objects.filter(mine, contacted_on__lte=self.as_of),
            "care_leaver_id",
            "contacted_on",
            "in_touch",
        )
        accommodation = _latest_by(
            CareLeaverAccommodation.objects.filter(mine, start_date__lte=self.as_of),
            "care_leaver_id",
            "start_date",
            "code",
            "suitable",
        )
        activity = _latest_by(
            CareLeaverActivity.objects.filter(mine, start_date__lte=self.as_of),
            "care_leaver_id",
            "start_date",
            "code",
        )
        uasc = self._uasc({row[0] for row in records.values()})
        result = []
        for pk, (child, status, first, last) in sorted(
            records.items(), key=lambda item: (item[1][0], item[0])
        ):
            plan = max(filter(None, (plans.get(pk), reviewed.get(pk))), default=None)
            contact = contacts.get(pk)
            home = accommodation.get(pk)
            doing = activity.get(pk)
            result.append(
                (
                    child,
                    (
                        L.yes_no(child in uasc),
                        _DISABILITY,
                        _TEAM,
                        _WORKER,
                        f"{first or ''} {last or ''}".strip(),
                        L.ELIGIBILITY.get(status, status),
                        plan,
                        L.IN_TOUCH.get(contact[1], contact[1]) if contact else "",
                        contact[0] if contact else None,
                        L.coded("care_leaver_accommodation", home[1]) if home else "",
                        (L.SUITABLE if home[2] else L.UNSUITABLE) if home else "",
                        L.coded("care_leaver_activity", doing[1]) if doing else "",
                    ),
                )
            )
        return result

    # -- list 10: adoption --------------------------------------------------------------------------------

    def adoption(self) -> list[tuple[int, tuple]]:
        """Periods of care with an adoption decision (``lookedafter.Adoption``), a placement order or a
        placement for adoption by the date, still open on it or ceased in the 12 months before it (three
        queries). A decision reversed before the 12 months, with none since, takes the child off the list."""
        marked = Q(legal_status=PLACEMENT_ORDER) | Q(placement_type__in=PLACED_FOR_ADOPTION)
        periods = {
            pk: (child, start, end, reason)
            for pk, child, start, end, reason in PeriodOfCare.objects.filter(
                _open_in("start_date", "end_date", self.year_ago, self.as_of)
            )
            .filter(
                Q(pk__in=LacEpisode.objects.filter(marked, start_date__lte=self.as_of).values("period_id"))
                | Q(pk__in=Adoption.objects.filter(decided_on__lte=self.as_of).values("period_id"))
            )
            .order_by("start_date", "pk")
            .values_list("pk", "child_id", "start_date", "end_date", "end_reason")
        }
        firsts: dict[int, dict[str, datetime.date]] = defaultdict(dict)
        for period, status, place, start in (
            LacEpisode.objects.filter(period__in=periods, start_date__lte=self.as_of)
            .filter(marked | Q(placement_type__in=FOSTERING_FOR_ADOPTION))
            .order_by("start_date", "pk")
            .values_list("period_id", "legal_status", "placement_type", "start_date")
        ):
            found = firsts[period]
            if status == PLACEMENT_ORDER:
                found.setdefault("order", start)
            if place in PLACED_FOR_ADOPTION:
                found.setdefault("placed", start)
            if place in FOSTERING_FOR_ADOPTION:
                found.setdefault("ffa", start)
        decisions = {}  # each period's latest decision made by the date
        for row in (
            Adoption.objects.filter(period__in=periods, decided_on__lte=self.as_of)
            .order_by("decided_on", "pk")
            .values("period_id", *ADOPTION_DATES, "reversal_reason")
        ):
            decisions[row["period_id"]] = {
                key: _after(row[key], self.as_of) if key in ADOPTION_DATES else row[key] for key in row
            }
        result = []
        for pk, (child, start, end, reason) in periods.items():
            end = _after(end, self.as_of)
            found = firsts[pk]
            decision = decisions.get(pk, {})
            reversed_on = decision.get("reversed_on")
            if reversed_on is not None and reversed_on < self.year_ago:
                continue
            adopted = end if end and reason in ADOPTED else decision.get("order_on")
            result.append(
                (
                    child,
                    (
                        "",  # the adoptive family's identifier: Safeguard holds no adopter records (list 11)
                        _DISABILITY,
                        start,
                        decision.get("decided_on"),
                        found.get("order"),
                        decision.get("matched_on"),
                        found.get("placed") or decision.get("placed_on"),
                        adopted,
                        reversed_on,
                        L.coded("adoption_reversal", decision.get("reversal_reason", ""))
                        if reversed_on
                        else "",
                        decision.get("ffa_or_concurrency_on") or found.get("ffa"),
                    ),
                )
            )
        return result


def _latest_by(queryset, key: str, day: str, *more: str) -> dict:
    """The latest ``day`` (with ``more`` values) of each ``key``, in one query."""
    found = {}
    for row in queryset.order_by(day, "pk").values_list(key, day, *more):
        found[row[0]] = row[1] if not more else row[1:]
    return found


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class _Casework:
    episodes: list
    plans: list
    visits: dict
    cin_plans: set
    assessing: set


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


# Filled in by ``finish`` once the children are known: each list names where they go.
_DISABILITY = _Marker("disability")
_TEAM = _Marker("team")
_WORKER = _Marker("worker")
