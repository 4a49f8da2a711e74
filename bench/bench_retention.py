"""Retention at the scale of a large city: the information governance officer's disposal review queue through
the whole request cycle (the due-records query over every child, the count, the exact dates for one page of 50,
an access-log row per child shown), and the queue's query on its own with a cutoff 15 years ahead, when tens of
thousands of the synthetic city's children (never looked after, 25th birthday rule) are due: the cost of a
large queue, counted and paged. A child's own retention page for the social worker persona's first child."""

import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.organisation.models import Allocation
from safeguard.retention.selectors import disposal_queue, with_retention

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    scale = context.scale
    infogov = context.client_for("infogov")
    social_worker = context.client_for("socialworker")
    user = get_user_model().objects.get(username="infogov")
    child_id = Allocation.objects.filter(worker__user__username="socialworker").values_list(
        "child_id", flat=True
    )[0]
    far = timezone.localdate() + datetime.timedelta(days=15 * 365)

    def far_queue(_):
        page = Paginator(disposal_queue(user=user, cutoff=far), 50).get_page(2)
        return with_retention(list(page.object_list)), page.paginator.count

    rows, count = far_queue(0)
    print(f"# queue 15 years ahead: {count} records due", flush=True)
    return [
        measure(
            "retention_queue_page",
            lambda _: _get(infogov, reverse("retention:queue")),
            runs=RUNS,
            scale=scale,
        ),
        measure("retention_queue_15_years_ahead_page_2", far_queue, runs=RUNS, scale=scale),
        measure(
            "retention_child_page_socialworker",
            lambda _: _get(social_worker, reverse("retention:child", args=[child_id])),
            runs=RUNS,
            scale=scale,
        ),
    ]
