"""Changes to the organisation: staff sign-in accounts that take effect at once, and areas' populations and
deprivation (issue 9)."""

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.audit.services import audit_event_record


def sessions_end_all(user) -> int:
    """End every session ``user`` has, on every computer, and say how many there were.

    allauth's ``UserSession`` records each signed-in session (``UserSessionsMiddleware``), so they are found
    without decoding every session in the table. A session that has made no request since it was recorded
    would be missed; Django refuses an inactive account on its next request anyway (``user_can_authenticate``).
    """
    sessions = list(UserSession.objects.filter(user=user))
    Session.objects.filter(session_key__in=[session.session_key for session in sessions]).delete()
    UserSession.objects.filter(pk__in=[session.pk for session in sessions]).delete()
    return len(sessions)


@transaction.atomic
def account_disable(user, *, by, reason: str) -> int:
    """Disable a member of staff's account, ending all their sessions at once (ASVS 5.0 V7.4.2): a worker
    who leaves, or whose account is suspected of misuse, is signed out of every computer now, not at their
    next request. Returns how many sessions were ended."""
    if not reason.strip():
        raise ValueError("Say why the account is being disabled")
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    was_active = locked.is_active
    if was_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    ended = sessions_end_all(locked)
    audit_event_record(
        actor=by,
        action="user.disabled",
        entity=locked,
        changes={"is_active": [was_active, False], "sessions_ended": [ended, 0]},
        reason=reason,
    )
    user.is_active = False
    return ended


# -- the city in numbers: areas' populations and deprivation (issue 9) ------------------------------------------
#
# Figures come in rows, from a CSV file or from the page's form, and always go the same way: parsed and
# checked (a bad row is named with its column, and nothing is saved), then planned against what is stored
# (each row new, changed or unchanged), shown, and only then applied. A stored figure is never overwritten
# unless the person confirms the plan that showed them the old and the new value; the plan carries a
# fingerprint, so a confirmation of a plan that has since gone stale (someone else changed a figure) is
# refused and the new plan shown instead.

POPULATION = "population"
DEPRIVATION = "deprivation"
FIGURE_KINDS = {POPULATION: "Population aged 0 to 17", DEPRIVATION: "Deprivation"}
# The columns of each kind of file, in the order a template of it lists them, with what each holds.
FIGURE_COLUMNS: dict[str, dict[str, str]] = {
    POPULATION: {
        "area_code": "The area's code, as on the list of areas",
        "year": "The year of the mid-year estimate, for example 2024",
        "children_0_17": "Children aged 0 to 17 living in the area, a whole number",
        "source_note": "Where the figure comes from (at most 300 characters)",
    },
    DEPRIVATION: {
        "area_code": "The area's code, as on the list of areas",
        "year": "The year the figures describe, for example 2024",
        "children_in_relative_poverty_percent": "Children in relative poverty, a percentage such as 31.5 (may be blank)",
        "fsm_eligible_percent": "Pupils eligible for free school meals, a percentage such as 24.6 (may be blank)",
        "source_note": "Where the figures come from (at most 300 characters)",
    },
}
FIGURE_MAX_BYTES = 200_000
FIGURE_MAX_ROWS = 2_000
SOURCE_NOTE_MAX = 300


@dataclass(frozen=True)
class FigureProblem:
    row: int | None  # the file's line number (the header is line 1); None for the whole file
    column: str
    message: str


