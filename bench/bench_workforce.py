"""The workforce pages at the scale of a large city, through the whole request cycle: the overview for the
director (every area side by side: establishment, rates, weighted caseload and capacity) and for a head of
service, one area's page (teams, 24 months of demand against capacity, the chart and the starters and leavers),
and ``workforce_by_area`` on its own, the interface the director's area dashboard reads.

Use a separate var dir for a full-scale run (``SAFEGUARD_VAR_DIR=var/bench-wf``); ``BENCH_YEARS=5`` for five
years of history."""

from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.organisation.models import Area, Post, PostFilling
from safeguard.workforce.selectors import workforce_by_area

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    scale = f"{context.scale}_{Post.objects.count()}_posts_{PostFilling.objects.count()}_fillings"
    overview = reverse("workforce:overview")
    area = Area.objects.order_by("pk").first()
    pages = [
        ("workforce_overview_director", "director", overview),
        ("workforce_overview_headofservice", "headofservice", overview),
        ("workforce_area_director", "director", reverse("workforce:area", args=[area.pk])),
    ]
    results = []
    clients = {}
    for name, username, url in pages:
        client = clients.setdefault(username, context.client_for(username))
        results.append(measure(name, lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale))
    today = timezone.localdate()
    results.append(
        measure(
            "workforce_by_area_all_areas",
            lambda _: workforce_by_area(areas=Area.objects.all(), on=today, today=today),
            runs=RUNS,
            scale=scale,
        )
    )
    return results
