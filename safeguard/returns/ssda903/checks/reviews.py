"""SSDA903 checks 398-531: short breaks, reviews, the order and coding of episodes, comparisons with last
year's open episode, adoption (AD1 and PlacedAdoption) and placement providers.

Each check reads the DfE's rule of the same code; its docstring says in plain words what the rule asks. The
logic follows the DfE-community validator (``data-to-insight/csc-validator-be-903``, ``lac_validator/rules``)
except where its code and the DfE's wording disagree: then the wording wins and the docstring says so.

Episodes are taken in order of their start (DECOM); rules about "the previous episode" read the episode
before in that order, and leave aside episodes whose start is not a valid date (the date rules report those).

The codes of the reason for a new episode (RNE), as the DfE defines them: ``S`` started to be looked after;
``L`` change of legal status only; ``P`` change of placement and carer(s) only; ``T`` change of placement
(but same carers) only; ``B`` change of legal status and of placement and carer(s); ``U`` change of legal
status and of placement (but same carers).

Not checked here, because they need data Safeguard does not hold (the return carries postcodes, and the
distance, the LA of the placement and whether it is in or out of the council's area are worked out from a
postcode directory): 411, 452, 453, 454, 503G, 503H and 503J.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from safeguard.lookedafter import rules as entry
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    AD1_ITEMS,
    COLLECTION,
    FREEING_ORDER,
    PLACEMENT_ORDER,
    PLACEMENTS_REPLACED_FROM,
    REPLACED_PLACEMENTS,
    birthday,
    consecutive_episodes,
    date_of_birth,
    dated_episodes,
    filled,
    last_years_record,
    looked_after_other_than_short_breaks,
    same_day,
    was_uasc,
)
from safeguard.returns.ssda903.model import Row

# The DfE's own boundaries for D1 and E1 (445, 446): "after December 2005" and "before December 2005".
LAST_FREEING_ORDER_START = datetime.date(2005, 12, 31)
FIRST_PLACEMENT_ORDER_START = datetime.date(2005, 12, 1)

# Placed for adoption under a placement order, with or without the current foster carers (408).
PLACED_UNDER_PLACEMENT_ORDER = frozenset({"A5", "A6"})

# Reasons for a new episode (see the module docstring).
LEGAL_STATUS_ONLY = "L"
PLACEMENT_ONLY = frozenset({"P", "T"})
PLACEMENT_AND_LEGAL_STATUS = frozenset({"B", "U"})
# What tells one placement from another in the episodes (434-436).
PLACEMENT_FIELDS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")

AGE_ASSESSED_ADULT = "E15"  # 437: ceased because an age assessment found the young person 18 or over

UNDER_FOUR = "PN0"  # review participation: the child was under 4 (440, 441)

# Adopters (AD1): SEX_ADOPTR for one adopter or a couple, and what each LS_ADOPTR needs.
SAME_SEX_COUPLE = frozenset({"MM", "FF"})
MIXED_SEX_COUPLE = frozenset({"MF"})
COUPLE = SAME_SEX_COUPLE | MIXED_SEX_COUPLE
SINGLE_ADOPTER_STATUS = "L0"


# -- helpers ------------------------------------------------------------------------------------------------


def _started(episode: Row) -> str:
    """How a finding's detail names an episode: by its start."""
    started = episode.date("DECOM")
    return f"episode starting {_day(started)}" if started else "episode with no valid start date"


def _only_short_breaks(child) -> bool:
    """Every episode of the child's year is a short break (V3 or V4)."""
    episodes = child.rows("Episodes")
    return bool(episodes) and all(episode["LS"] in entry.SHORT_BREAKS for episode in episodes)


def _placement_unchanged(episode: Row, before: Row) -> bool:
    return all(episode[column] == before[column] for column in PLACEMENT_FIELDS)


# -- short breaks and UASC (398-426) ------------------------------------------------------------------------


