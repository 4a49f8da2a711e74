"""National rates the synthetic local authority is generated at (DOMAIN.md §5), in one place.

Rates are per 10,000 children under 18 at any one time unless the name says otherwise. England's under-18
population is about 12 million (399,460 children in need at 31 March 2024 is 332.9 per 10,000).

Sources:
- Children in need: DfE "Children in need", reporting year 2024 (399,460; 332.9 per 10,000). The CIN count
  includes children on a child protection plan and children looked after.
- Child protection plans: about 50,000 at 31 March 2025 (Community Care; Social Work Today), over 12 million
  children: about 42 per 10,000.
- Children looked after: DfE "Children looked after in England including adoptions", 2025: 81,770, 67 per
  10,000.
- Assessments: 648,830 completed in 2024-25 with a median of 33 days, so about 648,830 x 33 / 365 = 58,700
  open on any day: about 49 per 10,000 (the synthetic city uses 45, as some run in parallel with a plan).
- Workforce: DfE "Children's social work workforce", 30 September 2023: caseload 16.0 per case-holding
  social worker; vacancy rate 18.9%; agency rate 17.8%; turnover 15.9%.
- The disabled-children share and the care-leavers (16+) share are [S] local practice figures: disabled
  children's teams hold roughly 5-8% of open cases; about a quarter of children looked after are 16 or 17.
"""

CHILDREN_IN_NEED = 332.9
CHILD_PROTECTION = 42.0
LOOKED_AFTER = 67.0
OPEN_ASSESSMENT = 45.0
DISABLED_CHILDREN_TEAM = 20.0
# What is left of the children in need: children with a child in need plan.
CHILD_IN_NEED_PLAN = (
    CHILDREN_IN_NEED - CHILD_PROTECTION - LOOKED_AFTER - OPEN_ASSESSMENT - DISABLED_CHILDREN_TEAM
)

CASELOAD = 16.0
VACANCY_RATE = 0.189
AGENCY_RATE = 0.178
# Open cases with no allocated worker on the day (the unallocated queue): 3-5% in a council under pressure.
UNALLOCATED_SHARE = 0.04
# One area of the synthetic city is struggling, as the council in our story was (a tenth of posts empty,
# hundreds of children waiting): a quarter of the social workers its demand needs are missing (their posts
# vacant, most of them for the last nine months), and 15% of its open cases wait unallocated. [S] chosen so
# that the demo's oversight pages show a backlog beside areas at the national rates.
STRUGGLING_STAFF_SHORTFALL = 0.25
STRUGGLING_UNALLOCATED_SHARE = 0.15
STRUGGLING_VACANCY_MONTHS = 9
# Of children looked after, the share aged 16-17 (worked by the 16+ / care leavers team).
LOOKED_AFTER_16_PLUS = 0.25

# Demography.
UNBORN_SHARE = 0.003  # expected births a service is already working with or knows of
DISABILITY_SHARE = 0.05
NHS_NUMBER_SHARE = 0.97
HALF_SIBLING_SHARE = 0.15  # of sibling groups
LONE_PARENT_SHARE = 0.25
MOVE_RATE_PER_YEAR = 0.09  # families with children who moved home in a year
CHILD_DEATHS_PER_10K_PER_YEAR = 1.5  # "a handful": deaths recorded against children the service knows


# The front door (DOMAIN.md §5; issue 3). England had 621,880 referrals in the year to March 2024 (about 518
# per 10,000 children a year); a large city's front door takes about 60,000 contacts a year at 274,000
# children, of which about 35% become referrals. 22.4% of referrals are re-referrals within 12 months of a
# previous one (2024). Police made 28% and schools 21% of referrals (2025).
CONTACTS_PER_CHILD_PER_YEAR = 60_000 / 274_000
CONTACT_REFERRAL_SHARE = 0.35
RE_REFERRAL_RATE = 0.224
# Of contacts, the share decided at child protection level (a strategy discussion): a few per cent.
STRATEGY_DISCUSSION_SHARE = 0.05
# Decided by the end of the next working day (Working Together 2023 ch.3): most, not all.
DECIDED_ON_TIME_SHARE = 0.90
# ReferralSource codes (CIN census) and their share of contacts, in per cent: police 28 and schools 21 as
# in England; health 15; the rest [S] in proportion to the national referral sources. A code not valid on
# the day (5D before 2022-04-01) is left out and the others share its weight.
CONTACT_SOURCES = {
    "6": 28.0,  # police
    "2A": 21.0,  # schools
    "2B": 2.0,  # education services
    "3A": 3.0,  # GP
    "3B": 3.0,  # health visitor
    "3C": 1.0,  # school nurse
    "3D": 1.0,  # other primary health
    "3E": 4.0,  # A&E
    "3F": 3.0,  # other health
    "5A": 7.0,  # LA social care
    "5B": 2.0,  # LA other internal
    "5C": 2.0,  # LA external
    "5D": 4.0,  # LA early help (from 2022-04-01)
    "1A": 6.0,  # family member
    "1B": 1.5,  # acquaintance
    "1C": 1.0,  # self
    "1D": 1.0,  # individual, other
    "4": 1.5,  # housing
    "7": 3.0,  # other legal agency
    "8": 3.0,  # other
    "9": 1.5,  # anonymous
    "10": 0.5,  # unknown
}


