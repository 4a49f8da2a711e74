"""Validate an SSDA903 return against the DfE rules of its year: one pass over the return (``rules.run``)."""

from safeguard.returns import rules
from safeguard.returns.ssda903 import checks  # noqa: F401  (registers every check)
from safeguard.returns.ssda903.context import Ssda903Context
from safeguard.returns.ssda903.model import Ssda903Return

COLLECTION = "ssda903"


def validate(the_return: Ssda903Return, *, only: set[str] | None = None) -> rules.Report:
    """Every rule of the return's year (or ``only`` those codes)."""
    return rules.run(COLLECTION, the_return.year, the_return, Ssda903Context.of(the_return), only=only)