@check(COLLECTION, "398", fields=("LS", "HOME_POST", "PL_POST"))
def short_break_with_distance(child, context):
    """Rule 398: an episode under a short-breaks legal status (V3, V4) has no placement distance, so neither
    postcode it is worked out from."""
    for episode in child.rows("Episodes"):
        if episode["LS"] in entry.SHORT_BREAKS and not (
            episode.is_blank("HOME_POST") and episode.is_blank("PL_POST")
        ):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "399", fields=("MOTHER", "LS", "REVIEW", "REVIEW_CODE"))
def short_breaks_only_with_mother_or_reviews(child, context):
    """Rule 399: a child looked after only under short-breaks legal statuses (V3, V4) has no MOTHER, review
    date or review participation code."""
    if not _only_short_breaks(child):
        return
    header = child.header
    if header is not None and not header.is_blank("MOTHER"):
        yield Hit(header, fields=("MOTHER", "LS"))
    for review in child.rows("Reviews"):
        if not (review.is_blank("REVIEW") and review.is_blank("REVIEW_CODE")):
            held = review.date("REVIEW")
            yield Hit(
                review, fields=("REVIEW", "REVIEW_CODE", "LS"), detail=f"review {_day(held)}" if held else ""
            )


@check(COLLECTION, "406", fields=("HOME_POST", "PL_POST"))
def uasc_with_distance(child, context):
    """Rule 406: an unaccompanied asylum-seeking child, now or formerly (in this year's or last year's UASC
    table), has no placement distance: an episode may not give both postcodes the distance is worked out
    from."""
    if not was_uasc(child, context):
        return
    for episode in child.rows("Episodes"):
        if not (episode.is_blank("HOME_POST") or episode.is_blank("PL_POST")):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "407", fields=("DEC", "DOB", "REC"))
def special_guardianship_at_18(child, context):
    """Rule 407: an episode cannot end with a special guardianship order (E45-E48) on or after the child's
    18th birthday. (The validator lets the birthday itself pass; the DfE's "reached age 18" does not.)"""
    born = date_of_birth(child)
    if born is None:
        return
    adult = birthday(born, 18)
    for episode in child.rows("Episodes"):
        ended = episode.date("DEC")
        if episode["REC"] in entry.SPECIAL_GUARDIANSHIP and ended and ended >= adult:
            yield Hit(episode, detail=f"ceased {_day(ended)}; 18 on {_day(adult)}")


@check(COLLECTION, "408", fields=("PLACE", "LS"))
def placement_order_not_recorded(child, context):
    """Rule 408: a child placed for adoption under a placement order (A5, A6) has legal status E1."""
    for episode in child.rows("Episodes"):
        if episode["PLACE"] in PLACED_UNDER_PLACEMENT_ORDER and episode["LS"] != PLACEMENT_ORDER:
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "420", fields=("LS", "PL_POST"))
def short_break_with_placement_la(child, context):
    """Rule 420: an episode under a short-breaks legal status (V3, V4) has no LA of placement, so no
    placement postcode it is worked out from."""
    for episode in child.rows("Episodes"):
        if episode["LS"] in entry.SHORT_BREAKS and not episode.is_blank("PL_POST"):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "426", fields=("LS",))
def both_kinds_of_short_breaks(child, context):
    """Rule 426: a child's short breaks in a year are recorded under V3 or under V4, not both."""
    episodes = [episode for episode in child.rows("Episodes") if episode["LS"] in entry.SHORT_BREAKS]
    if {episode["LS"] for episode in episodes} == entry.SHORT_BREAKS:
        for episode in episodes:
            yield Hit(episode, detail=f"{_started(episode)}, {episode['LS']}")


# -- the order of episodes (431-437) ------------------------------------------------------------------------


@check(COLLECTION, "431", fields=("RNE", "DECOM"))
def started_the_day_the_last_ended(child, context):
    """Rule 431: an episode that starts a new period of care (RNE S) does not start on the day the episode
    before ended. (The validator also flags a start before that day, which is rule 501's finding.)"""
    for before, episode in consecutive_episodes(child):
        if episode["RNE"] == entry.STARTED and episode.date("DECOM") == before.date("DEC"):
            yield Hit(episode, detail=f"{_started(episode)}, the day the episode before ended")


