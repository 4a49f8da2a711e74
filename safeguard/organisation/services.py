"""Changes to staff sign-in accounts that take effect at once."""

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction

from safeguard.audit.services import audit_event_record


def sessions_end_all(user) -> int:
    """End every session ``user`` has, on every computer, and say how many there were.

    allauth's ``UserSession`` records each signed-in session (``UserSessionsMiddleware``), so they are found
    without decoding every session in the table. A session that has made no request since it was recorded
    would be missed; Django refuses an inactive account on its next request anyway (``user_can_authenticate``).
    """
    sessions = list(UserSession.objects.filter(user=user))
    Session.objects.filter(session_key__in=[session.session_key for session in sessions]).delete()
    UserSession.objects.filter(pk__in=[session.pk for session in sessions]).delete()
    return len(sessions)


@transaction.atomic
def account_disable(user, *, by, reason: str) -> int:
    """Disable a member of staff's account, ending all their sessions at once (ASVS 5.0 V7.4.2): a worker
    who leaves, or whose account is suspected of misuse, is signed out of every computer now, not at their
    next request. Returns how many sessions were ended."""
    if not reason.strip():
        raise ValueError("Say why the account is being disabled")
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    was_active = locked.is_active
    if was_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    ended = sessions_end_all(locked)
    audit_event_record(
        actor=by,
        action="user.disabled",
        entity=locked,
        changes={"is_active": [was_active, False], "sessions_ended": [ended, 0]},
        reason=reason,
    )
    user.is_active = False
    return ended
