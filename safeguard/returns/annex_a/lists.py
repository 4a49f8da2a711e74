"""The eleven Annex A lists: each one's sheet, columns (Ofsted's own headers) and population window.

Ofsted asks for these lists at the start of an inspection of local authority children's services (ILACS,
"Inspecting local authority children's services", framework updated 13 December 2024, Annex A; DOMAIN.md §2).
The column headers are Ofsted's, as the sector's tools quote them: Social Finance's liia-tools
(``liiatools/spec/annex_a/la-agg.yml``, which adds an ``LA`` column of its own that Ofsted's lists do not
have) and Data to Insight's Standard Safeguarding Dataset (``AnnexA_sqlserver`` queries), which also gives
the UASC and personal adviser columns of lists 8 and 9 and the pathway plan and latest contact dates of list
9. Coded answers are written as Ofsted's template offers them ("a) Yes", "b) Female"), and statutory codes as
the code and its label ("N1: Abuse or neglect"), so that an inspector reads them without a code book.

Windows are calendar periods counted back from the date chosen ("as of"): "the six months before" starts on
the same day six calendar months earlier, clamped to the month's end (31 August back to 28 February), and
includes it. No Annex A window counts working days. What happened after the date had not happened on it: a
closure, authorisation or conference after the date is left out, as the CIN census leaves out what happened
after 31 March.
"""

import datetime
from dataclasses import dataclass

from safeguard.core.calendar import add_calendar_months
from safeguard.core.reference import label

TEXT, DATE, NUMBER = "text", "date", "number"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


def _columns(*specs) -> tuple[Column, ...]:
    return tuple(spec if isinstance(spec, Column) else Column(spec) for spec in specs)


CHILD = _columns(
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    Column("Date of Birth", DATE),
    Column("Age of Child (Years)", NUMBER),
)
DISABILITY = Column("Does the Child have a Disability")
ALLOCATED = _columns("Allocated Team", "Allocated Worker")
UASC = Column("UASC")


class AnnexList:
    """One list: its number, sheet name, title, columns and window (in plain words, for the page)."""

    number: int
    title: str
    window: str
    columns: tuple[Column, ...]
    held: str = ""  # what Safeguard does not hold for this list, said on the page and in the docs

    @classmethod
    def sheet(cls) -> str:
        return f"List {cls.number}"

    @classmethod
    def headers(cls) -> list[str]:
        return [column.header for column in cls.columns]


def six_months_before(as_of: datetime.date) -> datetime.date:
    """The first day of "the six months before" ``as_of`` (inclusive): 30 June 2026 gives 30 December 2025,
    31 August gives 28 (or 29) February."""
    return add_calendar_months(as_of, -6)


def twelve_months_before(as_of: datetime.date) -> datetime.date:
    return add_calendar_months(as_of, -12)


class List1(AnnexList):
    """List 1, contacts: every contact received in the six months before the date; a contact about several
    children is a row for each (Ofsted Annex A list 1; liia-tools la-agg.yml "List 1"). The source is the CIN
    census ReferralSource code the front door recorded. A contact recorded in error is not a contact."""

    number = 1
    title = "Contacts"
    window = "Contacts received in the six months to the date, a row for each child in each contact."
    columns = CHILD + _columns(Column("Date of Contact", DATE), "Contact Source")


class List2(AnnexList):
    """List 2, early help: early help assessments in the six months before the date, and current early help
    (Ofsted Annex A list 2; liia-tools la-agg.yml "List 2").

    Safeguard holds early help only as a front door outcome: a contact whose threshold decision routed it to
    early help. It holds no early help assessment, its completion or the organisation that completed it. So
    the list has a row for each contact routed to early help in the six months, with the decision's date as
    the start; the completion date and the organisation are left empty."""

    number = 2
    title = "Early help"
    window = "Contacts the front door routed to early help in the six months to the date."
    held = (
        "Safeguard records early help only as a front door decision, so each row is a contact routed to early "
        "help, dated by the decision; the assessment's completion date and the organisation that completed it "
        "are not held and are left empty."
    )
    columns = CHILD + _columns(
        Column("Assessment start date", DATE),
        Column("Assessment completion date", DATE),
        "Organisation completing assessment",
    )


