"""The registry of statutory duties: ``data/duties.csv``, one row per duty, read once per process.

Each row says what the law (or, where it is silent, local procedure) asks and how the clock runs:

``code``                 the duty's name in the code base and the ``Deadline.duty`` column
``name``, ``citation``   what a user reads, and the statute or guidance it comes from
``verified``             ``yes`` where the period was checked against the primary text (DOMAIN.md [V])
``local``                ``yes`` where no national limit exists and local procedure sets one; only these
                         periods may be changed by the council (``SAFEGUARD["LOCAL_DUTY_PERIODS"]``)
``triggers``             the events that start a deadline (space-separated)
``period``, ``unit``     how long the clock runs: ``working_days``, ``days``, ``weeks`` or ``months``
``counting``             for working days, ``exclusive`` or ``inclusive`` (blank: the council's setting)
``period_from_record``   ``yes`` where the record the deadline belongs to may set the period (a child
                         protection plan sets its visiting frequency; regulation 28 lengthens looked-after
                         visits to 3 months in a long-term placement after its first year). The record's
                         ``statutory_period(duty_code, on)`` is asked; ``None`` keeps the row's period.
                         Any record may also answer ``duty_applies(duty_code, on)``: False, and the
                         deadline is not started (no personal education plan for a baby in care).
``met_by``               the events that meet it
``then``                 the duty that starts when this one is met, counted from the day it was met (the
                         next review, the next visit): a recurring duty is a chain of deadlines
``cancelled_by``         the events after which it no longer applies (the plan ended, the child died)

Adding a duty is adding a row here and a worked example of its dates in the tests; the table follows the
file after the next ``migrate`` (``load_duties``).

Events are named ``<thing>.<what happened>``; the services that record those things raise them
(``compliance.services.compliance_event``). The events in use are listed in ``EVENTS`` so that a typo in
the file or in a service fails a test rather than silently opening no deadline.
"""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from safeguard.core.calendar import add_calendar_months, add_weeks, add_working_days

DUTIES_FILE = Path(__file__).parent / "data" / "duties.csv"

UNITS = ("working_days", "days", "weeks", "months")
UNIT_LABELS = {"working_days": "working day", "days": "day", "weeks": "week", "months": "month"}

# Every event a service raises. A duty may only name these; a test checks the file against the list.
EVENTS = frozenset(
    {
        "contact.received",
        "contact.decided",
        "contact.recorded_in_error",
        "referral.urgent_child_protection",
        "cin_episode.opened",
        "cin_episode.closed",
        "assessment.started",
        "assessment.authorised",
        "assessment.withdrawn",
        "strategy_discussion.held",
        "s47.started",
        "s47.no_conference",
        "icpc.held",
        "cp_plan.started",
        "cp_plan.ended",
        "cp_review.held",
        "core_group.held",
        "cin_plan.started",
        "cin_plan.ended",
        "cin_plan_review.held",
        "visit.child_seen",
        "lac.started",
        "lac.ended",
        "placement.started",
        "care_plan.completed",
        "placement_plan.completed",
        "lac_review.held",
        "health_assessment.completed",
        "pep.completed",
        "missing.returned",
        "return_interview.offered",
        "care_leaver.eligible",
        "care_leaver.accommodation_provided",
        "care_leaver.ended",
        "needs_assessment.completed",
        "pathway_plan.started",
        "pathway_plan.reviewed",
        "child.died",
        # Learning actions (safeguard.learning) and case audit actions (safeguard.oversight)
        "learning_action.agreed",
        "learning_action.rescheduled",
        "learning_action.completed",
        "learning_action.not_needed",
        # Serious incidents (safeguard.incidents): none is cancelled by child.died, since they are about it.
        "serious_incident.recorded",
        "serious_incident.recorded_in_error",
        "serious_incident.panel_notified",
        "serious_incident.ofsted_notified",
        "serious_incident.rapid_review_completed",
        "serious_incident.lcspr_commissioned",
        "serious_incident.lcspr_published",
    }
)


