"""The CIN census and SSDA903 rules, checked on one child's records whenever a casework or looked-after
service changes them (``core.record_checks``; ADR 11).

The child's part of the return of the collection year in progress is built and validated as the whole return
is. Only errors stop a change: a query is something unusual that may be right, and is explained when the
return is prepared. The message is the DfE's, with what was found and the rule's code, so that the worker and
the analyst talk about the same thing.
"""

from django.utils import timezone

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.validate import validate
from safeguard.returns.ssda903 import build as ssda903_build
from safeguard.returns.ssda903 import validate as ssda903_validate


def _keyed(findings, title: str) -> dict[str, str]:
    """Each finding keyed by the rule and the record at fault, so that a problem already there is known again
    after a change, whatever its detail."""
    found = {}
    for finding in findings:
        source = finding.source
        detail = f" ({finding.detail})" if finding.detail else ""
        key = f"{title}:{finding.rule.code}:{source.model if source else ''}:{source.pk if source else ''}"
        found[key] = f"{finding.rule.message}{detail} [{title} rule {finding.rule.code}]"
    return found


def cin_census_problems(child_pk: int) -> dict[str, str]:
    """The CIN census errors in this child's records for the year in progress."""
    the_return = build(CollectionYear.containing(timezone.localdate()), child=child_pk)
    if not the_return.children:
        return {}
    return _keyed(validate(the_return).errors, "CIN census")


# The SSDA903 rules a change to a looked-after child's records is not refused for. The net under the
# looked-after services is the rules about the tables they write (Episodes, Reviews, Missing, UASC,
# PlacedAdoption, AD1, PrevPerm), less those that the records of a year still under way break though nothing
# was entered wrongly. The others are left to the analyst: the validation report of the year in progress shows
# them, and the return is not made until they are put right.
_CHILDS_DETAILS = (
    "the child's details (sex, date of birth, ethnicity, UPN, motherhood) are recorded on the child's own "
    "record, which no looked-after service changes: a child must not be refused care, nor a care leaver "
    "support, because their ethnicity or UPN is not yet recorded"
)
_SOCIAL_WORKERS = (
    "social worker episodes are the child's allocations, which no looked-after service changes: a child who "
    "comes into care is allocated a social worker after, by a manager"
)
_OC2 = (
    "OC2 outcomes are recorded once a year, after 31 March (lookedafter.AnnualOutcome): until then the year's "
    "OC2 row is blank, and a change that brings a child into the 12 months' cohort (a period of care that "
    "goes on past a year) would otherwise be refused for it; the outcome services check these rules"
)
_OC3 = (
    "OC3 is as things stood at the contact nearest a 17th-21st birthday, up to months after it: until then "
    "the row is blank or not yet settled; the care leaver services check each code as it is entered"
)
_OPEN_TO_31_MARCH = (
    "an episode still open is measured to 31 March to come, as though it would not end before then: the "
    "service checks the legal status or placement up to the day it records (lookedafter.rules)"
)
LEFT_TO_THE_ANALYST: dict[str, str] = {
    **dict.fromkeys(
        (
            "101", "102", "103", "165", "168", "171", "174", "202", "203", "204", "207", "208", "209", "232",
            "442", "611", "612", "620", "621", "624", "626",
        ),
        _CHILDS_DETAILS,
    ),
    **dict.fromkeys(
        (
            "SW01STG1", "SW01aSTG1", "SW01bSTG1", "SW02STG1", "SW03STG1", "SW04STG1", "SW05STG1", "SW06STG2",
            "SW07STG2", "SW08STG2", "SW09STG2", "SW10STG2", "SW11aSTG2", "SW11bSTG2", "SW12STG2", "SW13STG1",
            "SW14STG2", "SW15STG2", "SW16aSTG2", "SW16bSTG2", "SW16cSTG2", "SW17STG2",
        ),
        _SOCIAL_WORKERS,
    ),
    **dict.fromkeys(
        (
            "157", "158", "159", "180", "181", "182", "185", "186", "188", "189", "190", "191", "192", "193",
            "196", "197B", "197a", "198", "215", "542", "543", "544", "545", "546", "547",
        ),
        _OC2,
    ),
    **dict.fromkeys(
        (
            "131", "132", "133", "153", "344", "345", "347", "348", "391", "1000", "1001", "1002", "1007",
            "1010", "1011", "1016", "3001",
        ),
        _OC3,
    ),
    **dict.fromkeys(("361", "362", "363", "364", "365", "367", "375", "376", "379"), _OPEN_TO_31_MARCH),
    "359": (
        "a young person whose 18th birthday falls before 31 March and whose episode is still open is taken to "
        "be looked after past 18 on 31 March, though their care may end before then"
    ),
    "406": (
        "a child's UASC status is recorded after care starts, when the episodes give both postcodes, as rule "
        "392b asks of a child not known to be UASC: refusing the status until the home postcode is cleared, "
        "and refusing to clear it until the status is recorded, would leave the worker no way through; once "
        "the status is recorded, 392b allows the home postcode to be cleared"
    ),
    "630": (
        "the previous permanence option may be recorded when care starts or later "
        "(lookedafter.services.previous_permanence_record): care that starts in an emergency is not refused "
        "for it, and the service checks what is given"
    ),
    "210": (
        "UN4 (newly looked after) is right when care starts; the UPN is recorded on the child's record later, "
        "and the rule asks it of a child looked after on 31 March, which is not yet known"
    ),
}  # fmt: skip


def ssda903_problems(child_pk: int) -> dict[str, str]:
    """The SSDA903 errors in this child's records for the year in progress: child-level rules only (the
    return-level ones, duplicates and percentages, are about the whole council), and not those
    ``LEFT_TO_THE_ANALYST``."""
    year = CollectionYear.containing(timezone.localdate())
    the_return = ssda903_build.build(year, child=child_pk)
    if not the_return.children:
        return {}
    return _keyed(ssda903_validate.validate(the_return, only=checked_on_entry(year)).errors, "SSDA903")


def checked_on_entry(year: CollectionYear) -> set[str]:
    """The SSDA903 rules of ``year`` checked when a record is saved: its child-level rules, less those left to
    the analyst."""
    return {
        rule.code
        for rule, check in rules.checks_for(ssda903_validate.COLLECTION, year)
        if check.scope == "child" and rule.code not in LEFT_TO_THE_ANALYST
    }
