"""What every generation step is given: the options, its own random stream, a bulk writer and a progress bar.

Steps share what they made through typed attributes of ``SynthContext`` (``org``, ``population``,
``cases``), holding ids and compact arrays, never model instances, so that memory stays bounded at the
scale of a large city.
"""

import datetime
import random
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from tqdm import tqdm

BATCH_SIZE = 5_000


@dataclass
class OrgIndex:
    """The organisation the ``organisation`` step made, by id.

    ``teams[(area_code, kind)]`` lists the ids of an area's teams of that kind (a large city has several of
    each, of about eight social workers); ``front_door_team`` and ``safeguarding_unit`` are the city-wide
    teams. ``case_holders[team_id]`` lists ``(worker_id, fte)`` for the qualified social workers who hold cases
    in that team; ``iros`` lists the IROs' worker ids. ``personas[username]`` is the persona's worker id.
    """

    area_ids: dict[str, int] = field(default_factory=dict)
    teams: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    team_area: dict[int, str] = field(default_factory=dict)
    front_door_team: int | None = None
    safeguarding_unit: int | None = None
    case_holders: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    iros: list[int] = field(default_factory=list)
    personas: dict[str, int] = field(default_factory=dict)
    persona_team: int | None = None  # the socialworker persona's child in need team

    def holders(self, area_code: str, kind: str) -> list[tuple[int, float, int]]:
        """``(worker_id, fte, team_id)`` for every case holder in the area's teams of ``kind``."""
        return [
            (worker, fte, team)
            for team in self.teams.get((area_code, kind), [])
            for worker, fte in self.case_holders.get(team, [])
        ]

    persona_area: str | None = None


@dataclass
class Population:
    """The children the ``population`` step made, one slot per child, in the order they were made.

    Parallel arrays: ``child_ids`` (the Child/Person pk), ``dob_ordinal`` (date of birth as
    ``date.toordinal()``, or the expected date for an unborn child), ``area`` (index into
    ``geography.AREAS`` of their current address), ``flags`` (``UNBORN``, ``DISABLED``, ``DECEASED`` bits) and
    ``household`` (the household id). Children of one household are adjacent: ``household_start[h]`` is the
    slot of the first child of the h-th household made and ``household_start[h + 1]`` the end.
    """

    UNBORN = 1
    DISABLED = 2
    DECEASED = 4

    child_ids: array = field(default_factory=lambda: array("q"))
    dob_ordinal: array = field(default_factory=lambda: array("l"))
    area: array = field(default_factory=lambda: array("b"))
    flags: array = field(default_factory=lambda: array("b"))
    household: array = field(default_factory=lambda: array("q"))
    household_start: array = field(default_factory=lambda: array("l"))

    def __len__(self) -> int:
        return len(self.child_ids)

    def age_on(self, slot: int, day: datetime.date) -> int:
        born = datetime.date.fromordinal(self.dob_ordinal[slot])
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def household_slots(self, household_index: int) -> range:
        end = (
            self.household_start[household_index + 1]
            if household_index + 1 < len(self.household_start)
            else len(self.child_ids)
        )
        return range(self.household_start[household_index], end)


@dataclass(frozen=True)
class OpenCase:
    """A child open to children's social care on ``today``, as the ``allocations`` step decided.

    There is no case or episode model yet: a later step that adds CIN episodes, plans and periods of care
    should read these (``kind`` is the ``TeamKind`` of the team that holds the case) so that its episodes
    match the allocations. ``worker_id`` is None for a case waiting in the unallocated queue.
    """

    child_id: int
    kind: str
    area: str
    team_id: int
    start_date: datetime.date
    worker_id: int | None