@dataclass(frozen=True)
class Period:
    length: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown period unit {self.unit!r}; use one of {', '.join(UNITS)}")
        if self.length < 0:
            raise ValueError("A period cannot be negative")

    def __str__(self) -> str:
        word = UNIT_LABELS[self.unit]
        return f"{self.length} {word}{'s' if self.length != 1 else ''}"

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``"10 working_days"``, ``"3 months"``: how a council writes a local period in its settings."""
        length, _, unit = text.strip().partition(" ")
        return cls(int(length), unit.strip())


@dataclass(frozen=True)
class Duty:
    code: str
    name: str
    citation: str
    verified: bool
    local: bool
    triggers: frozenset[str]
    period: Period
    counting: str | None
    period_from_record: bool
    met_by: frozenset[str]
    then: str | None
    cancelled_by: frozenset[str]

    def due_date(self, start: datetime.date, period: Period | None = None) -> datetime.date:
        """The last day on which the duty is met in time, for a clock that starts on ``start``.

        Working days count from the day after ``start`` (or from ``start`` itself, by the council's
        ``WORKING_DAY_COUNTING`` setting, unless the row fixes the convention); weeks and months are calendar
        periods, months clamped to the end of a shorter month (DOMAIN.md §0).
        """
        period = period or self.effective_period
        if period.unit == "working_days":
            return add_working_days(start, period.length, counting=self.counting or None)
        if period.unit == "days":
            return start + datetime.timedelta(days=period.length)
        if period.unit == "weeks":
            return add_weeks(start, period.length)
        return add_calendar_months(start, period.length)

    @property
    def effective_period(self) -> Period:
        """The row's period, or for a local duty the council's own (``SAFEGUARD["LOCAL_DUTY_PERIODS"]``)."""
        if self.local:
            local = getattr(settings, "SAFEGUARD", {}).get("LOCAL_DUTY_PERIODS", {})
            if self.code in local:
                return Period.parse(local[self.code])
        return self.period


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _yes(text: str) -> bool:
    if text not in ("yes", "no"):
        raise ValueError(f"Expected yes or no, not {text!r}")
    return text == "yes"


def read_duties_file(path: Path = DUTIES_FILE) -> dict[str, Duty]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    duties = {}
    for row in rows:
        duty = Duty(
            code=row["code"],
            name=row["name"],
            citation=row["citation"],
            verified=_yes(row["verified"]),
            local=_yes(row["local"]),
            triggers=_words(row["triggers"]),
            period=Period(int(row["period"]), row["unit"]),
            counting=row["counting"] or None,
            period_from_record=_yes(row["period_from_record"]),
            met_by=_words(row["met_by"]),
            then=row["then"] or None,
            cancelled_by=_words(row["cancelled_by"]),
        )
        if duty.code in duties:
            raise ValueError(f"Duty {duty.code} is listed twice in {path.name}")
        duties[duty.code] = duty
    return duties


@cache
def duties() -> dict[str, Duty]:
    """Every duty, by code (cached per process)."""
    return read_duties_file()


def duty(code: str) -> Duty:
    return duties()[code]


@cache
def _by_event() -> dict[str, tuple[list[Duty], list[Duty], list[Duty]]]:
    table: dict[str, tuple[list[Duty], list[Duty], list[Duty]]] = {}
    for item in duties().values():
        for event in item.triggers:
            table.setdefault(event, ([], [], []))[0].append(item)
        for event in item.met_by:
            table.setdefault(event, ([], [], []))[1].append(item)
        for event in item.cancelled_by:
            table.setdefault(event, ([], [], []))[2].append(item)
    return table


def started_by(event: str) -> list[Duty]:
    return _by_event().get(event, ([], [], []))[0]


def met_by(event: str) -> list[Duty]:
    return _by_event().get(event, ([], [], []))[1]


def cancelled_by(event: str) -> list[Duty]:
    return _by_event().get(event, ([], [], []))[2]


def load_duties(duty_model, using: str = "default") -> int:
    """Make the duties table match the file (idempotent, a few queries). Run by a migration and after every
    ``migrate`` (``ComplianceConfig.ready``), so a new row reaches the table without a migration of its own.
    Takes the model so migrations can pass theirs. A duty is never deleted: deadlines refer to it."""
    manager = duty_model.objects.using(using)
    stored = {row.code: row for row in manager.all()}
    fields = ("name", "citation", "verified", "local", "period")
    new, changed = [], []
    for item in read_duties_file().values():
        values = {
            "name": item.name,
            "citation": item.citation,
            "verified": item.verified,
            "local": item.local,
            "period": str(item.period),
        }
        existing = stored.get(item.code)
        if existing is None:
            new.append(duty_model(code=item.code, **values))
        elif any(getattr(existing, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(existing, key, value)
            changed.append(existing)
    manager.bulk_create(new)
    if changed:
        manager.bulk_update(changed, fields)
    return manager.count()
