"""The unallocated queue at the scale of a large city, through the whole request cycle: the first page for a
team manager, a head of service and the director (every open case in the council)."""

from django.urls import reverse

from bench.harness import measure
from safeguard.casework.models import CinEpisode

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    scale = f"{context.scale}_{CinEpisode.objects.open().count()}_open_cases"
    results = []
    for username in ("teammanager", "headofservice", "director"):
        client = context.client_for(username)
        url = reverse("allocation:unallocated")
        results.append(
            measure(f"unallocated_{username}", lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale)
        )
    return results