@check(COLLECTION, "432", fields=("RNE",))
def continued_after_leaving_care(child, context):
    """Rule 432: after an episode that ended the child's care (a reason other than X1), the next episode
    starts a new period of care (RNE S)."""
    ceased = context.codes("reason_episode_ceased") - {entry.CONTINUES}
    for before, episode in consecutive_episodes(child):
        if before["REC"] in ceased and episode["RNE"] != entry.STARTED:
            yield Hit(episode, detail=f"{_started(episode)}; care ended {before['REC']} before it")


@check(COLLECTION, "433", fields=("RNE", "DECOM"))
def continuation_not_the_same_day(child, context):
    """Rule 433: an episode that continues a period of care (RNE other than S) starts on the day the episode
    before ended."""
    continuing = context.codes("reason_new_episode") - {entry.STARTED}
    for before, episode in consecutive_episodes(child):
        ended = before.date("DEC")
        if episode["RNE"] in continuing and ended != episode.date("DECOM"):
            shown = f"the episode before ended {_day(ended)}" if ended else "the episode before has no end"
            yield Hit(episode, detail=f"{_started(episode)}; {shown}")


@check(COLLECTION, "434", fields=("RNE", "LS", *PLACEMENT_FIELDS))
def legal_status_change_not_shown(child, context):
    """Rule 434: an episode for a change of legal status only (RNE L) has a new legal status and the same
    placement (type, postcode, URN and provider) as the episode before."""
    for before, episode in consecutive_episodes(child):
        if episode["RNE"] == LEGAL_STATUS_ONLY and (
            episode["LS"] == before["LS"] or not _placement_unchanged(episode, before)
        ):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "435", fields=("RNE", "LS", *PLACEMENT_FIELDS))
def placement_change_not_shown(child, context):
    """Rule 435: an episode for a change of placement only (RNE P or T) has the legal status of the episode
    before and a different placement (type, postcode, URN or provider)."""
    for before, episode in consecutive_episodes(child):
        if episode["RNE"] in PLACEMENT_ONLY and (
            episode["LS"] != before["LS"] or _placement_unchanged(episode, before)
        ):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "436", fields=("RNE", "LS", *PLACEMENT_FIELDS))
def both_changes_not_shown(child, context):
    """Rule 436: an episode for a change of both legal status and placement (RNE B or U) has a new legal
    status and a different placement (type, postcode, URN or provider) from the episode before."""
    for before, episode in consecutive_episodes(child):
        if episode["RNE"] in PLACEMENT_AND_LEGAL_STATUS and (
            episode["LS"] == before["LS"] or _placement_unchanged(episode, before)
        ):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "437", fields=("REC",))
def episodes_after_death_or_adulthood(child, context):
    """Rule 437: no episode follows one that ended because the child died (E2) or was assessed to be 18 or
    over (E15)."""
    for before, _episode in consecutive_episodes(child):
        if before["REC"] in {entry.DIED, AGE_ASSESSED_ADULT}:
            yield Hit(before, detail=f"{_started(before)}, ended {before['REC']}")


# -- reviews and the header (440-446) -----------------------------------------------------------------------


@check(COLLECTION, "440", fields=("DOB", "REVIEW", "REVIEW_CODE"))
def under_four_code_for_an_older_child(child, context):
    """Rule 440: a review coded PN0 (child under 4) is held before the child's 4th birthday. (The validator
    lets a review on the birthday pass; the DfE's "4 years old or over" does not.)"""
    for review in child.rows("Reviews"):
        held, born = review.date("REVIEW"), date_of_birth(child, review)
        if review["REVIEW_CODE"] == UNDER_FOUR and held and born and held >= birthday(born, 4):
            yield Hit(review, detail=f"review {_day(held)}; 4 on {_day(birthday(born, 4))}")


@check(COLLECTION, "441", fields=("DOB", "REVIEW", "REVIEW_CODE"))
def participation_code_for_a_younger_child(child, context):
    """Rule 441: a review with a participation code (PN1-PN7) is held on or after the child's 4th birthday."""
    participation = context.codes("review_participation") - {UNDER_FOUR}
    for review in child.rows("Reviews"):
        held, born = review.date("REVIEW"), date_of_birth(child, review)
        if review["REVIEW_CODE"] in participation and held and born and held < birthday(born, 4):
            yield Hit(review, detail=f"review {_day(held)}; 4 on {_day(birthday(born, 4))}")


