"""The CIN census rules, checked on one child's records whenever a casework service changes them
(``core.record_checks``; ADR 11).

The child's part of the census of the collection year in progress is built and run through the year's
child-level rules. Only errors stop a change: a query is something unusual that may be right, and is
explained when the return is prepared. The message is the DfE's, with the rule's code and what was found, so
that the worker and the analyst talk about the same thing.
"""

from django.utils import timezone

from safeguard.returns import rules
from safeguard.returns.cin_census import checks  # noqa: F401  (registers every check)
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.context import CinContext
from safeguard.returns.cin_census.validate import COLLECTION
from safeguard.returns.years import CollectionYear


def cin_census_problems(child_pk: int) -> dict[str, str]:
    """The CIN census errors in this child's records, for the year in progress."""
    year = CollectionYear.containing(timezone.localdate())
    the_return = build(year, child=child_pk)
    if not the_return.children:
        return {}
    context = CinContext(year)
    found = {}
    for rule, check in rules.checks_for(COLLECTION, year):
        if check.scope != "child" or rule.is_query:
            continue
        for child in the_return.children:
            for item in check.function(child, context):
                hit = item if isinstance(item, rules.Hit) else rules.Hit(item)
                # Keyed by the rule and the record at fault, so that a problem already there is known again
                # after the change, whatever its detail now says.
                source = getattr(hit.node, "source", None) or child.source
                detail = f" ({hit.detail})" if hit.detail else ""
                key = f"{rule.code}:{source.model}:{source.pk}"
                found[key] = f"{rule.message}{detail} [CIN census rule {rule.code}]"
    return found
