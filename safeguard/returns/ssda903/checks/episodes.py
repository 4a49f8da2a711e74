"""SSDA903 checks 202-336: what a child's header must keep from last year's return, the episodes of care
(placement codes, providers, URNs, reasons for a placement change), UASC status, and the dates of adoption.

Each check reads the DfE's rule of the same code (its condition, in plain words, in the check's docstring;
the DfE-community validator ``data-to-insight/csc-validator-be-903``, ``lac_validator/rules``, implements the
same text). Where the validator and the DfE's text differ, the text wins, and the docstring says so.

Some terms used throughout:

- **UASC status.** The SSDA903 files have no UASC status item: a child was an unaccompanied asylum-seeking
  child in a year when the year's return has a row for them in its UASC table (the DfE validator derives the
  status the same way for returns sent as files).
- **Previous episode.** Episodes are taken in order of their start (DECOM); an episode's previous one is the
  one that started just before it. Episodes without a valid DECOM are left out (rule 103 reports them).
- **Last year.** Rules 202-208 compare with last year's return: when it was not given
  (``context.has_previous`` is False), or the child is not in it, they find nothing.

Rules 218, 219, 221, 224, 227, 228, 229 and 230 are not checked here: they need the Ofsted register of
providers (what a URN is registered for, where, by whom, and when) or the local authority a placement's
postcode lies in (``PL_LA``, which the DfE derives from a postcode directory). Safeguard holds neither.
Rules 205C and 303 are not checked either: they ask that a date UASC ceased goes only with UASC status, and
in the SSDA903 files the date can only be written on a UASC row, which is the status itself.
"""

import datetime
from collections.abc import Iterator

from safeguard.core.reference import codes
from safeguard.lookedafter.rules import (
    ADOPTED,
    ADOPTION_WITH_CURRENT_CARERS,
    CONTINUES,
    CUSTODY_MOVE,
    FOSTER_PLACEMENTS,
    PLACED_FOR_ADOPTION,
    PLACEMENT_REASONS,
    SHORT_BREAKS,
    STARTED,
    TEMPORARY_PLACEMENTS,
    URN_PLACEHOLDER,
)
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    COLLECTION,
    INDEPENDENT_LIVING_PLACE,
    OC2_ITEMS,
    OC3_ITEMS,
    OTHER_PLACEMENTS_FROM_2026,
    PLACEMENTS_REPLACED_FROM,
    YES,
    birthday,
    care_leaver_rows,
    care_starts,
    consecutive_episodes,
    date_of_birth,
    dated_episodes,
    filled,
    last_years_record,
    placement_text,
    same_day,
)
from safeguard.returns.ssda903.model import Row

# Codes that the rules below name. These are each rule's own subsets of a code list (the DfE's rule text
# names them), not lists of valid codes: those come from the reference data.
# 335 names the older codes A1 and A2 too: placed for adoption with (A2) or not with (A1) the foster carers.
ADOPTED_BY_FOSTER_CARERS = ADOPTION_WITH_CURRENT_CARERS | {"A2"}
ADOPTED_BY_OTHERS = (PLACED_FOR_ADOPTION - ADOPTION_WITH_CURRENT_CARERS) | {"A1"}
ADOPTED_335 = ADOPTED | {"E1"}  # 335 also names E1, adopted before E11/E12 split it
PLACEMENT_CHANGES = PLACEMENT_REASONS - {STARTED}  # reasons for a new episode that change placement (225)
NEW_EPISODE_WITH_FOSTER_CARERS = frozenset({"S", "T", "U"})  # 217
UNKNOWN_SEX = "U"  # 232
UPN_UNDER_SCHOOL_AGE = "UN1"  # 209
UPN_NEWLY_LOOKED_AFTER = "UN4"  # 210

# 217 applies to episodes that started from 1 April 2015, when A3/A5 were first returned.
A3_A5_FROM = datetime.date(2015, 4, 1)
# 217t: P2 ("independent living") was withdrawn on 28 October 2023 (its reference data ends the day before).
P2_WITHDRAWN = datetime.date(2023, 10, 28)


