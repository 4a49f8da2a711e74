"""The leadership pages at the scale of a large city, through the whole request cycle: the performance
measures for a team manager (their area and the council), a head of service (the same) and the director
(the council and every area side by side), for the year to the last 31 March and for the 12 months to
today; and the improvement plan for the director.

Five years of history make the measures' work realistic (``BENCH_YEARS``, default 5 in ``bench/context.py``);
``SAFEGUARD_VAR_DIR=var/bench-lead BENCH_CHILDREN=300000`` keeps a database of its own."""

from django.urls import reverse

from bench.harness import measure
from safeguard.casework.models import CinEpisode
from safeguard.compliance.models import Deadline

RUNS = 20


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    scale = f"{context.scale}_{CinEpisode.objects.count()}_episodes_{Deadline.objects.count()}_deadlines"
    measures = reverse("leadership:measures")
    pages = [
        ("measures_teammanager", "teammanager", measures),
        ("measures_headofservice", "headofservice", measures),
        ("measures_director_year", "director", measures),
        ("measures_director_rolling", "director", f"{measures}?period=rolling"),
        ("plan_director", "director", reverse("leadership:plan")),
    ]
    results, clients = [], {}
    for name, username, url in pages:
        client = clients.setdefault(username, context.client_for(username))
        results.append(measure(name, lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale))
    return results
