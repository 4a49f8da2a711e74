"""Reads for the returns pages: a return's validation report as a user may see it.

The whole council's report for analysts and the director; for a head of service or team manager, only the
failures about children the access policy lets them see (``audit.policy.visible_children``), and none about
the return as a whole.
"""

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from safeguard.audit.policy import visible_children
from safeguard.core.years import CollectionYear
from safeguard.returns import policies
from safeguard.returns.catalogue import Collection
from safeguard.returns.models import QueryExplanation, StagedImport
from safeguard.returns.rules import Finding, Report, Rule


@dataclass
class RuleFailures:
    rule: Rule
    findings: list[Finding]
    explained: int = 0  # queries with an explanation recorded


@dataclass
class ReturnReport:
    year: CollectionYear
    report: Report
    whole: bool  # the council's whole return, or only the user's children
    children: int  # children in the return (that the user may see)
    explanations: dict[tuple[str, str], QueryExplanation] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return len(self.report.errors)

    @property
    def queries(self) -> int:
        return len(self.report.queries)

    @property
    def unexplained_queries(self) -> int:
        return sum(1 for finding in self.report.queries if finding.key not in self.explanations)

    def by_rule(self) -> list[RuleFailures]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.report.findings:
            grouped[finding.rule.code].append(finding)
        return [
            RuleFailures(
                rule,
                grouped[rule.code],
                explained=sum(1 for finding in grouped[rule.code] if finding.key in self.explanations),
            )
            for rule, _count in self.report.by_rule()
        ]


def return_report(user, collection: Collection, year: CollectionYear) -> ReturnReport:
    """The year's return, built from the records and validated, as ``user`` may see it."""
    the_return = collection.build(year)
    report = collection.validate(the_return)
    whole = policies.sees_whole_return(user)
    children = len(the_return.children)
    if not whole:
        mine = set(visible_children(user).values_list("pk", flat=True))
        report.findings = [
            finding
            for finding in report.findings
            if finding.source is not None and finding.source.child_pk in mine
        ]
        children = sum(1 for child in the_return.children if child.source.child_pk in mine)
    return ReturnReport(
        year=year,
        report=report,
        whole=whole,
        children=children,
        explanations=explanations(collection.code, year, report.queries),
    )


def explanations(
    collection: str, year: CollectionYear, queries: list[Finding]
) -> dict[tuple[str, str], QueryExplanation]:
    """The explanations recorded for these queries, by (code, LAchildID)."""
    codes = {finding.rule.code for finding in queries}
    if not codes:
        return {}
    rows = QueryExplanation.objects.filter(Q(collection=collection, year=year.end_year, code__in=codes))
    wanted = {finding.key for finding in queries}
    return {(row.code, row.la_child_id): row for row in rows if (row.code, row.la_child_id) in wanted}


def staged_import(user, sha256: str) -> tuple[StagedImport, dict[str, bytes]] | None:
    """The file this user checked and has not yet imported, with its content by file name, if its SHA-256 is
    ``sha256`` (what the confirmation page showed); None otherwise."""
    staged = StagedImport.objects.filter(created_by=user, sha256=sha256).select_related("team__area").first()
    if staged is None:
        return None
    with zipfile.ZipFile(io.BytesIO(bytes(staged.files))) as archive:
        return staged, {name: archive.read(name) for name in archive.namelist()}
