"""Fake but well-formed identifiers: UPNs, NHS numbers, Social Work England numbers.

- UPNs carry the council's LA code in characters 2-4 (DfE UPN guidance), a fictional establishment number,
  the two-digit year the child started school and a serial, with the check letter from
  ``safeguard.people.identifiers.upn_check_letter``.
- NHS numbers are all in 999 000 000x-999 999 999x, the range NHS England reserves for testing, with a valid
  modulus-11 check digit (``nhs_check_digit``); numbers whose check digit would be 10 are skipped.
"""

import random

from safeguard.people.identifiers import nhs_check_digit, upn_check_letter


class UpnFactory:
    """UPNs unique across the run: one serial counter per establishment and year of allocation."""

    def __init__(self, la_code: str, rng: random.Random, schools_per_district: int, districts: int = 20):
        if len(la_code) != 3 or not la_code.isdigit():
            raise ValueError("A UPN needs a three-digit LA code")
        self.la_code = la_code
        # Primary schools (DfE establishment numbers 2000-3999 are primaries), a few per postcode district.
        pool = rng.sample(range(2000, 4000), min(1999, schools_per_district * districts + 200))
        self._spare = pool[schools_per_district * districts :]
        self.schools = {
            district: pool[(district - 1) * schools_per_district : district * schools_per_district]
            for district in range(1, districts + 1)
        }
        self._serial: dict[tuple[str, int], int] = {}
        self.rng = rng

    def new(self, district: int, year_started: int, *, pick: int | None = None) -> str:
        """A UPN from one of the district's schools: drawn at random, or by ``pick`` (any number), which
        leaves the random stream untouched."""
        schools = self.schools[district]
        school = self.rng.choice(schools) if pick is None else schools[pick % len(schools)]
        year = year_started % 100
        while True:
            serial = self._serial.get((school, year), 0) + 1
            if serial <= 999:
                break
            # The school's numbers for that year are used up: move the rest of its intake to a new school.
            school = self._spare.pop()
            self.schools[district].append(school)
        self._serial[(school, year)] = serial
        body = f"{self.la_code}{school:04d}{year:02d}{serial:03d}"
        return upn_check_letter(body) + body


class NhsNumberFactory:
    """Distinct test-range NHS numbers, in an order that looks random (an affine walk of the 10^6 bodies)."""

    def __init__(self, rng: random.Random):
        self._step = rng.choice([7919, 104729, 130363, 611953, 746773])  # primes, so coprime to 10^6
        self._offset = rng.randrange(1_000_000)
        self._index = 0

    def new(self) -> str:
        while True:
            if self._index >= 1_000_000:
                raise RuntimeError("The NHS test range is used up")
            body = f"999{(self._offset + self._index * self._step) % 1_000_000:06d}"
            self._index += 1
            check = nhs_check_digit(body)
            if check is not None:
                return f"{body}{check}"


def swe_numbers(rng: random.Random, count: int, taken: set[str] = frozenset()) -> list[str]:
    """``count`` distinct Social Work England registration numbers ("SW" and six digits)."""
    found: list[str] = []
    seen = set(taken)
    while len(found) < count:
        number = f"SW{rng.randrange(10_000, 1_000_000):06d}"
        if number not in seen:
            seen.add(number)
            found.append(number)
    return found