class FiguresRejected(Exception):
    def __init__(self, problems: list[FigureProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class FiguresStale(Exception):
    """The plan confirmed is no longer what would be done: the figures changed since it was shown."""


@dataclass(frozen=True)
class FigureRow:
    """One area's figures of one kind for one year, checked, as they would be stored."""

    kind: str
    area_id: int
    area_name: str
    year: int
    values: tuple[tuple[str, object], ...]  # (field, value), in FIGURE_COLUMNS order, source_note last
    line: int | None = None


@dataclass(frozen=True)
class FigureChange:
    row: FigureRow
    old: dict | None  # the stored values (None: nothing stored for this area and year)

    @property
    def status(self) -> str:
        if self.old is None:
            return "new"
        return "unchanged" if self.differences == [] else "changed"

    @property
    def differences(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every value that would change."""
        if self.old is None:
            return []
        return [
            (name, self.old.get(name), value)
            for name, value in self.row.values
            if self.old.get(name) != value
        ]


@dataclass(frozen=True)
class FiguresPlan:
    changes: list[FigureChange]

    @property
    def new(self) -> list[FigureChange]:
        return [change for change in self.changes if change.status == "new"]

    @property
    def overwrites(self) -> list[FigureChange]:
        return [change for change in self.changes if change.status == "changed"]

    @property
    def unchanged(self) -> list[FigureChange]:
        return [change for change in self.changes if change.status == "unchanged"]

    @property
    def fingerprint(self) -> str:
        """What would be done, as a short digest: the confirmation must carry the same one."""
        parts = [
            repr((c.row.kind, c.row.area_id, c.row.year, c.row.values, sorted((c.old or {}).items())))
            for c in self.changes
        ]
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:32]


def _figure_model(kind: str):
    from safeguard.organisation.models import AreaDeprivation, AreaPopulation

    return AreaPopulation if kind == POPULATION else AreaDeprivation


def _whole_number(raw: str) -> int:
    cleaned = raw.replace(",", "").strip()
    if not cleaned.isdigit():
        raise ValueError("must be a whole number, such as 52400")
    return int(cleaned)


def _percent(raw: str) -> Decimal | None:
    cleaned = raw.strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("must be a percentage, such as 31.5") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValueError("must be a percentage from 0 to 100")
    if value != value.quantize(Decimal("0.1")):
        raise ValueError("must have at most one decimal place")
    return value.quantize(Decimal("0.1"))


def figure_row_check(kind: str, raw: dict[str, str], *, areas: dict[str, tuple[int, str]], line=None):
    """Check one row of figures (``raw``: column -> text). Returns the row, or the problems with it."""
    from safeguard.organisation.models import FIGURES_FIRST_YEAR, FIGURES_LAST_YEAR

    problems: list[FigureProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(FigureProblem(line, column, message))

    code = (raw.get("area_code") or "").strip()
    area = areas.get(code.upper())
    if not code:
        problem("area_code", "Enter the area's code")
    elif area is None:
        problem("area_code", f"There is no area with the code {code}")
    year = None
    try:
        year = _whole_number(raw.get("year") or "")
        if not FIGURES_FIRST_YEAR <= year <= FIGURES_LAST_YEAR:
            raise ValueError(f"must be from {FIGURES_FIRST_YEAR} to {FIGURES_LAST_YEAR}")
    except ValueError as error:
        problem("year", f"The year {error}")
        year = None
    values: list[tuple[str, object]] = []
    if kind == POPULATION:
        try:
            children = _whole_number(raw.get("children_0_17") or "")
            if children <= 0:
                raise ValueError("must be more than 0")
            values.append(("children_0_17", children))
        except ValueError as error:
            problem("children_0_17", f"The number of children {error}")
    else:
        found = []
        for column, label in (
            ("children_in_relative_poverty_percent", "Children in relative poverty"),
            ("fsm_eligible_percent", "Free school meals"),
        ):
            try:
                value = _percent(raw.get(column) or "")
                values.append((column, value))
                found.append(value)
            except ValueError as error:
                problem(column, f"{label} {error}")
        if len(found) == 2 and found == [None, None]:
            problem("children_in_relative_poverty_percent", "Give at least one of the two percentages")
    note = (raw.get("source_note") or "").strip()
    if not note:
        problem("source_note", "Say where the figure comes from")
    elif len(note) > SOURCE_NOTE_MAX:
        problem("source_note", f"The source note must be {SOURCE_NOTE_MAX} characters or fewer")
    values.append(("source_note", note))
    if problems:
        return None, problems
    return FigureRow(kind, area[0], area[1], year, tuple(values), line), []


def _area_codes() -> dict[str, tuple[int, str]]:
    from safeguard.organisation.models import Area

    return {code.upper(): (pk, name) for pk, code, name in Area.objects.values_list("pk", "code", "name")}


def area_figures_parse(*, kind: str, text: str) -> list[FigureRow]:
    """Every row of a CSV file of ``kind``, checked; ``FiguresRejected`` lists every problem, row by row and
    column by column, if there is any."""
    if kind not in FIGURE_COLUMNS:
        raise FiguresRejected([FigureProblem(None, "", "Choose which figures the file holds")])
    if len(text.encode()) > FIGURE_MAX_BYTES:
        raise FiguresRejected([FigureProblem(None, "", "The file is too big: split it into smaller files")])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    required = [c for c in FIGURE_COLUMNS[kind]]
    missing = [c for c in required if c not in header]
    if missing:
        raise FiguresRejected([FigureProblem(None, c, f"The file has no column called {c}") for c in missing])
    areas = _area_codes()
    rows, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > FIGURE_MAX_ROWS:
            raise FiguresRejected(
                [FigureProblem(None, "", f"The file has more than {FIGURE_MAX_ROWS:,} rows")]
            )
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # a blank line
        row, found = figure_row_check(kind, raw, areas=areas, line=line)
        problems.extend(found)
        if row is not None:
            key = (row.area_id, row.year)
            if key in seen:
                problems.append(
                    FigureProblem(line, "year", f"{row.area_name} {row.year} is also on row {seen[key]}")
                )
            seen[key] = line
            rows.append(row)
    if problems:
        raise FiguresRejected(problems)
    if not rows:
        raise FiguresRejected([FigureProblem(None, "", "The file has no rows of figures")])
    return rows


def area_figures_plan(rows: list[FigureRow], *, lock: bool = False) -> FiguresPlan:
    """What storing ``rows`` would do: each row new, changed (old and new values) or unchanged."""
    changes = []
    for kind in (POPULATION, DEPRIVATION):
        mine = [row for row in rows if row.kind == kind]
        if not mine:
            continue
        model = _figure_model(kind)
        fields = [name for name, _ in mine[0].values]
        stored = model.objects.filter(area_id__in={r.area_id for r in mine}, year__in={r.year for r in mine})
        if lock:
            stored = stored.select_for_update()
        existing = {
            (item["area_id"], item["year"]): item for item in stored.values("area_id", "year", *fields)
        }
        for row in mine:
            old = existing.get((row.area_id, row.year))
            changes.append(FigureChange(row, {f: old[f] for f in fields} if old else None))
    return FiguresPlan(changes)


@transaction.atomic
def area_figures_apply(
    *, rows: list[FigureRow], fingerprint: str, by, overwrite_confirmed: bool
) -> FiguresPlan:
    """Store ``rows`` as the plan with ``fingerprint`` said: new figures added, changed ones overwritten only
    if ``overwrite_confirmed``. Each figure added or changed writes its own ``AuditEvent`` with the old and
    new values. ``FiguresStale`` if the plan is no longer what would be done (nothing is changed)."""
    plan = area_figures_plan(rows, lock=True)
    if plan.fingerprint != fingerprint:
        raise FiguresStale()
    if plan.overwrites and not overwrite_confirmed:
        raise ValidationError("Confirm that the figures already recorded should be replaced")
    for change in plan.changes:
        row, model = change.row, _figure_model(change.row.kind)
        values = dict(row.values)
        if change.status == "new":
            item = model.objects.create(
                area_id=row.area_id, year=row.year, created_by=by, modified_by=by, **values
            )
            audit_event_record(
                actor=by,
                action=f"area_{row.kind}.recorded",
                entity=item,
                changes={name: [None, _plain(value)] for name, value in row.values},
            )
        elif change.status == "changed":
            item = model.objects.get(area_id=row.area_id, year=row.year)
            for name, value in values.items():
                setattr(item, name, value)
            item.modified_by = by
            item.save()
            audit_event_record(
                actor=by,
                action=f"area_{row.kind}.changed",
                entity=item,
                changes={name: [_plain(old), _plain(new)] for name, old, new in change.differences},
            )
    return plan


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