@check(COLLECTION, "442", fields=("UPN",))
def upn_missing(child, context):
    """Rule 442: a child with any episode under a legal status other than short breaks (V3, V4) has a UPN (or
    a UPN-unknown code)."""
    header = child.header
    if header is None or not header.is_blank("UPN"):
        return
    if looked_after_other_than_short_breaks(child):
        yield Hit(header)


@check(COLLECTION, "444", fields=("UPN",), scope="return")
def upn_duplicated(the_return, context):
    """Rule 444 (2025-26 on): a UPN, other than a UPN-unknown code, belongs to one child in the return."""
    unknown = context.codes("upn_unknown")
    groups = defaultdict(list)
    for child in the_return.children:
        header = child.header
        if header is not None and header["UPN"] and header["UPN"] not in unknown:
            groups[header["UPN"]].append(child)
    for group in groups.values():
        if len(group) == 1:
            continue
        for child in group:
            others = ", ".join(other.la_child_id for other in group if other is not child)
            yield Hit(child, detail=f"same UPN as {others}")


@check(COLLECTION, "445", fields=("LS", "DECOM"))
def freeing_order_after_2005(child, context):
    """Rule 445: no episode starting after December 2005 has legal status D1 (freeing order)."""
    for episode in child.rows("Episodes"):
        started = episode.date("DECOM")
        if episode["LS"] == FREEING_ORDER and started and started > LAST_FREEING_ORDER_START:
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "446", fields=("LS", "DECOM"))
def placement_order_before_2005(child, context):
    """Rule 446: no episode starting before December 2005 has legal status E1 (placement order)."""
    for episode in child.rows("Episodes"):
        started = episode.date("DECOM")
        if episode["LS"] == PLACEMENT_ORDER and started and started < FIRST_PLACEMENT_ORDER_START:
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "451", fields=("DEC", "REC", "LS"))
def still_freed_for_adoption(child, context):
    """Rule 451: no episode under a freeing order (D1) is still open (no end date and no reason it ended)."""
    for episode in child.rows("Episodes"):
        if episode["LS"] == FREEING_ORDER and episode.is_blank("DEC") and episode.is_blank("REC"):
            yield Hit(episode, detail=_started(episode))


@check(COLLECTION, "460", fields=("DEC", "REC"))
def stayed_with_carers_under_18(child, context):
    """Rule 460: an episode ends because the young person stayed with their carers at 18 (E17) only on or
    after their 18th birthday."""
    born = date_of_birth(child)
    if born is None:
        return
    adult = birthday(born, 18)
    for episode in child.rows("Episodes"):
        ended = episode.date("DEC")
        if episode["REC"] == entry.STAYED_WITH_CARERS and ended and ended < adult:
            yield Hit(episode, detail=f"ceased {_day(ended)}; 18 on {_day(adult)}")


# -- episodes against each other and against last year (501-504) --------------------------------------------


@check(COLLECTION, "501", fields=("DECOM", "DEC"))
def started_before_the_last_ended(child, context):
    """Rule 501: no episode starts before the episode before it ended."""
    for before, episode in consecutive_episodes(child):
        ended = before.date("DEC")
        if ended and episode.date("DECOM") < ended:
            yield Hit(episode, detail=f"{_started(episode)}; the episode before ended {_day(ended)}")


def _last_years_episodes(child, context) -> list[Row]:
    """The child's episodes in last year's return, in order of their start (none without it)."""
    previous = last_years_record(child, context)
    return dated_episodes(previous) if previous else []


@check(COLLECTION, "502", fields=("DECOM",))
def first_episode_not_last_years_open_one(child, context):
    """Rule 502: where last year's return ended with an open episode, this year's first episode starts on
    the same day as it. Needs last year's return: without it, nothing is found."""
    episodes = dated_episodes(child)
    if not episodes:
        return
    first = episodes[0]
    for open_episode in (
        episode for episode in _last_years_episodes(child, context) if episode.is_blank("DEC")
    ):
        if not same_day(first["DECOM"], open_episode["DECOM"]):
            yield Hit(
                first,
                detail=f"{_started(first)}; last year's open episode started "
                f"{_day(open_episode.date('DECOM'))}",
            )


