"""CIN census checks about the child: identifiers, characteristics, and the return as a whole.

The rule codes and the conditions in the docstrings are the DfE's CIN census validation rules (2022-23 to
2024-25), as the DfE-community validator (data-to-insight ``csc-validator-be-cin``) quotes them. Sex is coded
``M``/``F``/``U`` (``Sex``) from 2024-25 and ``1``/``2``/``0``/``9`` (``GenderCurrent``) before.
"""

import datetime
import re
from collections import defaultdict

from safeguard.core.calendar import add_calendar_months
from safeguard.people.identifiers import UPN_CHECK_LETTERS, UPN_PATTERN, upn_check_letter
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check

COLLECTION = "cin_census"
SEX_FROM = 2025  # the first collection year (2024-25) that records Sex rather than GenderCurrent
SCHOOL_AGE_WORDING_FROM = 2025  # 8770Q asks about "school age" from 2024-25, about "over 5" before
DIGITS = "0123456789"
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]+")


# Small helpers -------------------------------------------------------------------------------------------


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (or earlier, when negative); 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _sex_field(context) -> str:
    return "Sex" if context.year.end_year >= SEX_FROM else "GenderCurrent"


def _sex_codes(context) -> frozenset[str]:
    return context.codes("sex" if context.year.end_year >= SEX_FROM else "gender_current")


def _unknown_sex(context) -> str:
    """The code for an unborn child, or one whose sex is not known: ``U`` from 2024-25, ``0`` before."""
    return "U" if context.year.end_year >= SEX_FROM else "0"


def _is_unborn(child) -> bool:
    return child.birth_date is None and child.expected_birth_date is not None


def _disabilities(child) -> list[str]:
    """The child's disability codes other than NONE."""
    return [code for code in child.disabilities if code and code != "NONE"]


def _has_further_action(child) -> bool:
    """At least one episode is a referral that went on to further action (``ReferralNFA`` false)."""
    return any(episode.referral_nfa is False for episode in child.episodes)


def _sharing(children, key):
    """The children whose ``key`` (when not blank) another child in the return shares, each with the
    others."""
    groups = defaultdict(list)
    for child in children:
        if value := key(child):
            groups[value].append(child)
    for group in groups.values():
        if len(group) > 1:
            for child in group:
                yield child, [other for other in group if other is not child]


# The header ----------------------------------------------------------------------------------------------


@check(COLLECTION, "100", fields=("ReferenceDate",), scope="return")
def reference_date_incorrect(the_return, context):
    """Rule 100: the header's ReferenceDate must be present and be 31 March of the collection year."""
    given = the_return.header.reference_date
    expected = context.year.reference_date
    if given != expected:
        shown = _day(given) if given else "missing"
        yield Hit(the_return, detail=f"Reference date is {shown}; it must be {_day(expected)}")


# UPN -----------------------------------------------------------------------------------------------------


@check(COLLECTION, "1510", fields=("UPN",))
def upn_check_letter_wrong(child, context):
    """Rule 1510: a UPN, where present, must start with the right check letter for its other twelve
    characters (DfE UPN guidance: weights 2 to 13, modulo 23)."""
    upn = child.upn
    body_is_computable = (
        len(upn) == 13 and all(char in DIGITS for char in upn[1:12]) and upn[12] in DIGITS + UPN_CHECK_LETTERS
    )
    if body_is_computable and upn[0] != upn_check_letter(upn[1:]):
        yield Hit(child, detail=f"The check letter for this UPN is {upn_check_letter(upn[1:])}")


@check(COLLECTION, "1520", fields=("UPN",), scope="return")
def upn_duplicated(the_return, context):
    """Rule 1520: each UPN must be unique across all children in the return."""
    for child, others in _sharing(the_return.children, lambda child: child.upn.strip()):
        yield Hit(
            child, detail="Same UPN as " + ", ".join(other.la_child_id or "(no ID)" for other in others)
        )


@check(COLLECTION, "1530", fields=("UPN",))
def upn_la_code_not_recognised(child, context):
    """Rule 1530: characters 2-4 of a UPN, where present, must be a post-April 1998 LA code or a recognised
    pseudo-LA code."""
    if child.upn and child.upn[1:4] not in context.la_codes:
        yield child


@check(COLLECTION, "1540", fields=("UPN",))
def upn_middle_not_numeric(child, context):
    """Rule 1540: characters 5-12 of a UPN, where present, must be numeric."""
    middle = child.upn[4:12]
    if child.upn and not (len(middle) == 8 and all(char in DIGITS for char in middle)):
        yield child


@check(COLLECTION, "1550", fields=("UPN",))
def upn_last_character_not_recognised(child, context):
    """Rule 1550: character 13 of a UPN, where present, must be a digit or a letter A-Z other than I, O and
    S."""
    last = child.upn[12:13]
    if child.upn and not (last and last in DIGITS + UPN_CHECK_LETTERS):
        yield child


