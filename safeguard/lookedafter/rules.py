"""The SSDA903 validation rules that can be checked as the data is entered.

The DfE validates the SSDA903 return once a year (rule codes and messages in DOMAIN.md §4 and
``/work/shared/reference/ssda903_rules.txt``; the logic as data-to-insight's ``csc-validator-be-903`` applies
it). Checked at entry instead, bad data is refused with a message while the worker still knows the answer,
rather than found by an analyst at year end. Each check here returns ``{field: message}`` (empty when all is
well) and names the rule it applies; the services merge the messages into their own errors.

The code *lists* are reference data (``core/data/reference_codes.csv``); what is here are the rules that
single out particular codes.
"""

import datetime
import re

# PLACE codes singled out by rules.
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})
OTHER_PLACEMENTS = frozenset({"Z1", "Z11", "Z12", "Z13", "Z14"})
FOSTER_PLACEMENTS = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
ADOPTION_WITH_CURRENT_CARERS = frozenset({"A3", "A5"})
# Legal statuses under which a child may be placed for adoption: a placement order (E1) or, before the
# Adoption and Children Act 2002, a freeing order (D1). Each needs a decision to place for adoption (553-556).
PLACEMENT_ORDER = "E1"
FREEING_ORDER = "D1"
WITH_PARENTS = "P1"

# Rule 213 (2025-26): no placement provider for temporary placements and Z11-Z14.
NO_PROVIDER = TEMPORARY_PLACEMENTS | OTHER_PLACEMENTS
# Rules 218 and 222: no Ofsted URN for these placement types; every other placement in England needs one.
NO_URN = frozenset({"P1", "P3", "R1", "R2", "R5"}) | TEMPORARY_PLACEMENTS | OTHER_PLACEMENTS
# Rule 1008 accepts this in place of a URN (a provider with none, such as one outside England).
URN_PLACEHOLDER = "XXXXXXX"
URN_PATTERN = re.compile(r"^(SC\d{6}|\d{6,7}|XXXXXXX)$")
# Rules 527-531 and 550: providers that cannot provide these placement types.
PROVIDER_CANNOT_PROVIDE = {
    "PR1": frozenset({"P1", "R2", "R5"}),  # 527
    "PR2": frozenset({"P1", "R2", "R5"}),  # 528
    "PR3": frozenset({"P1", "K1", "K2"}) | PLACED_FOR_ADOPTION | FOSTER_PLACEMENTS,  # 529
    "PR4": frozenset({"P1"}),  # 530
    "PR5": frozenset({"P1"}),  # 531
}
PARENT_PROVIDER = "PR0"  # 550: only with P1

# Minimum ages for placement types: rules 372 (custody, 10), 373 (residential school, 4) and 374
# (residential employment, 14).
PLACEMENT_MIN_AGE = {"R5": 10, "S1": 4, "P3": 14}

# LS codes singled out by rules.
CRIMINAL_LEGAL_STATUSES = frozenset({"J1", "J2", "J3"})  # 358: not for a child under 10
SECTION_20 = "V2"  # 378: not while placed with parents
SHORT_BREAKS = frozenset({"V3", "V4"})  # CPPCR 2010 reg 48; not counted towards care leaver eligibility
# Rules 361-363: the longest the law allows these legal statuses to last, as the validator counts (days).
LEGAL_STATUS_MAX_DAYS = {"L1": 3, "L2": 21, "L3": 7}

# RNE codes: a new episode whose reason is one of these begins a new placement (L is legal status only).
PLACEMENT_REASONS = frozenset({"S", "P", "T", "U", "B"})
STARTED = "S"

# REC codes singled out by rules.
CONTINUES = "X1"  # the episode ends and the next begins the same day
DIED = "E2"
ADOPTED = frozenset({"E11", "E12"})
SPECIAL_GUARDIANSHIP = frozenset({"E45", "E46", "E47", "E48"})
SGO_TO_FOSTER_CARERS = frozenset({"E45", "E46"})  # 516: the child was fostered (U1-U6)
INDEPENDENT_LIVING = frozenset({"E5", "E6"})  # 387: not under 14
ADULT_CARE = "E7"  # 389: not under 16
STAYED_WITH_CARERS = "E17"  # 460: only at 18 or over

# REASON_PLACE_CHANGE singled out by rule 234 (2025-26): not for a child under 10.
CUSTODY_MOVE = "CUSTOD"

# OC3 accommodation letters that are never suitable (rule 133 lists S2 and X2 only), and those not for a
# care leaver under 18: a foyer (rule 347) and former foster carers, which at 17 means still looked after
# (rule 3001).
ALWAYS_UNSUITABLE = frozenset({"S", "X"})
ADULTS_ONLY_ACCOMMODATION = {"T": "347", "Z": "3001"}

EARLIEST_EPISODE = datetime.date(1991, 10, 14)  # 353: the Children Act 1989 commenced
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$")


