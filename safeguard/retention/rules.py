"""How long a child's record is kept: the retention rules as data, and the functions that apply them.

Each rule says when it applies, how its date is worked out, and its source. A child's record is kept until
the **latest** date of every rule that applies to it (the longest rule wins), and never passes to disposal
review while any applicable rule's date cannot be worked out (no date of birth): keeping too long is
recoverable, destroying too early is not.

The statutory rules (DOMAIN.md §7):

- looked after or a care leaver: until the **75th birthday**, or, if the child died before 18, for **15 years
  beginning with the date of death** (Care Planning, Placement and Case Review (England) Regulations 2010,
  SI 2010/959, reg 50, which keeps the case record of reg 49);
- adopted: at least **100 years beginning with the date of the adoption order** (Disclosure of Adoption
  Information (Post-Commencement Adoptions) Regulations 2005, SI 2005/888, reg 6).

DOMAIN.md §7 gives no period for a child who was never looked after (contacts, referrals, child in need and
child protection work only). Safeguard keeps those records until the **25th birthday**: a council's own
schedule, not a statute (docs/adr/0014-retention.md says why), which a council changes with the
``RETENTION_CHILDRENS_SOCIAL_CARE_BIRTHDAY`` setting. It applies to every child, so a record with nothing
else on it still has a date.

"Kept until D" means the record may be reviewed for disposal on or after D: the 75th birthday itself, the
15th anniversary of the death (the last day of 15 years beginning with the death is the day before), the
100th anniversary of the order.

Two forms of the same law: ``retention_of`` works out one child's dates from their facts (for a page, and
for each row of a page of the queue), and ``children_due`` is the same test as one query over every child
(for the disposal review queue). ``tests/test_rules.py`` holds them to each other.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from safeguard.casework.models import CinEpisode
from safeguard.frontdoor.models import Contact
from safeguard.lookedafter.models import Adoption, CareLeaver, PeriodOfCare
from safeguard.people.models import Child, Person

LOOKED_AFTER_BIRTHDAY = 75
DIED_YOUNG_AGE = 18
YEARS_AFTER_DEATH = 15
YEARS_AFTER_ADOPTION_ORDER = 100


def childrens_social_care_birthday() -> int:
    return int(getattr(settings, "RETENTION_CHILDRENS_SOCIAL_CARE_BIRTHDAY", 25))


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    applies_to: str
    source: str
    statutory: bool


LOOKED_AFTER = Rule(
    code="looked_after",
    title="Looked after or a care leaver: kept until the 75th birthday",
    applies_to="a child who has been looked after (any period of care) or has had a care leaver record",
    source=(
        "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 50; "
        "DOMAIN.md §7"
    ),
    statutory=True,
)
LOOKED_AFTER_DIED_YOUNG = Rule(
    code="looked_after_died_young",
    title="Looked after and died before 18: kept for 15 years beginning with the date of death",
    applies_to="a child who has been looked after or a care leaver, and died before their 18th birthday",
    source=(
        "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), reg 50; "
        "DOMAIN.md §7"
    ),
    statutory=True,
)
ADOPTION = Rule(
    code="adoption",
    title="Adopted: kept for at least 100 years from the adoption order",
    applies_to="a child with an adoption order recorded",
    source=(
        "Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005 (SI 2005/888), "
        "reg 6; DOMAIN.md §7"
    ),
    statutory=True,
)
CHILDRENS_SOCIAL_CARE = Rule(
    code="childrens_social_care",
    title="Any child's social care record: kept until the 25th birthday",
    applies_to="every child (contacts, referrals, child in need and child protection work)",
    source=(
        "The council's retention schedule, not a statute: DOMAIN.md §7 gives no period "
        "(docs/adr/0014-retention.md)"
    ),
    statutory=False,
)
RULES = (LOOKED_AFTER, LOOKED_AFTER_DIED_YOUNG, ADOPTION, CHILDRENS_SOCIAL_CARE)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The anniversary ``years`` after ``day``. Someone born on 29 February has their birthday on 1 March in a
    common year, as ``people.Person.age_on`` counts ages (and as English practice treats a leap-day birth)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def latest_start(cutoff: datetime.date, years: int) -> datetime.date:
    """The latest day ``d`` with ``add_years(d, years) <= cutoff``. ``add_years`` never goes backwards, so
    "``d`` on or before this" is the same test as "``years`` after ``d`` is on or before ``cutoff``", which a
    query can ask of an indexed date column."""
    try:
        candidate = cutoff.replace(year=cutoff.year - years)
    except ValueError:  # 29 February, back to a common year
        candidate = datetime.date(cutoff.year - years, 2, 28)
    one_day = datetime.timedelta(days=1)
    while add_years(candidate + one_day, years) <= cutoff:
        candidate += one_day
    while add_years(candidate, years) > cutoff:
        candidate -= one_day
    return candidate


@dataclass(frozen=True)
class ChildFacts:
    """What the rules need to know about one child: dates, and which kinds of record they have."""

    date_of_birth: datetime.date | None
    date_of_death: datetime.date | None = None
    looked_after: bool = False
    care_leaver: bool = False
    adoption_orders: tuple[datetime.date, ...] = ()
    child_in_need: bool = False
    contacts: bool = False

    def died_before(self, age: int) -> bool:
        if self.date_of_death is None or self.date_of_birth is None:
            return False
        return self.date_of_death < add_years(self.date_of_birth, age)


@dataclass(frozen=True)
class RuleDate:
    rule: Rule
    keep_until: datetime.date | None
    basis: str  # the fact the date comes from, in words


@dataclass(frozen=True)
class Retention:
    """One child's retention: the date the record is kept until and the rule that gives it (the longest of
    ``applicable``), or ``keep_until`` None and ``unknown_because`` when a rule's date cannot be worked out."""

    keep_until: datetime.date | None
    rule: Rule | None
    basis: str
    applicable: list[RuleDate] = field(default_factory=list)
    unknown_because: str = ""

    def due_by(self, day: datetime.date) -> bool:
        return self.keep_until is not None and self.keep_until <= day