# -- helpers ------------------------------------------------------------------------------------------------


def _last_year_header(child, context) -> Row | None:
    previous = last_years_record(child, context)
    return previous.header if previous else None


def _uasc(child) -> Row | None:
    """The child's UASC row: there is one when the child was UASC in the return's year."""
    rows = child.rows("UASC")
    return rows[0] if rows else None


# -- the header against last year's ---------------------------------------------------------------------------


def _sex_meaning(value: str) -> str:
    """What a SEX code stands for: 1/2 to 2023-24 and M/F from 2024-25 mean the same, so compare labels."""
    value = value.upper()
    labels = {**codes("gender_current"), **codes("sex")}
    return labels.get(value, value).lower()


def _changed(child, context, column: str, same) -> Iterator[Hit]:
    """The header's ``column`` if it is given in both years and ``same(this, last)`` is False."""
    header, last = child.header, _last_year_header(child, context)
    if header is None or last is None or header.is_blank(column) or last.is_blank(column):
        return
    if not same(header[column], last[column]):
        yield Hit(header, detail=f"{header[column]} this year, {last[column]} last year")


@check(COLLECTION, "202", fields=("SEX",))
def sex_changed(child, context):
    """202: the child's sex must be the one last year's return recorded (1/2 and M/F compared by meaning);
    only where both years give it, and only with last year's return."""
    yield from _changed(child, context, "SEX", lambda a, b: _sex_meaning(a) == _sex_meaning(b))


@check(COLLECTION, "203", fields=("DOB",))
def dob_changed(child, context):
    """203: the date of birth must be the one last year's return recorded (only with last year's return)."""

    yield from _changed(child, context, "DOB", same_day)


@check(COLLECTION, "204", fields=("ETHNIC",))
def ethnicity_changed(child, context):
    """204: the ethnic origin must be the one last year's return recorded (only with last year's return)."""
    yield from _changed(child, context, "ETHNIC", lambda a, b: a.upper() == b.upper())


@check(COLLECTION, "207", fields=("MOTHER",))
def mother_status_changed(child, context):
    """207: a child recorded last year as a mother (MOTHER 1) who has episodes this year must still be
    recorded as one (only with last year's return)."""
    header, last = child.header, _last_year_header(child, context)
    if header is None or last is None or not child.rows("Episodes"):
        return
    if last["MOTHER"] == YES and header["MOTHER"] != YES:
        yield Hit(header, detail=f"{header['MOTHER'] or 'blank'} this year, 1 last year")


@check(COLLECTION, "208", fields=("UPN",))
def upn_changed(child, context):
    """208: the UPN must be last year's, unless it was unknown (blank or a UN code) and is now known, was
    blank or UN1 and is now another UN code, or was blank and is now UN1 (only with last year's return)."""
    header, last = child.header, _last_year_header(child, context)
    if header is None or last is None:
        return
    now, before = header["UPN"].upper(), last["UPN"].upper()
    unknown = codes("upn_unknown").keys()
    if now == before:
        return
    if before in unknown or before == "":
        if now and now not in unknown:
            return  # now known
        if now in unknown and now != UPN_UNDER_SCHOOL_AGE and before in {"", UPN_UNDER_SCHOOL_AGE}:
            return  # a more precise reason it is unknown
        if now == UPN_UNDER_SCHOOL_AGE and before == "":
            return
    yield Hit(header, detail=f"{now or 'blank'} this year, {before or 'blank'} last year")


# -- UASC status against last year's ----------------------------------------------------------------------------


