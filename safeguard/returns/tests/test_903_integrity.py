"""The SSDA903 integrity and social worker checks (``ssda903/checks/integrity.py``): one test per rule, each
with a child that passes and one that fails."""

import itertools

import pytest

from safeguard.core.years import CollectionYear
from safeguard.returns.rules import Source
from safeguard.returns.ssda903.model import LookedAfterChild
from safeguard.returns.tests.ssda903 import YEAR, a_child, a_return, episode, findings, header, row

YEAR_2023_24 = CollectionYear(2024)  # the first year with social worker episodes
YEAR_2025_26 = CollectionYear(2026)
_lines = itertools.count(1)


def on_line(a_row):
    """The row, given a line of its own, so a finding shows which row it is about."""
    a_row.source = Source(line=next(_lines))
    return a_row


def line(a_row) -> int:
    return a_row.source.line


def sw(child="C1", **values):
    """A social worker episode from 1 April 2024, still open, after a change for managing caseloads."""
    defaults = {
        "DOB": "01/05/2014",
        "SW_ID": "SW1",
        "SW_DECOM": "01/04/2024",
        "SW_DEC": "",
        "SW_REASON": "MANAGE",
    }
    return on_line(row(child, **{**defaults, **values}))


def found(code, *children, year=YEAR, previous=None):
    """``(rule, child, fields, line, detail)`` of each finding of rule ``code``."""
    return [
        (
            finding.rule.code,
            finding.la_child_id,
            finding.fields,
            finding.source.line if finding.source else None,
            finding.detail,
        )
        for finding in findings(code, *children, year=year, previous=previous)
    ]


def with_sw(*episodes, **tables) -> LookedAfterChild:
    """The default child (looked after from 1 May 2024, still on 31 March) with these social worker
    episodes."""
    return a_child(SW_Episodes=list(episodes), **tables)


def codes_of(results):
    return [result[0] for result in results]


# Each table against the Header -------------------------------------------------------------------------

WITHOUT_HEADER = [
    ("INT01", "AD1"),
    ("INT02", "PlacedAdoption"),
    ("INT03", "Episodes"),
    ("INT04", "Missing"),
    ("INT05", "OC2"),
    ("INT06", "OC3"),
    ("INT07", "PrevPerm"),
    ("INT08", "Reviews"),
    ("INT09", "UASC"),
]


@pytest.mark.parametrize(("code", "table"), WITHOUT_HEADER)
def test_int01_to_int09_a_row_needs_a_header(code, table):
    a_row = on_line(row("C1", DOB="01/05/2014"))
    assert found(code, a_child(**{table: [a_row]})) == []
    orphan = a_child(Header=[], **{table: [a_row]})
    assert found(code, orphan) == [(code, "C1", ("CHILD",), line(a_row), "")]


OTHER_DOB = [
    ("INT11", "AD1"),
    ("INT12", "PlacedAdoption"),
    ("INT13", "Missing"),
    ("INT14", "OC2"),
    ("INT15", "OC3"),
    ("INT16", "PrevPerm"),
    ("INT17", "Reviews"),
    ("INT18", "UASC"),
]


@pytest.mark.parametrize(("code", "table"), OTHER_DOB)
def test_int11_to_int18_dob_must_match_the_header(code, table):
    same = on_line(row("C1", DOB="01/05/2014"))
    not_a_date = on_line(row("C1", DOB="31/02/2014"))  # another rule's business
    assert found(code, a_child(**{table: [same, not_a_date]})) == []
    other = on_line(row("C1", DOB="02/05/2014"))
    assert found(code, a_child(**{table: [same, other]})) == [
        (code, "C1", ("DOB",), line(other), f"{table} has 2 May 2014; the Header has 1 May 2014")
    ]
    # Nothing to compare with when the Header's DOB is not a date.
    assert found(code, a_child(Header=[header(DOB="")], **{table: [other]})) == []


def test_int21_uasc_sex_must_match_the_header():
    same, blank = on_line(row(SEX="F", DOB="01/05/2014")), on_line(row(SEX="", DOB="01/05/2014"))
    assert found("INT21", a_child(UASC=[same, blank])) == []
    other = on_line(row(SEX="M", DOB="01/05/2014"))
    assert found("INT21", a_child(UASC=[other])) == [
        ("INT21", "C1", ("SEX",), line(other), "UASC has M; the Header has F")
    ]


