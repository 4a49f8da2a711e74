"""Opaque identifiers in addresses (safeguard/core/opaque.py)."""

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from safeguard.core import opaque


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_every_id_comes_back_from_its_token(value):
    token = opaque.encode(value)
    assert len(token) == 13 and token == token.lower()
    assert opaque.decode(token) == value


def test_neighbouring_ids_give_unrelated_tokens():
    tokens = [opaque.encode(value) for value in range(1000, 1010)]
    assert len(set(tokens)) == 10
    assert all(str(value) not in token for value, token in zip(range(1000, 1010), tokens, strict=True))
    # No shared prefix worth the name: the next child's address cannot be guessed from this one's.
    assert len({token[:4] for token in tokens}) == 10


def test_the_tokens_depend_on_the_secret_key():
    with override_settings(SECRET_KEY="one-secret-key-for-this-test"):
        first = opaque.encode(42)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test"):
        second = opaque.encode(42)
    assert first != second


@pytest.mark.parametrize("token", ["", "1234", "abcdefghijklm!", "abcdefghijkl1"])
def test_anything_else_is_not_a_token(token):
    with pytest.raises(ValueError):
        opaque.decode(token)
