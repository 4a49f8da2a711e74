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


def per_10k(rate: float, children: int) -> int:
    """How many of ``children`` a rate per 10,000 gives, rounded to a whole child."""
    return round(rate * children / 10_000)