ONCE_ONLY = [
    ("INT31", "AD1"),
    ("INT32", "Header"),
    ("INT33", "OC2"),
    ("INT34", "OC3"),
    ("INT35", "PrevPerm"),
    ("INT36", "UASC"),
]


@pytest.mark.parametrize(("code", "table"), ONCE_ONLY)
def test_int31_to_int36_one_row_per_child(code, table):
    first, second = on_line(header()), on_line(header())
    assert found(code, a_child(**{table: [first]})) == []
    assert found(code, a_child(**{table: [first, second]})) == [
        (code, "C1", ("CHILD",), line(second), f"2 rows in {table} for this child")
    ]


# Episodes loaded ---------------------------------------------------------------------------------------


def test_epi_a_child_needs_episodes_or_a_care_leaver_row():
    the_header = on_line(header())
    assert found("EPI", a_child(Header=[the_header])) == []
    assert found("EPI", a_child(Header=[the_header], Episodes=[], OC3=[row(IN_TOUCH="YES")])) == []
    assert found("EPI", a_child(Header=[the_header], Episodes=[])) == [
        ("EPI", "C1", ("CHILD",), line(the_header), "")
    ]


def test_noe_an_episode_from_before_the_year_needs_last_years_episodes():
    old = on_line(episode(DECOM="31/03/2024"))  # the day before 2024-25 starts
    child = a_child(Episodes=[old])
    last_year_with = a_return(a_child(Episodes=[episode(DECOM="31/03/2024")]), year=YEAR_2023_24)
    last_year_without = a_return(a_child(Episodes=[]), year=YEAR_2023_24)
    nobody_last_year = a_return(year=YEAR_2023_24)
    expected = [
        (
            "NoE",
            "C1",
            ("DECOM",),
            line(old),
            "Started on 31 March 2024; last year's return has no episodes for this child",
        )
    ]
    assert found("NoE", child) == []  # no previous return: nothing to compare with
    assert found("NoE", child, previous=last_year_with) == []
    assert found("NoE", a_child(), previous=nobody_last_year) == []  # began 1 May 2024, in the year
    assert found("NoE", child, previous=last_year_without) == expected
    assert found("NoE", child, previous=nobody_last_year) == expected


# Social worker episodes: each episode's items ----------------------------------------------------------


def test_sw01_a_child_looked_after_on_31_march_needs_social_worker_episodes():
    assert found("SW01STG1", with_sw(sw())) == []
    assert found("SW01STG1", with_sw(sw(SW_REASON=""))) == []  # from 2024-25 the reason is SW01a/b's
    assert found("SW01STG1", with_sw()) == [
        ("SW01STG1", "C1", ("SW_ID", "SW_DECOM"), None, "No social worker episodes")
    ]
    assert found("SW01STG1", with_sw(sw(SW_REASON=""), sw(SW_ID="", SW_REASON="")), year=YEAR_2023_24) == [
        ("SW01STG1", "C1", ("SW_REASON",), None, "No social worker episode gives SW_REASON")
    ]
    # Not looked after on 31 March: left care, or on short breaks.
    assert found("SW01STG1", a_child(Episodes=[episode(DEC="01/06/2024", REC="E4A")])) == []
    assert found("SW01STG1", a_child(Episodes=[episode(LS="V3")])) == []


def test_sw01a_an_episode_before_april_2023_needs_the_social_worker_id():
    no_id_old = sw(SW_ID="", SW_DECOM="31/03/2023", SW_REASON="")
    assert found("SW01aSTG1", with_sw(sw(SW_DECOM="31/03/2023", SW_REASON=""))) == []
    assert found("SW01aSTG1", with_sw(sw(SW_ID="", SW_DECOM="01/04/2023"))) == []  # SW01b's
    assert found("SW01aSTG1", with_sw(no_id_old)) == [("SW01aSTG1", "C1", ("SW_ID",), line(no_id_old), "")]