@check(COLLECTION, "205A", fields=("DUC",))
def uasc_ceased_last_year(child, context):
    """205A: a child UASC last year but not this year must have last year's date UASC ceased within last
    year (only with last year's return). A child not looked after this year (a care leaver only) is not in
    this year's UASC table at all (rule 1014), so the table cannot say they stopped being UASC: not checked."""
    previous = last_years_record(child, context)
    if previous is None or not child.rows("Episodes") or _uasc(child) is not None or _uasc(previous) is None:
        return
    ceased = _uasc(previous).date("DUC")
    last_year_start = datetime.date(context.year.start.year - 1, 4, 1)
    if ceased is None or not last_year_start <= ceased < context.year.start:
        yield Hit(child, detail=f"last year's date UASC ceased: {_day(ceased)}")


@check(COLLECTION, "205B", fields=("DUC",))
def uasc_both_years(child, context):
    """205B: a child UASC both last year and this year must have had their 18th birthday as last year's
    date UASC ceased, and this year's must be the same date or fall within this year (the DfE's logic, as the
    validator has it: while the status lasts the date is the 18th birthday; only with last year's return)."""
    previous = last_years_record(child, context)
    row = _uasc(child)
    if previous is None or row is None or _uasc(previous) is None:
        return
    dob = date_of_birth(child, row)
    if dob is None:
        return
    eighteenth = birthday(dob, 18)
    ceased, ceased_before = row.date("DUC"), _uasc(previous).date("DUC")
    if ceased_before != eighteenth or not (context.year.contains(ceased) or ceased == ceased_before):
        yield Hit(
            row,
            detail=f"ceased {_day(ceased)} this year, {_day(ceased_before)} last year; "
            f"18th birthday {_day(eighteenth)}",
        )


@check(COLLECTION, "205D", fields=("CHILD",))
def uasc_only_this_year(child, context):
    """205D: a child in last year's return who is UASC this year must have been UASC last year (only with
    last year's return)."""
    previous = last_years_record(child, context)
    if previous is not None and _uasc(child) is not None and _uasc(previous) is None:
        yield _uasc(child)


# -- unique pupil numbers ---------------------------------------------------------------------------------------


@check(COLLECTION, "209", fields=("UPN", "DOB"))
def school_age_with_un1(child, context):
    """209: a child aged 4 or more on 31 August of the year before the collection year starts is of school
    age, and their UPN must not be UN1."""
    header = child.header
    if header is None or header["UPN"].upper() != UPN_UNDER_SCHOOL_AGE or header.date("DOB") is None:
        return
    cut_off = datetime.date(context.year.start.year - 1, 8, 31)
    if birthday(header.date("DOB"), 4) <= cut_off:
        yield Hit(header, detail=f"aged 4 or more on {_day(cut_off)}")


def _care_start(child, episode: Row) -> datetime.date:
    """When the period of care that ``episode`` belongs to began: back through episodes that follow on."""
    episodes = dated_episodes(child)
    start = episode.date("DECOM")
    for earlier in reversed(episodes[: episodes.index(episode)]):
        if earlier.date("DEC") != start:
            break
        start = earlier.date("DECOM")
    return start


@check(COLLECTION, "210", fields=("UPN", "DECOM"))
def long_looked_after_with_un4(child, context):
    """210: a child looked after on 31 March who had been for more than a week (since before 24 March) must
    not have UPN UN4 ("newly looked after"). The validator flags the opposite (a start on or after 24 March);
    this follows the DfE's message."""
    header = child.header
    if header is None or header["UPN"].upper() != UPN_NEWLY_LOOKED_AFTER:
        return
    end = context.year.end
    for episode in dated_episodes(child):
        if episode.date("DECOM") <= end and episode.is_blank("DEC"):
            start = _care_start(child, episode)
            if (end - start).days > 7:
                yield Hit(header, detail=f"looked after since {_day(start)}")
            return


# -- episodes: placements and their providers -------------------------------------------------------------------


