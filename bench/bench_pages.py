"""The foundation's pages as their users meet them, through the whole request cycle (middleware, policy,
access log, templates): home pages by role, a search, a child's record."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.harness import measure
from safeguard.audit.policy import visible_children
from safeguard.organisation.models import Allocation

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    results = []
    for username in ("socialworker", "teammanager", "headofservice", "director"):
        client = context.client_for(username)
        results.append(
            measure(
                f"home_{username}",
                lambda _, c=client: _get(c, reverse("home")),
                runs=RUNS,
                scale=context.scale,
            )
        )

    director = context.client_for("director")
    names = ["smi", "mohammed", "jo", "ali kh", "o'b"]

    def search(i, client=director):
        response = client.post(reverse("children:search"), {"name": names[i % len(names)]}, follow=True)
        assert response.status_code == 200

    results.append(measure("search_name_director", search, runs=RUNS, scale=context.scale))

    social_worker = context.client_for("socialworker")
    results.append(
        measure(
            "search_name_socialworker",
            lambda i: search(i, social_worker),
            runs=RUNS,
            scale=context.scale,
        )
    )

    child_ids = list(
        Allocation.objects.current()
        .filter(worker__user__username="socialworker")
        .values_list("child_id", flat=True)
    )
    assert child_ids, "the socialworker persona has no caseload"
    results.append(
        measure(
            "child_record_socialworker",
            lambda i: _get(social_worker, reverse("children:record", args=[child_ids[i % len(child_ids)]])),
            runs=RUNS,
            scale=context.scale,
        )
    )

    manager = get_user_model().objects.get(username="teammanager")
    results.append(
        measure(
            "visible_children_count_teammanager",
            lambda _: visible_children(manager).count(),
            runs=RUNS,
            scale=context.scale,
        )
    )
    return results
