"""The statutory returns at a large city's scale (issue 7): the CIN census of the last complete year built from
the records, validated against every DfE rule of its year, and written as XML; and the analyst's validation
page through the whole request cycle.

Issue 7 asks for a council's whole-year CIN census (30,000 children) built and validated in under 10 seconds.
``BENCH_CHILDREN=310000`` gives about that many children in a year's census."""

from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.validate import validate
from safeguard.returns.years import CollectionYear

RUNS = 5


def run(context):
    year = CollectionYear.latest_complete(timezone.localdate())
    the_return = build(year)
    episodes = sum(len(child.episodes) for child in the_return.children)
    scale = f"{context.scale}_{len(the_return.children)}_census_children_{episodes}_episodes"
    results = [
        measure("cin_census_build", lambda _: build(year), runs=RUNS, scale=scale, warmup=1),
        measure("cin_census_validate", lambda _: validate(the_return), runs=RUNS, scale=scale, warmup=1),
        measure("cin_census_write_xml", lambda _: files.to_xml(the_return), runs=RUNS, scale=scale, warmup=1),
        measure("cin_census_build_validate_write", lambda _: _whole(year), runs=RUNS, scale=scale, warmup=1),
    ]
    client = context.client_for("analyst") if _has("analyst") else None
    if client is not None:
        url = reverse("returns:cin_census", args=[year.end_year])
        results.append(
            measure("cin_census_page_analyst", lambda _: _get(client, url), runs=RUNS, scale=scale, warmup=1)
        )
    return results


def _whole(year: CollectionYear) -> bytes:
    """What ``safeguard returns cin-census`` does: build, validate, write."""
    the_return = build(year)
    validate(the_return)
    return files.to_xml(the_return)


def _has(username: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).exists()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
