"""Small CIN census returns for the checks' tests: a valid child to change one fact at a time."""

import datetime

from safeguard.core.years import CollectionYear
from safeguard.people.identifiers import upn_check_letter
from safeguard.returns import rules
from safeguard.returns.cin_census.model import (
    Assessment,
    Child,
    CinReturn,
    Episode,
    Header,
)
from safeguard.returns.cin_census.validate import validate

YEAR = CollectionYear(2025)  # 1 April 2024 to 31 March 2025
D = datetime.date


def upn(la_code: str = "330", serial: int = 1) -> str:
    body = f"{la_code}2001{16:02d}{serial:03d}"
    return upn_check_letter(body) + body


def an_episode(**overrides) -> Episode:
    """Referred on 3 June 2024, assessed and closed after assessment (RC8) on 15 August 2024."""
    values = dict(
        referral_date=D(2024, 6, 3),
        referral_source="2A",
        primary_need="N1",
        closure_date=D(2024, 8, 15),
        closure_reason="RC8",
        referral_nfa=False,
        assessments=[Assessment(start=D(2024, 6, 4), authorised=D(2024, 7, 30), factors=["3A", "4B"])],
    )
    values.update(overrides)
    return Episode(**values)


def a_child(**overrides) -> Child:
    """A ten-year-old girl with one closed episode: no rule of 2024-25 fails for her."""
    values = dict(
        la_child_id="C1001",
        upn=upn(),
        birth_date=D(2014, 5, 1),
        sex="F",
        ethnicity="WBRI",
        disabilities=["NONE"],
        episodes=[an_episode()],
    )
    values.update(overrides)
    return Child(**values)


def a_return(*children: Child, year: CollectionYear = YEAR) -> CinReturn:
    header = Header(year=year, reference_date=year.reference_date, lea="330")
    return CinReturn(header=header, children=list(children))


def findings(
    code: str, *children: Child, year: CollectionYear = YEAR, the_return=None
) -> list[rules.Finding]:
    """What rule ``code`` finds in a return of ``children`` (or ``the_return``): only that rule is run."""
    the_return = the_return or a_return(*children, year=year)
    return validate(the_return, only={code}).findings
