"""SSDA903 checks 101-199: each item's own validity, in the header, the episodes, the UASC, adoption (AD1,
PlacedAdoption), OC2 (children looked after for 12 months) and OC3 (care leavers) tables.

The rule codes and what they ask are the DfE's SSDA903 validation rules (2022-23 onwards), as the
DfE-community validator (data-to-insight ``csc-validator-be-903``, ``lac_validator/rules/lac20xx_yy/``)
quotes and implements them. Values are the file's text, so a blank item is ``""``. Where the validator and
the DfE's wording differ, a check follows the wording and its docstring says so.

Not checked (left unregistered, so the report lists them as not checked):

- 105, the UASC status flag: an item of the XML header only; the CSV return, which Safeguard reads and
  writes, has no such item (a child's UASC status is their row in the UASC table).
- 164, 169 and 179, the distance, local authority and location of the placement: the DfE works them out
  from the home and placement postcodes with a postcode directory (the ONS's), which Safeguard does not
  hold.
"""

import datetime
from collections.abc import Iterable, Iterator

from safeguard.core.reference import codes as all_codes
from safeguard.lookedafter.rules import (
    ADOPTED,
    ALWAYS_UNSUITABLE,
    CONTINUES,
    SHORT_BREAKS,
    TEMPORARY_PLACEMENTS,
)
from safeguard.people.identifiers import UPN_PATTERN
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    AD1_ITEMS,
    COLLECTION,
    NO,
    OC2_HEALTH_ITEMS,
    OC2_ITEMS,
    OC3_ITEMS,
    OTHER_PLACEMENTS_FROM_2026,
    PLACEMENTS_REPLACED_FROM,
    SEX_FROM,
    YES,
    YES_NO,
    birthday,
    care_leaver_rows,
    date_of_birth,
    dated_episodes,
    female_code,
    filled,
    last_years_record,
    looked_after_continuously_for_12_months,
    male_code,
    open_in_year,
    unfilled,
)
from safeguard.returns.ssda903.model import Row

SDQ_AGE = "SDQ1"  # reason for no SDQ: the child was under 4 or over 17
# The CIN census's need codes "not stated" (N0) and "other than children in need" (N9) are not categories
# of need in the SSDA903 (rule 145: N1-N8); nor are the CIN census's UPN-unknown codes UN6 and UN7 (rule 168: UN1-UN5).
CIN_CENSUS_ONLY_NEEDS = frozenset({"N0", "N9"})
CIN_CENSUS_ONLY_UPN_UNKNOWN = frozenset({"UN6", "UN7"})
# Placements returned with no placement provider (rule 178): temporary placements and "other placements";
# from 2025-26 the validator's list leaves out T4 (rule 213's, and rule 526's, keep it).
NO_PROVIDER_BEFORE = TEMPORARY_PLACEMENTS | {"Z1"}
NO_PROVIDER_FROM_2026 = (TEMPORARY_PLACEMENTS - {"T4"}) | OTHER_PLACEMENTS_FROM_2026
# OC3 accommodation is a letter (care_leaver_accommodation) then 1 (suitable) or 2 (unsuitable); no fixed
# abode (S) and custody (X) are always unsuitable, and 0 is returned where it is not known (rule 133).
SUITABLE, UNSUITABLE = "1", "2"
ACCOMMODATION_NOT_KNOWN = "0"

ADOPTER_NUMBERS = frozenset({"1", "2"})  # NB_ADOPTR: one adopter or two
SDQ_SCORES = frozenset(str(score) for score in range(41))  # a total difficulties score, 0 to 40
SDQ_ITEMS = ("SDQ_SCORE", "SDQ_REASON")


# Small helpers -------------------------------------------------------------------------------------------


def _invalid_dates(rows: Iterable[Row], column: str, *, blank_is_invalid: bool = False) -> Iterator[Hit]:
    for row in rows:
        if row.has_invalid_date(column):
            yield Hit(row, detail=f"{column} is “{row[column]}”, not a date written dd/mm/yyyy")
        elif blank_is_invalid and row.is_blank(column):
            yield Hit(row, detail=f"{column} is blank")


