"""Everything held about one person, gathered from every app, as a flat list of items.

A *source* knows where one kind of record lives and turns each row into an ``Item``: where it came from, what
kind of record it is, a stable key (``"casenotes.casenote:12"``) that redactions point at, its date, and its
fields as text. Sources are registered (``register_source``), so an app could own its own; for now the
subject access app implements them all here, because it may not change the other apps.

Completeness matters more than neatness (UK GDPR art. 15 is a right to *all* the person's data), so after
the named sources, ``other_records`` finds every model in the project with a foreign key to ``Child`` that no
source has claimed and exports its rows generically. A new app's records about a child are therefore in the
package from the day they exist, before anyone writes a source for them; a test holds this.
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from safeguard.people.models import Child

# Columns that are machinery, not information about anyone: optimistic-lock counters, search keys, where a
# file sits in the store.
SKIPPED_FIELDS = {"version", "first_name_key", "last_name_key", "stored_name"}
# Preferred columns for an item's date, most telling first; otherwise its first date, else when recorded.
DATE_FIELDS = (
    "occurred_on",
    "start_date",
    "started_on",
    "date",
    "contact_date",
    "referral_date",
    "decided_on",
    "held_on",
    "visited_on",
)


@dataclass(frozen=True)
class ItemField:
    name: str
    label: str
    value: str


@dataclass
class Item:
    """One record (or one version of a record) in the package."""

    source: str
    record_type: str
    key: str
    date: datetime.date | None
    title: str
    fields: list[ItemField]
    # A case-note document: the file itself goes in the package unless the item is redacted whole.
    document: models.Model | None = None

    def field(self, name: str) -> ItemField | None:
        return next((item_field for item_field in self.fields if item_field.name == name), None)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what the item says, so the disclosure log shows which version of it was sent."""
        content = json.dumps([[f.name, f.value] for f in self.fields], ensure_ascii=False)
        return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class Source:
    """One place records about a person live. ``collect(child)`` yields its items; ``paths`` say which models
    it reads (so the catch-all source leaves them alone) and how each reaches the child."""

    name: str
    label: str
    collect: Callable[[Child], Iterable[Item]]
    # Each model read, with the lookup from it to the child ("child", "contact__child", "person__child").
    paths: tuple[tuple[type[models.Model], str], ...] = field(default=())

    @property
    def covers(self) -> set[type[models.Model]]:
        return {model for model, _ in self.paths}


SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if all(existing.name != source.name for existing in SOURCES):
        SOURCES.append(source)


def item_key(row: models.Model) -> str:
    return f"{row._meta.label_lower}:{row.pk}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _related_text(related) -> str:
    if related is None:
        return ""
    if isinstance(related, get_user_model()):
        return related.get_full_name() or related.get_username()
    return str(related)


def row_fields(row: models.Model, *, leave_out: Iterable[str] = ()) -> list[ItemField]:
    """Every column of ``row`` as text: choices by their label, people by name, dates in ISO form."""
    skipped = SKIPPED_FIELDS | set(leave_out)
    found = []
    for model_field in row._meta.concrete_fields:
        if model_field.name in skipped or model_field.primary_key and not model_field.is_relation:
            continue
        if model_field.is_relation:
            value = _related_text(getattr(row, model_field.name))
        elif model_field.choices:
            value = getattr(row, f"get_{model_field.name}_display")()
        else:
            value = _text(getattr(row, model_field.attname))
        found.append(ItemField(model_field.name, str(model_field.verbose_name).capitalize(), value))
    return found


def row_date(row: models.Model) -> datetime.date | None:
    names = {f.name: f for f in row._meta.concrete_fields}
    for name in DATE_FIELDS:
        if name in names and getattr(row, name, None):
            return getattr(row, name)
    for model_field in row._meta.concrete_fields:
        if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
            value = getattr(row, model_field.attname)
            if value:
                return value
    created = getattr(row, "created_at", None)
    return timezone.localtime(created).date() if created else None


def row_item(source: str, row: models.Model, *, leave_out: Iterable[str] = ("child",), **extra) -> Item:
    return Item(
        source=source,
        record_type=str(row._meta.verbose_name).capitalize(),
        key=item_key(row),
        date=row_date(row),
        title=str(row),
        fields=row_fields(row, leave_out=leave_out),
        **extra,
    )


def rows(model: type[models.Model], **lookup) -> models.QuerySet:
    """Every row, through the base manager, so that no custom default manager can hide one from the export."""
    related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
    return model._base_manager.filter(**lookup).select_related(*related).order_by("pk")


def model_source(name: str, label: str, paths: list[tuple[type[models.Model], str]]) -> Source:
    """A source reading whole rows of each model, found through ``path`` to the child ("child",
    "contact__child")."""

    def collect(child: Child) -> Iterable[Item]:
        for model, path in paths:
            for row in rows(model, **{path: child}):
                yield row_item(label, row)

    return Source(name=name, label=label, collect=collect, paths=tuple(paths))


def child_models() -> list[type[models.Model]]:
    """Every model with a direct foreign key (or one-to-one) to ``Child``."""
    return [model for model in apps.get_models() if model is not Child and child_keys(model)]


# Models with a key to a child that are deliberately not exported, and why.
NOT_EXPORTED: dict[str, str] = {
    # The request itself, its redactions and disclosures are the council's handling of the request.
    # The request, and (in the change log) its redactions and disclosures: the council's handling of it.
    "sar.subjectaccessrequest": "the request being answered",
    # A thread only groups a note's versions; every version is exported by the case notes source.
    "casenotes.casenotethread": "groups case note versions, each of which is exported",
    # Which data-load batch created the record: administration of the system, nothing about the person.
    "returns.importedchild": "the import batch a record came from",
}


def uncovered_models() -> list[type[models.Model]]:
    covered = {model for source in SOURCES for model in source.covers}
    return [
        model
        for model in child_models()
        if model not in covered and model._meta.label_lower not in NOT_EXPORTED
    ]


def child_keys(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Child and (f.many_to_one or f.one_to_one)
    ]


def all_paths() -> list[tuple[type[models.Model], str]]:
    """Every model the export reads, with its lookup to the child: the named sources' and the catch-all's."""
    found = [path for source in SOURCES for path in source.paths]
    found += [(model, key) for model in uncovered_models() for key in child_keys(model)]
    return found


def _other_records(child: Child) -> Iterable[Item]:
    for model in uncovered_models():
        seen = set()
        for path in child_keys(model):
            for row in rows(model, **{path: child}):
                if row.pk not in seen:
                    seen.add(row.pk)
                    yield row_item("Other records", row, leave_out=())


OTHER_RECORDS = Source(name="other", label="Other records", collect=_other_records)


def collect_items(child: Child) -> list[Item]:
    """Every item held about ``child``, source by source (the catch-all last), each source by date."""
    items: list[Item] = []
    for source in [*SOURCES, OTHER_RECORDS]:
        found = list(source.collect(child))
        found.sort(key=lambda item: (item.date or datetime.date.min, item.key))
        items.extend(found)
    return items
