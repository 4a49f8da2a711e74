"""Step ``population``: the city's children, in households with their parents and carers, with addresses.

``--children`` children aged 0-17 (dates of birth spread evenly over 18 years), plus about 0.3% unborn
children (an expected date of birth, recorded as "Unborn" with the family's surname, in the household and
at its address from when the pregnancy became known). Each household has
one or two resident adults (a quarter are lone-parent households) and one to five children; about 15% of
sibling groups have half-siblings: the older children's other parent lives elsewhere and the resident
partner is their step-parent. Relationships are stored once each: parent to child (with parental
responsibility), step-parent to step-child, partner to partner, and older to younger sibling or
half-sibling. Families that moved in the last ``--years`` have their previous address ended the day before
the move.

Children carry the identifiers the returns need: a local child ID, a UPN (with the LA code) from the
September after their fourth birthday, when they start school, or ``UN1`` before it; an NHS number in the
test range for about 97%; sex; ethnicity; and disabilities for about 5% (``NONE`` recorded for the rest);
a handful have died.

Rows are numbered here (``SynthContext.next_ids``) so families are written in one pass, batch by batch,
without reading ids back; only the compact ``ctx.population`` arrays are kept for later steps.
"""

import datetime
from functools import cache

from safeguard.people.models import (
    Address,
    Child,
    ChildDisability,
    Household,
    HouseholdMembership,
    Person,
    PersonAddress,
    PersonKind,
    Relationship,
    RelationshipType,
    name_key,
)
from safeguard.synth import rates
from safeguard.synth.context import Population, SynthContext
from safeguard.synth.geography import AREAS, AddressBook, pick_area
from safeguard.synth.ids import NhsNumberFactory, UpnFactory
from safeguard.synth.names import Tradition, first_name, middle_name, pick_ethnicity, pick_traditions

CHILDREN_PER_HOUSEHOLD = (1, 2, 3, 4, 5)
CHILDREN_PER_HOUSEHOLD_WEIGHTS = (43, 37, 13, 5, 2)
MEAN_CHILDREN_PER_HOUSEHOLD = sum(
    k * w for k, w in zip(CHILDREN_PER_HOUSEHOLD, CHILDREN_PER_HOUSEHOLD_WEIGHTS, strict=True)
) / sum(CHILDREN_PER_HOUSEHOLD_WEIGHTS)
NO_DISABILITY = "NONE"  # CIN census Disability code (reference data ``disability``)
# Disability codes (CIN census) with rough relative frequencies among disabled children known to services.
DISABILITY_WEIGHTS = {
    "AUT": 25,
    "LD": 20,
    "COMM": 15,
    "BEH": 12,
    "MOB": 8,
    "HEAR": 5,
    "VIS": 5,
    "PC": 4,
    "HAND": 2,
    "INC": 2,
    "CON": 1,
    "DDA": 1,
}
YEAR = 365.25
AREA_INDEX = {spec.code: index for index, spec in enumerate(AREAS)}

_key = cache(name_key)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def school_start_year(born: datetime.date) -> int:
    """The year a child starts reception: the September after their fourth birthday."""
    return born.year + 4 if born.month < 9 else born.year + 5