def _differs_from_last_years_open_episode(child, context, column: str) -> Iterator[Hit]:
    """Rules 503A-503F: this year's first episode against last year's last, when that was still open."""
    episodes, last_year = dated_episodes(child), _last_years_episodes(child, context)
    if not (episodes and last_year) or not last_year[-1].is_blank("DEC"):
        return
    first, last = episodes[0], last_year[-1]
    now, then = first[column], last[column]
    replaced = context.year.end_year >= PLACEMENTS_REPLACED_FROM and now in REPLACED_PLACEMENTS.get(then, ())
    if now != then and not (column == "PLACE" and replaced):
        yield Hit(first, detail=f"{_started(first)}: {now or 'blank'}; last year {then or 'blank'}")


@check(COLLECTION, "503A", fields=("RNE",))
def reason_new_episode_differs_from_last_year(child, context):
    """Rule 503A: the first episode has the reason for new episode of last year's last episode, when that
    was still open. Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "RNE")


@check(COLLECTION, "503B", fields=("LS",))
def legal_status_differs_from_last_year(child, context):
    """Rule 503B: the first episode has the legal status of last year's last episode, when that was still
    open. Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "LS")


@check(COLLECTION, "503C", fields=("CIN",))
def category_of_need_differs_from_last_year(child, context):
    """Rule 503C: the first episode has the category of need of last year's last episode, when that was still
    open. Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "CIN")


@check(COLLECTION, "503D", fields=("PLACE",))
def placement_type_differs_from_last_year(child, context):
    """Rule 503D: the first episode has the placement type of last year's last episode, when that was still
    open; from 2025-26 an open H5 may become K3, and an open Z1 one of Z11-Z14 (the codes that replaced them
    on 1 April 2025). Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "PLACE")


@check(COLLECTION, "503E", fields=("PLACE_PROVIDER",))
def placement_provider_differs_from_last_year(child, context):
    """Rule 503E: the first episode has the placement provider of last year's last episode, when that was
    still open. Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "PLACE_PROVIDER")


@check(COLLECTION, "503F", fields=("URN",))
def urn_differs_from_last_year(child, context):
    """Rule 503F: the first episode has the Ofsted URN of last year's last episode, when that was still open.
    Needs last year's return: without it, nothing is found."""
    yield from _differs_from_last_years_open_episode(child, context, "URN")


@check(COLLECTION, "504", fields=("CIN",))
def category_of_need_changed_in_a_period(child, context):
    """Rule 504: every episode of a period of care has the category of need of the period's first episode in
    the return (an episode continues the period when the one before ended X1 on the day it starts). The
    validator compares each episode with the one before; the DfE's wording compares with the start."""
    episodes = dated_episodes(child)
    start = None
    for before, episode in zip([None, *episodes], episodes, strict=False):
        continues = (
            before is not None
            and before["REC"] == entry.CONTINUES
            and before.date("DEC") == episode.date("DECOM")
        )
        if not continues:
            start = episode
        elif episode["CIN"] != start["CIN"]:
            yield Hit(episode, detail=f"{_started(episode)}: {episode['CIN']}; at the start {start['CIN']}")


# -- adoption (511-525) -------------------------------------------------------------------------------------


@check(COLLECTION, "511", fields=("NB_ADOPTR", "SEX_ADOPTR"))
def two_adopters_not_a_couple(child, context):
    """Rule 511: where there are two adopters, their sexes are coded as a couple (MM, FF or MF). (The
    validator flags only M1 and F1; the wording allows nothing but the couple codes.)"""
    for adoption in child.rows("AD1"):
        if adoption["NB_ADOPTR"] == "2" and adoption["SEX_ADOPTR"] and adoption["SEX_ADOPTR"] not in COUPLE:
            yield Hit(adoption, detail=f"coded {adoption['SEX_ADOPTR']}")


