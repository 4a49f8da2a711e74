"""Vacancy, agency and turnover rates as the DfE children's social work workforce census defines them, computed
from the establishment's history (``organisation.Post`` and ``organisation.PostFilling``) on any date.

Definitions
-----------
The census (DfE, "Children's social work workforce", explore-education-statistics.service.gov.uk; the
methodology and the data set "Indicators (in post, starters, leavers, agency workers, vacancies, caseload and
absence)") counts *children and family social workers*: social workers registered with Social Work England
working in the council's children's services, case holders, managers and reviewing officers alike. Here they
are the holders of posts that need a qualified social worker (``Post.is_social_work_post``). The census is
taken on 30 September; every figure below can be taken on any day (``on``):

- **In post (permanent) FTE**: the FTE of social work posts held on ``on`` by a permanent employee.
- **Agency FTE**: the FTE of social work posts covered on ``on`` by an agency worker.
- **Vacancy FTE**: the FTE of social work posts that exist on ``on`` and are not held by a permanent employee,
  *including those covered by an agency worker* (the census counts a vacancy covered by agency staff as a
  vacancy, and reports separately how many are covered).
- **Vacancy rate** = vacancy FTE / (vacancy FTE + permanent FTE).
- **Agency rate** = agency FTE / (agency FTE + permanent FTE).
- **Turnover rate** = FTE of permanent leavers in the 12 months to ``on`` / permanent FTE on ``on``. A leaver
  left the council: a move to another post in it is not leaving (``LeavingReason.MOVED``). The 12 months to
  30 September 2023 run from 1 October 2022 to 30 September 2023 inclusive.

The England figures of 30 September 2023 check these formulas: 7,722.7 / (7,722.7 + 33,119.1) = 18.9% vacancy;
7,173.5 / (7,173.5 + 33,119.1) = 17.8% agency; 5,254.6 / 33,119.1 = 15.9% turnover (``data/england.csv``).

FTE is the post's: a 0.6 FTE post is held by someone working 0.6 of full time (a job share is two posts), so a
part-time post counts its fraction wherever it is counted.

The computation is plain Python over two lists of rows (``PostRow``, ``FillingRow``) read in two queries
(``selectors``): the same code gives the rates for a team, an area or the council on one day or on each of 24
month ends, and the worked examples in the tests exercise it without a database.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from safeguard.organisation.models import Employment, LeavingReason

ZERO = Decimal(0)


def year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def twelve_months_to(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the 12 months to ``day``: 1 Oct 2022 to 30 Sep 2023 for 30 Sep 2023."""
    return year_before(day) + datetime.timedelta(days=1), day


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    team_id: int
    area_id: int
    fte: Decimal
    social_work: bool  # needs a qualified social worker: counted by the census
    case_holding: bool  # a case-holding grade in a team that holds cases: counted in capacity
    established_on: datetime.date
    disestablished_on: datetime.date | None

    def exists_on(self, day: datetime.date) -> bool:
        return self.established_on <= day and (self.disestablished_on is None or day < self.disestablished_on)


@dataclass(frozen=True, slots=True)
class FillingRow:
    id: int
    post_id: int
    worker_id: int
    employment: str
    start_date: datetime.date
    end_date: datetime.date | None
    leaving_reason: str
    moved_within_council: bool

    def current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def permanent(self) -> bool:
        return self.employment == Employment.PERMANENT

    @property
    def is_leaver(self) -> bool:
        return self.end_date is not None and self.leaving_reason != LeavingReason.MOVED

    @property
    def is_starter(self) -> bool:
        return not self.moved_within_council


def _rate(part: Decimal, whole: Decimal) -> float | None:
    return float(part / whole) if whole else None