def test_sw01b_an_episode_needs_a_start_and_from_april_2023_an_id_and_reason():
    undated = sw(SW_DECOM="")
    no_reason = sw(SW_DECOM="01/04/2023", SW_REASON="")
    no_id = sw(SW_ID="")
    assert found("SW01bSTG1", with_sw(sw(), sw(SW_DECOM="31/03/2023", SW_REASON=""))) == []
    assert found("SW01bSTG1", with_sw(undated, no_reason, no_id)) == [
        ("SW01bSTG1", "C1", ("SW_DECOM",), line(undated), ""),
        ("SW01bSTG1", "C1", ("SW_REASON",), line(no_reason), ""),
        ("SW01bSTG1", "C1", ("SW_ID",), line(no_id), ""),
    ]


def test_sw02_social_worker_id_begins_sw_or_xx():
    assert found("SW02STG1", with_sw(sw(SW_ID="SW123"), sw(SW_ID="XX9"), sw(SW_ID=""))) == []
    lower, other = sw(SW_ID="sw123"), sw(SW_ID="AB123")
    assert codes_of(found("SW02STG1", with_sw(lower, other))) == ["SW02STG1", "SW02STG1"]
    short = sw(SW_ID="XX9")
    assert found("SW02STG1", with_sw(short, sw(SW_ID="SW12")), year=YEAR_2025_26) == [
        ("SW02STG1", "C1", ("SW_ID",), line(short), "")
    ]


def test_sw03_each_episode_is_complete():
    old_without_reason = sw(SW_DECOM="01/01/2023", SW_REASON="")
    no_id = sw(SW_ID="")
    assert found("SW03STG1", with_sw(sw(), old_without_reason)) == []  # from 2024-25 (SW01a)
    assert found("SW03STG1", with_sw(no_id)) == [("SW03STG1", "C1", ("SW_ID",), line(no_id), "")]
    assert found("SW03STG1", with_sw(old_without_reason), year=YEAR_2023_24) == [
        ("SW03STG1", "C1", ("SW_REASON",), line(old_without_reason), "")
    ]


def test_sw04_start_date_must_be_a_date():
    masked = sw(SW_DECOM="ZZ/ZZ/ZZZZ")
    assert found("SW04STG1", with_sw(sw(), masked, sw(SW_DECOM="01/ZZ/2020"), sw(SW_DECOM=""))) == []
    no_such_day, iso = sw(SW_DECOM="31/02/2024"), sw(SW_DECOM="2024-04-01")
    assert found("SW04STG1", with_sw(no_such_day, iso)) == [
        ("SW04STG1", "C1", ("SW_DECOM",), line(no_such_day), ""),
        ("SW04STG1", "C1", ("SW_DECOM",), line(iso), ""),
    ]
    # From 2025-26 a masked date is no longer a date.
    assert found("SW04STG1", with_sw(masked), year=YEAR_2025_26) == [
        ("SW04STG1", "C1", ("SW_DECOM",), line(masked), "")
    ]


def test_sw05_end_date_must_be_a_date():
    masked = sw(SW_DEC="ZZ/03/2025")
    assert found("SW05STG1", with_sw(sw(), sw(SW_DEC="30/06/2024"), masked)) == []  # blank: still open
    bad = sw(SW_DEC="30/13/2024")
    assert found("SW05STG1", with_sw(bad)) == [("SW05STG1", "C1", ("SW_DEC",), line(bad), "")]
    assert found("SW05STG1", with_sw(masked), year=YEAR_2025_26) == [
        ("SW05STG1", "C1", ("SW_DEC",), line(masked), "")
    ]


def test_sw13_reason_must_be_on_the_list():
    assert found("SW13STG1", with_sw(sw(), sw(SW_REASON="FCONTA"), sw(SW_REASON=""))) == []
    bad = sw(SW_REASON="LAZINESS")
    assert found("SW13STG1", with_sw(bad)) == [
        ("SW13STG1", "C1", ("SW_REASON",), line(bad), "LAZINESS is not a reason on the list")
    ]
    # In 2023-24 a missing reason is also this rule's.
    blank = sw(SW_REASON="")
    assert found("SW13STG1", with_sw(blank), year=YEAR_2023_24) == [
        ("SW13STG1", "C1", ("SW_REASON",), line(blank), "No reason given")
    ]


