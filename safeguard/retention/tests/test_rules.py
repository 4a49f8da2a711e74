"""The retention rules with dates worked out by hand, and the queue's query held to the same law."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.retention.rules import (
    ADOPTION,
    CHILDRENS_SOCIAL_CARE,
    LOOKED_AFTER,
    LOOKED_AFTER_DIED_YOUNG,
    ChildFacts,
    add_years,
    children_due,
    facts_for,
    latest_start,
    retention_for,
    retention_of,
)
from safeguard.retention.tests.conftest import adopted, care_leaver, child_born, looked_after

D = datetime.date


class TestDates:
    def test_the_75th_birthday_of_a_looked_after_child(self):
        facts = ChildFacts(date_of_birth=D(2010, 4, 17), looked_after=True)
        retention = retention_of(facts)
        assert retention.keep_until == D(2085, 4, 17)
        assert retention.rule is LOOKED_AFTER
        assert "reg 50" in retention.rule.source and "SI 2010/959" in retention.rule.source

    def test_a_care_leaver_never_looked_after_here_is_kept_to_75_too(self):
        assert retention_of(ChildFacts(D(2005, 1, 2), care_leaver=True)).keep_until == D(2080, 1, 2)

    def test_born_on_29_february_the_75th_birthday_in_a_common_year_is_1_march(self):
        # 2008 + 75 = 2083, not a leap year: the birthday is 1 March, as Person.age_on counts it.
        assert retention_of(ChildFacts(D(2008, 2, 29), looked_after=True)).keep_until == D(2083, 3, 1)

    def test_born_on_29_february_the_75th_birthday_in_a_leap_year_is_29_february(self):
        # 2012 + 75 = 2087, not a leap year; 2009 + 75 = 2084 is, but 2009 has no 29 February. 1996 + 75 = 2071,
        # common. A leap-day birth reaching a leap year: 2016 + 76 = 2092 is a leap year, but the rule is 75;
        # so check add_years itself on a leap-to-leap pair.
        assert add_years(D(2012, 2, 29), 4) == D(2016, 2, 29)
        assert retention_of(ChildFacts(D(2012, 2, 29), looked_after=True)).keep_until == D(2087, 3, 1)

    def test_100_years_from_the_adoption_order(self):
        facts = ChildFacts(D(2019, 8, 1), looked_after=True, adoption_orders=(D(2021, 11, 30),))
        retention = retention_of(facts)
        assert retention.keep_until == D(2121, 11, 30)
        assert retention.rule is ADOPTION
        assert "SI 2005/888" in retention.rule.source and "reg 6" in retention.rule.source
        assert retention.basis == "adoption order 30 November 2021"

    def test_an_adoption_order_on_29_february(self):
        facts = ChildFacts(D(2022, 1, 1), looked_after=True, adoption_orders=(D(2024, 2, 29),))
        assert retention_of(facts).keep_until == D(2124, 2, 29)  # 2124 is a leap year
        facts = ChildFacts(D(2018, 1, 1), looked_after=True, adoption_orders=(D(2020, 2, 29),))
        assert retention_of(facts).keep_until == D(2120, 2, 29)  # and so is 2120

    def test_the_longest_rule_wins(self):
        # Adopted at 2: 100 years from the order (2122) is later than the 75th birthday (2095).
        adopted_young = ChildFacts(D(2020, 5, 5), looked_after=True, adoption_orders=(D(2022, 6, 1),))
        retention = retention_of(adopted_young)
        assert retention.rule is ADOPTION and retention.keep_until == D(2122, 6, 1)
        assert {found.rule for found in retention.applicable} == {
            LOOKED_AFTER,
            ADOPTION,
            CHILDRENS_SOCIAL_CARE,
        }
        # Looked after, never adopted: the 75th birthday beats the 25th.
        retention = retention_of(ChildFacts(D(2020, 5, 5), looked_after=True))
        assert retention.rule is LOOKED_AFTER and retention.keep_until == D(2095, 5, 5)

    def test_a_child_never_looked_after_is_kept_to_the_25th_birthday_by_the_councils_schedule(self):
        retention = retention_of(ChildFacts(D(2011, 9, 9), child_in_need=True))
        assert retention.keep_until == D(2036, 9, 9)
        assert retention.rule is CHILDRENS_SOCIAL_CARE and not retention.rule.statutory

    def test_the_councils_period_is_a_setting(self, settings):
        settings.RETENTION_CHILDRENS_SOCIAL_CARE_BIRTHDAY = 30
        assert retention_of(ChildFacts(D(2011, 9, 9))).keep_until == D(2041, 9, 9)

    def test_looked_after_and_died_before_18_fifteen_years_from_the_death(self):
        facts = ChildFacts(D(2000, 6, 10), date_of_death=D(2010, 3, 3), looked_after=True)
        retention = retention_of(facts)
        # 15 years from the death (2025) is shorter than the 25th birthday (2025-06-10): the longest wins.
        assert retention.keep_until == D(2025, 6, 10) and retention.rule is CHILDRENS_SOCIAL_CARE
        died_at_17 = ChildFacts(D(2000, 6, 10), date_of_death=D(2018, 6, 9), looked_after=True)
        retention = retention_of(died_at_17)
        assert retention.rule is LOOKED_AFTER_DIED_YOUNG and retention.keep_until == D(2033, 6, 9)

    def test_died_on_their_18th_birthday_is_kept_to_75(self):
        facts = ChildFacts(D(2000, 6, 10), date_of_death=D(2018, 6, 10), looked_after=True)
        assert retention_of(facts).rule is LOOKED_AFTER

    def test_a_leap_day_child_dying_on_28_february_at_17_died_before_18(self):
        facts = ChildFacts(D(2004, 2, 29), date_of_death=D(2022, 2, 28), looked_after=True)
        assert retention_of(facts).rule is LOOKED_AFTER_DIED_YOUNG
        on_1_march = ChildFacts(D(2004, 2, 29), date_of_death=D(2022, 3, 1), looked_after=True)
        assert retention_of(on_1_march).rule is LOOKED_AFTER

    def test_no_date_of_birth_means_no_date_and_says_why(self):
        retention = retention_of(ChildFacts(None, looked_after=True, adoption_orders=(D(2020, 1, 1),)))
        assert retention.keep_until is None and retention.rule is None
        assert "No date of birth" in retention.unknown_because
        assert not retention.due_by(D(2999, 1, 1))


@given(cutoff=st.dates(D(1950, 1, 1), D(2200, 12, 31)), years=st.sampled_from([15, 18, 25, 75, 100]))
def test_latest_start_is_exactly_the_boundary(cutoff, years):
    boundary = latest_start(cutoff, years)
    assert add_years(boundary, years) <= cutoff
    assert add_years(boundary + datetime.timedelta(days=1), years) > cutoff


@given(day=st.dates(D(1900, 1, 1), D(2100, 12, 31)), years=st.integers(1, 100))
def test_add_years_never_goes_backwards(day, years):
    assert add_years(day + datetime.timedelta(days=1), years) >= add_years(day, years)


@pytest.mark.django_db
class TestTheQueryAgreesWithTheRules:
    def test_records_are_read_from_the_database(self, people):
        child = child_born(D(2019, 8, 1))
        adopted(child, D(2021, 11, 30))
        care_leaver_child = child_born(D(2006, 2, 1))
        care_leaver(care_leaver_child, D(2022, 2, 1))
        assert retention_for(child).keep_until == D(2121, 11, 30)
        assert retention_for(care_leaver_child).keep_until == D(2081, 2, 1)

    def test_children_due_is_retention_of_for_every_child_on_many_cutoffs(self, people):
        plain = child_born(D(2000, 3, 1))
        leap = child_born(D(2000, 2, 29))
        cared_for = child_born(D(1950, 2, 28))
        looked_after(cared_for, D(1960, 1, 1), D(1966, 1, 1))
        leap_cared_for = child_born(D(1952, 2, 29))
        looked_after(leap_cared_for, D(1960, 1, 1), D(1966, 1, 1))
        died_young = child_born(D(1980, 5, 5), died=D(1990, 1, 1))
        looked_after(died_young, D(1985, 1, 1), D(1990, 1, 1))
        died_adult = child_born(D(1960, 5, 5), died=D(1990, 1, 1))
        care_leaver(died_adult, D(1977, 1, 1))
        leap_died_17 = child_born(D(1988, 2, 29), died=D(2006, 2, 28))
        looked_after(leap_died_17, D(1995, 1, 1), D(2006, 2, 28))
        adopted_child = child_born(D(1925, 1, 1))
        adopted(adopted_child, D(1926, 6, 1))
        no_birth = child_born(None)
        unborn = child_born(None)
        unborn.expected_date_of_birth = D(2001, 1, 1)
        unborn.save()
        children = [
            plain,
            leap,
            cared_for,
            leap_cared_for,
            died_young,
            died_adult,
            leap_died_17,
            adopted_child,
            no_birth,
            unborn,
            *people.children,
        ]
        for child in children:
            child.refresh_from_db()
        facts = facts_for(children)
        cutoffs = [
            D(2025, 2, 28), D(2025, 3, 1), D(2026, 3, 11), D(2027, 2, 28), D(2027, 3, 1), D(2024, 2, 28),
            D(2024, 2, 29), D(2005, 1, 1), D(2005, 6, 6), D(2020, 12, 31), D(2021, 2, 28), D(2021, 3, 1),
            D(2026, 5, 31), D(2026, 6, 1), D(2035, 6, 6), D(2040, 1, 1),
        ]  # fmt: skip
        for cutoff in cutoffs:
            expected = {child.pk for child in children if retention_of(facts[child.pk]).due_by(cutoff)}
            assert set(children_due(cutoff).values_list("pk", flat=True)) == expected, cutoff
        # Some cutoffs make a difference, so the comparison above is not trivially empty.
        assert children_due(D(2026, 3, 11)).filter(pk=cared_for.pk).exists()
        assert not children_due(D(2025, 2, 27)).filter(pk=cared_for.pk).exists()
        # Born 1925, so 25 and 75 are long past; 100 years from the 1926 order keeps it to 1 June 2026.
        assert not children_due(D(2026, 5, 31)).filter(pk=adopted_child.pk).exists()
        assert children_due(D(2026, 6, 1)).filter(pk=adopted_child.pk).exists()
