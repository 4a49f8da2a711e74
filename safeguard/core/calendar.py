"""The working-day calendar behind every statutory clock in Safeguard.

A **working day** is Monday to Friday, except the bank holidays of England and Wales, with local changes from
the ``CalendarOverride`` table applied on top. The bank holidays come from the ``holidays`` package
(``holidays.country_holidays("GB", subdiv="ENG")``), which carries the same dates as gov.uk's official list
(https://www.gov.uk/bank-holidays.json, division ``england-and-wales``), including the "substitute days"
when a holiday falls at a weekend and the one-off holidays (Platinum Jubilee 3 Jun 2022, State Funeral
19 Sep 2022, Coronation 8 May 2023). A council's server often cannot reach gov.uk, so the package is the
source, and ``CalendarOverride`` rows cover what it cannot know: a council closure day between Christmas and
New Year, or a newly announced bank holiday before the package is upgraded.

Counting conventions
--------------------

Statutory guidance sets many limits in working days: Working Together to Safeguard Children 2023 (ch.3)
expects a decision on a referral within 1 working day and an assessment within 45 working days of the
referral; an initial child protection conference within 15 working days of the strategy discussion. Two
conventions are in use and both are supported (``counting=``):

``"exclusive"`` (the default, from ``settings.SAFEGUARD["WORKING_DAY_COUNTING"]``)
    Day 1 is the first working day *after* the start day; the start day never counts. A referral received on
    Friday must have a decision "within 1 working day", that is by Monday. ``working_days_between(a, b)``
    counts the working days in the half-open interval ``(a, b]``.

``"inclusive"``
    The start day is day 1 if it is a working day. This is the convention of the DfE CIN census validator
    (data-to-insight ``csc-validator-be-cin``, ``england_working_days(n)`` =
    ``pandas.offsets.CustomBusinessDay(n - 1)``, used by rules 8670Q and 8675Q). Precisely: the result of
    ``add_working_days(a, n)`` is the date ``b`` such that the closed interval ``[a, b]`` holds exactly ``n``
    working days and ``b`` is a working day. If the start day is *not* a working day, it cannot be day 1, so
    day 1 is the next working day, and the result is the same as in the exclusive convention.

    Where the two conventions differ (start on a working day), the inclusive result is one working day
    earlier than the exclusive one.

    The pandas offset behaves differently from this when the start day is not a working day: for ``n >= 2``
    it returns one working day earlier than either convention here (it treats the non-working start as
    day 1). To reproduce the validator bit for bit (31 March, the census reference date, falls at a weekend
    in some years, e.g. 2024 and 2029) use ``add_working_days(day, n - 1, counting="exclusive")`` (or
    ``-(n - 1)`` to count back, as the validator does from the reference date): that equals
    ``day ± CustomBusinessDay(n - 1)`` for every start day when ``n >= 2``.

Negative ``n`` counts backwards, as the mirror image: ``add_working_days(a, -n)`` is the ``n``-th working
day before ``a`` (exclusive), or the working day ``b`` with exactly ``n`` working days in ``[b, a]``
(inclusive). ``working_days_between(a, b)`` with ``b`` before ``a`` returns the negative of the count over
``[b, a)`` (exclusive) or ``[b, a]`` (inclusive), so that ``working_days_between(a, add_working_days(a, n))
== n`` for every non-zero ``n`` and every start day, in both conventions. ``add_working_days(a, 0)`` is
``a``.

Calendar periods ("within 6 weeks", "within 3 months") are not working days: use :func:`add_weeks` and
:func:`add_calendar_months` (calendar months, clamped to the end of a shorter month).

Caching and local overrides
---------------------------

:func:`calendar` returns the process-wide calendar, with the ``CalendarOverride`` rows loaded from the
database. It is cached: the rows are re-read at most every :data:`OVERRIDES_MAX_AGE` seconds, and at once
after ``calendar.cache_clear()`` (also available as :func:`cache_clear`). Saving or deleting a
``CalendarOverride`` through the ORM (``save()``, ``delete()``, the Django admin) clears the cache of the
process that made the change automatically; **a service that writes overrides any other way
(``bulk_create``, ``QuerySet.update``, raw SQL, a data migration) must call ``calendar.cache_clear()``**,
and other worker processes pick the change up within :data:`OVERRIDES_MAX_AGE` seconds.

A bulk caller (a dashboard computing thousands of deadlines) should take ``cal = calendar()`` once and call
its methods, so every deadline on the page is computed against the same calendar. The arithmetic does no
per-day loop over long spans: working days before a date are counted in closed form (whole weeks times five,
plus the remainder) minus the non-working weekdays in range, found by binary search in a sorted list; adding
working days inverts that count in a few jumps.
"""

