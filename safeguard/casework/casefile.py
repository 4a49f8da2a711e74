"""The sections of a child's case file page, and what other apps offer to record from it.

Casework provides the child in need and child protection sections; other apps (looked-after children,
care leavers, case notes) add theirs with ``register_section`` from their ``AppConfig.ready``, so the case
file page knows nothing of them. A section's ``context`` returns what its template needs, or ``None`` when
the section has nothing to show for this child (it is then left out). It must make a fixed number of
queries: the case file's cost grows with what it shows, not with the child's history.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from safeguard.people.models import Child


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str  # a Jinja template rendered with the section's context under the name ``section``
    context: Callable[[Child, datetime.date, object], dict | None]  # (child, today, user)
    order: int = 50


SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if all(existing.key != section.key for existing in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda item: item.order)


def sections_for(child: Child, today: datetime.date, user) -> list[tuple[Section, dict]]:
    shown = []
    for section in SECTIONS:
        context = section.context(child, today, user)
        if context is not None:
            shown.append((section, context))
    return shown


# What else can be recorded from the case file, offered by apps above casework (the child became looked
# after; leaving care support began): (child, today, user) -> [(link text, URL)]. Called only for a user
# who may change the record and a child with an open episode.
ActionProvider = Callable[[Child, datetime.date, object], list[tuple[str, str]]]
ACTION_PROVIDERS: list[ActionProvider] = []


def register_actions(provider: ActionProvider) -> None:
    if provider not in ACTION_PROVIDERS:
        ACTION_PROVIDERS.append(provider)


def other_actions(child: Child, today: datetime.date, user) -> list[tuple[str, str]]:
    return [action for provider in ACTION_PROVIDERS for action in provider(child, today, user)]


# A case status that outranks casework's own (Ofsted Annex A list 6 puts looked after first): apps above
# casework register (child, today) -> status text or None.
StatusProvider = Callable[[Child, datetime.date], str | None]
STATUS_PROVIDERS: list[StatusProvider] = []


def register_status(provider: StatusProvider) -> None:
    if provider not in STATUS_PROVIDERS:
        STATUS_PROVIDERS.append(provider)


def overriding_status(child: Child, today: datetime.date) -> str | None:
    for provider in STATUS_PROVIDERS:
        status = provider(child, today)
        if status:
            return status
    return None