@check(COLLECTION, "514", fields=("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"))
def single_adopter_recorded_as_a_couple(child, context):
    """Rule 514: a single adopter (L0) is not recorded as a couple: two adopters, or a couple's sexes (MM, FF,
    MF). (The validator reads only the sexes; the wording names the number of adopters.)"""
    for adoption in child.rows("AD1"):
        if adoption["LS_ADOPTR"] == SINGLE_ADOPTER_STATUS and (
            adoption["NB_ADOPTR"] == "2" or adoption["SEX_ADOPTR"] in COUPLE
        ):
            yield Hit(adoption)


def _adopters_coded(child, legal_status: str, allowed: frozenset[str]) -> Iterator[Hit]:
    """The AD1 rows whose adopters' legal status is ``legal_status`` and their sexes not one of ``allowed``."""
    for adoption in child.rows("AD1"):
        if adoption["LS_ADOPTR"] == legal_status and adoption["SEX_ADOPTR"] not in allowed:
            yield Hit(adoption, detail=f"coded {adoption['SEX_ADOPTR'] or 'blank'}")


@check(COLLECTION, "516", fields=("REC", "PLACE"))
def special_guardianship_to_carers_not_fostering(child, context):
    """Rule 516: an episode that ends with a special guardianship order to former foster carers (E45, E46) is
    a foster placement (U1-U6)."""
    for episode in child.rows("Episodes"):
        if episode["REC"] in entry.SGO_TO_FOSTER_CARERS and episode["PLACE"] not in entry.FOSTER_PLACEMENTS:
            yield Hit(episode, detail=f"{_started(episode)}, {episode['PLACE'] or 'no placement type'}")


@check(COLLECTION, "517", fields=("LS_ADOPTR", "SEX_ADOPTR"))
def mixed_sex_unmarried_couple(child, context):
    """Rule 517: adopters with legal status L3 are coded MF."""
    yield from _adopters_coded(child, "L3", MIXED_SEX_COUPLE)


@check(COLLECTION, "518", fields=("LS_ADOPTR", "SEX_ADOPTR"))
def same_sex_unmarried_couple(child, context):
    """Rule 518: adopters with legal status L4 are coded MM or FF."""
    yield from _adopters_coded(child, "L4", SAME_SEX_COUPLE)


@check(COLLECTION, "519", fields=("LS_ADOPTR", "SEX_ADOPTR"))
def civil_partners_not_a_couple(child, context):
    """Rule 519: adopters in a civil partnership (L2) are coded as a couple (MM, FF or MF)."""
    yield from _adopters_coded(child, "L2", COUPLE)


@check(COLLECTION, "520", fields=("LS_ADOPTR", "SEX_ADOPTR"))
def mixed_sex_married_couple(child, context):
    """Rule 520: adopters who are a married couple of different sexes (L11) are coded MF."""
    yield from _adopters_coded(child, "L11", MIXED_SEX_COUPLE)


@check(COLLECTION, "521", fields=("PLACE", "DECOM", "DATE_INT"))
def placed_before_adoption_decision(child, context):
    """Rule 521: the LA's decision that adoption is in the child's best interests (DATE_INT) comes on or
    before the start of every placement for adoption (A3-A6)."""
    decisions = [decided for adoption in child.rows("AD1") if (decided := adoption.date("DATE_INT"))]
    for episode in child.rows("Episodes"):
        placed = episode.date("DECOM")
        if episode["PLACE"] not in entry.PLACED_FOR_ADOPTION or placed is None:
            continue
        for decided in decisions:
            if decided > placed:
                yield Hit(episode, detail=f"placed {_day(placed)}; decision {_day(decided)}")