import bisect
import datetime
import functools
import operator
import threading
import time
from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save

__all__ = [
    "OVERRIDES_MAX_AGE",
    "Counting",
    "WorkingDayCalendar",
    "add_calendar_months",
    "add_weeks",
    "add_working_days",
    "cache_clear",
    "calendar",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "working_days_between",
]

#: Seconds for which :func:`calendar` keeps the ``CalendarOverride`` rows before reading them again. Bounds
#: how long another worker process can miss a change made elsewhere.
OVERRIDES_MAX_AGE = 300.0


class Counting(StrEnum):
    """How working days are counted from a start day; see the module docstring."""

    EXCLUSIVE = "exclusive"
    """Day 1 is the first working day after the start (Working Together to Safeguard Children 2023, ch.3)."""

    INCLUSIVE = "inclusive"
    """The start day is day 1 if it is a working day (DfE CIN validator, ``CustomBusinessDay(n - 1)``)."""


# A dict lookup is several times faster than Counting(value), and these are on every call.
_COUNTINGS: dict[str, Counting] = {member.value: member for member in Counting}


def _settings_counting() -> Counting:
    value = getattr(settings, "SAFEGUARD", {}).get("WORKING_DAY_COUNTING", Counting.EXCLUSIVE)
    counting = _COUNTINGS.get(value) if isinstance(value, str) else None
    if counting is None:
        raise ImproperlyConfigured(
            f'SAFEGUARD["WORKING_DAY_COUNTING"] must be "exclusive" or "inclusive", not {value!r}.'
        )
    return counting


def _counting(value: Counting | str | None, default: Counting | None) -> Counting:
    if value is None:
        return default if default is not None else _settings_counting()
    counting = _COUNTINGS.get(value) if isinstance(value, str) else None
    if counting is None:
        raise ValueError(f'counting must be "exclusive" or "inclusive", not {value!r}.')
    return counting


def _ordinal(day: datetime.date) -> int:
    """``day.toordinal()``, refusing anything but a plain date."""
    if isinstance(day, datetime.datetime):
        raise TypeError(
            f"Expected a date, got the datetime {day!r}: convert it first (django.utils.timezone.localdate)."
        )
    if not isinstance(day, datetime.date):
        raise TypeError(f"Expected a date, got {type(day).__name__}: {day!r}.")
    return day.toordinal()


# Day arithmetic on proleptic Gregorian ordinals: ordinal 1 is Monday 1 January 0001, so the weekday of
# ordinal ``o`` is ``(o - 1) % 7`` (0 = Monday ... 6 = Sunday).


def _weekdays_before(x: int) -> int:
    """The number of Mondays to Fridays among ordinals ``1 .. x - 1`` (negative before ordinal 1)."""
    weeks, rest = divmod(x - 1, 7)
    return weeks * 5 + (rest if rest < 5 else 5)


def _first_with_weekdays_before(w: int) -> int:
    """The smallest ordinal ``x`` with ``_weekdays_before(x) >= w``."""
    weeks, rest = divmod(w - 1, 5)
    return weeks * 7 + rest + 2


def _ordinal_of_new_year(year: int) -> int:
    if year > datetime.MAXYEAR:
        return datetime.date.max.toordinal() + 1
    return datetime.date(year, 1, 1).toordinal()


@functools.cache
def _bank_holidays(year: int) -> tuple[datetime.date, ...]:
    """The England and Wales bank holidays of one year, substitute days included (gov.uk bank-holidays.json,
    division england-and-wales, as carried by the ``holidays`` package)."""
    return tuple(sorted(holidays.country_holidays("GB", subdiv="ENG", years=year)))


#: Counts of non-working days are kept relative to this day, so that they do not change when more years of
#: bank holidays are loaded.
_ANCHOR = datetime.date(2000, 1, 1).toordinal()


class _Span(NamedTuple):
    """The exceptions to "Monday to Friday" for a run of whole years (immutable: replaced, never changed)."""

    first_year: int
    last_year: int
    first: int  # ordinal of 1 January of first_year
    stop: int  # ordinal of 1 January of the year after last_year
    closed: list[int]  # sorted ordinals of Mondays to Fridays that are not working days
    opened: list[int]  # sorted ordinals of Saturdays and Sundays that are working days (overrides only)
    closed_set: frozenset[int]
    opened_set: frozenset[int]
    closed_at_anchor: int
    opened_at_anchor: int


