"""The oversight dashboard at the scale of a large city, through the whole request cycle: for a team manager
(one team), a head of service (one area's teams) and the director (every area side by side, and one area's
teams); the area dashboards (front door, casework, breaches, workforce and improvement per area) for a head
of service and the director; and the approvals queue and the closures list for a head of service and the
director.

Set ``BENCH_CHILDREN=310000`` for more than 10,000 open cases (issue 5's scale); the default 274,000 gives
about 9,100."""

from django.urls import reverse

from bench.harness import measure
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Area, Role, Worker

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    workers = Worker.objects.filter(role=Role.SOCIAL_WORKER, user__is_active=True).count()
    scale = f"{context.scale}_{CinEpisode.objects.open().count()}_open_cases_{workers}_social_workers"
    results = []
    dashboard = reverse("oversight:dashboard")
    area = Area.objects.order_by("pk").first()
    pages = [
        ("dashboard_teammanager", "teammanager", dashboard),
        ("dashboard_headofservice", "headofservice", dashboard),
        ("dashboard_director", "director", dashboard),
        ("dashboard_director_one_area", "director", f"{dashboard}?area={area.pk}"),
        ("areas_headofservice", "headofservice", reverse("oversight:areas")),
        ("areas_director", "director", reverse("oversight:areas")),
        ("approvals_headofservice", "headofservice", reverse("oversight:approvals")),
        ("approvals_director", "director", reverse("oversight:approvals")),
        ("closures_director", "director", reverse("oversight:closures")),
    ]
    clients = {}
    for name, username, url in pages:
        client = clients.setdefault(username, context.client_for(username))
        results.append(measure(name, lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale))
    return results
