"""The logs are readable by administrators for investigations, and changeable by nobody."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from safeguard.audit.models import AccessEvent, AuditEvent
from safeguard.audit.services import audit_event_record, changes_between


class ReadOnlyLogAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "user", "action", "outcome", "child", "basis", "subject"]
    list_filter = ["action", "outcome"]
    raw_id_fields = ["user", "child"]
    date_hierarchy = "at"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "actor", "action", "entity_type", "entity_id", "child"]
    list_filter = ["entity_type"]
    raw_id_fields = ["actor", "child"]
    date_hierarchy = "at"


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


class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    """Sign-in accounts: who was given access, or had it changed, is part of the audit trail."""

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