class WorkingDayCalendar:
    """Working days in England: Monday to Friday, less England and Wales bank holidays, with local overrides.

    ``overrides`` maps a date to ``True`` (a working day, even at a weekend or on a bank holiday) or ``False``
    (not a working day, e.g. a council closure). Build one directly in tests; the application uses
    :func:`calendar`, which loads the overrides from ``CalendarOverride``.

    ``counting`` fixes the default convention of this calendar; when ``None`` (usual), the default is read
    from ``settings.SAFEGUARD["WORKING_DAY_COUNTING"]`` at each call. Bank holidays are loaded lazily, for
    ``years`` at first use, and for further years when a date outside them is asked about.
    Instances are safe to share between threads.
    """

    def __init__(
        self,
        overrides: Mapping[datetime.date, bool] | None = None,
        *,
        counting: Counting | str | None = None,
        years: tuple[int, int] = (1990, 2070),
    ) -> None:
        self._overrides: dict[int, bool] = {}
        for day, working in (overrides or {}).items():
            if not isinstance(working, bool):
                raise TypeError(f"Override for {day} must be True or False, not {working!r}.")
            self._overrides[_ordinal(day)] = working
        self._default_counting = None if counting is None else _counting(counting, None)
        first_year, last_year = years
        if not (datetime.MINYEAR <= first_year <= 2000 <= last_year <= datetime.MAXYEAR):
            raise ValueError(f"years must span the year 2000, got {years!r}.")
        self._initial_years = (first_year, last_year)
        self._span: _Span | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<WorkingDayCalendar with {len(self._overrides)} override(s)>"

    @property
    def overrides(self) -> dict[datetime.date, bool]:
        """A copy of the local overrides, date -> is a working day."""
        return {datetime.date.fromordinal(o): working for o, working in sorted(self._overrides.items())}

    # -- bank holidays and overrides, by year -------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> _Span:
        closed = set()
        for year in range(first_year, last_year + 1):
            closed.update(d.toordinal() for d in _bank_holidays(year) if d.weekday() < 5)
        opened = set()
        for o, working in self._overrides.items():
            weekday = (o - 1) % 7 < 5
            if working:
                closed.discard(o)
                if not weekday:
                    opened.add(o)
            elif weekday:
                closed.add(o)
        closed_list, opened_list = sorted(closed), sorted(opened)
        return _Span(
            first_year=first_year,
            last_year=last_year,
            first=_ordinal_of_new_year(first_year),
            stop=_ordinal_of_new_year(last_year + 1),
            closed=closed_list,
            opened=opened_list,
            closed_set=frozenset(closed),
            opened_set=frozenset(opened),
            closed_at_anchor=bisect.bisect_left(closed_list, _ANCHOR),
            opened_at_anchor=bisect.bisect_left(opened_list, _ANCHOR),
        )

    def _cover(self, x: int) -> _Span:
        """The span, extended if need be to cover ordinal ``x``."""
        with self._lock:
            span = self._span
            if span is None:
                span = self._build(*self._initial_years)
            if not span.first <= x <= span.stop:
                clamped = min(max(x, 1), datetime.date.max.toordinal())
                year = datetime.date.fromordinal(clamped).year
                span = self._build(
                    max(datetime.MINYEAR, min(span.first_year, year - 10)),
                    min(datetime.MAXYEAR, max(span.last_year, year + 10)),
                )
            self._span = span
            return span

    def _count(self, x: int) -> int:
        """Working days before ordinal ``x``, up to a constant: ``_count(b) - _count(a)`` is the number of
        working days in ``[a, b)``. Closed form for the weekdays, binary search for the exceptions."""
        span = self._span
        if span is None or not span.first <= x <= span.stop:
            span = self._cover(x)
        rest = (x - 1) % 7
        return (
            (x - 1 - rest) // 7 * 5
            + (rest if rest < 5 else 5)
            - bisect.bisect_left(span.closed, x)
            + span.closed_at_anchor
            + bisect.bisect_left(span.opened, x)
            - span.opened_at_anchor
        )

    def _working(self, o: int) -> bool:
        span = self._span
        if span is None or not span.first <= o < span.stop:
            span = self._cover(o)
        if (o - 1) % 7 < 5:
            return o not in span.closed_set
        return o in span.opened_set

    def _first_reaching(self, target: int, x: int, c: int | None = None) -> int:
        """The smallest ordinal ``x`` with ``_count(x) >= target``, searching from the hint ``x`` (whose
        count ``c`` the caller may already know).

        Jumps by as many Mondays to Fridays as working days are missing (progress is overestimated only when
        holidays intervene, so a jump never overshoots unless a weekend day was made a working day), then
        steps back over the last non-working days. A few jumps whatever the distance.
        """
        count = self._count
        if c is None:
            c = count(x)
        while c >= target:
            x = _first_with_weekdays_before(_weekdays_before(x) - (c - target)) - 1
            c = count(x)
        while c < target:
            x = _first_with_weekdays_before(_weekdays_before(x) + (target - c))
            c = count(x)
        if c == target:
            # count(x - 1) == target - 1 exactly when day x - 1 is a working day.
            while not self._working(x - 1):
                x -= 1
        else:
            while count(x - 1) >= target:
                x -= 1
        return x

    # -- public API ---------------------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is a working day: Monday to Friday, not an England and Wales bank holiday
        (gov.uk bank-holidays.json, england-and-wales), unless a local override says otherwise."""
        return self._working(_ordinal(day))

    def add_working_days(
        self, start: datetime.date, n: int, *, counting: Counting | str | None = None
    ) -> datetime.date:
        """The date ``n`` working days after ``start`` (before it, if ``n`` is negative).

        ``counting="exclusive"``: the ``n``-th working day after ``start``; ``start`` itself never counts
        (Working Together to Safeguard Children 2023, ch.3: a referral on Friday 23 Dec 2022 needs a decision
        "within 1 working day", by Wednesday 28 Dec 2022, as 26 and 27 Dec were bank holidays).

        ``counting="inclusive"``: ``start`` is day 1 if it is a working day (DfE CIN validator,
        ``CustomBusinessDay(n - 1)``); precisely, the working day ``b`` with exactly ``n`` working days
        in ``[start, b]``. When ``start`` is not a working day, day 1 is the next working day, so the
        result is the same as with ``"exclusive"``.

        Negative ``n`` mirrors this: the ``|n|``-th working day before ``start`` (exclusive), or the
        working day ``b`` with ``|n|`` working days in ``[b, start]`` (inclusive). ``n == 0`` returns
        ``start``. ``counting=None`` uses the calendar's default, normally
        ``settings.SAFEGUARD["WORKING_DAY_COUNTING"]``. The result of a non-zero ``n`` is always a
        working day.
        """
        o = _ordinal(start)
        if isinstance(n, bool):
            raise TypeError("n must be an integer, not a bool.")
        n = operator.index(n)
        inclusive = _counting(counting, self._default_counting) is Counting.INCLUSIVE
        if n == 0:
            return datetime.date.fromordinal(o)
        if n > 0:
            # Working days in [low, result] == n, the result being a working day.
            low = o if inclusive else o + 1
            c = self._count(low)
            x = self._first_reaching(c + n, low, c)
        else:
            # Working days in [result, high) == -n, the result being a working day.
            high = o + 1 if inclusive else o
            c = self._count(high)
            x = self._first_reaching(c + n + 1, high, c)
        return datetime.date.fromordinal(x - 1)

    def working_days_between(
        self, start: datetime.date, end: datetime.date, *, counting: Counting | str | None = None
    ) -> int:
        """The number of working days from ``start`` to ``end``, consistent with :meth:`add_working_days`.

        ``"exclusive"``: working days in ``(start, end]`` (0 when ``end == start``). ``"inclusive"``:
        working days in ``[start, end]`` (1 when ``end == start`` is a working day). When ``end`` is
        before ``start`` the result is negative: minus the working days in ``[end, start)`` (exclusive)
        or ``[end, start]`` (inclusive). So ``working_days_between(s, add_working_days(s, n)) == n`` for
        any ``s`` and ``n != 0``, with one exception that inclusive counting cannot avoid: from a working
        day ``s``, one working day either way is ``s`` itself, and ``working_days_between(s, s)`` is +1.
        """
        s, e = _ordinal(start), _ordinal(end)
        inclusive = _counting(counting, self._default_counting) is Counting.INCLUSIVE
        count = self._count
        if e >= s:
            return count(e + 1) - count(s if inclusive else s + 1)
        return count(e) - count(s + 1 if inclusive else s)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day after ``day`` (never ``day`` itself)."""
        return self.add_working_days(day, 1, counting=Counting.EXCLUSIVE)

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        """The last working day before ``day`` (never ``day`` itself)."""
        return self.add_working_days(day, -1, counting=Counting.EXCLUSIVE)


