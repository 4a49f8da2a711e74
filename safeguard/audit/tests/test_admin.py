"""Changes made in the administration pages are audited, and nothing there can be deleted."""

from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.organisation.models import Team


def test_changing_a_team_in_the_admin_writes_an_audit_event(people, client_for):
    client = client_for(people.administrator)
    team = people.north_team
    url = reverse("admin:organisation_team_change", args=[team.pk])
    response = client.post(url, {"name": "Child in Need North West", "kind": team.kind, "area": team.area_id})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Team.objects.get(pk=team.pk).name == "Child in Need North West"
    event = AuditEvent.objects.get(action="team.changed", entity_id=str(team.pk))
    assert event.actor == people.administrator.user
    assert event.changes == {"name": ["Child in Need North", "Child in Need North West"]}


def test_a_password_change_is_audited_without_the_hash(people, client_for):
    client = client_for(people.administrator)
    user = people.social_worker.user
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    new = "a-new-long-passphrase-2026"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(entity_type="auth.user", entity_id=str(user.pk)).latest("at")
    assert event.changes["password"] == ["(redacted)", "(changed)"]
    assert "pbkdf2" not in str(event.changes)


def test_nothing_can_be_deleted_in_the_admin(people, client_for):
    client = client_for(people.administrator)
    response = client.get(reverse("admin:organisation_team_delete", args=[people.north_team.pk]))
    assert response.status_code == 403