def _not_on_list(
    rows: Iterable[Row], column: str, codes: Iterable[str], *, blank_is_invalid: bool = False
) -> Iterator[Hit]:
    """The rows whose ``column`` is not one of ``codes`` (blank passes unless ``blank_is_invalid``)."""
    codes = frozenset(codes)
    for row in rows:
        if row.is_blank(column):
            if blank_is_invalid:
                yield Hit(row, detail=f"{column} is blank")
        elif row[column] not in codes:
            yield Hit(row, detail=f"{column} “{row[column]}” is not a valid code")


def _sex_codes(context) -> frozenset[str]:
    """M, F or U from 2024-25; before, the SSDA903's gender was male (1) or female (2) only."""
    if context.year.end_year >= SEX_FROM:
        return context.codes("sex")
    return frozenset({male_code(context.year), female_code(context.year)})


def _codes_in_year(context, code_set: str) -> frozenset[str]:
    """The codes of ``code_set`` valid at any time in the collection year."""
    return context.codes(code_set, on=context.year.start) | context.codes(code_set, on=context.year.end)


def _no_provider_placements(context) -> frozenset[str]:
    if context.year.end_year >= PLACEMENTS_REPLACED_FROM:
        return NO_PROVIDER_FROM_2026
    return NO_PROVIDER_BEFORE


def _sdq_age(row: Row, child) -> tuple[datetime.date, datetime.date] | None:
    """The child's 4th and 17th birthdays, when their date of birth is known."""
    dob = date_of_birth(child, row)
    return (birthday(dob, 4), birthday(dob, 17)) if dob else None


def _of_sdq_age(row: Row, child, context) -> bool:
    """4 or over at the start of the year and under 17 at its end: the ages an SDQ is returned for."""
    ages = _sdq_age(row, child)
    return ages is not None and ages[0] <= context.year.start and ages[1] > context.year.end


# The header ----------------------------------------------------------------------------------------------


@check(COLLECTION, "101", fields=("SEX",))
def sex_invalid(child, context):
    """Rule 101: the child's sex must be M, F or U (from 2024-25); before, gender 1 (male) or 2 (female)."""
    yield from _not_on_list(child.rows("Header"), "SEX", _sex_codes(context), blank_is_invalid=True)


@check(COLLECTION, "102", fields=("DOB",))
def date_of_birth_invalid(child, context):
    """Rule 102: the date of birth must be a valid date."""
    yield from _invalid_dates(child.rows("Header"), "DOB", blank_is_invalid=True)


@check(COLLECTION, "103", fields=("ETHNIC",))
def ethnicity_invalid(child, context):
    """Rule 103: the ethnicity must be given and be a valid code."""
    yield from _not_on_list(child.rows("Header"), "ETHNIC", context.codes("ethnicity"), blank_is_invalid=True)


@check(COLLECTION, "165", fields=("MOTHER",))
def mother_status_invalid(child, context):
    """Rule 165: MOTHER, where given, must be 0 or 1 and only for a girl; a girl looked after during the year
    must have it (it may be blank only for a care leaver with no episode in the year and an OC3 record).
    The validator leaves out short-break (V3/V4) episodes and skips children without an OC3 row; the DfE's
    wording does not, so neither does this check."""
    female = female_code(context.year)
    for header in child.rows("Header"):
        mother = header["MOTHER"]
        if mother and mother not in YES_NO:
            yield Hit(header, detail=f"MOTHER “{mother}” is not 0 or 1")
        elif mother and header["SEX"] != female:
            yield Hit(
                header, fields=("MOTHER", "SEX"), detail="MOTHER is given for a child who is not female"
            )
        elif not mother and header["SEX"] == female:
            care_leaver_only = not any(
                open_in_year(episode, context.year) for episode in child.rows("Episodes")
            ) and bool(care_leaver_rows(child))
            if not care_leaver_only:
                yield Hit(header, detail="MOTHER is blank for a girl looked after during the year")


@check(COLLECTION, "168", fields=("UPN",))
def upn_invalid(child, context):
    """Rule 168: the UPN must be a UPN in the DfE's format (a check letter, 11 digits, then a digit or a
    letter) or, if not known, UN1-UN5. The validator lets a blank UPN pass; the DfE's wording ("if unknown,
    default codes should be UN1...UN5") does not, so a blank UPN fails here."""
    unknown = context.codes("upn_unknown") - CIN_CENSUS_ONLY_UPN_UNKNOWN
    for header in child.rows("Header"):
        upn = header["UPN"]
        if not upn:
            yield Hit(header, detail="UPN is blank: give the UPN or a UN code")
        elif upn not in unknown and not UPN_PATTERN.match(upn):
            yield Hit(header, detail=f"“{upn}” is not a UPN or a UN code")


