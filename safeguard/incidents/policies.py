"""Who may see a serious incident (filled in by issue 9's incidents work)."""

from django.db.models import QuerySet

from safeguard.incidents.models import SeriousIncident


def incidents_visible_to(user) -> QuerySet[SeriousIncident]:
    """The serious incidents ``user`` may see."""
    return SeriousIncident.objects.none()


def may_see_incident(user, incident: SeriousIncident) -> bool:
    return incidents_visible_to(user).filter(pk=incident.pk).exists()