def long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def rule_dates(facts: ChildFacts) -> list[RuleDate]:
    """Every rule that applies to the child, with its date (None when the date of birth is missing)."""
    born = facts.date_of_birth
    born_text = f"born {long_date(born)}" if born else "no date of birth recorded"
    found: list[RuleDate] = []
    if facts.looked_after or facts.care_leaver:
        if facts.died_before(DIED_YOUNG_AGE):
            found.append(
                RuleDate(
                    LOOKED_AFTER_DIED_YOUNG,
                    add_years(facts.date_of_death, YEARS_AFTER_DEATH),
                    f"{born_text}; died {long_date(facts.date_of_death)}",
                )
            )
        else:
            found.append(
                RuleDate(LOOKED_AFTER, add_years(born, LOOKED_AFTER_BIRTHDAY) if born else None, born_text)
            )
    for order_on in sorted(facts.adoption_orders):
        found.append(
            RuleDate(
                ADOPTION,
                add_years(order_on, YEARS_AFTER_ADOPTION_ORDER),
                f"adoption order {long_date(order_on)}",
            )
        )
    years = childrens_social_care_birthday()
    found.append(RuleDate(CHILDRENS_SOCIAL_CARE, add_years(born, years) if born else None, born_text))
    return found


def retention_of(facts: ChildFacts) -> Retention:
    """The longest applicable rule wins; any rule without a date makes the whole date unknown."""
    applicable = rule_dates(facts)
    missing = [found for found in applicable if found.keep_until is None]
    if missing:
        return Retention(
            None,
            None,
            "",
            applicable,
            unknown_because="No date of birth is recorded, so the retention date cannot be worked out. "
            "The record is kept, and stays out of the disposal review queue, until one is.",
        )
    longest = max(applicable, key=lambda found: found.keep_until)
    return Retention(longest.keep_until, longest.rule, longest.basis, applicable)


# ----------------------------------------------------------------------------------------------------------
# Facts for many children at once: a fixed number of queries whatever the number of children.