@check(COLLECTION, "1560Q", fields=("FormerUPN",))
def former_upn_wrongly_formatted(child, context):
    """Rule 1560Q: a former UPN, where present, should be in the UPN's format: a check letter, eleven digits,
    then a digit or a letter (a temporary UPN)."""
    if child.former_upn and not UPN_PATTERN.match(child.former_upn):
        yield child


# LA child ID ---------------------------------------------------------------------------------------------


@check(COLLECTION, "1570", fields=("LAchildID",))
def la_child_id_too_long(child, context):
    """Rule 1570 (2024-25 on): the LA child ID must not be longer than 20 characters."""
    if len(child.la_child_id) > 20:
        yield Hit(child, detail=f"It has {len(child.la_child_id)} characters")


@check(COLLECTION, "1580", fields=("LAchildID",))
def la_child_id_not_alphanumeric(child, context):
    """Rule 1580 (2024-25 on): the LA child ID must contain only letters and digits."""
    if child.la_child_id and not LA_CHILD_ID.fullmatch(child.la_child_id):
        yield child


@check(COLLECTION, "8500", fields=("LAchildID",))
def la_child_id_missing(child, context):
    """Rule 8500: every child must have an LA child ID."""
    if not child.la_child_id:
        yield child


@check(COLLECTION, "8510", fields=("LAchildID",), scope="return")
def la_child_id_duplicated(the_return, context):
    """Rule 8510: each LA child ID must be unique across all children in the return."""
    for child, others in _sharing(the_return.children, lambda child: child.la_child_id):
        yield Hit(child, detail=f"{len(others) + 1} children have this LA child ID")


# Birth, death, sex and ethnicity -------------------------------------------------------------------------


@check(COLLECTION, "4180", fields=("Sex",))
def sex_missing_or_invalid(child, context):
    """Rule 4180: Sex (from 2024-25: M, F or U) or, before, GenderCurrent (1, 2, 0 or 9) must be present and
    valid."""
    if child.sex not in _sex_codes(context):
        yield Hit(child, fields=(_sex_field(context),))


@check(COLLECTION, "4220", fields=("Ethnicity",))
def ethnicity_missing_or_invalid(child, context):
    """Rule 4220: Ethnicity must be present and a valid code."""
    if child.ethnicity not in context.codes("ethnicity"):
        yield child


@check(COLLECTION, "8520", fields=("PersonBirthDate",))
def born_after_census_period(child, context):
    """Rule 8520: the date of birth, where present, must be on or before the reference date."""
    if child.birth_date and child.birth_date > context.year.reference_date:
        yield child


@check(COLLECTION, "8525Q", fields=("PersonBirthDate", "ExpectedPersonBirthDate"))
def birth_date_or_expected(child, context):
    """Rule 8525Q: either the date of birth or the expected date of birth must be given, but not both."""
    if child.birth_date and child.expected_birth_date:
        yield Hit(child, detail="Both are given")
    elif not child.birth_date and not child.expected_birth_date:
        yield Hit(child, detail="Neither is given")


@check(COLLECTION, "8530Q", fields=("ExpectedPersonBirthDate",))
def expected_birth_date_out_of_range(child, context):
    """Rule 8530Q: an expected date of birth should be between 30 days before the reference date and 9 months
    after it."""
    reference_date = context.year.reference_date
    earliest = reference_date - datetime.timedelta(days=30)
    latest = add_calendar_months(reference_date, 9)
    expected = child.expected_birth_date
    if expected and not earliest <= expected <= latest:
        yield Hit(child, detail=f"Expected between {_day(earliest)} and {_day(latest)}")


@check(COLLECTION, "8535Q", fields=("PersonDeathDate", "PersonBirthDate"))
def died_before_born(child, context):
    """Rule 8535Q: the date of death must be on or after the date of birth."""
    if child.death_date and child.birth_date and child.death_date < child.birth_date:
        yield child


@check(COLLECTION, "8545Q", fields=("PersonDeathDate",))
def died_outside_census_year(child, context):
    """Rule 8545Q: the date of death, where present, should be within the census year."""
    if child.death_date and not context.year.contains(child.death_date):
        yield child


@check(COLLECTION, "8750", fields=("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"))
def unborn_sex_not_unknown(child, context):
    """Rule 8750: for an unborn child (an expected date of birth and no date of birth), Sex must be U (from
    2024-25) or GenderCurrent 0 (before)."""
    if _is_unborn(child) and child.sex != _unknown_sex(context):
        yield Hit(child, fields=(_sex_field(context), "PersonBirthDate", "ExpectedPersonBirthDate"))


@check(COLLECTION, "8775Q", fields=("PersonBirthDate", "CINclosureDate"))
def over_25(child, context):
    """Rule 8775Q: a child born more than 25 years before the reference date should have no episode open, or
    closed, after their 25th birthday."""
    born = child.birth_date
    if not born or born >= _years_after(context.year.reference_date, -25):
        return
    twenty_fifth = _years_after(born, 25)
    for episode in child.episodes:
        if episode.closure_date is None or episode.closure_date > twenty_fifth:
            yield Hit(episode, detail=f"25 on {_day(twenty_fifth)}")


