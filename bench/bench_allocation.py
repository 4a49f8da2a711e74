"""Allocation at the scale of a large city, through the whole request cycle: the unallocated queue's first page
for a team manager, a head of service and the director (every open case in the council); the caseload view
for a head of service (one area) and the director (every team and worker); and the allocate page for a
waiting child, with every eligible worker's caseload now and with that child (and their siblings)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.allocation.caseload import weighted_caseloads
from safeguard.allocation.selectors import unallocated_queue
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Role, Worker

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

    workers = Worker.objects.filter(role=Role.SOCIAL_WORKER, user__is_active=True).count()
    caseload_scale = f"{scale}_{workers}_social_workers"
    for username in ("headofservice", "director"):
        client = context.client_for(username)
        url = reverse("allocation:caseloads")
        results.append(
            measure(
                f"caseloads_{username}",
                lambda _, c=client, u=url: _get(c, u),
                runs=RUNS,
                scale=caseload_scale,
            )
        )
    every_worker = list(
        Worker.objects.filter(role=Role.SOCIAL_WORKER, user__is_active=True).select_related("user")
    )
    today = timezone.localdate()
    results.append(
        measure(
            "weighted_caseloads_every_worker",
            lambda _: weighted_caseloads(every_worker, today=today),
            runs=RUNS,
            scale=caseload_scale,
        )
    )

    # The allocate page for the longest-waiting child in each manager's queue (a GET changes nothing).
    for username in ("teammanager", "headofservice"):
        user = get_user_model().objects.get(username=username)
        episode = unallocated_queue(user=user, today=today).first()
        if episode is None:
            print(f"No unallocated child in {username}'s queue: allocate page not measured", flush=True)
            continue
        client = context.client_for(username)
        url = reverse("allocation:allocate", kwargs={"child_id": episode.child_id})
        results.append(
            measure(
                f"allocate_page_{username}", lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale
            )
        )
    return results