def facts_for(children: list[Child]) -> dict[int, ChildFacts]:
    """``ChildFacts`` for each child (``person`` selected with it), in five queries for any number."""
    ids = [child.pk for child in children]
    if not ids:
        return {}
    looked_after = set(PeriodOfCare.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    care_leavers = set(CareLeaver.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    in_need = set(CinEpisode.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    contacts = set(Contact.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    orders: dict[int, list[datetime.date]] = {}
    for child_id, order_on in Adoption.objects.filter(child_id__in=ids, order_on__isnull=False).values_list(
        "child_id", "order_on"
    ):
        orders.setdefault(child_id, []).append(order_on)
    return {
        child.pk: ChildFacts(
            date_of_birth=child.person.date_of_birth or child.expected_date_of_birth,
            date_of_death=child.person.date_of_death,
            looked_after=child.pk in looked_after,
            care_leaver=child.pk in care_leavers,
            adoption_orders=tuple(orders.get(child.pk, ())),
            child_in_need=child.pk in in_need,
            contacts=child.pk in contacts,
        )
        for child in children
    }


def retention_for(child: Child) -> Retention:
    return retention_of(facts_for([child])[child.pk])


# ----------------------------------------------------------------------------------------------------------
# The same law as one query.


def _born_on_or_before(day: datetime.date) -> Q:
    """Candidates born (or, not yet born, expected) on or before ``day``: two subqueries on the child's key,
    each served by its own index (the date of birth's; the child's partial index on the expected date). The
    exact test (the date of birth first) is ``retention_birth__lte`` on the row, in ``children_due``.

    The date of birth index holds adults too (about half the people), so the first subquery yields every person
    born before ``day``: 0.8 s on SQLite at 274,000 children with nobody due. A partial index on children's
    dates of birth (``people.Person``, ``kind = 'child'``) takes it to 11 ms, but a child's ``kind`` is not yet
    guaranteed, and a child missed here would never be reviewed (docs/adr/0014-retention.md)."""
    born = Person.objects.filter(date_of_birth__lte=day)
    expected = Child.objects.filter(expected_date_of_birth__lte=day)
    return Q(pk__in=born.values("pk")) | Q(pk__in=expected.values("pk"))


def _died_before_18() -> Q:
    """Died before their 18th birthday, by comparing years, then (month, day), as ``Person.age_on`` does: a
    leap-day child who dies on 28 February of a common year has not yet turned 18 (birthday 1 March)."""
    return (
        Q(retention_age_at_death__lt=DIED_YOUNG_AGE)
        | Q(retention_age_at_death=DIED_YOUNG_AGE, retention_death_month__lt=ExtractMonth("retention_birth"))
        | Q(
            retention_age_at_death=DIED_YOUNG_AGE,
            retention_death_month=ExtractMonth("retention_birth"),
            retention_death_day__lt=ExtractDay("retention_birth"),
        )
    )


def children_due(cutoff: datetime.date, children: QuerySet[Child] | None = None) -> QuerySet[Child]:
    """The children whose record is kept until ``cutoff`` or earlier under every rule that applies to them:
    ``retention_of(...).due_by(cutoff)`` for every child, as one query (EXISTS for each kind of record)."""
    children = Child.objects.all() if children is None else children
    looked_after = Exists(PeriodOfCare.objects.filter(child=OuterRef("pk"))) | Exists(
        CareLeaver.objects.filter(child=OuterRef("pk"))
    )
    adopted_later = Exists(
        Adoption.objects.filter(
            child=OuterRef("pk"), order_on__gt=latest_start(cutoff, YEARS_AFTER_ADOPTION_ORDER)
        )
    )
    birth = Coalesce("person__date_of_birth", "expected_date_of_birth")
    died_young_and_due = (
        Q(
            person__date_of_death__isnull=False,
            person__date_of_death__lte=latest_start(cutoff, YEARS_AFTER_DEATH),
        )
        & _died_before_18()
    )
    looked_after_due = Q(retention_looked_after=False) | Q(
        retention_birth__lte=latest_start(cutoff, LOOKED_AFTER_BIRTHDAY)
    )
    social_care_bound = latest_start(cutoff, childrens_social_care_birthday())
    return (
        children.annotate(
            retention_birth=birth,
            retention_looked_after=looked_after,
            retention_age_at_death=ExtractYear("person__date_of_death") - ExtractYear(birth),
            retention_death_month=ExtractMonth("person__date_of_death"),
            retention_death_day=ExtractDay("person__date_of_death"),
        )
        .filter(_born_on_or_before(social_care_bound), retention_birth__lte=social_care_bound)
        .filter(looked_after_due | died_young_and_due)
        .exclude(adopted_later)
    )
