"""The round trip that matters most (ADR 12): the synthetic city's CIN census, written as the DfE's file,
imported into a database without those children, and made again from the records: the same facts."""

import dataclasses

import pytest

from safeguard.core.years import CollectionYear
from safeguard.people.models import Child as ChildRecord
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.build import build
from safeguard.returns.imports.cin_census import import_cin_census
from safeguard.returns.tests.conftest import TODAY
from tests.synthetic import synthetic_city

pytestmark = pytest.mark.django_db
YEAR = CollectionYear(2026)  # 2025-26, complete by the city's today


@pytest.fixture(scope="module")
def city_file(django_db_setup, django_db_blocker):
    """A small city's 2025-26 census file; the city itself is rolled back before the tests run."""
    with (
        synthetic_city(django_db_blocker, seed=5, children=2000, years=3, today=TODAY),
        django_db_blocker.unblock(),
    ):
        data = files.to_xml(build(YEAR))
    return data


def facts(the_return):
    """The children sorted by LAchildID, without what the import cannot restore: NumberOfPreviousCPP
    counts the plans the records hold, and plans before the census's episodes are not in it."""
    children = sorted(the_return.children, key=lambda child: child.la_child_id)
    for child in children:
        for episode in child.episodes:
            episode.cp_plans = [dataclasses.replace(plan, previous_plans=None) for plan in episode.cp_plans]
    return children


def test_the_citys_census_comes_out_as_it_went_in(city_file, people):
    original, _ = files.read(city_file)
    assert len(original.children) > 100
    report = import_cin_census(data=city_file, file_name="northbridge.xml", imported_by=people.analyst.user)
    assert report.imported, "\n".join(report.lines()[:40])
    assert report.count("created") == len(original.children)
    again = build(YEAR)
    imported_ids = {child.la_child_id for child in original.children}
    exported = [child for child in again.children if child.la_child_id in imported_ids]
    assert facts(dataclasses.replace(again, children=exported)) == facts(original)
    assert {child.la_child_id for child in again.children} - imported_ids <= set(
        ChildRecord.objects.exclude(la_child_id__in=imported_ids).values_list("la_child_id", flat=True)
    )