def test_sw15_reason_needed_in_the_reporting_period():
    # 2024-25: the social worker reporting period starts on 1 April 2023.
    before = sw(SW_DECOM="31/03/2023", SW_REASON="")
    assert found("SW15STG2", with_sw(sw(), before)) == []
    in_period, undated = sw(SW_DECOM="01/04/2023", SW_REASON=""), sw(SW_DECOM="", SW_REASON="")
    assert found("SW15STG2", with_sw(in_period, undated)) == [
        ("SW15STG2", "C1", ("SW_REASON",), line(in_period), ""),
        ("SW15STG2", "C1", ("SW_REASON",), line(undated), ""),
    ]


# Social worker episodes: dates and order ---------------------------------------------------------------


def test_sw06_episode_begins_by_the_end_of_the_year():
    assert found("SW06STG2", with_sw(sw(SW_DECOM="31/03/2025"), sw(SW_DECOM="01/01/2010"))) == []
    late = sw(SW_DECOM="01/04/2025")
    assert found("SW06STG2", with_sw(late)) == [
        ("SW06STG2", "C1", ("SW_DECOM",), line(late), "Began on 1 April 2025, after 31 March 2025")
    ]


def test_sw07_episode_ends_in_the_reporting_period():
    # 2024-25: from 1 April 2023 (a year before the year's start) to 31 March 2025.
    first, last = sw(SW_DEC="01/04/2023"), sw(SW_DEC="31/03/2025")
    assert found("SW07STG2", with_sw(first, last)) == []
    early, late = sw(SW_DEC="31/03/2023"), sw(SW_DEC="01/04/2025")
    assert found("SW07STG2", with_sw(early, late)) == [
        (
            "SW07STG2",
            "C1",
            ("SW_DEC",),
            line(early),
            "Ended on 31 March 2023, outside 1 April 2023 to 31 March 2025",
        ),
        (
            "SW07STG2",
            "C1",
            ("SW_DEC",),
            line(late),
            "Ended on 1 April 2025, outside 1 April 2023 to 31 March 2025",
        ),
    ]
    # 2023-24: the period is the collection year.
    assert codes_of(found("SW07STG2", with_sw(first), year=YEAR_2023_24)) == []
    assert codes_of(found("SW07STG2", with_sw(early), year=YEAR_2023_24)) == ["SW07STG2"]


def test_sw08_an_episode_followed_by_another_must_have_ended():
    ended = sw(SW_DEC="30/06/2024")
    assert found("SW08STG2", with_sw(ended, sw(SW_DECOM="30/06/2024"))) == []
    still_open = sw()
    assert found("SW08STG2", with_sw(sw(SW_DECOM="30/06/2024"), still_open)) == [
        (
            "SW08STG2",
            "C1",
            ("SW_DEC",),
            line(still_open),
            "The next social worker episode began on 30 June 2024",
        )
    ]


def test_sw09_episode_lasts_at_least_a_day():
    assert found("SW09STG2", with_sw(sw(SW_DEC="02/04/2024"), sw(SW_DECOM=""))) == []
    same_day = sw(SW_DEC="01/04/2024")
    assert found("SW09STG2", with_sw(same_day)) == [
        ("SW09STG2", "C1", ("SW_DECOM", "SW_DEC"), line(same_day), "")
    ]