# UPN unknown ---------------------------------------------------------------------------------------------


@check(COLLECTION, "8770Q", fields=("UPN", "UPNunknown"))
def upn_missing_for_school_age_child(child, context):
    """Rule 8770Q: a child referred on to further action (at least one ReferralNFA false) who is of school age
    should have a UPN or a reason it is unknown other than UN1. Before 2024-25 "school age" is born earlier
    than the reference date minus 6 years. From 2024-25, "of school age" is read as the message says it: at
    school by the census date, that is in reception or above, born on or before 31 August five years before
    the reference date's year (a child starts reception the September after their fourth birthday). The
    DfE-community validator takes four years, which queries every 3-year-old who will start school the
    September after the census; a UPN is issued with the school place, so they have none yet."""
    born = child.birth_date
    if not born or not _has_further_action(child) or child.upn:
        return
    reference_date = context.year.reference_date
    if context.year.end_year >= SCHOOL_AGE_WORDING_FROM:
        of_school_age = born <= datetime.date(reference_date.year - 5, 8, 31)
    else:
        of_school_age = born < _years_after(reference_date, -6)
    if of_school_age and child.upn_unknown not in context.codes("upn_unknown") - {"UN1"}:
        detail = "UPN unknown is UN1 (not yet at school)" if child.upn_unknown == "UN1" else ""
        yield Hit(child, detail=detail)


@check(COLLECTION, "8772", fields=("UPNunknown", "ReferralNFA"))
def un7_with_further_action(child, context):
    """Rule 8772: where the UPN unknown reason is UN7 (referral with no further action), every episode must
    have ReferralNFA true."""
    if child.upn_unknown == "UN7":
        for episode in child.episodes:
            if episode.referral_nfa is not True:
                yield episode


# CIN episodes --------------------------------------------------------------------------------------------


@check(COLLECTION, "8590", fields=("LAchildID",))
def no_cin_episode(child, context):
    """Rule 8590: each child must have at least one CIN episode (CINdetails)."""
    if not child.episodes:
        yield child


# Disability ----------------------------------------------------------------------------------------------


@check(COLLECTION, "8540", fields=("Disability",))
def disability_missing_or_invalid(child, context):
    """Rule 8540: a child with a date of birth and at least one referral going on to further action
    (ReferralNFA false) must have one or more disability codes, all valid."""
    if not child.birth_date or not _has_further_action(child):
        return
    valid = context.codes("disability")
    invalid = [code for code in child.disabilities if code not in valid]
    if not child.disabilities:
        yield Hit(child, detail="No disability code (NONE if the child has none)")
    elif invalid:
        yield Hit(child, detail="Not a disability code: " + ", ".join(repr(code) for code in invalid))


@check(COLLECTION, "8790", fields=("Disability",))
def disability_none_and_others(child, context):
    """Rule 8790: where NONE is recorded, the child must have no other disability code."""
    if "NONE" in child.disabilities and _disabilities(child):
        yield child


@check(COLLECTION, "8794", fields=("Disability",))
def disability_repeated(child, context):
    """Rule 8794: no disability code may be recorded twice for the same child."""
    repeated = sorted({code for code in child.disabilities if child.disabilities.count(code) > 1})
    if repeated:
        yield Hit(child, detail="Recorded more than once: " + ", ".join(repeated))


# The return as a whole -----------------------------------------------------------------------------------


@check(COLLECTION, "2886Q", fields=("Sex", "ExpectedPersonBirthDate"), scope="return")
def too_many_without_sex(the_return, context):
    """Rule 2886Q: the children with no sex recorded (Sex U or missing from 2024-25; GenderCurrent 0 or
    missing before) and no expected date of birth should be no more than 2% of all children."""
    children = the_return.children
    unrecorded = {"", _unknown_sex(context)}
    count = sum(1 for child in children if child.sex in unrecorded and not child.expected_birth_date)
    if children and count / len(children) > 0.02:
        yield Hit(
            the_return,
            fields=(_sex_field(context), "ExpectedPersonBirthDate"),
            detail=f"{count} of {len(children)} children ({count / len(children):.1%})",
        )


@check(COLLECTION, "2887Q", fields=("Disability",), scope="return")
def few_disability_codes(the_return, context):
    """Rule 2887Q: leaving NONE aside, the return should use more than 7 different disability codes."""
    used = {code for child in the_return.children for code in _disabilities(child)}
    if len(used) <= 7:
        shown = ", ".join(sorted(used)) or "none"
        yield Hit(the_return, detail=f"{len(used)} codes used: {shown}")


@check(COLLECTION, "2888Q", fields=("Disability",), scope="return")
def one_disability_per_child(the_return, context):
    """Rule 2888Q: leaving NONE aside, one or more children should have more than one disability recorded."""
    if not any(len(set(_disabilities(child))) > 1 for child in the_return.children):
        yield Hit(the_return)
