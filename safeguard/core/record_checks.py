"""Checks that a layer above the domain apps makes on a child's records when a service changes them.

The statutory returns (``safeguard/returns``) know the Department for Education's validation rules; the
services that change a child's records (``safeguard/casework``) must not import them, as the returns are the
layer above (ADR 11). So the returns app registers its checker here when it starts (``register``), and a
service asks, explicitly, in its own transaction::

    with transaction.atomic(), record_checks.no_new_problems(child.pk):
        ...  # the change

If the change gives the child's records a problem they did not have before, ``ValidationError`` is raised
with each new problem in plain words, and the transaction is rolled back: the worker is told when they save,
not months later when the return is made. Problems the records already had do not stop an unrelated change.
No signal is involved: a reader of the service sees the call.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError

# A checker takes a child's pk and returns the problems with their records: {a stable key: the message}.
Checker = Callable[[int], dict[str, str]]
_CHECKERS: list[Checker] = []


def register(checker: Checker) -> None:
    """Called from an app's ``AppConfig.ready``; each checker once."""
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)


def problems(child_pk: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for checker in _CHECKERS:
        found.update(checker(child_pk))
    return found


@contextmanager
def no_new_problems(child_pk: int) -> Iterator[None]:
    """Refuse the change made inside the block if it gives the child's records a new problem."""
    before = problems(child_pk)
    yield
    new = [message for key, message in problems(child_pk).items() if key not in before]
    if new:
        raise ValidationError(new)
