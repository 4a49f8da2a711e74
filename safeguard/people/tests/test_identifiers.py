"""National identifiers: UPN check letters and NHS number check digits."""

from hypothesis import given
from hypothesis import strategies as st

from safeguard.people.identifiers import (
    format_nhs_number,
    is_valid_nhs_number,
    is_valid_upn,
    nhs_check_digit,
    upn_check_letter,
)
from safeguard.people.models import name_key


def test_a_upn_worked_by_hand():
    # 8×2 + 1×4 + 2×5 + 1×10 + 1×13 = 53; 53 mod 23 = 7, the eighth letter of the check alphabet: H.
    assert upn_check_letter("801200001001") == "H"
    assert is_valid_upn("H801200001001")
    assert not is_valid_upn("A801200001001")  # wrong check letter (CIN rule 1510)
    assert not is_valid_upn("H80120000100")  # too short
    assert not is_valid_upn("H8012000010O1")  # a letter where a digit must be (rule 1540)


def test_a_temporary_upn_ends_in_a_letter_and_is_checked_too():
    body = "80120000100A"
    assert is_valid_upn(upn_check_letter(body) + body)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_upn_built_with_its_check_letter_is_valid_and_any_other_letter_is_not(body):
    letter = upn_check_letter(body)
    assert is_valid_upn(letter + body)
    other = "A" if letter != "A" else "B"
    assert not is_valid_upn(other + body)


def test_a_published_nhs_number_example():
    assert is_valid_nhs_number("9434765919")
    assert is_valid_nhs_number("943 476 5919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("94347659")
    assert format_nhs_number("9434765919") == "943 476 5919"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nine_digits_make_a_valid_nhs_number_unless_the_check_would_be_ten(first_nine):
    check = nhs_check_digit(first_nine)
    if check is None:
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(first_nine + str(check))
        assert not is_valid_nhs_number(first_nine + str((check + 1) % 10))


def test_name_keys_ignore_case_accents_and_punctuation():
    assert name_key("O'Neill-Brown") == name_key("oneill brown") == "oneillbrown"
    assert name_key("Zoë") == "zoe"