@check(COLLECTION, "522", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def adoption_decision_reversed_before_made(child, context):
    """Rule 522: the decision that a child should no longer be placed for adoption is on or after the
    decision that they should be."""
    for decision in child.rows("PlacedAdoption"):
        made, reversed_ = decision.date("DATE_PLACED"), decision.date("DATE_PLACED_CEASED")
        if made and reversed_ and reversed_ < made:
            yield Hit(decision, detail=f"decided {_day(made)}; reversed {_day(reversed_)}")


@check(COLLECTION, "523", fields=("DATE_PLACED", "DATE_INT"))
def placement_decision_not_best_interests_decision(child, context):
    """Rule 523: the decision that the child should be placed for adoption (DATE_PLACED) is the same day as
    the decision that adoption is in their best interests (DATE_INT)."""
    for decision in child.rows("PlacedAdoption"):
        placed = decision.date("DATE_PLACED")
        for adoption in child.rows("AD1"):
            best_interests = adoption.date("DATE_INT")
            if placed and best_interests and placed != best_interests:
                yield Hit(
                    decision, detail=f"to be placed {_day(placed)}; best interests {_day(best_interests)}"
                )


@check(COLLECTION, "524", fields=("LS_ADOPTR", "SEX_ADOPTR"))
def same_sex_married_couple(child, context):
    """Rule 524: adopters who are a married couple of the same sex (L12) are coded MM or FF."""
    yield from _adopters_coded(child, "L12", SAME_SEX_COUPLE)


@check(COLLECTION, "525", fields=("DATE_PLACED_CEASED", *AD1_ITEMS))
def adopted_after_decision_reversed(child, context):
    """Rule 525: a child whose adoption decision was reversed (DATE_PLACED_CEASED) has no adoption recorded
    (nothing in AD1's dates, carers and adopters)."""
    if not any(not decision.is_blank("DATE_PLACED_CEASED") for decision in child.rows("PlacedAdoption")):
        return
    for adoption in child.rows("AD1"):
        given = filled(adoption, AD1_ITEMS)
        if given:
            yield Hit(adoption, fields=("DATE_PLACED_CEASED", *given))


# -- placement providers (526-531) --------------------------------------------------------------------------


@check(COLLECTION, "526", fields=("PLACE", "PLACE_PROVIDER"))
def placement_provider_missing(child, context):
    """Rule 526: every episode has a placement provider, except temporary placements (T0-T4) and other
    placements (Z1 to 2024-25, Z11-Z14 from 2025-26)."""
    no_provider = entry.NO_PROVIDER & context.codes("placement_type")
    for episode in child.rows("Episodes"):
        if episode.is_blank("PLACE_PROVIDER") and episode["PLACE"] not in no_provider:
            yield Hit(episode, detail=f"{_started(episode)}, {episode['PLACE'] or 'no placement type'}")


def _provider_cannot_provide(child, provider: str) -> Iterator[Hit]:
    """Episodes whose placement type ``provider`` cannot provide (rules 527-531, as at data entry)."""
    cannot = entry.PROVIDER_CANNOT_PROVIDE[provider]
    for episode in child.rows("Episodes"):
        if episode["PLACE_PROVIDER"] == provider and episode["PLACE"] in cannot:
            yield Hit(episode, detail=f"{_started(episode)}, {episode['PLACE']}")


@check(COLLECTION, "527", fields=("PLACE", "PLACE_PROVIDER"))
def own_provision_cannot_provide(child, context):
    """Rule 527: the council's own provision (PR1) does not provide P1, R2 or R5."""
    yield from _provider_cannot_provide(child, "PR1")


@check(COLLECTION, "528", fields=("PLACE", "PLACE_PROVIDER"))
def other_la_provision_cannot_provide(child, context):
    """Rule 528: another council's provision (PR2) does not provide P1, R2 or R5."""
    yield from _provider_cannot_provide(child, "PR2")


@check(COLLECTION, "529", fields=("PLACE", "PLACE_PROVIDER"))
def other_public_provision_cannot_provide(child, context):
    """Rule 529: other public provision (PR3) does not provide P1, A3-A6, K1, K2 or U1-U6."""
    yield from _provider_cannot_provide(child, "PR3")


@check(COLLECTION, "530", fields=("PLACE", "PLACE_PROVIDER"))
def private_provision_cannot_provide(child, context):
    """Rule 530: private provision (PR4) does not provide P1."""
    yield from _provider_cannot_provide(child, "PR4")


@check(COLLECTION, "531", fields=("PLACE", "PLACE_PROVIDER"))
def voluntary_provision_cannot_provide(child, context):
    """Rule 531: voluntary provision (PR5) does not provide P1."""
    yield from _provider_cannot_provide(child, "PR5")