@check(COLLECTION, "213", fields=("PLACE_PROVIDER",))
def provider_for_temporary_placement(child, context):
    """213: a temporary placement (T0-T4; from 2025-26 also Z11-Z14) has no placement provider."""
    placements = TEMPORARY_PLACEMENTS
    if context.year.end_year >= PLACEMENTS_REPLACED_FROM:
        placements = placements | OTHER_PLACEMENTS_FROM_2026
    for episode in child.rows("Episodes"):
        if episode["PLACE"] in placements and not episode.is_blank("PLACE_PROVIDER"):
            yield Hit(episode, detail=placement_text(episode))


@check(COLLECTION, "214", fields=("PL_POST", "URN"))
def location_for_short_breaks(child, context):
    """214: an episode of short breaks (legal status V3 or V4) has no placement postcode or URN."""
    for episode in child.rows("Episodes"):
        if episode["LS"] in SHORT_BREAKS and not (episode.is_blank("PL_POST") and episode.is_blank("URN")):
            yield Hit(episode, fields=filled(episode, ("PL_POST", "URN")))


@check(COLLECTION, "215", fields=OC3_ITEMS + OC2_ITEMS)
def care_leaver_with_twelve_month_items(child, context):
    """215: a child with care leaver information (OC3) has none of the items of children looked after for
    12 months (OC2) completed."""
    leaver = care_leaver_rows(child)
    for row in child.rows("OC2"):
        given = filled(row, OC2_ITEMS)
        if leaver and given:
            yield Hit(row, fields=given)


@check(COLLECTION, "217", fields=("PLACE", "DECOM", "RNE"))
def placed_with_foster_carers_reason(child, context):
    """217: an episode from 1 April 2015 placed for adoption with current foster carers (A3 or A5) starts
    for reason S, T or U."""
    for episode in child.rows("Episodes"):
        started = episode.date("DECOM")
        if (
            episode["PLACE"] in ADOPTION_WITH_CURRENT_CARERS
            and started
            and started >= A3_A5_FROM
            and episode["RNE"] not in NEW_EPISODE_WITH_FOSTER_CARERS
        ):
            yield Hit(episode, detail=f"{placement_text(episode)}, reason {episode['RNE'] or 'blank'}")


@check(COLLECTION, "217t", fields=("PLACE", "DEC"))
def p2_after_withdrawal(child, context):
    """217t: placement type P2 is not valid from 28 October 2023: a P2 episode must have ended by then."""
    for episode in child.rows("Episodes"):
        if episode["PLACE"] != INDEPENDENT_LIVING_PLACE:
            continue
        ended = episode.date("DEC")
        if episode.is_blank("DEC") or (ended and ended > P2_WITHDRAWN):
            yield Hit(episode, detail=f"ended {_day(ended)}" if ended else "still open")


def _no_urn_placements(context) -> frozenset[str]:
    """222: the placement types that have no Ofsted URN, by year: H5 needs one from 28 October 2023
    (2023-24), P2 was withdrawn then (left off from 2024-25), and Z11-Z14 replace Z1 from 2025-26."""
    placements = {"P1", "P3", "R1", "R2", "R5"} | TEMPORARY_PLACEMENTS
    year = context.year.end_year
    if year <= 2023:
        placements |= {"H5"}
    if year <= 2024:
        placements |= {INDEPENDENT_LIVING_PLACE}
    placements |= OTHER_PLACEMENTS_FROM_2026 if year >= PLACEMENTS_REPLACED_FROM else {"Z1"}
    return frozenset(placements)


@check(COLLECTION, "222", fields=("URN",))
def urn_for_placement_without_one(child, context):
    """222: no URN (other than XXXXXXX) for placement types that Ofsted does not register (P1, P3, R1, R2,
    R5, T0-T4, Z1 or Z11-Z14; H5 to 2022-23, P2 to 2023-24)."""
    placements = _no_urn_placements(context)
    for episode in child.rows("Episodes"):
        if episode["PLACE"] in placements and episode["URN"] not in {"", URN_PLACEHOLDER}:
            yield Hit(episode, detail=placement_text(episode))


