"""Annex A on the synthetic city: every list built, in a fixed number of queries, and written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.returns.annex_a import build, lists, workbook
from safeguard.returns.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_city_has_rows_in_every_list_it_holds(city):
    annex = build.build(TODAY)
    assert workbook.read(workbook.write(annex))[0].rows == annex.rows
    for annex_list in lists.LISTS:
        for row in annex.rows[annex_list.number]:
            assert len(row) == len(annex_list.columns)
    held = [number for number in range(1, 11) if number != 2]
    assert all(annex.rows[number] for number in held)
    assert annex.rows[11] == []


def test_the_build_makes_a_fixed_number_of_queries(city):
    with CaptureQueriesContext(connection) as queries:
        build.build(TODAY)
    # Every list has rows on the city, so every read is made; a list with no one in it skips its later reads.
    assert len(queries) == build.QUERIES
