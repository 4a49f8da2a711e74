from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin
from safeguard.restrictions.models import CaldicottGuardian


@admin.register(CaldicottGuardian)
class CaldicottGuardianAdmin(AuditedAdmin):
    """Who the Caldicott Guardian is: set by the administrator (it names a person, not a child)."""

    list_display = ["worker", "start_date", "end_date"]
    raw_id_fields = ["worker"]
    exclude = ["created_by", "modified_by"]