@check(COLLECTION, "171", fields=("MC_DOB",))
def mothers_child_date_of_birth_invalid(child, context):
    """Rule 171: the date of birth of the mother's child, where given, must be a valid date."""
    yield from _invalid_dates(child.rows("Header"), "MC_DOB")


@check(COLLECTION, "174", fields=("SEX", "MC_DOB"))
def mothers_child_for_a_boy(child, context):
    """Rule 174: a date of birth of the mother's child must not be given for a boy."""
    for header in child.rows("Header"):
        if header["SEX"] == male_code(context.year) and not header.is_blank("MC_DOB"):
            yield header


# UASC ----------------------------------------------------------------------------------------------------


@check(COLLECTION, "104", fields=("DUC",))
def uasc_ceased_date_invalid(child, context):
    """Rule 104: the date UASC status ceased, where given, must be a valid date, and not before the
    collection year."""
    rows = child.rows("UASC")
    yield from _invalid_dates(rows, "DUC")
    for row in rows:
        ceased = row.date("DUC")
        if ceased and ceased < context.year.start:
            yield Hit(row, detail=f"{_day(ceased)} is before the year began on {_day(context.year.start)}")


# Adoption ------------------------------------------------------------------------------------------------


@check(COLLECTION, "112", fields=("DATE_INT",))
def decided_adoption_date_invalid(child, context):
    """Rule 112: the date of the decision that the child should be placed for adoption (AD1), where given,
    must be a valid date."""
    yield from _invalid_dates(child.rows("AD1"), "DATE_INT")


@check(COLLECTION, "113", fields=("DATE_MATCH",))
def matched_date_invalid(child, context):
    """Rule 113: the date the child was matched with the adopters, where given, must be a valid date."""
    yield from _invalid_dates(child.rows("AD1"), "DATE_MATCH")


@check(COLLECTION, "114", fields=("FOSTER_CARE",))
def adopted_by_foster_carers_invalid(child, context):
    """Rule 114: whether the adopters were the child's foster carers, where given, must be 0 or 1."""
    yield from _not_on_list(child.rows("AD1"), "FOSTER_CARE", YES_NO)


@check(COLLECTION, "115", fields=("DATE_PLACED",))
def placed_for_adoption_date_invalid(child, context):
    """Rule 115: the date of the decision that the child should be placed for adoption (PlacedAdoption),
    where given, must be a valid date."""
    yield from _invalid_dates(child.rows("PlacedAdoption"), "DATE_PLACED")


@check(COLLECTION, "116", fields=("DATE_PLACED_CEASED",))
def no_longer_placed_date_invalid(child, context):
    """Rule 116: the date of the decision that the child should no longer be placed for adoption, where
    given, must be a valid date."""
    yield from _invalid_dates(child.rows("PlacedAdoption"), "DATE_PLACED_CEASED")


@check(COLLECTION, "117", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def adoption_decision_too_late(child, context):
    """Rule 117: the decisions that the child should (or should no longer) be placed for adoption must not be
    after the collection year, nor after the child's latest episode ended (its reason not X1)."""
    ended = [episode for episode in child.episodes if episode.date("DECOM") and episode["REC"] != CONTINUES]
    left_care = ended[-1].date("DEC") if ended else None
    for row in child.rows("PlacedAdoption"):
        for column in ("DATE_PLACED", "DATE_PLACED_CEASED"):
            day = row.date(column)
            if day and day > context.year.end:
                yield Hit(row, fields=(column,), detail=f"{_day(day)} is after the year's end")
            elif day and left_care and day > left_care:
                detail = f"{_day(day)} is after the child ceased to be looked after on {_day(left_care)}"
                yield Hit(row, fields=(column,), detail=detail)


@check(COLLECTION, "118", fields=("DATE_PLACED_CEASED",))
def no_longer_placed_too_early(child, context):
    """Rule 118: the decision that the child should no longer be placed for adoption must not be before the
    collection year, nor before the start of the child's first episode that is not a short break."""
    starts = [
        episode.date("DECOM")
        for episode in child.episodes
        if episode.date("DECOM") and episode["LS"] not in SHORT_BREAKS
    ]
    for row in child.rows("PlacedAdoption"):
        day = row.date("DATE_PLACED_CEASED")
        if day and day < context.year.start:
            yield Hit(row, detail=f"{_day(day)} is before the year began on {_day(context.year.start)}")
        elif day and starts and day < starts[0]:
            yield Hit(row, detail=f"{_day(day)} is before the child was looked after, from {_day(starts[0])}")


@check(COLLECTION, "119", fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))
def no_longer_placed_date_and_reason(child, context):
    """Rule 119: the date of the decision that the child should no longer be placed for adoption and the
    reason for it must both be given, or both be blank."""
    for row in child.rows("PlacedAdoption"):
        if row.is_blank("DATE_PLACED_CEASED") != row.is_blank("REASON_PLACED_CEASED"):
            yield row