# -- episodes: reasons for a placement change -------------------------------------------------------------------


@check(COLLECTION, "225", fields=("REASON_PLACE_CHANGE",))
def placement_change_without_reason(child, context):
    """225: an episode that ends (X1) in a change of placement (next episode's reason P, B, T or U), neither
    placement temporary (T0-T4), gives the reason for the placement change."""
    for episode, following in consecutive_episodes(child):
        if (
            episode["REC"] == CONTINUES
            and episode.is_blank("REASON_PLACE_CHANGE")
            and following["RNE"] in PLACEMENT_CHANGES
            and episode["PLACE"] not in TEMPORARY_PLACEMENTS
            and following["PLACE"] not in TEMPORARY_PLACEMENTS
        ):
            yield Hit(episode, detail=f"{placement_text(episode)}, then {placement_text(following)}")


@check(COLLECTION, "226", fields=("REASON_PLACE_CHANGE", "PLACE"))
def reason_for_temporary_placement(child, context):
    """226: a temporary placement (T0-T4), and the episode just before it, give no reason for a placement
    change."""
    episodes = dated_episodes(child)
    for index, episode in enumerate(episodes):
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        temporary = episode["PLACE"] in TEMPORARY_PLACEMENTS
        before_temporary = following is not None and following["PLACE"] in TEMPORARY_PLACEMENTS
        if (temporary or before_temporary) and not episode.is_blank("REASON_PLACE_CHANGE"):
            yield Hit(
                episode, detail=placement_text(episode) if temporary else f"then {placement_text(following)}"
            )


@check(COLLECTION, "233", fields=("REASON_PLACE_CHANGE", "DEC"))
def reason_for_open_episode(child, context):
    """233: an episode that has not ceased (no DEC) gives no reason for a placement change."""
    for episode in child.rows("Episodes"):
        if episode.is_blank("DEC") and not episode.is_blank("REASON_PLACE_CHANGE"):
            yield episode


@check(COLLECTION, "234", fields=("REASON_PLACE_CHANGE",))
def custody_under_ten(child, context):
    """234: a placement change that starts an episode before the child's 10th birthday cannot be for custody
    (CUSTOD, on the episode before)."""
    dob = date_of_birth(child)
    if dob is None:
        return
    tenth = birthday(dob, 10)
    for episode, following in consecutive_episodes(child):
        if episode["REASON_PLACE_CHANGE"] == CUSTODY_MOVE and following.date("DECOM") < tenth:
            yield Hit(episode, detail=f"changed {_day(following.date('DECOM'))}; 10th birthday {_day(tenth)}")


# -- UASC, sex and the date of birth ---------------------------------------------------------------------------


@check(COLLECTION, "231", fields=("DOB",))
def young_uasc(child, context):
    """231 (query): an unaccompanied asylum-seeking child is expected to be aged 11 or more at the end of the
    year."""
    dob = date_of_birth(child)
    if _uasc(child) is not None and dob is not None and birthday(dob, 11) > context.year.end:
        yield Hit(child.header, detail=f"born {_day(dob)}")


@check(COLLECTION, "232", fields=("SEX",))
def sex_unknown(child, context):
    """232: the child's sex is recorded as unknown (U)."""
    if child.header is not None and child.header["SEX"].upper() == UNKNOWN_SEX:
        yield child.header


@check(COLLECTION, "301", fields=("DOB",))
def born_after_year_end(child, context):
    """301: the date of birth is on or before the last day of the collection year."""
    header = child.header
    dob = date_of_birth(child)
    if dob and dob > context.year.end:
        yield Hit(header, detail=f"born {_day(dob)}")


@check(COLLECTION, "302", fields=("DECOM", "DOB"))
def first_episode_before_birth(child, context):
    """302: the child's first episode does not start before they were born."""
    episodes, dob = dated_episodes(child), date_of_birth(child)
    if episodes and dob and episodes[0].date("DECOM") < dob:
        yield Hit(episodes[0], detail=f"started {_day(episodes[0].date('DECOM'))}, born {_day(dob)}")


