"""A child's chronology, assembled from the records themselves each time it is read.

Nothing is copied into a chronology table: each kind of record contributes its entries through a *source*
(a function from a child to entries), so a correction to a record is the chronology's correction too, and
a new kind of record joins the chronology by registering its source (``register_source``, from its app's
``AppConfig.ready``; looked-after children and case notes do this). Each source makes a fixed number of
queries, whatever the length of the child's history.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from safeguard.people.models import Child

# The kinds a user can filter by, in the order the filter lists them. A source uses one of these.
KINDS = {
    "front_door": "Contacts and referrals",
    "assessment": "Assessments",
    "child_protection": "Strategy discussions, enquiries and conferences",
    "plan": "Plans and reviews",
    "visit": "Visits",
    "looked_after": "Looked after: placements, reviews, health and education",
    "care_leaver": "Leaving care",
    "note": "Case notes and documents",
    "closure": "Case opened and closed",
}


@dataclass(frozen=True)
class Entry:
    on: datetime.date
    kind: str
    title: str
    detail: str = ""
    by: str = ""
    url: str = ""
    # Within a day, entries keep the order their sources give them (a referral before its assessment).
    order: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"Unknown chronology kind {self.kind!r}; add it to casework.chronology.KINDS or register_kind it"
            )


def by_name(user) -> str:
    """Who recorded an entry, as the chronology shows it ("" when no one is known)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


Source = Callable[[Child], Iterable[Entry]]
SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def register_kind(kind: str, label: str) -> None:
    """A kind of entry an app above casework adds (its filter checkbox on the chronology page)."""
    KINDS.setdefault(kind, label)


def chronology_for(
    child: Child,
    *,
    kinds: Iterable[str] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[Entry]:
    """Every entry for ``child``, newest first, optionally only some kinds and dates."""
    wanted = set(kinds) if kinds else None
    entries = [
        entry
        for source in SOURCES
        for entry in source(child)
        if (wanted is None or entry.kind in wanted)
        and (since is None or entry.on >= since)
        and (until is None or entry.on <= until)
    ]
    entries.sort(key=lambda entry: (entry.on, entry.order), reverse=True)
    return entries
