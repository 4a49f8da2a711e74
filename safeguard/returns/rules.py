"""The DfE validation rules, as data with a check for each, and the engine that runs them.

**The rules are data.** ``data/rules.csv`` holds every rule the DfE publishes for the CIN census and the
SSDA903, one row per rule and per year its wording changed: the collection, the first year (by the year it
ends) the wording applies from, the rule's code and the DfE's message. It is the list the DfE validators
work from (data-to-insight ``csc-validator-be-cin`` and ``csc-validator-be-903``, extracted in
``../shared/reference/cin_census_rules.txt`` and ``ssda903_rules.txt``). A code ending in ``Q`` is a
*query*: the DfE accepts the return if the council explains it; every other rule is an *error* that must be
put right. The collection year selects the rule set: for each code, the latest wording whose first year is
on or before the year.

**Each rule has one check**, a function registered with ``@check(collection, code, fields=...)`` in the
return's ``checks`` module. A check reads the return as the DfE sees it (``cin_census.model``) and yields
what is at fault: the node (a child, an episode, an assessment...), or a ``Hit`` when it names other fields
or adds a detail. The engine turns each into a ``Finding``: the rule, the child, the fields, and the record
the node came from, so that a page can link to what must change.

**One pass.** The return is built first, with a handful of queries (``cin_census.build``); validation is then
plain Python over it, every check once per child (``scope="child"``) or once for the return
(``scope="return"``, for duplicates across children and the return's percentages). No check queries the
database.
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from safeguard.core.years import CollectionYear

RULES_FILE = Path(__file__).parent / "data" / "rules.csv"
TITLES = {"cin_census": "CIN census", "ssda903": "SSDA903"}


@dataclass(frozen=True)
class Rule:
    collection: str  # "cin_census" or "ssda903"
    code: str  # "8805", "8670Q"
    year_from: int  # the first collection year (by its end) this wording applies to
    message: str

    @property
    def is_query(self) -> bool:
        """A query (code ending in Q) may stand with an explanation; anything else is an error."""
        return self.code.endswith("Q")

    @property
    def severity(self) -> str:
        return "query" if self.is_query else "error"

    @property
    def sort_key(self) -> tuple[int, str]:
        digits = "".join(ch for ch in self.code if ch.isdigit())
        return (int(digits or 0), self.code)


@cache
def _all_rules() -> tuple[Rule, ...]:
    with RULES_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple(
            Rule(row["collection"], row["code"], int(row["year_from"]), row["message"])
            for row in csv.DictReader(handle)
        )


@cache
def rules_for(collection: str, year: CollectionYear) -> dict[str, Rule]:
    """``{code: rule}``: the rule set of ``year``, each code in the latest wording that applies to it."""
    chosen: dict[str, Rule] = {}
    for rule in _all_rules():
        if rule.collection != collection or rule.year_from > year.end_year:
            continue
        if rule.code not in chosen or chosen[rule.code].year_from < rule.year_from:
            chosen[rule.code] = rule
    return dict(sorted(chosen.items(), key=lambda item: item[1].sort_key))


@dataclass(frozen=True)
class Source:
    """Where a fact in a return came from: a record (``model`` is its label, as ``casework.assessment``), or a
    line of an imported file."""

    model: str = ""
    pk: int | None = None
    child_pk: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Hit:
    """What a check found at fault, when it is more than the node: other fields, or a detail to show."""

    node: Any
    fields: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Finding:
    rule: Rule
    la_child_id: str  # "" for a finding about the whole return
    fields: tuple[str, ...]
    source: Source | None
    detail: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What an explanation of a query is recorded against."""
        return (self.rule.code, self.la_child_id)


CheckFunction = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class Check:
    collection: str
    code: str
    function: CheckFunction
    fields: tuple[str, ...]
    scope: str  # "child" or "return"


_CHECKS: dict[tuple[str, str], Check] = {}


def check(collection: str, code: str, *, fields: Iterable[str], scope: str = "child"):
    """Register ``function`` as the check of rule ``code``. It is called as ``function(child, context)``
    (``scope="child"``) or ``function(the_return, context)`` (``scope="return"``) and yields what is at
    fault."""
    if scope not in {"child", "return"}:
        raise ValueError(f"scope is 'child' or 'return', not {scope!r}")

    def register(function: CheckFunction) -> CheckFunction:
        key = (collection, code)
        if key in _CHECKS:
            raise ValueError(f"Rule {code} of {collection} has two checks")
        _CHECKS[key] = Check(collection, code, function, tuple(fields), scope)
        return function

    return register


def checks_for(collection: str, year: CollectionYear) -> list[tuple[Rule, Check]]:
    """The checks of ``year``'s rule set, in the rules' order."""
    return [
        (rule, _CHECKS[(collection, code)])
        for code, rule in rules_for(collection, year).items()
        if (collection, code) in _CHECKS
    ]


def unchecked(collection: str, year: CollectionYear) -> list[Rule]:
    """Rules of the year with no check: the report says so rather than passing them silently."""
    return [rule for code, rule in rules_for(collection, year).items() if (collection, code) not in _CHECKS]


@dataclass
class Report:
    collection: str
    year: CollectionYear
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Rule] = field(default_factory=list)
    children: int = 0  # children in the return

    @property
    def title(self) -> str:
        return TITLES.get(self.collection, self.collection)

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.rule.is_query]

    @property
    def queries(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.rule.is_query]

    def by_rule(self) -> list[tuple[Rule, int]]:
        """Each rule that failed, with how many times, errors first."""
        counts = Counter(finding.rule for finding in self.findings)
        return sorted(counts.items(), key=lambda item: (item[0].is_query, item[0].sort_key))


def run(
    collection: str, year: CollectionYear, the_return, context, *, only: set[str] | None = None
) -> Report:
    """Every check of ``year`` (or ``only`` those codes) over ``the_return`` (which has ``.children``, each
    with ``.la_child_id`` and ``.source``), once."""
    report = Report(collection, year, unchecked=unchecked(collection, year))
    checks = [
        (rule, item) for rule, item in checks_for(collection, year) if only is None or rule.code in only
    ]
    if only is not None and not checks:
        raise KeyError(f"No check for {', '.join(sorted(only))} in the {collection} rules of {year}")
    child_checks = [(rule, item) for rule, item in checks if item.scope == "child"]
    return_checks = [(rule, item) for rule, item in checks if item.scope == "return"]
    children = the_return.children
    report.children = len(children)
    findings = report.findings
    # The inner loop runs once per child per rule (30,000 children by some 110 rules): it only calls the check
    # and iterates what it yields; a Finding is made only for what is found.
    for child in children:
        for rule, item in child_checks:
            for found in item.function(child, context):
                hit = found if isinstance(found, Hit) else Hit(found)
                source = getattr(hit.node, "source", None) or child.source
                findings.append(
                    Finding(rule, child.la_child_id, hit.fields or item.fields, source, hit.detail)
                )
    for rule, item in return_checks:
        for found in item.function(the_return, context):
            hit = found if isinstance(found, Hit) else Hit(found)
            la_child_id = getattr(hit.node, "la_child_id", "")
            source = getattr(hit.node, "source", None)
            findings.append(Finding(rule, la_child_id, hit.fields or item.fields, source, hit.detail))
    return report
