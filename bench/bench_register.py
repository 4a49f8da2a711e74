"""The legal exposure register at the scale of a large city with five years of history (issue 6), through the
whole request cycle: the page for a team manager, a head of service and the director (all, one area, one
duty, one month), and the director's xlsx and CSV exports of one month.

The scale line names the deadlines and breaches behind it; ``BENCH_CHILDREN=310000 BENCH_YEARS=5`` is the
scale issue 6 asks for."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bench.harness import measure
from safeguard.compliance.models import Deadline
from safeguard.organisation.models import Area

RUNS = 20
EXPORT_RUNS = 5


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


def run(context):
    today = timezone.localdate()
    breached = Deadline.objects.breached(today).count()
    scale = f"{context.scale}_{Deadline.objects.count()}_deadlines_{breached}_breaches"
    register = reverse("compliance:register")
    area = Area.objects.order_by("pk").first()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    pages = [
        ("register_teammanager", "teammanager", register, RUNS),
        ("register_headofservice", "headofservice", register, RUNS),
        ("register_director", "director", register, RUNS),
        ("register_director_one_area", "director", f"{register}?area={area.pk}", RUNS),
        ("register_director_one_duty", "director", f"{register}?duty=assessment_from_referral", RUNS),
        ("register_director_last_month", "director", f"{register}?month={month}", RUNS),
        (
            "register_xlsx_director_last_month",
            "director",
            reverse("compliance:register_xlsx") + f"?month={month}",
            EXPORT_RUNS,
        ),
        (
            "register_csv_director_last_month",
            "director",
            reverse("compliance:register_csv") + f"?month={month}",
            EXPORT_RUNS,
        ),
    ]
    clients, results = {}, []
    for name, username, url, runs in pages:
        # An export asks who you are unless confirmed in the last 5 minutes: a fresh client has just confirmed.
        exporting = "xlsx" in name or "csv" in name
        client = (
            context.client_for(username)
            if exporting
            else clients.setdefault(username, context.client_for(username))
        )
        results.append(measure(name, lambda _, c=client, u=url: _get(c, u), runs=runs, scale=scale, warmup=2))
    return results
