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


# ----------------------------------------------------------------------------------------------------------
# No case data in the admin, and nobody raises their own privileges (issue 8)


def test_the_access_log_is_not_in_the_admin(people, client_for):
    """It names children and holds search terms: it is read on the logged access-log pages instead."""
    from django.contrib import admin

    from safeguard.audit.models import AccessEvent

    assert not admin.site.is_registered(AccessEvent)
    response = client_for(people.administrator).get("/admin/audit/accessevent/")
    assert response.status_code == 404


def test_the_admins_audit_log_shows_administration_changes_but_nothing_about_a_child(people, client_for):
    from safeguard.audit.services import audit_event_record

    child = people.alices_child
    about_child = audit_event_record(
        actor=people.social_worker.user,
        action="person.changed",
        entity=child.person,
        child=child,
        changes={"last_name": ["Testchild", "Secretname"]},
    )
    about_team = audit_event_record(
        actor=people.administrator.user,
        action="team.changed",
        entity=people.north_team,
        changes={"name": ["Old name", "New name"]},
    )
    client = client_for(people.administrator)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert reverse("admin:audit_auditevent_change", args=[about_team.pk]) in html
    assert reverse("admin:audit_auditevent_change", args=[about_child.pk]) not in html
    assert child.person.last_name not in html and child.la_child_id not in html
    detail = client.get(reverse("admin:audit_auditevent_change", args=[about_team.pk]))
    assert detail.status_code == 200 and "New name" in detail.content.decode()
    hidden = client.get(reverse("admin:audit_auditevent_change", args=[about_child.pk]), follow=True)
    assert "Secretname" not in hidden.content.decode()


def _worker_form_data(worker, **changes) -> dict:
    data = {
        "user": worker.user_id,
        "role": worker.role,
        "team": worker.team_id or "",
        "area": worker.area_id or "",
        "manager": worker.manager_id or "",
        "job_title": worker.job_title,
        "is_qualified": "on" if worker.is_qualified else "",
        "qualified_on": "",
        "swe_number": worker.swe_number,
        "fte": str(worker.fte),
        "employment": worker.employment,
        "created_by": "",
        "modified_by": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_administrator_cannot_change_their_own_role(people, client_for):
    from safeguard.organisation.models import Role, Worker

    own = people.administrator
    client = client_for(own)
    url = reverse("admin:organisation_worker_change", args=[own.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="team"' not in page
    response = client.post(url, _worker_form_data(own, role=Role.DIRECTOR))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Worker.objects.get(pk=own.pk).role == Role.ADMINISTRATOR


def test_an_administrator_can_change_someone_elses_role_and_it_is_audited(people, client_for):
    from safeguard.organisation.models import Role, Worker

    other = people.colleague
    client = client_for(people.administrator)
    url = reverse("admin:organisation_worker_change", args=[other.pk])
    response = client.post(url, _worker_form_data(other, role=Role.FAMILY_SUPPORT_WORKER))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Worker.objects.get(pk=other.pk).role == Role.FAMILY_SUPPORT_WORKER
    event = AuditEvent.objects.get(action="worker.changed", entity_id=str(other.pk))
    assert event.changes["role"] == [Role.SOCIAL_WORKER, Role.FAMILY_SUPPORT_WORKER]


def test_an_administrator_cannot_give_themselves_a_staff_record(people, client):
    from safeguard.organisation.models import Role, Worker
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:organisation_worker_add"),
        {"user": root.pk, "role": Role.DIRECTOR, "fte": "1", "employment": "permanent"},
    )
    assert response.status_code == 200
    assert "ask another administrator" in response.content.decode()
    assert not Worker.objects.filter(user=root).exists()


def test_nobody_changes_their_own_account_privileges(people, client_for, rf):
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    staff = people.analyst.user
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client = client_for(people.analyst)
    own_page = client.get(reverse("admin:auth_user_change", args=[staff.pk])).content.decode()
    for name in ("is_superuser", "is_staff", "is_active", "groups", "user_permissions"):
        assert f'name="{name}"' not in own_page
    others_page = client.get(
        reverse("admin:auth_user_change", args=[people.colleague.user.pk])
    ).content.decode()
    assert 'name="is_superuser"' in others_page

    request = rf.get("/")
    request.user = staff
    user_admin = admin.site._registry[get_user_model()]
    form = user_admin.get_form(request, staff, change=True)
    assert "is_superuser" not in form.base_fields
