"""Validate a CIN census against the DfE rules of its year: one pass over the return (``rules.run``)."""

from safeguard.returns import rules
from safeguard.returns.cin_census import checks  # noqa: F401  (registers every check)
from safeguard.returns.cin_census.context import CinContext
from safeguard.returns.cin_census.model import CinReturn

COLLECTION = "cin_census"


def validate(the_return: CinReturn, *, only: set[str] | None = None) -> rules.Report:
    """Every rule of the return's year (or ``only`` those codes)."""
    return rules.run(COLLECTION, the_return.year, the_return, CinContext(the_return.year), only=only)