def test_sw10_next_episode_begins_within_7_days_of_the_last_ones_end():
    first = sw(SW_DEC="10/06/2024")
    week_later, week_before = sw(SW_DECOM="17/06/2024"), sw(SW_DECOM="03/06/2024")
    assert found("SW10STG2", with_sw(first, week_later)) == []
    assert found("SW10STG2", with_sw(first, week_before)) == []
    gap, overlap = sw(SW_DECOM="18/06/2024"), sw(SW_DECOM="02/06/2024")
    assert found("SW10STG2", with_sw(first, gap)) == [
        (
            "SW10STG2",
            "C1",
            ("SW_DECOM",),
            line(gap),
            "Began on 18 June 2024; the episode before ended on 10 June 2024",
        )
    ]
    assert found("SW10STG2", with_sw(first, overlap)) == [
        (
            "SW10STG2",
            "C1",
            ("SW_DECOM",),
            line(overlap),
            "Began on 2 June 2024; the episode before ended on 10 June 2024",
        )
    ]
    # From 2024-25 a first contact (re-referral) may come after a gap; not in 2023-24.
    re_referral = sw(SW_DECOM="01/09/2024", SW_REASON="FCONTA")
    assert found("SW10STG2", with_sw(first, re_referral)) == []
    old_first = sw(SW_DECOM="01/04/2023", SW_DEC="10/06/2023")
    old_re_referral = sw(SW_DECOM="01/09/2023", SW_REASON="FCONTA")
    assert codes_of(found("SW10STG2", with_sw(old_first, old_re_referral), year=YEAR_2023_24)) == ["SW10STG2"]


def test_sw11a_an_episode_ending_before_26_march_is_followed_within_5_days():
    ended = sw(SW_DEC="10/01/2025")
    assert found("SW11aSTG2", with_sw(ended, sw(SW_DECOM="15/01/2025"))) == []
    assert found("SW11aSTG2", with_sw(ended, sw(SW_DECOM="05/01/2025"))) == []
    late = sw(SW_DECOM="16/01/2025")
    assert found("SW11aSTG2", with_sw(ended, late)) == [
        (
            "SW11aSTG2",
            "C1",
            ("SW_DEC",),
            line(ended),
            "Ended on 10 January 2025; the next began on 16 January 2025",
        )
    ]
    on_26_march = sw(SW_DEC="26/03/2025")  # 5 days before 31 March: the last day this rule asks about
    assert found("SW11aSTG2", with_sw(on_26_march)) == [
        (
            "SW11aSTG2",
            "C1",
            ("SW_DEC",),
            line(on_26_march),
            "Ended on 26 March 2025 and no social worker episode follows",
        )
    ]
    assert found("SW11aSTG2", with_sw(sw(SW_DEC="27/03/2025"))) == []  # SW11b's
    # A child not looked after on 31 March need not have a social worker to the end of the year.
    left_care = [episode(DEC="01/02/2025", REC="E4A")]
    assert found("SW11aSTG2", with_sw(sw(SW_DEC="10/01/2025"), Episodes=left_care)) == []


def test_sw11b_an_episode_ending_in_the_last_5_days_before_31_march_is_followed():
    ended = sw(SW_DEC="27/03/2025")
    assert found("SW11bSTG2", with_sw(ended, sw(SW_DECOM="27/03/2025"))) == []
    assert found("SW11bSTG2", with_sw(sw(SW_DEC="31/03/2025"))) == []  # not before 31 March
    assert found("SW11bSTG2", with_sw(sw(SW_DEC="26/03/2025"))) == []  # SW11a's
    assert found("SW11bSTG2", with_sw(ended)) == [
        (
            "SW11bSTG2",
            "C1",
            ("SW_DEC",),
            line(ended),
            "Ended on 27 March 2025 and no social worker episode follows",
        )
    ]


def test_sw12_social_worker_episodes_cover_the_year():
    # Looked after from 1 May 2024 (the default episode).
    assert found("SW12STG2", with_sw(sw(SW_DECOM="01/04/2024"))) == []
    assert found("SW12STG2", with_sw(sw(SW_DECOM="01/01/2023"))) == []
    assert found("SW12STG2", with_sw(sw(SW_DECOM="01/05/2024", SW_REASON="FCONTA"))) == []
    assert found("SW12STG2", with_sw()) == []  # SW01STG1's
    not_first = sw(SW_DECOM="01/05/2024")
    assert found("SW12STG2", with_sw(not_first)) == [
        (
            "SW12STG2",
            "C1",
            ("SW_DECOM",),
            line(not_first),
            "The first social worker episode began on 1 May 2024, after 1 April 2024, and is not a first contact: "
            "the episodes before it are missing",
        )
    ]
    too_late = sw(SW_DECOM="10/05/2024", SW_REASON="FCONTA")
    assert found("SW12STG2", with_sw(too_late)) == [
        (
            "SW12STG2",
            "C1",
            ("SW_DECOM",),
            line(too_late),
            "The first social worker episode began on 10 May 2024; the child was looked after from 1 May 2024",
        )
    ]
    # Looked after since before the year: the cover starts on 1 April.
    since_2023 = [episode(DECOM="01/01/2023")]
    late = sw(SW_DECOM="02/04/2024", SW_REASON="FCONTA")
    assert found("SW12STG2", with_sw(late, Episodes=since_2023)) == [
        (
            "SW12STG2",
            "C1",
            ("SW_DECOM",),
            line(late),
            "The first social worker episode began on 2 April 2024; the child was looked after from 1 April 2024",
        )
    ]
    # Not looked after on 31 March.
    left_care = [episode(DEC="01/02/2025", REC="E4A")]
    assert found("SW12STG2", with_sw(sw(SW_DECOM="01/06/2024"), Episodes=left_care)) == []


