"""The administration pages hold no case data, and the logs in them are changeable by nobody.

An administrator runs the system, not the cases: the access policy gives them no child
(``safeguard.audit.policy``), and Django's admin neither asks that policy nor logs what it shows. So:

- The access log is not in the admin at all. It names children and holds what people searched for (names,
  dates of birth, NHS numbers); it is read on the access-log pages (``safeguard/audit/log_views.py``,
  ``/access-log/``) by the information governance officer, the director and a child's managers, and every
  read there is itself logged.
- The audit log is in the admin only for what the admin itself changes (areas, teams, workers, posts, user
  accounts, reference data): rows about no child, for models registered here. A change to a child's record is
  read on that child's pages, by people the policy lets see it.
- Nobody changes their own privileges here: their own account's staff, superuser, active, group and permission
  fields, and their own staff record's role, team, area and manager, are read only to them
  (``AuditedUserAdmin``; ``safeguard/organisation/admin.py``). Another administrator has to make the change,
  and it is audited as theirs.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.audit.services import audit_event_record, changes_between
from safeguard.organisation.services import sessions_end_all


class ReadOnlyLogAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def administered_entity_types() -> set[str]:
    """``entity_type`` of every model the admin edits (``app_label.modelname``), apart from the logs."""
    return {
        model._meta.label_lower for model in admin.site._registry if model not in (AccessEvent, AuditEvent)
    }


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLogAdmin):
    """Changes made to what the admin administers: never a row about a child, and never a child's name."""

    list_display = ["at", "actor", "action", "entity_type", "entity_id"]
    list_filter = ["entity_type"]
    fields = ["at", "actor", "action", "entity_type", "entity_id", "changes", "reason"]
    readonly_fields = fields
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(child__isnull=True, entity_type__in=administered_entity_types())
        )


# Never copied into the audit log: a password hash is a secret, so its change is recorded only as a change.
REDACTED_FIELDS = {"password"}
UNTRACKED_FIELDS = {"modified_at", "created_at", "last_login"}


class AuditedAdminMixin:
    """Each save through the admin writes an ``AuditEvent`` in the same transaction, and nothing can be
    deleted (the service never hard-deletes; end-date a row or deactivate an account instead)."""

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        fields = [f.attname for f in obj._meta.concrete_fields if f.attname not in UNTRACKED_FIELDS]
        changes = changes_between(before, obj, fields)
        for name in REDACTED_FIELDS & changes.keys():
            changes[name] = ["(redacted)", "(changed)"]
        audit_event_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'changed' if change else 'created'}",
            entity=obj,
            changes=changes,
            reason="changed in administration",
        )

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Admin pages for reference and organisation data."""


# What gives an account its power: read only on one's own account, so that nobody raises their own.
OWN_PRIVILEGE_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    """Sign-in accounts: who was given access, or had it changed, is part of the audit trail."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += [name for name in OWN_PRIVILEGE_FIELDS if name not in readonly]
        return readonly

    def save_model(self, request, obj, form, change):
        was_active = change and type(obj).objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            # Disabled here: every session of the account ends now, on every computer, as
            # organisation.services.account_disable does (ASVS 5.0 V7.4.2).
            sessions_end_all(obj)

    def user_change_password(self, request, id, form_url=""):
        # Django's password page saves the form itself rather than through save_model.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_event_record(
                actor=request.user,
                action="user.password_changed",
                entity=self.get_object(request, id),
                changes={"password": ["(redacted)", "(changed)"]},
                reason="changed in administration",
            )
        return response


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AuditedUserAdmin)
