"""The statutory returns at a large city's scale (issue 7): the CIN census and the SSDA903 of the last complete
year built from the records, validated against every DfE rule of the year, and written; and the analyst's
validation pages through the whole request cycle; and Ofsted's Annex A workbook as at today.

Issue 7 asks for a council's whole-year CIN census (30,000 children) built and validated in under 10 seconds,
and the SSDA903 for 3,000 looked-after children in under 5. ``BENCH_CHILDREN=310000`` gives about that many."""

from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.core.years import CollectionYear
from safeguard.returns.annex_a import build as annex_a_build
from safeguard.returns.annex_a import workbook as annex_a_workbook
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.build import build
from safeguard.returns.cin_census.validate import validate
from safeguard.returns.ssda903 import build as ssda903_build
from safeguard.returns.ssda903 import files as ssda903_files
from safeguard.returns.ssda903 import validate as ssda903_validate

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
    looked_after = ssda903_build.build(year)
    scale_903 = f"{context.scale}_{len(looked_after.children)}_ssda903_children"
    results += [
        measure("ssda903_build", lambda _: ssda903_build.build(year), runs=RUNS, scale=scale_903, warmup=1),
        measure(
            "ssda903_validate",
            lambda _: ssda903_validate.validate(looked_after),
            runs=RUNS,
            scale=scale_903,
            warmup=1,
        ),
        measure(
            "ssda903_write_csv",
            lambda _: ssda903_files.to_csv(looked_after),
            runs=RUNS,
            scale=scale_903,
            warmup=1,
        ),
        measure(
            "ssda903_build_validate_write", lambda _: _whole_903(year), runs=RUNS, scale=scale_903, warmup=1
        ),
    ]
    today = timezone.localdate()
    annex = annex_a_build.build(today)
    scale_annex = f"{context.scale}_{sum(len(rows) for rows in annex.rows.values())}_annex_a_rows"
    results += [
        measure(
            "annex_a_build", lambda _: annex_a_build.build(today), runs=RUNS, scale=scale_annex, warmup=1
        ),
        measure("annex_a_write_xlsx", lambda _: annex_a_workbook.write(annex), runs=RUNS, scale=scale_annex),
    ]
    client = context.client_for("analyst") if _has("analyst") else None
    if client is not None:
        for slug, scale_of in (("cin-census", scale), ("ssda903", scale_903)):
            url = reverse("returns:report", args=[slug, year.end_year])
            results.append(
                measure(
                    f"{slug.replace('-', '_')}_page_analyst",
                    lambda _, u=url: _get(client, u),
                    runs=RUNS,
                    scale=scale_of,
                    warmup=1,
                )
            )
    return results


def _whole(year: CollectionYear) -> bytes:
    """What ``safeguard returns cin-census`` does: build, validate, write."""
    the_return = build(year)
    validate(the_return)
    return files.to_xml(the_return)


def _whole_903(year: CollectionYear) -> dict:
    the_return = ssda903_build.build(year)
    ssda903_validate.validate(the_return)
    return ssda903_files.to_csv(the_return)


def _has(username: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).exists()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