@check(COLLECTION, "120", fields=("REASON_PLACED_CEASED",))
def no_longer_placed_reason_invalid(child, context):
    """Rule 120: the reason the child should no longer be placed for adoption, where given, must be a valid
    code."""
    yield from _not_on_list(
        child.rows("PlacedAdoption"), "REASON_PLACED_CEASED", context.codes("adoption_reversal")
    )


@check(COLLECTION, "151", fields=AD1_ITEMS)
def adoption_items_partly_given(child, context):
    """Rule 151: the adoption items (AD1) must all be given, or all be blank."""
    for row in child.rows("AD1"):
        given = filled(row, AD1_ITEMS)
        if given and len(given) < len(AD1_ITEMS):
            yield Hit(row, fields=unfilled(row, AD1_ITEMS))


@check(COLLECTION, "175", fields=("NB_ADOPTR",))
def number_of_adopters_invalid(child, context):
    """Rule 175: the number of adopters, where given, must be 1 or 2."""
    yield from _not_on_list(child.rows("AD1"), "NB_ADOPTR", ADOPTER_NUMBERS)


@check(COLLECTION, "176", fields=("SEX_ADOPTR",))
def adopters_sex_invalid(child, context):
    """Rule 176: the sex of the adopters, where given, must be a valid code."""
    yield from _not_on_list(child.rows("AD1"), "SEX_ADOPTR", context.codes("adopter_sex"))


@check(COLLECTION, "177", fields=("LS_ADOPTR",))
def adopters_legal_status_invalid(child, context):
    """Rule 177: the legal status of the adopters, where given, must be a valid code."""
    yield from _not_on_list(child.rows("AD1"), "LS_ADOPTR", context.codes("adopter_legal_status"))


@check(COLLECTION, "184", fields=("DATE_PLACED", "DOB"))
def placed_for_adoption_before_birth(child, context):
    """Rule 184: the decision that the child should be placed for adoption must not be before their birth."""
    born = date_of_birth(child)
    for row in child.rows("PlacedAdoption"):
        decided = row.date("DATE_PLACED")
        if born and decided and decided < born:
            yield Hit(row, detail=f"{_day(decided)} is before the child was born on {_day(born)}")


# Care leavers (OC3) --------------------------------------------------------------------------------------


@check(COLLECTION, "131", fields=("IN_TOUCH",))
def in_touch_invalid(child, context):
    """Rule 131: whether the council is in touch with the care leaver, where given, must be a valid code.
    The validator also fails a blank; the DfE allows the OC3 items to be left blank together (rule 153),
    and a blank here among given items is rule 153's, so a blank passes this rule."""
    yield from _not_on_list(child.rows("OC3"), "IN_TOUCH", context.codes("care_leaver_in_touch"))


@check(COLLECTION, "132", fields=("ACTIV",))
def activity_invalid(child, context):
    """Rule 132: the care leaver's main activity, where given, must be a valid code (a blank passes, as for
    rule 131)."""
    yield from _not_on_list(child.rows("OC3"), "ACTIV", context.codes("care_leaver_activity"))


