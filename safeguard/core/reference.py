"""Statutory code lists, loaded from ``data/reference_codes.csv`` and read back by code set.

Code lists are data: a new collection year's codes arrive as rows in the CSV (with their ``valid_from``) and a
migration that calls ``load_reference_codes`` again; nothing in the code base spells out a list of codes.
"""

import csv
import datetime
from functools import cache
from pathlib import Path

CODES_FILE = Path(__file__).parent / "data" / "reference_codes.csv"


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@cache
def _codes_file_rows() -> tuple[dict, ...]:
    """The file, read once per process (lookups happen on every contact recorded)."""
    return tuple(read_codes_file())


def read_codes_file(path: Path = CODES_FILE) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for order, row in enumerate(rows):
        row["valid_from"] = _date(row["valid_from"])
        row["valid_to"] = _date(row["valid_to"])
        row["sort_order"] = order
    return rows


def load_reference_codes(reference_code_model, using: str = "default") -> int:
    """Make the table match the file: insert new codes, update changed ones (idempotent, a few queries).

    Run by a migration and after every ``migrate`` (``CoreConfig.ready``), so a code added to the file
    reaches the table without a migration of its own, and a test database emptied by a transactional test
    gets its codes back. Takes the model so migrations can pass theirs. Codes are never deleted: old
    records keep the codes they were given.
    """
    manager = reference_code_model.objects.using(using)
    stored = {(row.code_set, row.code, row.valid_from): row for row in manager.all()}
    fields = ("label", "valid_to", "source", "sort_order")
    new, changed = [], []
    for row in read_codes_file():
        existing = stored.get((row["code_set"], row["code"], row["valid_from"]))
        if existing is None:
            new.append(
                reference_code_model(**{key: row[key] for key in ("code_set", "code", "valid_from", *fields)})
            )
        elif any(getattr(existing, key) != row[key] for key in fields):
            for key in fields:
                setattr(existing, key, row[key])
            changed.append(existing)
    manager.bulk_create(new)
    if changed:
        manager.bulk_update(changed, fields)
    return manager.count()


@cache
def codes(code_set: str) -> dict[str, str]:
    """``{code: label}`` for one code set, every code ever valid, in the file's order (cached per process).

    Read from the file, not the database, so a label lookup on a page costs nothing; the table holds the
    same rows for reports and joins.
    """
    return {row["code"]: row["label"] for row in _codes_file_rows() if row["code_set"] == code_set}


def codes_valid_on(code_set: str, day: datetime.date) -> dict[str, str]:
    return {
        row["code"]: row["label"]
        for row in _codes_file_rows()
        if row["code_set"] == code_set
        and (row["valid_from"] is None or row["valid_from"] <= day)
        and (row["valid_to"] is None or row["valid_to"] >= day)
    }


def label(code_set: str, code: str) -> str:
    """The label for a code, or the code itself where it is not in the list (so bad data still shows)."""
    return codes(code_set).get(code, code)
