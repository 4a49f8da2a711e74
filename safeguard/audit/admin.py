"""The logs are readable by administrators for investigations, and changeable by nobody."""

from django.contrib import admin

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


class AuditedAdmin(admin.ModelAdmin):
    """Admin pages for reference and organisation data: each save writes an ``AuditEvent`` in the same
    transaction, and nothing can be deleted (the service never hard-deletes; end-date a row instead)."""

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        fields = [
            f.attname for f in obj._meta.concrete_fields if f.attname not in {"modified_at", "created_at"}
        ]
        audit_event_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'changed' if change else 'created'}",
            entity=obj,
            changes=changes_between(before, obj, fields),
            reason="changed in administration",
        )

    def has_delete_permission(self, request, obj=None):
        return False