def test_sw14_only_the_latest_episode_may_have_no_end_date():
    assert found("SW14STG2", with_sw(sw(SW_DEC="30/06/2024"), sw(SW_DECOM="30/06/2024"))) == []
    open_earlier, undated = sw(), sw(SW_DECOM="")
    latest = sw(SW_DECOM="30/06/2024")
    assert found("SW14STG2", with_sw(open_earlier, latest, undated)) == [
        ("SW14STG2", "C1", ("SW_DEC",), line(open_earlier), ""),
        ("SW14STG2", "C1", ("SW_DEC",), line(undated), ""),
    ]


def test_sw17_a_social_worker_episode_is_open_at_31_march():
    earlier = sw(SW_DECOM="01/04/2025", SW_DEC="30/06/2025")
    assert found("SW17STG2", with_sw(earlier, sw(SW_DECOM="30/06/2025")), year=YEAR_2025_26) == []
    latest = sw(SW_DECOM="30/06/2025", SW_DEC="31/03/2026")
    assert found("SW17STG2", with_sw(earlier, latest), year=YEAR_2025_26) == [
        ("SW17STG2", "C1", ("SW_DEC",), line(latest), "The latest social worker episode ended on 31/03/2026")
    ]
    left_care = [episode(DEC="01/02/2026", REC="E4A")]
    assert found("SW17STG2", with_sw(latest, Episodes=left_care), year=YEAR_2025_26) == []


# Social worker episodes: the one open at the end of last year ------------------------------------------


def last_year(*episodes):
    """2023-24's return, with the child's social worker episodes."""
    return a_return(a_child(SW_Episodes=list(episodes)), year=YEAR_2023_24)


OPEN_LAST_YEAR = dict(SW_ID="SW7", SW_DECOM="01/01/2024", SW_REASON="ABSENC")


@pytest.mark.parametrize(
    ("code", "column", "other", "detail"),
    [
        ("SW16aSTG2", "SW_ID", "SW8", "Last year's open episode has SW7"),
        ("SW16bSTG2", "SW_DECOM", "02/01/2024", "Last year's open episode began on 1 January 2024"),
        ("SW16cSTG2", "SW_REASON", "MANAGE", "Last year's open episode has ABSENC"),
    ],
)
def test_sw16_first_episode_carries_on_last_years_open_one(code, column, other, detail):
    previous = last_year(sw(SW_ID="SW6", SW_DECOM="01/04/2023", SW_DEC="31/12/2023"), sw(**OPEN_LAST_YEAR))
    same = sw(**OPEN_LAST_YEAR, SW_DEC="30/06/2024")
    assert found(code, with_sw(same, sw(SW_DECOM="30/06/2024")), previous=previous) == []
    first = sw(**{**OPEN_LAST_YEAR, column: other})
    assert found(code, with_sw(first), previous=previous) == [(code, "C1", (column,), line(first), detail)]
    # Nothing to compare with: no return for last year, or its last episode had ended.
    assert found(code, with_sw(first)) == []
    closed = last_year(sw(**OPEN_LAST_YEAR, SW_DEC="31/03/2024"))
    assert found(code, with_sw(first), previous=closed) == []
