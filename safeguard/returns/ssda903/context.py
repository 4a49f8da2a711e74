"""What an SSDA903 check may need beyond the child in front of it: the year, its code lists, the council's
own LA code, and the year before's return for the rules that compare with it."""

import datetime
from dataclasses import dataclass, field

from safeguard.core.reference import codes_valid_on
from safeguard.core.years import CollectionYear
from safeguard.returns.ssda903.model import LookedAfterChild, Ssda903Return


@dataclass
class Ssda903Context:
    year: CollectionYear
    la_code: str
    previous: dict[str, LookedAfterChild] = field(default_factory=dict)  # last year's return, by CHILD
    has_previous: bool = False  # whether last year's return was given (rules that need it say nothing if not)
    _codes: dict[tuple[str, datetime.date], frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, the_return: Ssda903Return) -> "Ssda903Context":
        previous = the_return.previous
        return cls(
            year=the_return.year,
            la_code=the_return.la_code,
            previous={child.la_child_id: child for child in previous.children} if previous else {},
            has_previous=previous is not None,
        )

    def codes(self, code_set: str, on: datetime.date | None = None) -> frozenset[str]:
        """The codes of ``code_set`` (reference data) valid on ``on``, by default the year's last day."""
        day = on or self.year.reference_date
        key = (code_set, day)
        if key not in self._codes:
            self._codes[key] = frozenset(codes_valid_on(code_set, day))
        return self._codes[key]