def normalise_postcode(text: str) -> str:
    """``"b1 1bb"`` as ``"B1 1BB"``: capitals, one space before the last three characters."""
    compact = "".join(text.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_temporary(place: str) -> bool:
    return place in TEMPORARY_PLACEMENTS


def check_placement(
    *,
    place: str,
    provider: str,
    urn: str,
    placement_postcode: str,
    home_postcode: str,
    age: int | None,
) -> dict[str, str]:
    """The placement rules: provider, Ofsted URN, postcodes, minimum ages."""
    errors: dict[str, str] = {}
    if place in NO_PROVIDER:
        if provider:  # 213
            errors["placement_provider"] = (
                "Leave the provider blank for a temporary placement or an ‘other’ placement (SSDA903 rule 213)"
            )
    elif not provider:  # 526
        errors["placement_provider"] = "Choose who provides the placement (SSDA903 rule 526)"
    elif provider == PARENT_PROVIDER and place != WITH_PARENTS:  # 550
        errors["placement_provider"] = (
            "‘Parent or other person with parental responsibility’ provides only a placement with parents "
            "(SSDA903 rule 550)"
        )
    elif place in PROVIDER_CANNOT_PROVIDE.get(provider, ()):  # 527-531
        rule = {"PR1": "527", "PR2": "528", "PR3": "529", "PR4": "530", "PR5": "531"}[provider]
        errors["placement_provider"] = (
            f"This provider cannot provide this type of placement (SSDA903 rule {rule})"
        )
    if place in NO_URN:
        if urn and urn != URN_PLACEHOLDER:  # 222
            errors["urn"] = "Leave the Ofsted URN blank for this type of placement (SSDA903 rule 222)"
    elif not urn:  # 218
        errors["urn"] = (
            f"Enter the provider's Ofsted URN, or {URN_PLACEHOLDER} if it has none, for example outside "
            "England (SSDA903 rule 218)"
        )
    elif not URN_PATTERN.match(urn):  # 1008
        errors["urn"] = (
            f"Enter an Ofsted URN like SC123456 or 1234567, or {URN_PLACEHOLDER} (SSDA903 rule 1008)"
        )
    for field, postcode in (("placement_postcode", placement_postcode), ("home_postcode", home_postcode)):
        if postcode and not POSTCODE.match(postcode):  # 392c
            errors[field] = "Enter a full postcode, like B1 1BB (SSDA903 rule 392c)"
    if (
        placement_postcode
        and placement_postcode == home_postcode
        and place != WITH_PARENTS
        and "placement_postcode" not in errors
    ):  # 392d
        errors["placement_postcode"] = (
            "The placement's postcode is the child's home postcode: that is only so when they are placed "
            "with parents (SSDA903 rule 392d)"
        )
    minimum = PLACEMENT_MIN_AGE.get(place)
    if minimum is not None and age is not None and age < minimum:
        rule = {"R5": "372", "S1": "373", "P3": "374"}[place]
        errors["placement_type"] = f"A child under {minimum} cannot have this placement (SSDA903 rule {rule})"
    return errors


def check_legal_status(*, legal_status: str, place: str, age: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if legal_status in CRIMINAL_LEGAL_STATUSES and age is not None and age < 10:  # 358
        errors["legal_status"] = "A child under 10 cannot have this legal status (SSDA903 rule 358)"
    elif legal_status == SECTION_20 and place == WITH_PARENTS:  # 378
        errors["legal_status"] = (
            "A child placed with parents cannot be accommodated under section 20 (SSDA903 rule 378)"
        )
    return errors


def legal_status_overrun(legal_status: str, began: datetime.date, ends: datetime.date) -> str | None:
    """Police protection, an emergency protection order or a child assessment order kept longer than the
    law allows (rules 361-363): the message, or None."""
    limit = LEGAL_STATUS_MAX_DAYS.get(legal_status)
    if limit is None or (ends - began).days <= limit:
        return None
    rule = {"L1": "361", "L2": "362", "L3": "363"}[legal_status]
    return (
        f"The legal status since {began:%-d %B %Y} cannot last beyond {limit} days: check the dates "
        f"(SSDA903 rule {rule})"
    )


def check_ending(*, reason: str, age: int | None, last_place: str) -> dict[str, str]:
    """Rules on the reason a child ceased to be looked after, against their age and last placement."""
    message = None
    if age is not None:
        if age >= 18 and reason in ADOPTED:
            message = "A young person of 18 or over cannot be adopted from care (SSDA903 rule 386)"
        elif age >= 18 and reason in SPECIAL_GUARDIANSHIP:
            message = "A special guardianship order is not made for a young person of 18 (SSDA903 rule 407)"
        elif age < 18 and reason == STAYED_WITH_CARERS:
            message = "Staying with carers at 18 is for a young person of 18 or over (SSDA903 rule 460)"
        elif age < 14 and reason in INDEPENDENT_LIVING:
            message = "A child under 14 cannot move to independent living (SSDA903 rule 387)"
        elif age < 16 and reason == ADULT_CARE:
            message = "A child under 16 cannot move to adult social care (SSDA903 rule 389)"
    if message is None:
        if reason in ADOPTED and last_place not in PLACED_FOR_ADOPTION:
            message = "The child was not placed for adoption (A3 to A6): record that placement first (SSDA903 rule 390)"
        elif reason in SGO_TO_FOSTER_CARERS and last_place not in FOSTER_PLACEMENTS:
            message = "The child was not in a foster placement (U1 to U6) (SSDA903 rule 516)"
        elif is_temporary(last_place):
            message = "A period of care cannot end in a temporary placement (SSDA903 rule 381)"
    return {"reason": message} if message else {}


def reason_for_new_episode(
    *, placement_changed: bool, legal_status_changed: bool, same_carers: bool, place: str
) -> str:
    """The RNE of a continuation episode (DfE SSDA903 guide: reason for new episode):

    - L: the legal status changed, the placement did not;
    - P: the placement changed, with new carers; T: the placement changed, with the same carers;
    - B: the legal status and the placement changed, with new carers; U: both changed, with the same carers.

    The rules fix the pairs: a change of placement alone is P or T (rule 435), of both is B or U (rule 436),
    and a placement for adoption with the current foster carers (A3, A5) is with the same carers, so T or U
    (rule 217)."""
    if not placement_changed:
        return "L"
    if same_carers or place in ADOPTION_WITH_CURRENT_CARERS:
        return "U" if legal_status_changed else "T"
    return "B" if legal_status_changed else "P"