@check(COLLECTION, "133", fields=("ACCOM",))
def accommodation_invalid(child, context):
    """Rule 133: the care leaver's accommodation, where given, must be a valid code: the kind of
    accommodation then 1 (suitable) or 2 (unsuitable), with no fixed abode and custody always unsuitable, or
    0 (a blank passes, as for rule 131)."""
    kinds = context.codes("care_leaver_accommodation")
    for row in child.rows("OC3"):
        accommodation = row["ACCOM"]
        kind, suitability = accommodation[:1], accommodation[1:]
        valid = (
            accommodation in {"", ACCOMMODATION_NOT_KNOWN}
            or kind in kinds
            and suitability in {SUITABLE, UNSUITABLE}
            and not (kind in ALWAYS_UNSUITABLE and suitability == SUITABLE)
        )
        if not valid:
            yield Hit(row, detail=f"ACCOM “{accommodation}” is not a valid code")


@check(COLLECTION, "134", fields=AD1_ITEMS)
def adoption_for_a_care_leaver(child, context):
    """Rule 134: a care leaver with OC3 items must not have adoption items (AD1)."""
    if care_leaver_rows(child):
        for row in child.rows("AD1"):
            if given := filled(row, AD1_ITEMS):
                yield Hit(row, fields=given)


@check(COLLECTION, "153", fields=OC3_ITEMS)
def care_leaver_items_partly_given(child, context):
    """Rule 153: the care leaver's items (in touch, activity, accommodation) must all be given, or all be
    blank."""
    for row in child.rows("OC3"):
        given = filled(row, OC3_ITEMS)
        if given and len(given) < len(OC3_ITEMS):
            yield Hit(row, fields=unfilled(row, OC3_ITEMS))


# Episodes ------------------------------------------------------------------------------------------------


@check(COLLECTION, "141", fields=("DECOM",))
def episode_start_invalid(child, context):
    """Rule 141: the date the episode began must be a valid date. The validator lets a blank pass; an
    episode has no meaning without its start, and a blank is not a valid date, so it fails here."""
    yield from _invalid_dates(child.rows("Episodes"), "DECOM", blank_is_invalid=True)


@check(COLLECTION, "142", fields=("DEC", "REC"))
def earlier_episode_not_ended(child, context):
    """Rule 142: every episode but the child's latest must have ended: its end date and reason given."""
    for episode in dated_episodes(child)[:-1]:
        if missing := unfilled(episode, ("DEC", "REC")):
            yield Hit(
                episode,
                fields=missing,
                detail=f"The episode from {_day(episode.date('DECOM'))} has not ended",
            )


@check(COLLECTION, "143", fields=("RNE",))
def reason_new_episode_invalid(child, context):
    """Rule 143: the reason for the new episode, where given, must be a valid code."""
    yield from _not_on_list(child.rows("Episodes"), "RNE", context.codes("reason_new_episode"))


@check(COLLECTION, "144", fields=("LS",))
def legal_status_invalid(child, context):
    """Rule 144: the legal status, where given, must be a valid code (D1, the freeing order replaced by E1
    on 30 December 2005, is still a code; rules 445 and 446 check the dates)."""
    yield from _not_on_list(child.rows("Episodes"), "LS", all_codes("legal_status"))


@check(COLLECTION, "145", fields=("CIN",))
def category_of_need_invalid(child, context):
    """Rule 145: the category of need, where given, must be N1 to N8."""
    needs = context.codes("primary_need") - CIN_CENSUS_ONLY_NEEDS
    yield from _not_on_list(child.rows("Episodes"), "CIN", needs)


@check(COLLECTION, "146", fields=("PLACE",))
def placement_type_invalid(child, context):
    """Rule 146: the placement type, where given, must be a code of the collection year: from 2025-26 K3 and
    Z11-Z14 replace H5 and Z1, and P2 (ended 27 October 2023) is gone. The validator's 2024-25 list still
    has P2; a P2 placement open in 2024-25 began after P2 ended or was never recoded, so it fails here.

    One reading of ours, which the rule's wording does not settle: a placement open when its code was
    retired is moved to a new code by ending its episode on the first day of the year and starting the
    next that day (RNE T), as episodes follow on without a gap. The old episode then ceased on 1 April and
    is in the new year's return, though the child was in that placement only until 31 March, when its code
    was valid. Such an episode passes; any other day's old code fails."""
    codes = _codes_in_year(context, "placement_type")
    changed_over = context.codes("placement_type", on=context.year.start - datetime.timedelta(days=1))
    first_day = context.year.start.strftime("%d/%m/%Y")
    episodes = child.rows("Episodes")
    yield from _not_on_list([row for row in episodes if row["DEC"] != first_day], "PLACE", codes)
    yield from _not_on_list(
        [row for row in episodes if row["DEC"] == first_day], "PLACE", codes | changed_over
    )