# -- the process-wide calendar ------------------------------------------------------------------------------


class _CachedCalendar:
    """``calendar()``: the working-day calendar of this installation, bank holidays plus ``CalendarOverride``.

    Cached per process; re-read after :data:`OVERRIDES_MAX_AGE` seconds or ``calendar.cache_clear()``.
    Services that write ``CalendarOverride`` other than by ``Model.save()``/``delete()`` must call
    ``calendar.cache_clear()``.
    """

    def __init__(self) -> None:
        self._calendar: WorkingDayCalendar | None = None
        self._loaded_at = 0.0
        self._generation = 0  # bumped by cache_clear(), so a load racing with it is not kept
        self._lock = threading.Lock()

    def __call__(self) -> WorkingDayCalendar:
        cached = self._calendar
        if cached is not None and time.monotonic() - self._loaded_at < OVERRIDES_MAX_AGE:
            return cached
        with self._lock:
            from safeguard.core.models import CalendarOverride

            generation = self._generation
            overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
            cached = self._calendar
            if cached is None or cached.overrides != overrides:
                # Unchanged overrides keep the old calendar and its loaded bank holidays.
                cached = WorkingDayCalendar(overrides)
            if generation == self._generation:
                self._calendar = cached
                self._loaded_at = time.monotonic()
            return cached

    def cache_clear(self) -> None:
        """Forget the cached overrides; the next call reads ``CalendarOverride`` again."""
        self._generation += 1
        self._calendar = None

    def __repr__(self) -> str:
        return "<safeguard.core.calendar.calendar>"