class _RowTable:
    """Plain rows for one model, written with multi-row INSERTs instead of model instances.

    Building a model instance and compiling it through ``bulk_create`` costs most of the time of a large
    generation (about 75% at 274,000 children); the database work is a small part. On PostgreSQL the rows go
    in with COPY (psycopg otherwise re-parses every long multi-row INSERT on the client). Rows are given as keyword
    arguments (attribute names, so ``child_id=`` for a foreign key) and the same keys for every row of a
    model. Fields not given take their default; ``auto_now``/``auto_now_add`` fields take the time the run
    began; dates, datetimes and decimals go through the backend's adapters, as ``bulk_create`` would. No
    signals are sent and no ``save()`` runs (as with ``bulk_create``), so derived fields such as
    ``Person.first_name_key`` must be given.
    """

    def __init__(self, model: type[models.Model], keys: tuple[str, ...], now):
        meta = model._meta
        fields = {field.attname: field for field in meta.concrete_fields}
        unknown = set(keys) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        ops = connection.ops
        self.keys = keys
        self.converters = []
        for key in keys:
            field = fields[key]
            if isinstance(field, models.DateTimeField):
                self.converters.append(ops.adapt_datetimefield_value)
            elif isinstance(field, models.DateField):
                self.converters.append(ops.adapt_datefield_value)
            elif isinstance(field, models.DecimalField):
                self.converters.append(lambda value, field=field: field.get_db_prep_save(value, connection))
            else:
                self.converters.append(None)
        # Columns not given: their default, once (the primary key is left to the database).
        self.fixed = []
        for attname, field in fields.items():
            if attname in keys or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            self.fixed.append((field.column, field.get_db_prep_save(value, connection)))
        columns = [fields[key].column for key in keys] + [column for column, _ in self.fixed]
        self.fixed_values = [value for _, value in self.fixed]
        quote = connection.ops.quote_name
        self.width = len(columns)
        # Table and column names come from the model's own metadata, quoted; every value is a parameter.
        self.head = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column) for column in columns)}) VALUES "  # noqa: S608
        )
        self.placeholder = "(" + ", ".join(["%s"] * self.width) + ")"
        self.copy_sql = (
            f"COPY {quote(meta.db_table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
        )
        limit = connection.features.max_query_params or 65_535
        self.rows_per_statement = max(1, min(1_000, limit // self.width))
        self.rows: list[list] = []

    def add(self, values: dict) -> None:
        if len(values) != len(self.keys):
            raise ValueError(f"Expected the fields {self.keys}, got {tuple(values)}")
        row = [values[key] for key in self.keys]
        for i, convert in enumerate(self.converters):
            if convert is not None and row[i] is not None:
                row[i] = convert(row[i])
        row.extend(self.fixed_values)
        self.rows.append(row)

    def flush(self, cursor) -> int:
        written = len(self.rows)
        if connection.vendor == "postgresql":
            # COPY: no statement text to build or parse, the fastest way in for PostgreSQL.
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            step = self.rows_per_statement
            for first in range(0, written, step):
                chunk = self.rows[first : first + step]
                params = [value for row in chunk for value in row]
                cursor.execute(self.head + ", ".join([self.placeholder] * len(chunk)), params)
        self.rows.clear()
        return written


class BulkWriter:
    """Buffers new rows and writes them in batches, in the order the models were given (parents first).

    ``add(instance)`` takes model instances and writes them with ``bulk_create``; ``row(Model, **values)`` takes
    plain values and writes them with multi-row INSERTs (``_RowTable``), several times faster, for the
    models a step writes by the hundred thousand. Everything waiting is flushed together whenever
    ``batch_size`` rows are waiting, so the rows of one family land in the same flush and memory holds at
    most one batch.
    """

    def __init__(self, ctx: "SynthContext", models_in_order: Iterable[type[models.Model]], batch_size: int):
        self.ctx = ctx
        self.order = list(models_in_order)
        self.buffers: dict[type[models.Model], list[models.Model]] = {model: [] for model in self.order}
        self.tables: dict[type[models.Model], _RowTable] = {}
        self.batch_size = batch_size
        self.waiting = 0

    def add(self, obj: models.Model) -> None:
        self.buffers[type(obj)].append(obj)
        self.waiting += 1
        if self.waiting >= self.batch_size:
            self.flush()

    def row(self, model: type[models.Model], **values) -> None:
        table = self.tables.get(model)
        if table is None:
            if model not in self.buffers:
                raise ValueError(f"{model.__name__} was not given to the writer")
            table = self.tables[model] = _RowTable(model, tuple(values), self.ctx.began)
        table.add(values)
        self.waiting += 1
        if self.waiting >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for model in self.order:
                rows = self.buffers[model]
                if rows:
                    model.objects.bulk_create(rows, batch_size=self.batch_size)
                    self.ctx.counts[model._meta.label] += len(rows)
                    rows.clear()
                table = self.tables.get(model)
                if table is not None and table.rows:
                    self.ctx.counts[model._meta.label] += table.flush(cursor)
        self.waiting = 0

    def __enter__(self) -> "BulkWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.flush()


@dataclass
class SynthContext:
    """Everything a step needs. ``rng`` is replaced by the runner before each step with a stream seeded from
    the seed and the step's name, so a new step never changes what the steps before it generate."""

    seed: int
    children: int
    years: int
    today: datetime.date
    la_code: str
    la_name: str
    demo_password: str
    quiet: bool = False
    batch_size: int = BATCH_SIZE
    rng: random.Random = field(default_factory=random.Random)
    # When the run began: the created_at/modified_at of every row written with ``BulkWriter.row``.
    began: datetime.datetime = field(default_factory=timezone.now)
    counts: Counter = field(default_factory=Counter)
    org: OrgIndex = field(default_factory=OrgIndex)
    population: Population = field(default_factory=Population)
    cases: list[OpenCase] = field(default_factory=list)
    # The ``casework`` step's open child in need episode of each child open today: child id -> episode id (the
    # episode a later step's period of care or plan belongs to).
    open_episodes: dict[int, int] = field(default_factory=dict)
    # The ``lookedafter`` step's open period of care of each child looked after today: child id -> period id.
    open_periods: dict[int, int] = field(default_factory=dict)
    # The social worker allocations the ``socialworkers`` step added to cover days of care that had none: the
    # steps before it (which read allocations) ran without them.
    care_cover: list[int] = field(default_factory=list)
    # Anything else a step wants to hand on, under a key named after the step.
    extra: dict = field(default_factory=dict)

    @property
    def history_start(self) -> datetime.date:
        """The earliest date history is generated from: ``years`` before ``today``."""
        return self.today - datetime.timedelta(days=round(365.25 * self.years))

    def random_date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """A uniformly random date from ``start`` to ``end`` inclusive."""
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def progress(self, total: int | None, desc: str) -> tqdm:
        """A progress bar on stderr, silent with ``--quiet`` or when stderr is not a terminal."""
        return tqdm(
            total=total,
            desc=desc,
            unit=" rows" if total is None else "",
            file=sys.stderr,
            disable=self.quiet or not sys.stderr.isatty(),
            leave=False,
            dynamic_ncols=True,
        )

    def writer(self, *models_in_order: type[models.Model]) -> BulkWriter:
        return BulkWriter(self, models_in_order, self.batch_size)

    def next_ids(self, model: type[models.Model]) -> int:
        """The first free primary key of ``model``, for steps that number rows themselves before writing them
        (so children, households and addresses can be linked without reading ids back)."""
        last = model.objects.aggregate(last=models.Max("pk"))["last"]
        return (last or 0) + 1

    def reset_sequences(self, *model_list: type[models.Model]) -> None:
        """After inserting explicit ids, move PostgreSQL's sequences past them (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