@check(COLLECTION, "147", fields=("DEC",))
def episode_end_invalid(child, context):
    """Rule 147: the date the episode ceased, where given, must be a valid date."""
    yield from _invalid_dates(child.rows("Episodes"), "DEC")


@check(COLLECTION, "148", fields=("DEC", "REC"))
def episode_end_and_reason(child, context):
    """Rule 148: the date the episode ceased and the reason must both be given, or both be blank."""
    for episode in child.rows("Episodes"):
        if episode.is_blank("DEC") != episode.is_blank("REC"):
            yield episode


@check(COLLECTION, "149", fields=("REC",))
def reason_episode_ceased_invalid(child, context):
    """Rule 149: the reason the episode ceased, where given, must be a valid code."""
    yield from _not_on_list(child.rows("Episodes"), "REC", context.codes("reason_episode_ceased"))


@check(COLLECTION, "178", fields=("PLACE_PROVIDER",))
def placement_provider_invalid(child, context):
    """Rule 178: the placement provider, where given, must be a valid code, and must be blank for temporary
    placements and other placements (T0-T4 and Z1; from 2025-26 T0-T3 and Z11-Z14)."""
    providers = context.codes("placement_provider")
    no_provider = _no_provider_placements(context)
    for episode in child.rows("Episodes"):
        provider = episode["PLACE_PROVIDER"]
        if provider and provider not in providers:
            yield Hit(episode, detail=f"PLACE_PROVIDER “{provider}” is not a valid code")
        elif provider and episode["PLACE"] in no_provider:
            yield Hit(
                episode,
                fields=("PLACE_PROVIDER", "PLACE"),
                detail=f"A placement {episode['PLACE']} has no provider: leave PLACE_PROVIDER blank",
            )


@check(COLLECTION, "199", fields=("CHILD",))
def previously_adopted(child, context):
    """Rule 199: no episode may start after an episode that ended in adoption (E11, E12): the child would
    have been adopted from care before. Last year's episodes are read too when last year's return is given
    (only this year's then)."""
    history = list(child.rows("Episodes"))
    if earlier := last_years_record(child, context):
        history += earlier.rows("Episodes")
    adoptions = [episode for episode in history if episode["REC"] in ADOPTED and episode.date("DECOM")]
    if not adoptions:
        return
    adoption = min(adoptions, key=lambda episode: episode.date("DECOM"))
    adopted_from = adoption.date("DECOM")
    for episode in child.episodes:
        start = episode.date("DECOM")
        if start and start > adopted_from:
            ended = adoption.date("DEC")
            detail = f"The episode from {_day(adopted_from)} ended in adoption ({adoption['REC']})"
            yield Hit(episode, detail=detail + (f" on {_day(ended)}" if ended else ""))


# Reviews -------------------------------------------------------------------------------------------------


@check(COLLECTION, "166", fields=("REVIEW",))
def review_date_invalid(child, context):
    """Rule 166: the date of the review must be a valid date, and not blank."""
    yield from _invalid_dates(child.rows("Reviews"), "REVIEW", blank_is_invalid=True)


@check(COLLECTION, "167", fields=("REVIEW_CODE",))
def participation_invalid(child, context):
    """Rule 167: a review must record how the child participated, with a valid code; a participation code
    with no review date is wrong too."""
    codes = context.codes("review_participation")
    for row in child.rows("Reviews"):
        code = row["REVIEW_CODE"]
        if row.is_blank("REVIEW"):
            if code:
                yield Hit(
                    row, fields=("REVIEW", "REVIEW_CODE"), detail="A participation code with no review date"
                )
        elif not code:
            yield Hit(row, detail="REVIEW_CODE is blank")
        elif code not in codes:
            yield Hit(row, detail=f"REVIEW_CODE “{code}” is not a valid code")


# Children looked after for 12 months (OC2) ---------------------------------------------------------------