class _Family:
    """Builds one household's rows and hands them to the writer. Plain ints (ordinals, ids) throughout."""

    def __init__(self, ctx: SynthContext, state: dict, out):
        self.ctx = ctx
        self.rng = ctx.rng
        self.state = state
        self.out = out

    # -- ids ------------------------------------------------------------------------------------------
    def _next(self, name: str) -> int:
        value = self.state[name]
        self.state[name] = value + 1
        return value

    # -- people ---------------------------------------------------------------------------------------
    def person(self, *, kind, first, last, sex, ethnicity, born, tradition=None, nhs="", died=None) -> int:
        pk = self._next("person")
        middle = middle_name(self.rng, tradition, sex, first) if tradition else ""
        # What ``Person.set_name_keys`` would set: rows written in bulk bypass ``save``.
        self.out.row(
            Person,
            id=pk,
            kind=kind,
            first_name=first,
            middle_names=middle,
            last_name=last,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
            nhs_number=nhs,
            date_of_death=died,
            first_name_key=_key(first),
            last_name_key=_key(last),
        )
        return pk

    def relate(self, from_id, to_id, kind, start, *, responsibility=False, notes="") -> None:
        self.out.row(
            Relationship,
            from_person_id=from_id,
            to_person_id=to_id,
            relationship_type=kind,
            has_parental_responsibility=responsibility,
            start_date=start,
            notes=notes,
        )

    def address(self, area_code: str) -> tuple[int, int]:
        line_1, line_2, town, postcode = self.state["book"].new_address(area_code)
        pk = self._next("address")
        self.out.row(Address, id=pk, line_1=line_1, line_2=line_2, town=town, postcode=postcode)
        return pk, int(postcode.split()[0][2:])

    # -- a household ----------------------------------------------------------------------------------
    def build(self, size: int) -> None:
        ctx, rng, state = self.ctx, self.rng, self.state
        today = ctx.today
        today_ord = today.toordinal()
        pop: Population = ctx.population

        ethnicity = pick_ethnicity(rng)
        traditions = pick_traditions(rng, ethnicity)
        t1, t2 = traditions[0], traditions[-1]
        mixed = len(traditions) > 1

        dobs = self._dates_of_birth(size)
        lone = rng.random() < rates.LONE_PARENT_SHARE
        half = size >= 2 and rng.random() < rates.HALF_SIBLING_SHARE
        split = rng.randint(1, size - 1) if half else size

        # The resident parent (usually the mother), old enough at the eldest's birth and young enough at
        # the youngest's.
        p1_sex = "F" if rng.random() < (0.9 if lone else 0.97) else "M"
        other_sex = "M" if p1_sex == "F" else "F"
        span = (dobs[-1] - dobs[0]) / YEAR
        age_at_eldest = rng.uniform(18, max(19, 44 - span))
        p1_born = dobs[0] - int(age_at_eldest * YEAR) - rng.randint(0, 364)
        household_start = dobs[0] - rng.randint(0, 1000)
        p1_last = rng.choice(t1.surnames)

        def adult_code(tradition: Tradition) -> str:
            return ethnicity if not mixed and ethnicity not in ("REFU", "NOBT") else tradition.code

        def adult(tradition: Tradition, sex: str, last: str, born_ord: int) -> int:
            return self.person(
                kind=PersonKind.ADULT,
                first=first_name(rng, tradition, sex),
                last=last,
                sex=sex,
                ethnicity=adult_code(tradition),
                born=datetime.date.fromordinal(born_ord),
                tradition=tradition,
            )

        def other_parent_born(base: int) -> int:
            return min(base + int(rng.gauss(2.5, 4) * YEAR), dobs[0] - int(18 * YEAR))

        p2 = None
        partnership = household_start
        p2_last = rng.choice(t2.surnames)
        if not lone:
            if not mixed and rng.random() < 0.55:
                p1_last = p2_last  # a shared family name
            p2 = adult(t2, other_sex, p2_last, other_parent_born(p1_born))
        p1 = adult(t1, p1_sex, p1_last, p1_born)

        # Each group of full siblings and their other parent (None where not recorded).
        groups: list[tuple[list[int], int | None, str]] = []
        if half:
            c1_last = rng.choice(t2.surnames)
            c1 = adult(t2, other_sex, c1_last, other_parent_born(p1_born))
            older, younger = dobs[:split], dobs[split:]
            low, high = older[-1] + 120, younger[0] - 280
            partnership = rng.randint(low, high) if high > low else (older[-1] + younger[0]) // 2
            if lone:
                c2_last = rng.choice(t2.surnames)
                c2 = adult(t2, other_sex, c2_last, other_parent_born(p1_born))
                groups = [(older, c1, c1_last), (younger, c2, c2_last)]
            else:
                groups = [(older, c1, c1_last), (younger, p2, p2_last)]
        elif lone:
            if rng.random() < 0.6:
                c_last = rng.choice(t2.surnames)
                groups = [(dobs, adult(t2, other_sex, c_last, other_parent_born(p1_born)), c_last)]
            else:
                groups = [(dobs, None, p1_last)]
        else:
            groups = [(dobs, p2, p2_last)]

        # Where the family lives, and whether they moved in the last ``years``.
        area = pick_area(rng)
        history_start = ctx.history_start.toordinal()
        move_prob = state["move_prob"]
        addresses: list[tuple[int, int, int | None]] = []  # (address id, start, end) oldest first
        if rng.random() < move_prob and household_start < today_ord - 120:
            move = rng.randint(max(history_start, household_start + 90), today_ord - 1)
            previous_area = area if rng.random() < 0.7 else pick_area(rng)
            previous_id, _ = self.address(previous_area)
            addresses.append((previous_id, household_start, move - 1))
            current_id, district = self.address(area)
            addresses.append((current_id, move, None))
        else:
            start = (
                household_start
                if household_start > history_start
                else rng.randint(household_start, history_start)
            )
            current_id, district = self.address(area)
            addresses.append((current_id, start, None))
        household = self._next("household")
        self.out.row(Household, id=household, address_id=current_id, description=f"{p1_last} household")

        def lives_here(person_id: int, since: int, until: int | None = None) -> None:
            self.out.row(
                HouseholdMembership,
                household_id=household,
                person_id=person_id,
                start_date=datetime.date.fromordinal(since),
                end_date=datetime.date.fromordinal(until) if until else None,
            )
            for address_id, start, end in addresses:
                if end is not None and end < since:
                    continue
                if until is not None and until < start:
                    continue
                stop = end if until is None else (until if end is None else min(end, until))
                self.out.row(
                    PersonAddress,
                    person_id=person_id,
                    address_id=address_id,
                    start_date=datetime.date.fromordinal(max(start, since)),
                    end_date=datetime.date.fromordinal(stop) if stop else None,
                )

        lives_here(p1, household_start)
        if p2 is not None:
            lives_here(p2, partnership)
            self.relate(p1, p2, RelationshipType.PARTNER, datetime.date.fromordinal(partnership))

        # The children.
        pop.household_start.append(len(pop))
        made: list[tuple[int, int, int]] = []  # (person id, dob ordinal or None-as-0, group index)
        for group_index, (group_dobs, other, other_last) in enumerate(groups):
            last = other_last if other is not None and rng.random() < 0.6 else p1_last
            if other is not None and other_last != p1_last and rng.random() < 0.05:
                last = f"{p1_last}-{other_last}"
            for born_ord in group_dobs:
                child_id = self.child(
                    born_ord=born_ord,
                    last=last,
                    ethnicity=ethnicity,
                    traditions=traditions,
                    district=district,
                    area=area,
                    household=household,
                )
                made.append((child_id, born_ord, group_index))
                died = state["died"].get(child_id)
                lives_here(child_id, born_ord, died)
                born = datetime.date.fromordinal(born_ord)
                self.relate(p1, child_id, RelationshipType.PARENT, born, responsibility=True)
                if other is not None:
                    responsibility = other == p2 or rng.random() < 0.75
                    self.relate(other, child_id, RelationshipType.PARENT, born, responsibility=responsibility)
                if p2 is not None and other != p2:
                    self.relate(
                        p2,
                        child_id,
                        RelationshipType.STEP_PARENT,
                        datetime.date.fromordinal(max(partnership, born_ord)),
                        responsibility=rng.random() < 0.05,
                    )

        # An expected baby, for a few households with a mother of child-bearing age.
        if p1_sex == "F" and today_ord - p1_born < 45 * YEAR and rng.random() < self._unborn_chance():
            expected = today + datetime.timedelta(days=rng.randint(14, 240))
            other = groups[-1][1] if groups else None
            child_id = self.unborn(expected, p1_last, ethnicity, area, household)
            made.append((child_id, 0, len(groups) - 1))
            # Recorded at the family's address from when the pregnancy became known to services.
            lives_here(child_id, max(today_ord - rng.randint(0, 90), addresses[-1][1]))
            self.relate(
                p1,
                child_id,
                RelationshipType.PARENT,
                None,
                notes="Unborn: parental responsibility from birth",
            )
            if other is not None:
                self.relate(other, child_id, RelationshipType.PARENT, None)

        # Siblings, each pair once, older to younger.
        for i, (older_id, _older_born, older_group) in enumerate(made):
            for younger_id, younger_born, younger_group in made[i + 1 :]:
                kind = (
                    RelationshipType.SIBLING
                    if older_group == younger_group
                    else RelationshipType.HALF_SIBLING
                )
                start = datetime.date.fromordinal(younger_born) if younger_born else None
                self.relate(older_id, younger_id, kind, start)

    def _unborn_chance(self) -> float:
        """Expected births at the national share: the chance for this household of having one, adjusted as
        the run goes so that the total lands near ``UNBORN_SHARE`` of the children asked for."""
        state = self.state
        state["eligible_seen"] += 1
        expected_left = state["households"] - state["households_made"]
        eligible_share = state["eligible_seen"] / max(1, state["households_made"] + 1)
        wanted = state["unborn_target"] - state["unborn_made"]
        chance = wanted / max(1.0, expected_left * eligible_share)
        return min(1.0, max(0.0, chance))

    def _dates_of_birth(self, size: int) -> list[int]:
        """``size`` dates of birth, uniform over the last 18 years, at least 10 months apart unless twins."""
        rng, low, high = self.rng, self.state["dob_low"], self.state["dob_high"]
        while True:
            dobs = sorted(rng.randint(low, high) for _ in range(size))
            if size > 1 and rng.random() < 0.03:
                dobs[1] = dobs[0]  # twins
                dobs.sort()
            if all(b == a or b - a >= 300 for a, b in zip(dobs, dobs[1:], strict=False)):
                return dobs

    def child(self, *, born_ord, last, ethnicity, traditions, district, area, household) -> int:
        ctx, rng, state = self.ctx, self.rng, self.state
        today = ctx.today
        born = datetime.date.fromordinal(born_ord)
        roll = rng.random()
        sex = "U" if roll < 0.002 else ("M" if roll < 0.513 else "F")  # about 105 boys to 100 girls
        tradition = rng.choice(traditions)
        first = first_name(rng, tradition, sex)
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        upn, reason = "", ""
        if age < 5:
            started = school_start_year(born)
            if datetime.date(started, 9, 1) <= today:
                # In reception: the school has issued a UPN. Picked without a random draw, so that the rest
                # of the city is generated exactly as before reception children had UPNs.
                upn = state["upns"].new(district, started, pick=born_ord)
            else:
                reason = "UN1"  # not at school yet: a UPN comes with a school place
        elif rng.random() < 0.99:
            upn = state["upns"].new(district, school_start_year(born))
        else:
            reason = "UN2"
        nhs = state["nhs"].new() if rng.random() < rates.NHS_NUMBER_SHARE else ""
        flags = 0
        died = None
        # Exactly ``deaths`` children die: each child's chance is the deaths left over the children left.
        chance = state["deaths_left"] / max(1, state["children_left"])
        state["children_left"] -= 1
        if born_ord < ctx.today.toordinal() and rng.random() < chance:
            state["deaths_left"] -= 1
            start = max(born_ord, ctx.history_start.toordinal())
            died_ord = rng.randint(start, ctx.today.toordinal() - 1)
            died = datetime.date.fromordinal(died_ord)
            flags |= Population.DECEASED
        child_id = self.person(
            kind=PersonKind.CHILD,
            first=first,
            last=last,
            sex=sex,
            ethnicity=ethnicity,
            born=born,
            tradition=tradition,
            nhs=nhs,
            died=died,
        )
        if died is not None:
            state["died"][child_id] = died.toordinal()
        self.out.row(
            Child,
            person_id=child_id,
            la_child_id=self._la_child_id(),
            upn=upn,
            upn_unknown_reason=reason,
            expected_date_of_birth=None,
        )
        if age >= 1 and rng.random() < rates.DISABILITY_SHARE:
            flags |= Population.DISABLED
            codes = list(DISABILITY_WEIGHTS)
            weights = list(DISABILITY_WEIGHTS.values())
            chosen = {rng.choices(codes, weights=weights)[0] for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))}
            for code in sorted(chosen):
                self.out.row(ChildDisability, child_id=child_id, code=code)
        else:
            # "No disability" is recorded, not left blank: the CIN census needs a code (rule 8540).
            self.out.row(ChildDisability, child_id=child_id, code=NO_DISABILITY)
        self._remember(child_id, born_ord, area, flags, household)
        return child_id

    def unborn(self, expected: datetime.date, last: str, ethnicity: str, area: str, household: int) -> int:
        child_id = self.person(
            kind=PersonKind.CHILD, first="Unborn", last=last, sex="U", ethnicity=ethnicity, born=None
        )
        self.out.row(
            Child,
            person_id=child_id,
            la_child_id=self._la_child_id(),
            upn="",
            upn_unknown_reason="UN1",
            expected_date_of_birth=expected,
        )
        self.out.row(ChildDisability, child_id=child_id, code=NO_DISABILITY)
        self._remember(child_id, expected.toordinal(), area, Population.UNBORN, household)
        self.state["unborn_made"] += 1
        return child_id

    def _la_child_id(self) -> str:
        return str(self._next("la_child_id"))

    def _remember(self, child_id: int, dob: int, area: str, flags: int, household: int) -> None:
        pop = self.ctx.population
        pop.child_ids.append(child_id)
        pop.dob_ordinal.append(dob)
        pop.area.append(AREA_INDEX[area])
        pop.flags.append(flags)
        pop.household.append(household)


