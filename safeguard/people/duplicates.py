"""Finding the record a child may already have, before a new one is made.

Two children's records for one child split what is known about them: the repeat referral is not seen, the
sibling is not linked. So before a record is created the front door is shown the likely matches:

- the same NHS number (certain, unless mistyped);
- the same date of birth (or its day and month swapped, a common slip) with a similar name: names are
  compared on their search keys (case, accents and punctuation removed) by edit similarity, so "Jon" and
  "John", "Mohammed" and "Muhammad", "O'Neill" and "Oneil" match, and a first name may stand for the
  last (names recorded the wrong way round).

Each candidate costs one indexed query on date of birth; similarity is scored in Python on those few rows.
"""

import datetime
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import QuerySet

from safeguard.people.models import Child, name_key

# Two name keys this similar (0-1, difflib's ratio) are treated as possibly the same name.
NAME_SIMILARITY = 0.75


@dataclass(frozen=True)
class Match:
    child: Child
    reasons: tuple[str, ...]


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return (
        a == b or a.startswith(b) or b.startswith(a) or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY
    )


def _swapped(day: datetime.date) -> datetime.date | None:
    try:
        return day.replace(month=day.day, day=day.month) if day.day <= 12 and day.day != day.month else None
    except ValueError:
        return None


def likely_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    nhs_number: str = "",
    among: QuerySet[Child] | None = None,
) -> list[Match]:
    """Existing children who may be this child, most certain first, from ``among`` (the children the user
    may find: a restricted record is not offered as a duplicate, ADR 0013; every child when None). Identity
    only: callers show name, date of birth and IDs, nothing of the record."""
    candidates = Child.objects.all() if among is None else among
    found: dict[int, list[str]] = {}
    number = nhs_number.replace(" ", "")
    if number:
        for child in candidates.filter(person__nhs_number=number):
            found.setdefault(child.pk, []).append("same NHS number")
    if date_of_birth:
        first, last = name_key(first_name), name_key(last_name)
        dates = [day for day in (date_of_birth, _swapped(date_of_birth)) if day]
        # Two indexed queries rather than one OR across two tables, which no index serves (90 ms at 274k).
        born = candidates.filter(person__date_of_birth__in=dates).select_related("person")
        expected = candidates.filter(expected_date_of_birth__in=dates).select_related("person")
        for child in {child.pk: child for child in [*born, *expected]}.values():
            person = child.person
            same_order = _similar(first, person.first_name_key) and _similar(last, person.last_name_key)
            reversed_order = _similar(first, person.last_name_key) and _similar(last, person.first_name_key)
            if same_order or reversed_order:
                born = person.date_of_birth or child.expected_date_of_birth
                reason = (
                    "similar name and same date of birth"
                    if born == date_of_birth
                    else ("similar name, date of birth with day and month swapped")
                )
                if reversed_order and not same_order:
                    reason += " (first and last names the other way round)"
                found.setdefault(child.pk, []).append(reason)
    children = Child.objects.select_related("person").in_bulk(list(found))
    matches = [Match(children[pk], tuple(reasons)) for pk, reasons in found.items()]
    matches.sort(key=lambda match: ("same NHS number" not in match.reasons, match.child.person.last_name_key))
    return matches
