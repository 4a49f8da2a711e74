"""The CIN census as the DfE sees it: one collection year's children, each with their CIN episodes
(``CINdetails``) and what hangs from them.

The shape and names follow the DfE's CIN census specification (DOMAIN.md §3): ``Message/Children/Child`` with
``ChildIdentifiers``, ``ChildCharacteristics`` and ``CINdetails``, and within each episode its
``Assessments``, ``CINPlanDates``, ``Section47`` and ``ChildProtectionPlans``. Each field's comment gives its
element. The same objects come from the records (``build``), from a council's file (``xml.read``), go to a
file (``xml.write``) and are validated (``checks``), so a return, its validation and an import agree on what
each fact means.

Values are kept as the census codes them: ``sex`` is the year's code (``M``/``F``/``U`` from 2024-25,
``GenderCurrent`` ``1``/``2``/``0``/``9`` before), and a yes/no is a bool or None when absent.
"""

import datetime
from dataclasses import dataclass, field

from safeguard.core.years import CollectionYear
from safeguard.returns.rules import Source

Date = datetime.date | None


@dataclass(slots=True)
class Assessment:
    start: Date  # AssessmentActualStartDate
    internal_review: Date = None  # AssessmentInternalReviewDate
    authorised: Date = None  # AssessmentAuthorisationDate
    factors: list[str] = field(default_factory=list)  # FactorsIdentifiedAtAssessment/AssessmentFactors
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact


@dataclass(slots=True)
class CinPlan:
    start: Date  # CINPlanStartDate
    end: Date = None  # CINPlanEndDate
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact


@dataclass(slots=True)
class Section47:
    start: Date  # S47ActualStartDate
    icpc_target: Date = None  # InitialCPCtarget
    icpc_date: Date = None  # DateOfInitialCPC
    icpc_not_required: bool | None = None  # ICPCnotRequired
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact


@dataclass(slots=True)
class CPPlan:
    start: Date  # CPPstartDate
    end: Date = None  # CPPendDate
    initial_category: str = ""  # InitialCategoryOfAbuse
    latest_category: str = ""  # LatestCategoryOfAbuse
    previous_plans: int | None = None  # NumberOfPreviousCPP
    reviews: list[Date] = field(default_factory=list)  # Reviews/CPPreviewDate
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact


@dataclass(slots=True)
class Episode:
    referral_date: Date  # CINreferralDate
    referral_source: str = ""  # ReferralSource
    primary_need: str = ""  # PrimaryNeedCode
    closure_date: Date = None  # CINclosureDate
    closure_reason: str = ""  # ReasonForClosure
    icpc_date: Date = None  # DateOfInitialCPC (an ICPC with no s47 in the return)
    referral_nfa: bool | None = None  # ReferralNFA
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CinPlan] = field(default_factory=list)
    s47s: list[Section47] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


@dataclass(slots=True)
class Child:
    la_child_id: str  # LAchildID
    upn: str = ""  # UPN
    former_upn: str = ""  # FormerUPN
    upn_unknown: str = ""  # UPNunknown
    birth_date: Date = None  # PersonBirthDate
    expected_birth_date: Date = None  # ExpectedPersonBirthDate
    sex: str = ""  # Sex (2024-25 on) or GenderCurrent (before)
    death_date: Date = None  # PersonDeathDate
    ethnicity: str = ""  # Ethnicity
    disabilities: list[str] = field(default_factory=list)  # Disabilities/Disability
    episodes: list[Episode] = field(default_factory=list)  # CINdetails
    source: Source | None = field(default=None, compare=False)  # where it came from; not a fact


@dataclass(slots=True)
class Header:
    year: CollectionYear
    reference_date: Date  # CollectionDetails/ReferenceDate
    lea: str  # Source/LEA: the council's three-digit code
    software_code: str = "Safeguard"
    release: str = ""
    serial_no: str = "001"
    generated_at: datetime.datetime | None = None  # Source/DateTime


@dataclass(slots=True)
class CinReturn:
    header: Header
    children: list[Child] = field(default_factory=list)

    @property
    def year(self) -> CollectionYear:
        return self.header.year
