"""The front door at the scale of a large city (about 60,000 contacts a year, 3 years of history), through the
whole request cycle as its users meet it: the queue of contacts awaiting a decision (a front door worker and
their manager), the dashboard (the manager and the director), and the queue's selector alone."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.harness import measure
from safeguard.frontdoor.models import Contact
from safeguard.frontdoor.selectors import front_door_queue

RUNS = 30
PAGE_SIZE = 50  # the first page of the queue, for the selector alone


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    contacts = Contact.objects.count()
    awaiting = Contact.objects.filter(status="awaiting_decision").count()
    scale = f"{context.scale}_{contacts}_contacts_{awaiting}_awaiting"
    results = []
    for name, username, url in (
        ("queue_frontdoor", "frontdoor", reverse("frontdoor:queue")),
        ("queue_frontdoormanager", "frontdoormanager", reverse("frontdoor:queue")),
        ("dashboard_frontdoormanager", "frontdoormanager", reverse("frontdoor:dashboard")),
        ("dashboard_director", "director", reverse("frontdoor:dashboard")),
    ):
        client = context.client_for(username)
        results.append(measure(name, lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale))

    worker = get_user_model().objects.get(username="frontdoor")

    def selector(_):
        queue = front_door_queue(user=worker)
        first_page = list(queue[:PAGE_SIZE])
        assert first_page, "the frontdoor persona's queue is empty"
        queue.count()

    results.append(measure("queue_selector_frontdoor", selector, runs=RUNS, scale=scale))
    return results
