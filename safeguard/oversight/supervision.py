"""How often a worker is supervised, and when their next supervision is due.

The council sets the frequency (``SAFEGUARD["SUPERVISION_FREQUENCY"]``): ``default`` for everyone, and
``newly_qualified`` for a social worker in the twelve months after they qualified (``Worker.qualified_on``),
their Assessed and Supported Year in Employment (ASYE). Values are periods as the duty registry reads them
("1 months", "2 weeks", "10 working_days"; ``compliance.registry.Period``); a system check
(``oversight.checks``) stops the service at start-up on a period it cannot read.

Why more often in the first year: the ASYE guidance that councils follow asks for supervision weekly for the
first six weeks, at least fortnightly until six months and monthly after; the default "2 weeks" is the
middle of that, and a council that wants the stricter start sets "1 weeks". The LGA's Standards for
employers of social workers in England (2020) ask for regular supervision for every social worker.

When the next one is due:

- from the day of the last supervision, one period on (the due day itself is still in time);
- for a worker never supervised, from the day they joined (the day their staff record was created):
  supervision is owed from a worker's first day, not from their first case;
- the period is the one that applied on the day counted from, or the one that applies today, whichever
  gives the sooner date, so that a change in the worker's status (they have just qualified) never pushes
  their supervision later than either rule would.
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import timezone

from safeguard.compliance.registry import Period
from safeguard.core.calendar import add_calendar_months, add_weeks, add_working_days
from safeguard.organisation.models import Worker

FREQUENCY_KEYS = ("default", "newly_qualified")
DEFAULT_FREQUENCY = {"default": "1 months", "newly_qualified": "2 weeks"}
NEWLY_QUALIFIED_MONTHS = 12  # the ASYE year


def frequency_setting() -> dict[str, str]:
    return {**DEFAULT_FREQUENCY, **getattr(settings, "SAFEGUARD", {}).get("SUPERVISION_FREQUENCY", {})}


def frequency_errors(setting: dict[str, str]) -> list[str]:
    """What is wrong with a frequency setting (empty when it is sound): the system check's messages."""
    errors = []
    for key, text in setting.items():
        if key not in FREQUENCY_KEYS:
            errors.append(f"SUPERVISION_FREQUENCY names {key!r}; use {' or '.join(FREQUENCY_KEYS)}")
            continue
        try:
            period = Period.parse(str(text))
        except ValueError:
            errors.append(
                f"SUPERVISION_FREQUENCY[{key!r}] must read like '1 months' or '2 weeks', not {text!r}"
            )
            continue
        if period.length < 1:
            errors.append(f"SUPERVISION_FREQUENCY[{key!r}] must be at least 1 {period.unit}, not {text!r}")
    return errors


def frequency(key: str) -> Period:
    return _parsed(frequency_setting()[key])


@cache
def _parsed(text: str) -> Period:
    # Parsed once per distinct text: the overview and the dashboard ask for every worker.
    return Period.parse(text)


def after(start: datetime.date, period: Period) -> datetime.date:
    """``start`` plus ``period``, counted as the duty registry counts it."""
    if period.unit == "working_days":
        return add_working_days(start, period.length)
    if period.unit == "days":
        return start + datetime.timedelta(days=period.length)
    if period.unit == "weeks":
        return add_weeks(start, period.length)
    return add_calendar_months(start, period.length)


def is_newly_qualified(worker: Worker, on: datetime.date) -> bool:
    """In the twelve months after qualifying (the ASYE year), counted from ``Worker.qualified_on``."""
    qualified = worker.qualified_on
    return qualified is not None and qualified <= on < add_calendar_months(qualified, NEWLY_QUALIFIED_MONTHS)


def period_for(worker: Worker, on: datetime.date) -> Period:
    return frequency("newly_qualified" if is_newly_qualified(worker, on) else "default")


def joined_on(worker: Worker) -> datetime.date:
    """The day the worker joined, as far as Safeguard knows: when their staff record was created."""
    return timezone.localdate(worker.created_at)


def next_due(worker: Worker, last: datetime.date | None, today: datetime.date) -> datetime.date:
    """The last day on which the worker's next supervision is in time."""
    start = last or joined_on(worker)
    return min(after(start, period_for(worker, start)), after(start, period_for(worker, today)))


@dataclass(frozen=True)
class SupervisionStatus:
    """One worker's supervision as the overview shows it."""

    worker: Worker
    last_supervised: datetime.date | None
    due_on: datetime.date
    newly_qualified: bool
    today: datetime.date

    @property
    def days_overdue(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def is_overdue(self) -> bool:
        return self.today > self.due_on


def status_of(worker: Worker, last: datetime.date | None, today: datetime.date) -> SupervisionStatus:
    return SupervisionStatus(
        worker=worker,
        last_supervised=last,
        due_on=next_due(worker, last, today),
        newly_qualified=is_newly_qualified(worker, today),
        today=today,
    )