class List3(AnnexList):
    """List 3, referrals: every referral received in the six months before the date, a row for each (Ofsted
    Annex A list 3; liia-tools la-agg.yml "List 3"). A referral is the start of a CIN census episode
    (CINreferralDate, ReferralSource, ReferralNFA). The number of referrals in the last 12 months counts the
    child's referrals in the 12 months before this one, not this one. Team and worker are the child's
    allocated social worker on the date."""

    number = 3
    title = "Referrals"
    window = "Referrals received in the six months to the date."
    columns = CHILD + _columns(
        Column("Date of referral", DATE),
        "Referral Source",
        "Referral NFA?",
        Column("Number of Referrals in Last 12 Months", NUMBER),
        *ALLOCATED,
    )


class List4(AnnexList):
    """List 4, assessments: every single (continuous) assessment under way at some time in the six months
    before the date: started by the date and not authorised before the six months began (Ofsted Annex A list
    4; liia-tools la-agg.yml "List 4"; the window as D2I's AnnexA query reads it). Withdrawn assessments are
    not assessments. "Requiring children's social care support" is Yes when the authorised assessment's
    outcome is a child in need plan, a section 47 enquiry or care, No for no further action or early help."""

    number = 4
    title = "Assessments"
    window = "Assessments under way at some time in the six months to the date (started by it, not authorised before the six months)."
    columns = CHILD + _columns(
        DISABILITY,
        Column("Continuous Assessment Start Date", DATE),
        "Child Seen During Continuous Assessment",
        Column("Continuous Assessment Date of Authorisation", DATE),
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    )


class List5(AnnexList):
    """List 5, section 47 enquiries and initial conferences: each enquiry going on at some time in the six
    months before the date, including those still open (Ofsted Annex A list 5; liia-tools la-agg.yml "List
    5"). The counts of enquiries and initial conferences in the last 12 months are the child's in the 12
    months before this enquiry started, not counting it (D2I's AnnexA query)."""

    number = 5
    title = "Section 47 enquiries"
    window = "Section 47 enquiries going on at some time in the six months to the date, open ones included."
    columns = CHILD + _columns(
        DISABILITY,
        Column("Strategy discussion initiating Section 47 Enquiry Start Date", DATE),
        "Was an Initial Child Protection Conference deemed unnecessary?",
        Column("Date of Initial Child Protection Conference", DATE),
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        Column("Number of Section 47 Enquiries in the last 12 months", NUMBER),
        Column("Number of ICPCs in the last 12 months", NUMBER),
        *ALLOCATED,
    )


class List6(AnnexList):
    """List 6, children in need: each child with a child in need episode open on the date or at some time in
    the six months before it, one row a child (their latest such episode); not children who were only the
    subject of a referral (closed with no further action on referral) (Ofsted Annex A list 6; liia-tools
    la-agg.yml "List 6"). Case status is the first that holds on the date: closed, looked after, on a child
    protection plan, on a child in need plan, in assessment; an open episode with none of these is "child in
    need plan", as D2I's AnnexA query reads it. The date last seen is the last visit in which the child was
    seen during the episode."""

    number = 6
    title = "Children in need"
    window = (
        "Children in need on the date, or at some time in the six months before it (not those only referred)."
    )
    columns = CHILD + _columns(
        DISABILITY,
        Column("CIN Start Date", DATE),
        "Primary Need Code",
        Column("Date Child Was Last Seen", DATE),
        Column("CIN Closure Date", DATE),
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    )


class List7(AnnexList):
    """List 7, child protection: each child on a child protection plan on the date, or whose plan ended in the
    six months before it, one row a child (their latest plan) (Ofsted Annex A list 7; liia-tools la-agg.yml
    "List 7"). The latest category of abuse is the one set at the latest conference held by the date. The
    last statutory visit is the last in which the child was seen while on the plan. "Emergency protection
    order or police protection in the last six months" reads the child's looked-after legal statuses L1
    (police protection) and L2 (EPO); police protection of a child who was never accommodated is not held.
    Previous plans are the child's plans that started before this one."""

    number = 7
    title = "Child protection"
    window = (
        "Children on a child protection plan on the date, or whose plan ended in the six months before it."
    )
    columns = CHILD + _columns(
        DISABILITY,
        Column("Child Protection Plan Start Date", DATE),
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        Column("Date of the Last Statutory Visit", DATE),
        "Was the Child Seen Alone?",
        Column("Date of latest review conference", DATE),
        Column("Child Protection Plan End Date", DATE),
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        Column("Number of Previous Child Protection Plans", NUMBER),
        *ALLOCATED,
    )