def run(ctx: SynthContext) -> None:
    n = ctx.children
    rng = ctx.rng
    households = n / MEAN_CHILDREN_PER_HOUSEHOLD
    move_prob = 1 - (1 - rates.MOVE_RATE_PER_YEAR) ** ctx.years
    deaths = max(2, round(rates.CHILD_DEATHS_PER_10K_PER_YEAR * ctx.years * n / 10_000)) if n >= 100 else 0
    state = {
        "person": ctx.next_ids(Person),
        "household": ctx.next_ids(Household),
        "address": ctx.next_ids(Address),
        "la_child_id": 1_000_001,
        "book": AddressBook(rng, int(households * (1 + move_prob)) + 1),
        "upns": UpnFactory(ctx.la_code, rng, max(1, round(n / 900 / 20))),
        "nhs": NhsNumberFactory(rng),
        "move_prob": move_prob,
        "households": households,
        "households_made": 0,
        "eligible_seen": 0,
        "unborn_target": round(rates.UNBORN_SHARE * n),
        "unborn_made": 0,
        "deaths_left": deaths,
        "children_left": n,
        "dob_low": (years_before(ctx.today, 18) + datetime.timedelta(days=1)).toordinal(),
        "dob_high": ctx.today.toordinal(),
        "died": {},
    }
    sizes = CHILDREN_PER_HOUSEHOLD
    weights = CHILDREN_PER_HOUSEHOLD_WEIGHTS
    made = 0
    bar = ctx.progress(n, "population")
    with ctx.writer(
        Address, Household, Person, Child, ChildDisability, HouseholdMembership, PersonAddress, Relationship
    ) as out:
        family = _Family(ctx, state, out)
        while made < n:
            size = min(rng.choices(sizes, weights=weights)[0], n - made)
            family.build(size)
            state["households_made"] += 1
            made += size
            bar.update(size)
    bar.close()
    ctx.reset_sequences(Person, Household, Address)
    ctx.extra["population"] = {"households": len(ctx.population.household_start)}
