"""Issue 9's pages at the scale of a large city, through the whole request cycle: the serious incidents list and
one incident (the director), the learning actions report (the director, every area; a head of service, their
area), a child's record with its notices (the social worker persona's child with the most household members:
the household's incidents and education withdrawals are looked up for every record opened), the child's
Education page, and the front door queue (the director is not a front door user: the front door worker), whose
rows now carry the "withdrawn from school" tag."""

from django.db.models import Count
from django.urls import reverse

from bench.harness import measure
from safeguard.frontdoor.models import EducationWithdrawal
from safeguard.incidents.models import SeriousIncident
from safeguard.learning.models import LearningAction
from safeguard.organisation.models import Allocation
from safeguard.people.models import EducationStatus, HouseholdMembership

RUNS = 30


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def run(context):
    incidents = SeriousIncident.objects.count()
    scale = (
        f"{context.scale}_{incidents}_incidents_{LearningAction.objects.count()}_learning_actions_"
        f"{EducationStatus.objects.count()}_education_statuses_{EducationWithdrawal.objects.count()}_withdrawals"
    )
    director = context.client_for("director")
    head = context.client_for("headofservice")
    social_worker = context.client_for("socialworker")
    front_door = context.client_for("frontdoor")
    incident = SeriousIncident.objects.order_by("-became_aware_on").first()
    held = Allocation.objects.in_force().filter(worker__user__username="socialworker").values("child_id")
    busiest = (
        HouseholdMembership.objects.filter(person_id__in=held)
        .values("person_id")
        .annotate(n=Count("household__memberships"))
        .order_by("-n")
        .first()
    )
    child_id = busiest["person_id"]
    pages = [
        ("incidents_list_director", director, reverse("incidents:index")),
        ("incident_page_director", director, reverse("incidents:incident", args=[incident.pk])),
        ("learning_report_director", director, reverse("learning:report")),
        ("learning_report_headofservice", head, reverse("learning:report")),
        ("child_record_socialworker", social_worker, reverse("children:record", args=[child_id])),
        ("education_page_socialworker", social_worker, reverse("frontdoor:education", args=[child_id])),
        ("front_door_queue_frontdoor", front_door, reverse("frontdoor:queue")),
    ]
    return [
        measure(name, lambda _, c=client, u=url: _get(c, u), runs=RUNS, scale=scale)
        for name, client, url in pages
    ]