class List8(AnnexList):
    """List 8, children in care: each child looked after on the date, or who ceased to be in the six months
    before it, one row a child (their latest period of care); short breaks alone (V3, V4) are not counted
    (Ofsted Annex A list 8; liia-tools la-agg.yml "List 8"; UASC from D2I's AnnexA query). Placements are
    counted as regulation 28 counts them (``lookedafter.models.placements_of``): a change of legal status or
    a temporary move is not a new placement.

    Not held, so left empty: the permanence plan (Safeguard records no permanence plan yet), the last IRO
    visit or contact (an IRO's contact with the child outside reviews is not recorded), and the placement's
    location and local authority (they need a postcode directory, as the SSDA903 distance rules do)."""

    number = 8
    title = "Children in care"
    window = "Children looked after on the date, or who ceased to be in the six months before it."
    held = (
        "Not held, so left empty: the permanence plan, the last IRO visit or contact, and whether the "
        "placement is inside the council's area and which council's (those need a postcode directory)."
    )
    columns = CHILD + _columns(
        UASC,
        DISABILITY,
        Column("Date Started to be Looked After", DATE),
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        Column("Start date of current legal status", DATE),
        "Child's Legal Status",
        Column("Date of Latest Statutory Review", DATE),
        Column("Date of Last Social Work Visit", DATE),
        "What is the permanence plan for this child?",
        Column("Date of Last IRO Visit / Contact to the Child", DATE),
        Column("Date of Last Health Assessment", DATE),
        Column("Date of Last Dental Check", DATE),
        Column("Number of Placements in the Last 12 months", NUMBER),
        Column("Date Ceased to be Looked After", DATE),
        "Reason Ceased to be Looked After",
        Column("Start Date of Most Recent Placement", DATE),
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        Column(
            "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
            NUMBER,
        ),
        Column(
            "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
            NUMBER,
        ),
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *ALLOCATED,
    )


class List9(AnnexList):
    """List 9, care leavers: every young person owed leaving care duties on the date (relevant, former
    relevant, qualifying and eligible) (Ofsted Annex A list 9; liia-tools la-agg.yml "List 9"; the UASC,
    personal adviser, pathway plan and latest contact columns from D2I's AnnexA query). In touch,
    accommodation and activity are those last recorded by the date (SSDA903 OC3 codes). The eligibility is
    the one recorded now: Safeguard keeps the date it began, not the one before."""

    number = 9
    title = "Care leavers"
    window = "Young people owed leaving care duties on the date."
    columns = CHILD + _columns(
        UASC,
        DISABILITY,
        *ALLOCATED,
        "Allocated Personal Adviser",
        "Eligibility Category",
        Column("Date of Latest Pathway Plan", DATE),
        "LA in Touch",
        Column("Latest Date of Contact", DATE),
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    )


class List10(AnnexList):
    """List 10, adoption: children who in the 12 months before the date were adopted, had a decision that
    they should be placed for adoption not yet carried out, or had that decision reversed (Ofsted Annex A
    list 10; liia-tools la-agg.yml "List 10"; D2I's AnnexA query for the window).

    A child is on the list for a period of care with an adoption decision (``lookedafter.Adoption``), a
    placement order (legal status E1) or a placement for adoption (A3-A6) by the date, the period open on the
    date or ceased in the 12 months before it; a decision reversed before those 12 months, with none since,
    takes them off. The decision, matching and reversal (RD1-RD4) dates are the adoption record's; the
    placement order is the first E1 episode's start, the date placed the first A3-A6 placement's (else the
    record's), the adoption order the day the period ceased E11 or E12 (else the record's), and the
    fostering for adoption or concurrent planning date the record's, else the first U2 or U5 placement's.
    The adoptive family's identifier is left empty: Safeguard holds no adopter records (list 11)."""

    number = 10
    title = "Adoption"
    window = (
        "Children with an adoption decision, placement order or placement for adoption: in care on the date, "
        "or adopted, leaving care or with the decision reversed in the 12 months before it."
    )
    held = (
        "The adoptive family's identifier is left empty: Safeguard holds no adopter records. Dates come from "
        "the child's adoption record and time in care (placement order E1, placed A3 to A6, adopted E11 or "
        "E12, fostering for adoption U2 or U5)."
    )
    columns = _columns(
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        Column("Date of Birth", DATE),
        Column("Age of Child (Years)", NUMBER),
        DISABILITY,
        Column("Date the Child Entered Care", DATE),
        Column("Date of Decision that Child Should be Placed for Adoption", DATE),
        Column("Date of Placement Order", DATE),
        Column("Date of Matching Child and Prospective Adopters", DATE),
        Column("Date Placed for Adoption", DATE),
        Column("Date of Adoption Order", DATE),
        Column("Date of Decision that Child Should No Longer be Placed for Adoption", DATE),
        "Reason Why Child No Longer Placed for Adoption",
        Column("Date the child was placed for fostering in FFA or concurrent planning placement", DATE),
    )