@dataclass
class Rates:
    """The establishment of a team, an area or the council on one day, with the census's rates."""

    on: datetime.date
    posts_fte: Decimal = ZERO  # social work posts that exist on the day
    permanent_fte: Decimal = ZERO
    agency_fte: Decimal = ZERO
    vacant_fte: Decimal = ZERO  # not held by a permanent employee: agency-covered or empty
    uncovered_fte: Decimal = ZERO  # nobody in post at all
    leavers_fte: Decimal = ZERO  # permanent leavers in the 12 months to the day
    starters_fte: Decimal = ZERO  # permanent starters in the 12 months to the day (not moves within)
    leavers: int = 0
    starters: int = 0
    case_holding_filled_fte: Decimal = ZERO  # case-holding posts held on the day, permanent or agency
    other_posts_fte: Decimal = ZERO  # posts not needing a qualified social worker (support staff)
    other_filled_fte: Decimal = ZERO

    @property
    def vacancy_rate(self) -> float | None:
        return _rate(self.vacant_fte, self.vacant_fte + self.permanent_fte)

    @property
    def agency_rate(self) -> float | None:
        return _rate(self.agency_fte, self.agency_fte + self.permanent_fte)

    @property
    def turnover_rate(self) -> float | None:
        return _rate(self.leavers_fte, self.permanent_fte)

    @property
    def agency_cover_rate(self) -> float | None:
        """The share of vacancies covered by an agency worker (the census's ``vacancy_agency_cover_rate``)."""
        return _rate(self.agency_fte, self.vacant_fte)


@dataclass
class Establishment:
    """Posts and fillings read once, from which rates are computed for any day and any grouping."""

    posts: list[PostRow]
    fillings: list[FillingRow]
    by_post: dict[int, list[FillingRow]] = field(init=False)
    post_index: dict[int, PostRow] = field(init=False)

    def __post_init__(self) -> None:
        self.by_post = defaultdict(list)
        for filling in self.fillings:
            self.by_post[filling.post_id].append(filling)
        self.post_index = {post.id: post for post in self.posts}

    def holder_on(self, post_id: int, day: datetime.date) -> FillingRow | None:
        for filling in self.by_post.get(post_id, ()):
            if filling.current_on(day):
                return filling
        return None

    def rates(
        self, on: datetime.date, key: Callable[[PostRow], int | None] = lambda post: 0
    ) -> dict[int | None, Rates]:
        """The rates on ``on`` for each group of posts (``key`` of a post: its team id, its area id; one group,
        0, by default)."""
        groups: dict[int | None, Rates] = {}

        def group(post: PostRow) -> Rates:
            name = key(post)
            if name not in groups:
                groups[name] = Rates(on=on)
            return groups[name]

        for post in self.posts:
            if not post.exists_on(on):
                continue
            figures = group(post)
            holder = self.holder_on(post.id, on)
            if not post.social_work:
                figures.other_posts_fte += post.fte
                if holder is not None:
                    figures.other_filled_fte += post.fte
                continue
            figures.posts_fte += post.fte
            if holder is not None and holder.permanent:
                figures.permanent_fte += post.fte
            else:
                figures.vacant_fte += post.fte
                if holder is None:
                    figures.uncovered_fte += post.fte
                else:
                    figures.agency_fte += post.fte
            if holder is not None and post.case_holding:
                figures.case_holding_filled_fte += post.fte
        first, last = twelve_months_to(on)
        for filling in self.fillings:
            if not filling.permanent:
                continue
            post = self.post_index.get(filling.post_id)
            if post is None or not post.social_work:
                continue
            if filling.is_leaver and first <= filling.end_date <= last:
                figures = group(post)
                figures.leavers += 1
                figures.leavers_fte += post.fte
            if filling.is_starter and first <= filling.start_date <= last:
                figures = group(post)
                figures.starters += 1
                figures.starters_fte += post.fte
        return groups

    def total(self, on: datetime.date) -> Rates:
        return self.rates(on).get(0) or Rates(on=on)


def census_dates(until: datetime.date, years: int) -> list[datetime.date]:
    """The census dates (30 September) on or before ``until``, the latest ``years`` of them, oldest first."""
    latest = datetime.date(until.year if until >= datetime.date(until.year, 9, 30) else until.year - 1, 9, 30)
    return [latest.replace(year=latest.year - back) for back in reversed(range(years))]


def within(rows: Iterable[FillingRow], first: datetime.date, last: datetime.date) -> list[FillingRow]:
    """Fillings that started or ended from ``first`` to ``last``: the starters and leavers list."""
    return [
        row
        for row in rows
        if first <= row.start_date <= last or (row.end_date is not None and first <= row.end_date <= last)
    ]