@check(COLLECTION, "157", fields=("SDQ_REASON", "DOB"))
def sdq_age_reason_for_a_child_of_sdq_age(child, context):
    """Rule 157: the reason for no SDQ score must not be SDQ1 (under 4 or over 17) for a child looked after
    for 12 months who was 4 or over at the start of the year and 16 or under at its end. The validator
    takes "16 or under" as "turned 16 on or after 31 March"; this follows the DfE's wording (not yet 17)."""
    if not looked_after_continuously_for_12_months(child, context.year):
        return
    for row in child.rows("OC2"):
        if row["SDQ_REASON"] == SDQ_AGE and _of_sdq_age(row, child, context):
            yield row


@check(COLLECTION, "158", fields=("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_offered_when_received(child, context):
    """Rule 158: when the child received an intervention for substance misuse, whether one was offered must
    be blank."""
    for row in child.rows("OC2"):
        if row["INTERVENTION_RECEIVED"] == YES and not row.is_blank("INTERVENTION_OFFERED"):
            yield row


@check(COLLECTION, "159", fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_offered_missing(child, context):
    """Rule 159: when a child with a substance misuse problem received no intervention, whether one was
    offered must be given."""
    for row in child.rows("OC2"):
        if (
            row["SUBSTANCE_MISUSE"] == YES
            and row["INTERVENTION_RECEIVED"] == NO
            and row.is_blank("INTERVENTION_OFFERED")
        ):
            yield Hit(row, fields=("INTERVENTION_OFFERED",))


@check(COLLECTION, "180", fields=("SDQ_SCORE",))
def sdq_score_invalid(child, context):
    """Rule 180: the SDQ score, where given, must be a whole number from 0 to 40."""
    for row in child.rows("OC2"):
        if not row.is_blank("SDQ_SCORE") and row["SDQ_SCORE"] not in SDQ_SCORES:
            yield Hit(row, detail=f"SDQ_SCORE “{row['SDQ_SCORE']}” is not a whole number from 0 to 40")


@check(COLLECTION, "181", fields=OC2_ITEMS)
def oc2_items_not_yes_or_no(child, context):
    """Rule 181: the OC2 items (convictions, health checks, immunisations, teeth, health assessment,
    substance misuse and interventions), where given, must be 0 or 1."""
    for row in child.rows("OC2"):
        if wrong := tuple(column for column in filled(row, OC2_ITEMS) if row[column] not in YES_NO):
            yield Hit(row, fields=wrong)


@check(COLLECTION, "182", fields=OC2_HEALTH_ITEMS)
def oc2_items_partly_given(child, context):
    """Rule 182: immunisations, teeth check, health assessment and substance misuse must all be given, or
    every OC2 item left blank. The validator fails a row only when one of the other four items is given;
    the DfE's wording ("or all OC2 fields should be left blank") fails any of the eight given while one of
    these four is blank."""
    for row in child.rows("OC2"):
        missing = unfilled(row, OC2_HEALTH_ITEMS)
        if missing and filled(row, OC2_ITEMS):
            yield Hit(row, fields=missing)


@check(COLLECTION, "185", fields=("SDQ_SCORE",))
def sdq_score_outside_cohort(child, context):
    """Rule 185: a child not looked after continuously for 12 months at 31 March must have no SDQ score."""
    if not looked_after_continuously_for_12_months(child, context.year):
        yield from (row for row in child.rows("OC2") if not row.is_blank("SDQ_SCORE"))


@check(COLLECTION, "186", fields=("SDQ_SCORE",))
def sdq_score_missing(child, context):
    """Rule 186: a child looked after for 12 months, 4 or over at the start of the year and under 17 at its
    end, should have an SDQ score. The validator fails a row if either the score or the reason for none is
    blank, which contradicts rule 197a (no reason when there is a score); here a row fails when both are
    blank (a reason explains the missing score; rule 157 checks an age reason)."""
    if not looked_after_continuously_for_12_months(child, context.year):
        return
    for row in child.rows("OC2"):
        if _of_sdq_age(row, child, context) and not filled(row, SDQ_ITEMS):
            yield row


@check(COLLECTION, "187", fields=AD1_ITEMS + OC3_ITEMS)
def adoption_or_care_leaver_in_oc2_cohort(child, context):
    """Rule 187: a child looked after continuously for 12 months at 31 March must have no adoption (AD1) or
    care leaver (OC3) items."""
    if not looked_after_continuously_for_12_months(child, context.year):
        return
    for table, items in (("AD1", AD1_ITEMS), ("OC3", OC3_ITEMS)):
        for row in child.rows(table):
            if given := filled(row, items):
                yield Hit(row, fields=given)


@check(COLLECTION, "188", fields=SDQ_ITEMS)
def sdq_under_4(child, context):
    """Rule 188: a child under 4 at the end of the year must have no SDQ score nor a reason for none."""
    for row in child.rows("OC2"):
        ages = _sdq_age(row, child)
        if ages and ages[0] > context.year.end and (given := filled(row, SDQ_ITEMS)):
            yield Hit(row, fields=given)


@check(COLLECTION, "189", fields=("DOB",) + SDQ_ITEMS)
def sdq_17_or_over(child, context):
    """Rule 189: a child 17 or over at the start of the year must have no SDQ score nor a reason for none."""
    for row in child.rows("OC2"):
        ages = _sdq_age(row, child)
        if ages and ages[1] <= context.year.start and (given := filled(row, SDQ_ITEMS)):
            yield Hit(row, fields=("DOB",) + given)


@check(COLLECTION, "190", fields=OC2_ITEMS)
def oc2_items_outside_cohort(child, context):
    """Rule 190: a child not looked after continuously for 12 months at 31 March must have no OC2 items."""
    if looked_after_continuously_for_12_months(child, context.year):
        return
    for row in child.rows("OC2"):
        if given := filled(row, OC2_ITEMS):
            yield Hit(row, fields=given)


@check(COLLECTION, "191", fields=OC2_HEALTH_ITEMS)
def oc2_items_missing_in_cohort(child, context):
    """Rule 191: a child looked after continuously for 12 months at 31 March must have immunisations, teeth
    check, health assessment and substance misuse given (and so an OC2 row)."""
    if not looked_after_continuously_for_12_months(child, context.year):
        return
    rows = child.rows("OC2")
    if not rows:
        yield Hit(child, detail="Looked after for 12 months at 31 March, but there is no OC2 row")
    for row in rows:
        if missing := unfilled(row, OC2_HEALTH_ITEMS):
            yield Hit(row, fields=missing)


@check(COLLECTION, "192", fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"))
def intervention_received_missing(child, context):
    """Rule 192: a child with a substance misuse problem must have whether they received an intervention
    given."""
    for row in child.rows("OC2"):
        if row["SUBSTANCE_MISUSE"] == YES and row.is_blank("INTERVENTION_RECEIVED"):
            yield row


@check(COLLECTION, "193", fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_without_substance_misuse(child, context):
    """Rule 193: a child with no substance misuse problem identified (0 or blank) must have both intervention
    items blank."""
    for row in child.rows("OC2"):
        if row["SUBSTANCE_MISUSE"] in {"", NO} and (
            given := filled(row, ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
        ):
            yield Hit(row, fields=("SUBSTANCE_MISUSE",) + given)


@check(COLLECTION, "196", fields=("SDQ_REASON",))
def sdq_reason_invalid(child, context):
    """Rule 196: the reason for no SDQ score, where given, must be a valid code."""
    yield from _not_on_list(child.rows("OC2"), "SDQ_REASON", context.codes("sdq_reason"))


@check(COLLECTION, "197B", fields=("SDQ_REASON", "DOB"))
def sdq_missing_at_4_or_17(child, context):
    """Rule 197B: a child looked after for 12 months who turns 4 or 17 during the year should have an SDQ
    score or a reason for none."""
    if not looked_after_continuously_for_12_months(child, context.year):
        return
    for row in child.rows("OC2"):
        ages = _sdq_age(row, child)
        if ages and any(context.year.contains(day) for day in ages) and not filled(row, SDQ_ITEMS):
            yield row


@check(COLLECTION, "197a", fields=SDQ_ITEMS)
def sdq_reason_with_score(child, context):
    """Rule 197a: no reason for no SDQ score when there is a score."""
    for row in child.rows("OC2"):
        if len(filled(row, SDQ_ITEMS)) == len(SDQ_ITEMS):
            yield row


@check(COLLECTION, "198", fields=("SDQ_REASON",))
def sdq_reason_outside_cohort(child, context):
    """Rule 198: a child not looked after continuously for 12 months at 31 March must have no reason for no
    SDQ score."""
    if not looked_after_continuously_for_12_months(child, context.year):
        yield from (row for row in child.rows("OC2") if not row.is_blank("SDQ_REASON"))