calendar = _CachedCalendar()


def cache_clear() -> None:
    """Forget the cached ``CalendarOverride`` rows (same as ``calendar.cache_clear()``)."""
    calendar.cache_clear()


def _overrides_changed(sender, using=None, **kwargs) -> None:
    calendar.cache_clear()
    # Again once the transaction commits, in case the cache was refilled from the uncommitted state.
    transaction.on_commit(calendar.cache_clear, using=using)


post_save.connect(
    _overrides_changed, sender="core.CalendarOverride", dispatch_uid="safeguard.core.calendar.saved"
)
post_delete.connect(
    _overrides_changed, sender="core.CalendarOverride", dispatch_uid="safeguard.core.calendar.deleted"
)


# -- module-level shortcuts to the process-wide calendar ----------------------------------------------------


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day here; see :meth:`WorkingDayCalendar.is_working_day`."""
    return calendar().is_working_day(day)


def add_working_days(
    start: datetime.date, n: int, *, counting: Counting | str | None = None
) -> datetime.date:
    """The date ``n`` working days after ``start``; see :meth:`WorkingDayCalendar.add_working_days`.

    Default convention ``settings.SAFEGUARD["WORKING_DAY_COUNTING"]`` ("exclusive": a Friday referral's
    "within 1 working day" decision is due on Monday; Working Together to Safeguard Children 2023, ch.3).
    """
    return calendar().add_working_days(start, n, counting=counting)


def working_days_between(
    start: datetime.date, end: datetime.date, *, counting: Counting | str | None = None
) -> int:
    """Working days from ``start`` to ``end``; see :meth:`WorkingDayCalendar.working_days_between`."""
    return calendar().working_days_between(start, end, counting=counting)


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day after ``day``."""
    return calendar().next_working_day(day)


def previous_working_day(day: datetime.date) -> datetime.date:
    """The last working day before ``day``."""
    return calendar().previous_working_day(day)


# -- calendar periods ---------------------------------------------------------------------------------------


def add_calendar_months(day: datetime.date, n: int) -> datetime.date:
    """The same day of the month ``n`` calendar months later (earlier if ``n < 0``), clamped to month end.

    31 Jan 2024 + 1 month = 29 Feb 2024; 31 Aug 2024 + 6 months = 28 Feb 2025. For limits set in months
    (a review child protection conference within 3 months of the initial one; CLA reviews within 3 and
    then 6 months, Care Planning, Placement and Case Review (England) Regulations 2010 reg 33). The result
    need not be a working day: these are calendar periods.
    """
    _ordinal(day)
    n = operator.index(n)
    months = day.year * 12 + (day.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    if month == 12:
        month_length = 31
    else:
        month_length = (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days
    return datetime.date(year, month, min(day.day, month_length))


def add_weeks(day: datetime.date, n: int) -> datetime.date:
    """``day`` plus ``n`` weeks of 7 calendar days (visits "within 1 week" / "6 weeks" apart, reg 28(2))."""
    _ordinal(day)
    return day + datetime.timedelta(weeks=operator.index(n))
