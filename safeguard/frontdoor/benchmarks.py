"""England figures the front door dashboard compares a council with: reference data, each with its source.

From the Department for Education's "Children in need" statistics (Explore Education Statistics,
explore-education-statistics.service.gov.uk/find-statistics/children-in-need), as collected in
/work/shared/DOMAIN.md §5 ("Benchmarks (England)"). The statistical year runs 1 April to 31 March and is
named by the year it ends in ("2025" is the year to 31 March 2025). When DfE publishes a new year, add a row
here with its source; nothing else changes.

Definitions, as DfE publishes them:

- **Re-referral rate**: the share of referrals in the year that were about a child referred within the
  12 months before (CIN census: a referral within 12 months of a previous referral).
- **Referral source share**: the share of the year's referrals whose ReferralSource was that source
  (police is code 6, schools 2A).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EnglandFigure:
    value: float  # a percentage, 0-100
    year: int  # the statistical year, named by its end (2025 = April 2024 to March 2025)
    source: str

    @property
    def period(self) -> str:
        return f"England, year to March {self.year}"


# Re-referrals within 12 months of a previous referral, as a share of all referrals.
RE_REFERRAL_RATE: list[EnglandFigure] = [
    EnglandFigure(
        22.4,
        2024,
        "DfE, Children in need 2024, re-referrals (Explore Education Statistics); DOMAIN.md §5",
    ),
    EnglandFigure(
        22.6,
        2025,
        "DfE, Children in need 2025 (Explore Education Statistics), reported by Social Work Today, "
        "3 November 2025; DOMAIN.md §5",
    ),
]

# Share of referrals by ReferralSource code (CIN census). Only the two DOMAIN.md §5 records are held; other
# sources show no England comparison rather than an unsourced one.
REFERRAL_SOURCE_SHARE: dict[str, list[EnglandFigure]] = {
    "6": [  # Police
        EnglandFigure(
            28.0,
            2025,
            "DfE, Children in need 2025, reported by Social Work Today, 3 November 2025: police were the "
            "source of 28% of referrals; DOMAIN.md §5",
        ),
    ],
    "2A": [  # Schools
        EnglandFigure(
            21.0,
            2025,
            "DfE, Children in need 2025, reported by Social Work Today, 3 November 2025: schools were the "
            "source of 21% of referrals; DOMAIN.md §5",
        ),
    ],
}


def latest(figures: list[EnglandFigure]) -> EnglandFigure | None:
    return max(figures, key=lambda figure: figure.year, default=None)


def latest_re_referral_rate() -> EnglandFigure | None:
    return latest(RE_REFERRAL_RATE)


def latest_source_share(source: str) -> EnglandFigure | None:
    return latest(REFERRAL_SOURCE_SHARE.get(source, []))