@check(COLLECTION, "304", fields=("DUC",))
def uasc_ceased_after_eighteen(child, context):
    """304: the date UASC status ceased is on or before the child's 18th birthday."""
    for row in child.rows("UASC"):
        ceased, dob = row.date("DUC"), date_of_birth(child, row)
        if ceased and dob and ceased > birthday(dob, 18):
            yield Hit(row, detail=f"ceased {_day(ceased)}, 18th birthday {_day(birthday(dob, 18))}")


# -- adoption ----------------------------------------------------------------------------------------------------


@check(COLLECTION, "331", fields=("DATE_MATCH", "DECOM", "REC"))
def matched_after_placed(child, context):
    """331: the child is matched with the adopters on or before the day they were placed for adoption (the
    start of the episode that ended in adoption, REC E11 or E12)."""
    for adoption in child.rows("AD1"):
        matched = adoption.date("DATE_MATCH")
        for episode in child.rows("Episodes"):
            placed = episode.date("DECOM")
            if matched and placed and episode["REC"] in ADOPTED and matched > placed:
                yield Hit(adoption, detail=f"matched {_day(matched)}, placed {_day(placed)}")


@check(COLLECTION, "333", fields=("DATE_INT", "DATE_MATCH"))
def decided_after_matched(child, context):
    """333: where there is a date of matching, the date of the decision that the child should be placed for
    adoption is given and is on or before it."""
    for adoption in child.rows("AD1"):
        matched, decided = adoption.date("DATE_MATCH"), adoption.date("DATE_INT")
        if matched and (decided is None or decided > matched):
            yield Hit(adoption, detail=f"decided {_day(decided)}, matched {_day(matched)}")


@check(COLLECTION, "334", fields=("DATE_INT", "DECOM", "RNE"))
def decided_before_care(child, context):
    """334: the decision that the child should be placed for adoption is on or after the day they started to
    be looked after in their latest period of care (the latest episode with reason S)."""
    starts = care_starts(child)
    if not starts:
        return
    for adoption in child.rows("AD1"):
        decided = adoption.date("DATE_INT")
        if decided and decided < starts[-1]:
            yield Hit(adoption, detail=f"decided {_day(decided)}, looked after from {_day(starts[-1])}")


@check(COLLECTION, "335", fields=("PLACE", "FOSTER_CARE"))
def adopted_by_foster_carers_mismatch(child, context):
    """335: for a child adopted (E1, E11, E12), "adopted by the foster carer" (FOSTER_CARE) agrees with the
    last placement: not 0 for A2, A3 or A5 (with current foster carers), not 1 for A1, A4 or A6."""
    for adoption in child.rows("AD1"):
        foster = adoption["FOSTER_CARE"]
        for episode in child.rows("Episodes"):
            place = episode["PLACE"]
            if episode["REC"] in ADOPTED_335 and (
                (foster == "0" and place in ADOPTED_BY_FOSTER_CARERS)
                or (foster == "1" and place in ADOPTED_BY_OTHERS)
            ):
                yield Hit(adoption, detail=f"FOSTER_CARE {foster}, placement {place}")


@check(COLLECTION, "336", fields=("PLACE",))
def placed_with_foster_carers_not_from_foster_care(child, context):
    """336: a child placed for adoption with their current foster carers (A3 or A5) comes from a foster or
    adoption placement (A3-A6, U1-U6) in the episode before. The validator checks A3 and A4; this follows the
    DfE's text (A3 and A5)."""
    for episode, following in consecutive_episodes(child):
        if following["PLACE"] in ADOPTION_WITH_CURRENT_CARERS and episode["PLACE"] not in (
            FOSTER_PLACEMENTS | PLACED_FOR_ADOPTION
        ):
            yield Hit(following, detail=f"{placement_text(following)}, after {placement_text(episode)}")
