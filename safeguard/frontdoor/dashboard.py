"""The front door dashboard's figures, for one user, in a fixed handful of aggregate queries.

Every figure counts the contacts the user may see (``selectors.contacts_for``) and the referrals made from
them; a contact recorded in error is not counted. Four grouped queries (and one for the areas' names) serve
the whole page, whatever the size of the council (indexes used: ``received_at``, the partial index on
contacts awaiting a decision, the deadlines' scope index, ``referral_date`` and the referrals'
``(child, referral_date)``):

1. contacts received in the last 12 months, by source and area (with today's, this week's, the decided
   and the referred among them);
2. contacts awaiting a decision, and the overdue among them (from their deadlines), by area;
3. decisions made this month, and those made on time (from their deadlines);
4. referrals in the last 12 months by source and area, with the re-referrals among them.

Definitions:

- **This week**: Monday to today. **This month**: the calendar month to date.
- **Overdue**: awaiting a decision, its ``contact_decision`` deadline open after the end of its due day (the
  end of the next working day after the contact arrived, Working Together 2023 ch.3).
- **On time**: its ``contact_decision`` deadline met (the day of the decision, in local time) on or before
  its due day: no days late.
- **Last 12 months**: the 12 calendar months ending today (from the day after the same date a year ago).
- **Conversion to referral**: of the contacts received in the last 12 months that have been decided, the
  share that became referrals.
- **Re-referral rate** (DfE, CIN census): of the referrals in the last 12 months, the share about a child
  who had another referral in the 12 months before it (on or after the same date a year earlier, before
  the day of this one). The earlier referral counts whoever took it: a child's history is the council's.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, DateField, Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.core.calendar import add_calendar_months
from safeguard.core.reference import codes, codes_valid_on
from safeguard.frontdoor import benchmarks
from safeguard.frontdoor.benchmarks import EnglandFigure
from safeguard.frontdoor.models import Contact, ContactStatus, Referral, ThresholdDecision
from safeguard.frontdoor.selectors import (
    REPEAT_REFERRAL_MONTHS,
    contacts_for,
    decision_met_on_time,
    decision_overdue,
)
from safeguard.organisation.models import Area

PERIOD_MONTHS = 12
_DAY = datetime.timedelta(days=1)


class MonthsBefore(Func):
    """The date ``months`` calendar months before a date column, clamped to the end of a shorter month as
    ``core.calendar.add_calendar_months`` is (29 February 2024 less 12 months is 28 February 2023)."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression, *, months: int):
        super().__init__(expression)
        self.months = int(months)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's date() overflows a short month (2024-02-29 less 12 months is 2023-03-01, past the end of the
        # month wanted), so take the earlier of it and the last day of the month wanted. Dates are stored as
        # YYYY-MM-DD, which compare as text; two date() calls a row, where the re-referral count makes one
        # for each of a year's referrals.
        sql, params = compiler.compile(self.source_expressions[0])
        shifted = f"date({sql}, '-{self.months} months')"
        month_end = f"date({sql}, 'start of month', '-{self.months} months', '+1 month', '-1 day')"
        return f"min({shifted}, {month_end})", (*params, *params)

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL (interval arithmetic clamps)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) - interval '{self.months} months')::date", params


@dataclass(frozen=True)
class Rate:
    count: int
    out_of: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.out_of if self.out_of else None


@dataclass
class SourceFigures:
    code: str
    label: str
    contacts: int = 0
    referrals: int = 0
    contacts_share: Rate = field(default_factory=lambda: Rate(0, 0))
    referrals_share: Rate = field(default_factory=lambda: Rate(0, 0))
    england: EnglandFigure | None = None


@dataclass
class AreaFigures:
    area_id: int
    name: str
    contacts: int = 0
    referrals: int = 0
    re_referrals: int = 0
    awaiting: int = 0  # contacts about a child of the area waiting for a decision now
    overdue: int = 0  # of those, past their one working day

    @property
    def re_referral_rate(self) -> Rate:
        return Rate(self.re_referrals, self.referrals)


