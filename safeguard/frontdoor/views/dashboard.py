"""The front door dashboard: counts only, for the people who answer for the front door."""

from django.shortcuts import render

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy
from safeguard.frontdoor.dashboard import front_door_figures
from safeguard.frontdoor.policies import may_see_front_door_figures


@policy("front door managers, heads of service and the director: counts only")
def dashboard(request):
    if not may_see_front_door_figures(request.user):
        reason = "Only front door managers, heads of service and the director see the front door's figures."
        access_event_record(
            request=request,
            action=AccessAction.VIEW,
            decision=Decision(False, reason),
            subject="front door dashboard",
        )
        return render(request, "ui/403.html", {"reason": reason}, status=403)
    return render(request, "frontdoor/dashboard.html", {"figures": front_door_figures(user=request.user)})
