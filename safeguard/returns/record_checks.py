"""The CIN census rules, checked on one child's records whenever a casework service changes them
(``core.record_checks``; ADR 11).

The child's part of the census of the collection year in progress is built and validated as the whole return
is. Only errors stop a change: a query is something unusual that may be right, and is explained when the
return is prepared. The message is the DfE's, with what was found and the rule's code, so that the worker and
the analyst talk about the same thing.
"""

from django.utils import timezone

from safeguard.core.years import CollectionYear
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.validate import validate


def cin_census_problems(child_pk: int) -> dict[str, str]:
    """The CIN census errors in this child's records for the year in progress, each keyed by the rule and the
    record at fault, so that a problem already there is known again after a change, whatever its detail."""
    the_return = build(CollectionYear.containing(timezone.localdate()), child=child_pk)
    if not the_return.children:
        return {}
    found = {}
    for finding in validate(the_return).errors:
        source = finding.source
        detail = f" ({finding.detail})" if finding.detail else ""
        key = f"{finding.rule.code}:{source.model if source else ''}:{source.pk if source else ''}"
        found[key] = f"{finding.rule.message}{detail} [CIN census rule {finding.rule.code}]"
    return found