class List11(AnnexList):
    """List 11, adopters: everyone who had contact with the council's adoption agency in the 12 months
    before the date (Ofsted Annex A list 11; liia-tools la-agg.yml "List 11"). Safeguard holds no adopter
    records (prospective adopters are assessed by the regional adoption agency), so the sheet has its headers
    and no rows."""

    number = 11
    title = "Adopters"
    window = "Adopters in contact with the adoption agency in the 12 months to the date."
    held = "Safeguard holds no adopter records, so this sheet has its headers and no rows."
    columns = _columns(
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        Column("Date enquiry received", DATE),
        Column("Date Stage 1 started", DATE),
        Column("Date Stage 1 ended", DATE),
        Column("Date Stage 2 started", DATE),
        Column("Date Stage 2 ended", DATE),
        Column("Date application submitted", DATE),
        Column("Date application approved", DATE),
        Column("Date adopter matched with child(ren)", DATE),
        Column("Date child/children placed with adopter(s)", DATE),
        Column("No. of children placed", NUMBER),
        Column("Date of Adoption Order", DATE),
        Column("Date of leaving adoption process", DATE),
        "Reason for leaving adoption process",
    )


LISTS: tuple[type[AnnexList], ...] = (
    List1,
    List2,
    List3,
    List4,
    List5,
    List6,
    List7,
    List8,
    List9,
    List10,
    List11,
)
BY_NUMBER = {annex_list.number: annex_list for annex_list in LISTS}


# -- how coded answers are written --------------------------------------------------------------------------
# Ofsted's template offers lettered answers, as D2I's AnnexA query writes them.

YES, NO = "a) Yes", "b) No"
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}  # "d) Neither": not recorded
# The DfE's 20 ethnicity codes in Ofsted's order (a to t); "u) UNKNOWN" is not used: blank is not recorded.
ETHNICITY_ORDER = [
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
]
ETHNICITY = {code: f"{chr(ord('a') + index)}) {code}" for index, code in enumerate(ETHNICITY_ORDER)}
SOURCE_ORDER = [
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
    "9",
    "10",
]
_SOURCE_LETTERS = [*"abcdefghijklmnop", "p1", *"qrstu"]
_SOURCE_GROUP = {
    "1": "Individual",
    "2": "Schools",
    "3": "Health services",
    "4": "Housing",
    "5": "LA services",
}
ABUSE = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
}
ABUSE["MUL"] = "e) Multiple/not recommended"
CASE_STATUS = {
    "looked_after": "a) Looked after child",
    "cp_plan": "b) Child Protection plan",
    "cin_plan": "c) Child in need plan",
    "assessment": "d) Open assessment",
    "closed": "e) Closed episode",
}
ELIGIBILITY = {
    "relevant": "a) Relevant child",
    "former_relevant": "b) Former relevant child",
    "qualifying": "c) Qualifying care leaver",
    "eligible": "d) Eligible child",
}
IN_TOUCH = {
    "YES": "a) Yes",
    "NO": "b) No",
    "DIED": "c) Died",
    "REFU": "d) Refu",
    "NREQ": "e) NREQ",
    "RHOM": "f) Rhom",
}
SUITABLE, UNSUITABLE = "a) Suitable", "b) Unsuitable"


def yes_no(value: bool | None) -> str:
    return "" if value is None else YES if value else NO


def source(code: str) -> str:
    """A contact or referral source as Ofsted's list offers it: "q) 6: Police", "a) 1A: Individual"."""
    if code not in SOURCE_ORDER:
        return code
    letter = _SOURCE_LETTERS[SOURCE_ORDER.index(code)]
    group = _SOURCE_GROUP.get(code[0]) if code not in ("10",) else None
    return f"{letter}) {code}: {group or label('referral_source', code)}"


def coded(code_set: str, code: str) -> str:
    """A statutory code with its label from the reference data: "N1: Abuse or neglect"; blank stays blank."""
    return f"{code}: {label(code_set, code)}" if code else ""
