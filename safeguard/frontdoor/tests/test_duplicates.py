"""The likely duplicates the front door is shown before it records a new child."""

import datetime

import pytest

from safeguard.people.duplicates import likely_duplicates
from tests.factories import ChildFactory, PersonFactory

BORN = datetime.date(2018, 3, 7)


@pytest.fixture
def known(db):
    return ChildFactory(
        person=PersonFactory(
            first_name="Mohammed", last_name="O'Neill", date_of_birth=BORN, nhs_number="9990000018"
        )
    )


def found(**terms):
    arguments = {"first_name": "", "last_name": "", "date_of_birth": None, "nhs_number": ""}
    arguments.update(terms)
    return {match.child.pk: match.reasons for match in likely_duplicates(**arguments)}


def test_the_same_nhs_number_matches_whatever_the_name(known):
    assert found(first_name="Someone", last_name="Else", nhs_number="999 000 0018")[known.pk] == (
        "same NHS number",
    )


def test_a_misspelt_name_with_the_same_date_of_birth_matches(known):
    reasons = found(first_name="Muhammad", last_name="Oneil", date_of_birth=BORN)[known.pk]
    assert reasons == ("similar name and same date of birth",)


def test_day_and_month_swapped_matches(known):
    reasons = found(first_name="Mohammed", last_name="O'Neill", date_of_birth=datetime.date(2018, 7, 3))
    assert reasons[known.pk] == ("similar name, date of birth with day and month swapped",)


def test_names_the_other_way_round_match(known):
    reasons = found(first_name="Oneill", last_name="Mohammed", date_of_birth=BORN)[known.pk]
    assert "other way round" in reasons[0]


def test_an_unrelated_child_born_the_same_day_is_not_matched(known):
    assert found(first_name="Zara", last_name="Whitfield", date_of_birth=BORN) == {}


def test_a_similar_name_born_on_another_day_is_not_matched(known):
    assert found(first_name="Mohammed", last_name="O'Neill", date_of_birth=datetime.date(2018, 3, 8)) == {}