@dataclass
class FrontDoorFigures:
    today: datetime.date
    week_start: datetime.date
    month_start: datetime.date
    period_start: datetime.date
    received_today: int
    received_this_week: int
    received_in_period: int
    awaiting: int
    overdue: int
    decided_this_month: Rate  # on time, out of all decided this month
    conversion: Rate  # referrals, out of decided contacts received in the period
    re_referral: Rate  # re-referrals, out of referrals in the period
    england_re_referral: EnglandFigure | None
    england_re_referral_earlier: list[EnglandFigure]  # the years before, newest first
    by_source: list[SourceFigures]
    by_area: list[AreaFigures]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period_start(today: datetime.date) -> datetime.date:
    """The first day of the last 12 months: the day after the same date a year ago."""
    return add_calendar_months(today, -PERIOD_MONTHS) + _DAY


def _counted_contacts(user) -> QuerySet[Contact]:
    return contacts_for(user).exclude(status=ContactStatus.RECORDED_IN_ERROR)


def _received(contacts: QuerySet[Contact], period_start: datetime.date, today: datetime.date) -> QuerySet:
    """Of ``contacts``, those received in the period (query 1)."""
    return contacts.filter(received_at__gte=_start_of(period_start), received_at__lt=_start_of(today + _DAY))


def _waiting_by_area(contacts: QuerySet[Contact], today: datetime.date) -> list[dict]:
    """Contacts awaiting a decision, and the overdue among them, by area (query 2)."""
    return list(
        contacts.filter(status=ContactStatus.AWAITING_DECISION)
        .values("area_id")
        .annotate(awaiting=Count("pk"), overdue=Count("pk", filter=decision_overdue(today)))
        .order_by()
    )


def _referred(contacts: QuerySet[Contact], period_start: datetime.date, today: datetime.date) -> QuerySet:
    """Of ``contacts``, those referred in the period, each with ``re_referral`` (query 4; group it with
    ``.values()`` and count ``_referral_counts``)."""
    previous = Referral.objects.filter(
        child_id=OuterRef("referral__child_id"),
        referral_date__lt=OuterRef("referral__referral_date"),
        referral_date__gte=MonthsBefore(OuterRef("referral__referral_date"), months=REPEAT_REFERRAL_MONTHS),
    )
    referred = contacts.filter(referral__referral_date__gte=period_start, referral__referral_date__lte=today)
    if connections[contacts.db].vendor == "postgresql":
        # Repeating the date filter as a ``pk__in``, as for the decisions, makes PostgreSQL start from the
        # year's referrals instead of hash-joining every contact ever received (at 338,000 contacts: 276 ms to
        # 178 ms). SQLite starts from the referrals anyway; for it the repetition is only a cost (the area
        # dashboards' query: about 70 to 55 ms).
        in_period = Referral.objects.filter(referral_date__gte=period_start, referral_date__lte=today)
        referred = referred.filter(pk__in=in_period.values("contact_id"))
    return referred.annotate(re_referral=Exists(previous))


def _referral_counts() -> dict:
    return {"referrals": Count("pk"), "re_referrals": Count("pk", filter=Q(re_referral=True))}


