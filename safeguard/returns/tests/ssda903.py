"""Small SSDA903 returns for the checks' tests: a looked-after child to change one fact at a time.

Build what a test needs with ``row`` and ``a_child``; every value is text, as in the return's files, with
dates as ``dd/mm/YYYY``.
"""

from safeguard.core.years import CollectionYear
from safeguard.returns import rules
from safeguard.returns.ssda903.model import LookedAfterChild, Row, Ssda903Return
from safeguard.returns.ssda903.validate import validate

YEAR = CollectionYear(2025)  # 1 April 2024 to 31 March 2025


def row(child: str = "C1", **values: str) -> Row:
    return Row({"CHILD": child, **values})


def header(child: str = "C1", **values: str) -> Row:
    """A girl born on 1 May 2014, White British, with a UPN; not a mother."""
    defaults = {
        "SEX": "F",
        "DOB": "01/05/2014",
        "ETHNIC": "WBRI",
        "UPN": "A001200116001",
        "MOTHER": "0",
        "MC_DOB": "",
    }
    return row(child, **{**defaults, **values})


def episode(child: str = "C1", **values: str) -> Row:
    """Started to be looked after on 1 May 2024 under a full care order, in foster care with another carer
    (not long-term) provided by the council; still open."""
    defaults = {
        "DECOM": "01/05/2024", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U6", "PLACE_PROVIDER": "PR1",
        "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "", "HOME_POST": "NB1 2AB", "PL_POST": "NB3 4CD", "URN": "",
    }  # fmt: skip
    return row(child, **{**defaults, **values})


def a_child(child: str = "C1", **tables: list[Row]) -> LookedAfterChild:
    """A child with a header and one open episode, unless ``tables`` say otherwise (``Episodes=[...]``)."""
    tables.setdefault("Header", [header(child)])
    tables.setdefault("Episodes", [episode(child)])
    return LookedAfterChild(la_child_id=child, tables=tables)


def a_return(*children: LookedAfterChild, year: CollectionYear = YEAR, previous=None) -> Ssda903Return:
    return Ssda903Return(year=year, la_code="001", children=list(children), previous=previous)


def findings(
    code: str, *children: LookedAfterChild, year: CollectionYear = YEAR, previous=None, the_return=None
) -> list[rules.Finding]:
    """What rule ``code`` finds in a return of ``children`` (or ``the_return``): only that rule is run."""
    the_return = the_return or a_return(*children, year=year, previous=previous)
    return validate(the_return, only={code}).findings