# Casework (the ``casework`` step): what follows a referral. The shares marked [S] are secondary or local
# practice figures, to re-verify against the DfE "Children in need" release before being relied on.
# Of 648,830 assessments completed in 2024-25, about 85.7% took at most 45 working days (DOMAIN.md §5). The
# step draws 86%; keeping a child's episodes apart only ever shortens an assessment, so about 87% result.
ASSESSMENT_WITHIN_45_WD = 0.86
# Referrals closed with no further action at the referral stage (CIN census ReferralNFA): [S] about 1 in 12.
REFERRAL_NFA_SHARE = 0.08
# What an assessment concludes, in per cent, where it was not already a child protection referral [S]: most
# close (no further action or early help), about a fifth go on to a child in need plan, a few to section 47.
ASSESSMENT_OUTCOMES = {"nfa": 44.0, "early_help": 25.0, "cin_plan": 23.0, "s47": 8.0}
# Strategy discussions that start a section 47 enquiry [S]; enquiries that lead to an initial conference
# (DOMAIN.md §5: 225,400 enquiries in 2022-23, against about 80,000 initial conferences [S]); conferences
# that decide on a plan [S]; conferences held within 15 working days of the strategy discussion [S].
STRATEGY_TO_S47 = 0.8
S47_TO_ICPC = 0.35
ICPC_TO_PLAN = 0.87
ICPC_WITHIN_15_WD = 0.78
# Review conferences held in time [S], and children who become the subject of a second or later plan [S]
# (about a quarter nationally).
CP_REVIEWS_ON_TIME = 0.9
SECOND_CP_PLAN_SHARE = 0.24
# How long ended plans ran, by the review conference that ended them [S]: before the first review (about
# 5%), at the first (3 months), second (9), third (15), fourth (21) or a later one (over 2 years).
CP_PLAN_ENDED_AT_REVIEW = {0: 5.0, 1: 20.0, 2: 44.0, 3: 21.0, 4: 7.0, 5: 3.0}
# Local practice figures [S]: child protection visits and the first core group in time; child in need plan
# reviews in time; a visit at which the child is seen.
CP_VISITS_ON_TIME = 0.88
CORE_GROUP_FIRST_ON_TIME = 0.85
CIN_PLAN_REVIEWS_ON_TIME = 0.85
CHILD_SEEN_AT_VISIT = 0.95


# Children looked after and care leavers (the ``lookedafter`` step). About 31,000 children ceased to be looked
# after in England in the year to 31 March 2025 (DfE "Children looked after in England including adoptions"
# 2025 [S]), over 12 million children: about 26 per 10,000 a year. Timeliness shares are [S] local performance
# figures, to re-verify: about 9 in 10 reviews and visits in time, initial health assessments often late
# (about 3 in 4 in time), 9 in 10 children looked after for a year had their annual health assessment and 8 in
# 10 a dental check (2025 OC2 [S]); about 1 in 10 children looked after went missing in the year [S].
LAC_CEASED_PER_10K_PER_YEAR = 26.0
LAC_PLANS_ON_TIME = 0.85
LAC_REVIEWS_ON_TIME = 0.9
LAC_VISITS_ON_TIME = 0.9
HEALTH_INITIAL_ON_TIME = 0.75
HEALTH_REVIEWS_ON_TIME = 0.88
DENTAL_CHECK_SHARE = 0.8
PEP_ON_TIME = 0.85
# Per year in care from 11: the chance of any missing episode (1 to 6 of them) [S].
LAC_MISSING_SHARE = 0.12
RETURN_INTERVIEW_IN_TIME = 0.75  # offered within 72 hours; most of the rest later, 5% never [S]
NEEDS_ASSESSMENT_ON_TIME = 0.8
PATHWAY_REVIEWS_ON_TIME = 0.85
PA_VISITS_ON_TIME = 0.88


def per_10k(rate: float, children: int) -> int:
    """How many of ``children`` a rate per 10,000 gives, rounded to a whole child."""
    return round(rate * children / 10_000)
