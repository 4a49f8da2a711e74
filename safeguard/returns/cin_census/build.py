"""The CIN census of a collection year, straight from the records.

Who and what is in it (DfE CIN census guidance, DOMAIN.md §3):

- every child with a child in need episode open at any time in the year (referred on or before 31 March,
  not closed before 1 April), with each such episode (``CINdetails``);
- the episode's **assessments** completed in the year or still open at its end (8696, 8736), the
  factors only for a completed one (8614);
- **CIN plans** and **child protection plans** open at any time in the year, with their reviews in the year;
- **section 47 enquiries** started in the year, or whose initial conference was held in it (8715, 8740),
  with the conference's target date (the ``initial_cp_conference`` deadline: 15 working days from the
  strategy discussion) and whether a conference was found unnecessary;
- anything that happened after 31 March is left out: a closure, authorisation, plan end or conference after
  the year's end is reported as not yet having happened, as it had not at the census date.

Ten queries whatever the size of the council, none per child; every row read as plain values.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from safeguard.casework.models import (
    Assessment as AssessmentRecord,
)
from safeguard.casework.models import (
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    ConferenceKind,
    S47Outcome,
)
from safeguard.casework.models import (
    CinPlan as CinPlanRecord,
)
from safeguard.casework.models import (
    CPPlan as CPPlanRecord,
)
from safeguard.casework.models import (
    S47Enquiry as S47Record,
)
from safeguard.compliance.models import Deadline
from safeguard.core.years import CollectionYear
from safeguard.people.models import Child as ChildRecord
from safeguard.people.models import ChildDisability, Sex
from safeguard.returns.cin_census.model import (
    Assessment,
    Child,
    CinPlan,
    CinReturn,
    CPPlan,
    Episode,
    Header,
    Section47,
)
from safeguard.returns.rules import Source

# Sex replaced GenderCurrent in 2024-25 (DfE CIN census 2024-25 specification); before it, GenderCurrent's
# codes were 1 male, 2 female, 0 not known (reference data ``gender_current``).
SEX_FROM_YEAR = 2025
GENDER_CURRENT = {Sex.MALE: "1", Sex.FEMALE: "2", Sex.UNKNOWN: "0"}

ICPC_DUTY = "initial_cp_conference"


def sex_code(sex: str, year: CollectionYear) -> str:
    return sex if year.end_year >= SEX_FROM_YEAR else GENDER_CURRENT.get(sex, "0")


def build(
    year: CollectionYear, *, generated_at: datetime.datetime | None = None, child: int | None = None
) -> CinReturn:
    """The year's CIN census from the records; only one child's part of it when ``child`` (a child's pk) is
    given, as the checks made when a record is saved need."""
    mine = Q(child_id=child) if child is not None else Q()
    header = Header(
        year=year,
        reference_date=year.reference_date,
        lea=settings.SAFEGUARD["LA_CODE"],
        release=_release(),
        generated_at=generated_at or timezone.localtime(),
    )
    episodes_in_year = year.open_in("referral_date", "closure_date")
    episode_filter = Q(episode__referral_date__lte=year.end) & (
        Q(episode__closure_date__isnull=True) | Q(episode__closure_date__gte=year.start)
    )

    episodes: dict[int, Episode] = {}
    episodes_of: dict[int, list[Episode]] = defaultdict(list)
    for pk, child_pk, referral, source, need, closed, reason, nfa in (
        CinEpisode.objects.filter(episodes_in_year, mine)
        .order_by("child_id", "referral_date", "pk")
        .values_list(
            "pk",
            "child_id",
            "referral_date",
            "referral_source",
            "primary_need",
            "closure_date",
            "closure_reason",
            "referral_nfa",
        )
    ):
        closed = year.as_at_end(closed)
        episode = Episode(
            referral_date=referral,
            referral_source=source,
            primary_need=need,
            closure_date=closed,
            closure_reason=reason if closed else "",
            referral_nfa=nfa,
            source=Source("casework.cinepisode", pk, child_pk),
        )
        episodes[pk] = episode
        episodes_of[child_pk].append(episode)

    episode_filter &= mine
    _add_assessments(year, episode_filter, episodes)
    for pk, child_pk, episode_pk, start, end in (
        CinPlanRecord.objects.filter(episode_filter, year.open_in("start_date", "end_date"))
        .order_by("start_date", "pk")
        .values_list("pk", "child_id", "episode_id", "start_date", "end_date")
    ):
        episodes[episode_pk].cin_plans.append(
            CinPlan(start=start, end=year.as_at_end(end), source=Source("casework.cinplan", pk, child_pk))
        )
    _add_s47s(year, episode_filter, episodes, mine)
    _add_cp_plans(year, episode_filter, episodes, mine)

    children = _children(year, episodes_of, child)
    return CinReturn(header=header, children=children)


def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("safeguard")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return ""


def _add_assessments(year: CollectionYear, episode_filter: Q, episodes: dict[int, Episode]) -> None:
    rows = (
        AssessmentRecord.objects.filter(episode_filter, start_date__lte=year.end)
        .exclude(status=AssessmentStatus.WITHDRAWN)
        .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gte=year.start))
        .order_by("start_date", "pk")
        .values_list("pk", "child_id", "episode_id", "start_date", "authorised_on", "factors")
    )
    for pk, child_pk, episode_pk, start, authorised, factors in rows:
        authorised = year.as_at_end(authorised)
        episodes[episode_pk].assessments.append(
            Assessment(
                start=start,
                authorised=authorised,
                # Factors are reported for a completed assessment only (8614).
                factors=list(factors or []) if authorised else [],
                source=Source("casework.assessment", pk, child_pk),
            )
        )


def _add_s47s(year: CollectionYear, episode_filter: Q, episodes: dict[int, Episode], mine: Q) -> None:
    conferences = {
        s47_pk: held_on
        for s47_pk, held_on in ChildProtectionConference.objects.filter(
            mine, kind=ConferenceKind.INITIAL, held_on__lte=year.end, s47__isnull=False
        )
        .filter(held_on__gte=year.start)
        .values_list("s47_id", "held_on")
    }
    targets = {
        scope_id: due_on
        for scope_id, due_on in Deadline.objects.filter(
            mine, duty__code=ICPC_DUTY, scope_type=S47Record._meta.label_lower, starts_on__lte=year.end
        )
        .filter(starts_on__gte=year.start - datetime.timedelta(days=366))
        .values_list("scope_id", "due_on")
    }
    rows = (
        S47Record.objects.filter(episode_filter, start_date__lte=year.end)
        .filter(Q(start_date__gte=year.start) | Q(initial_conference__held_on__range=(year.start, year.end)))
        .order_by("start_date", "pk")
        .values_list("pk", "child_id", "episode_id", "start_date", "outcome", "concluded_on")
    )
    for pk, child_pk, episode_pk, start, outcome, concluded in rows:
        not_required = outcome == S47Outcome.NO_CONFERENCE and year.as_at_end(concluded) is not None
        episodes[episode_pk].s47s.append(
            Section47(
                start=start,
                icpc_target=targets.get(pk),
                icpc_date=conferences.get(pk),
                icpc_not_required=not_required,
                source=Source("casework.s47enquiry", pk, child_pk),
            )
        )


def _add_cp_plans(year: CollectionYear, episode_filter: Q, episodes: dict[int, Episode], mine: Q) -> None:
    rows = list(
        CPPlanRecord.objects.filter(episode_filter, year.open_in("start_date", "end_date"))
        .order_by("start_date", "pk")
        .values_list(
            "pk", "child_id", "episode_id", "start_date", "end_date", "initial_category", "latest_category"
        )
    )
    reviews: dict[int, list[datetime.date]] = defaultdict(list)
    for plan_pk, held_on in (
        ChildProtectionConference.objects.filter(
            mine, kind=ConferenceKind.REVIEW, held_on__range=(year.start, year.end), plan__isnull=False
        )
        .filter(Q(plan__end_date__isnull=True) | Q(plan__end_date__gte=year.start))
        .order_by("held_on")
        .values_list("plan_id", "held_on")
    ):
        reviews[plan_pk].append(held_on)
    # NumberOfPreviousCPP: the plans the child had before this one. Every earlier plan of the children in
    # the return, in one query.
    earlier: dict[int, list[datetime.date]] = defaultdict(list)
    for child_pk, start in (
        CPPlanRecord.objects.filter(
            mine,
            child__in=CPPlanRecord.objects.filter(year.open_in("start_date", "end_date")).values("child_id"),
        )
        .filter(start_date__lte=year.end)
        .values_list("child_id", "start_date")
    ):
        earlier[child_pk].append(start)
    for pk, child_pk, episode_pk, start, end, initial, latest in rows:
        episodes[episode_pk].cp_plans.append(
            CPPlan(
                start=start,
                end=year.as_at_end(end),
                initial_category=initial,
                latest_category=latest,
                previous_plans=sum(1 for other in earlier[child_pk] if other < start),
                reviews=reviews.get(pk, []),
                source=Source("casework.cpplan", pk, child_pk),
            )
        )


def _children(year: CollectionYear, episodes_of: dict[int, list[Episode]], child: int | None) -> list[Child]:
    in_return = ChildRecord.objects.filter(pk=child) if child is not None else ChildRecord.objects.all()
    in_return = in_return.filter(
        cin_episodes__in=CinEpisode.objects.filter(year.open_in("referral_date", "closure_date"))
    ).distinct()
    disabilities: dict[int, list[str]] = defaultdict(list)
    for child_pk, code in (
        ChildDisability.objects.filter(child__in=in_return.values("pk"))
        .order_by("pk")
        .values_list("child_id", "code")
    ):
        disabilities[child_pk].append(code)
    children = []
    for pk, la_child_id, upn, former_upn, unknown, expected, born, sex, died, ethnicity in in_return.order_by(
        "la_child_id"
    ).values_list(
        "pk",
        "la_child_id",
        "upn",
        "former_upn",
        "upn_unknown_reason",
        "expected_date_of_birth",
        "person__date_of_birth",
        "person__sex",
        "person__date_of_death",
        "person__ethnicity",
    ):
        children.append(
            Child(
                la_child_id=la_child_id,
                upn=upn,
                former_upn=former_upn,
                upn_unknown=unknown,
                birth_date=born,
                # An expected date of birth is reported only while the child is unborn (8525Q: not both).
                expected_birth_date=expected if born is None else None,
                sex=sex_code(sex, year),
                death_date=year.as_at_end(died),
                ethnicity=ethnicity,
                disabilities=disabilities.get(pk, []),
                episodes=episodes_of.get(pk, []),
                source=Source("people.child", pk, pk),
            )
        )
    return children
