"""Closing a child in need episode (CIN census CINclosureDate and ReasonForClosure). Nothing may be left
open inside it: the service says what is, and the page shows it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguard.audit.views import child_record
from safeguard.casework import services
from safeguard.casework.forms import EpisodeCloseForm
from safeguard.casework.models import CinEpisode
from safeguard.casework.views.common import form_page, refusals_logged, run_service, to_case_file
from safeguard.core.reference import label


@child_record(page="close the case", changes=True)
@refusals_logged("close the case")
def episode_close(request, child, episode_id):
    episode = get_object_or_404(CinEpisode.objects.select_related("team", "area"), pk=episode_id, child=child)
    today = timezone.localdate()
    if request.method == "POST":
        form = EpisodeCloseForm(request.POST, on=today, needs_primary_need=not episode.primary_need)
        closed = run_service(
            form,
            lambda data: services.cin_episode_close(
                episode=episode,
                closed_by=request.user,
                closure_date=data["closure_date"],
                reason=data["reason"],
                version=data["version"],
                referral_nfa=data["referral_nfa"],
                primary_need=data.get("primary_need", ""),
            ),
            record=episode,
        )
        if closed is not None:
            messages.success(request, f"Case closed: {label('closure_reason', closed.closure_reason)}")
            return to_case_file(child)
        status = 400
    else:
        form = EpisodeCloseForm(
            initial={"closure_date": today, "version": episode.version},
            on=today,
            needs_primary_need=not episode.primary_need,
        )
        status = 200
    return form_page(request, "casework/episode_close.html", child, form, status, episode=episode)