def front_door_figures(*, user, today: datetime.date | None = None) -> FrontDoorFigures:
    today = today or timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    period_start = _period_start(today)
    contacts = _counted_contacts(user)

    # 1. Contacts received in the period, by source and area.
    received = (
        _received(contacts, period_start, today)
        .values("source", "area_id")
        .annotate(
            contacts=Count("pk"),
            today=Count("pk", filter=Q(received_at__gte=_start_of(today))),
            week=Count("pk", filter=Q(received_at__gte=_start_of(week_start))),
            decided=Count("pk", filter=Q(status=ContactStatus.DECIDED)),
            referred=Count("pk", filter=Q(referral__isnull=False)),
        )
        .order_by()
    )
    received = list(received)

    # 2. Awaiting a decision, and overdue, by area.
    waiting = _waiting_by_area(contacts, today)

    # 3. Decisions this month, and on time. The ``pk__in`` repeats the date filter so that SQLite starts from
    # the month's decisions rather than scanning every contact (111 ms -> 40 ms at 180,000 contacts).
    this_month = ThresholdDecision.objects.filter(decided_at__gte=_start_of(month_start))
    decisions = contacts.filter(
        decision__decided_at__gte=_start_of(month_start), pk__in=this_month.values("contact_id")
    ).aggregate(decided=Count("pk"), on_time=Count("pk", filter=decision_met_on_time()))

    # 4. Referrals in the period, by source and area, with the re-referrals.
    referrals = list(
        _referred(contacts, period_start, today)
        .values("referral__source", "area_id")
        .annotate(**_referral_counts())
        .order_by()
    )

    areas = _areas()
    sources = {
        code: SourceFigures(code=code, label=text, england=benchmarks.latest_source_share(code))
        for code, text in codes_valid_on("referral_source", today).items()
    }
    all_labels = codes("referral_source")

    def source(code: str) -> SourceFigures:
        if code not in sources:  # a code no longer valid, still in last year's data
            sources[code] = SourceFigures(code=code, label=all_labels.get(code, code))
        return sources[code]

    decided = referred = 0
    for group in received:
        source(group["source"]).contacts += group["contacts"]
        areas[group["area_id"]].contacts += group["contacts"]
        decided += group["decided"]
        referred += group["referred"]
    for group in waiting:
        areas[group["area_id"]].awaiting = group["awaiting"]
        areas[group["area_id"]].overdue = group["overdue"]
    for group in referrals:
        source(group["referral__source"]).referrals += group["referrals"]
        area = areas[group["area_id"]]
        area.referrals += group["referrals"]
        area.re_referrals += group["re_referrals"]
    total_contacts = sum(group["contacts"] for group in received)
    total_referrals = sum(area.referrals for area in areas.values())
    for figures in sources.values():
        figures.contacts_share = Rate(figures.contacts, total_contacts)
        figures.referrals_share = Rate(figures.referrals, total_referrals)

    return FrontDoorFigures(
        today=today,
        week_start=week_start,
        month_start=month_start,
        period_start=period_start,
        received_today=sum(group["today"] for group in received),
        received_this_week=sum(group["week"] for group in received),
        received_in_period=total_contacts,
        awaiting=sum(group["awaiting"] for group in waiting),
        overdue=sum(group["overdue"] for group in waiting),
        decided_this_month=Rate(decisions["on_time"], decisions["decided"]),
        conversion=Rate(referred, decided),
        re_referral=Rate(sum(area.re_referrals for area in areas.values()), total_referrals),
        england_re_referral=(latest := benchmarks.latest_re_referral_rate()),
        england_re_referral_earlier=sorted(
            (figure for figure in benchmarks.RE_REFERRAL_RATE if figure is not latest),
            key=lambda figure: -figure.year,
        ),
        by_source=list(sources.values()),
        by_area=list(areas.values()),
    )


def _areas() -> dict[int, AreaFigures]:
    return {pk: AreaFigures(area_id=pk, name=name) for pk, name in Area.objects.values_list("pk", "name")}


def front_door_by_area(*, user, today: datetime.date | None = None) -> list[AreaFigures]:
    """``front_door_figures(...).by_area`` alone, for the area dashboards, which show nothing else of the
    front door: the same rows, grouped by area only, in three queries instead of four (and the areas' names).

    Leaving out the sources, today's and this week's contacts, the decided and referred among them (a join
    of every contact of the year to its referral) and the decisions this month costs much less: at
    338,000 contacts, 206 to about 85 ms on SQLite and 165-190 to about 110 ms on PostgreSQL
    (docs/benchmarks.md). ``contact_received_area_idx`` answers the year's contacts from the index alone
    (hence ``COUNT(*)``), and ``contact_area_status_idx`` each referral's contact."""
    today = today or timezone.localdate()
    period_start = _period_start(today)
    contacts = _counted_contacts(user)
    areas = _areas()
    received = _received(contacts, period_start, today).values("area_id").annotate(n=Count("*")).order_by()
    for group in received:
        areas[group["area_id"]].contacts = group["n"]
    for group in _waiting_by_area(contacts, today):
        areas[group["area_id"]].awaiting = group["awaiting"]
        areas[group["area_id"]].overdue = group["overdue"]
    referred = _referred(contacts, period_start, today).values("area_id").annotate(**_referral_counts())
    for group in referred.order_by():
        areas[group["area_id"]].referrals = group["referrals"]
        areas[group["area_id"]].re_referrals = group["re_referrals"]
    return list(areas.values())
