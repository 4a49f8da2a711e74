from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin
from safeguard.core.models import CalendarOverride, ReferenceCode


@admin.register(ReferenceCode)
class ReferenceCodeAdmin(AuditedAdmin):
    list_display = ["code_set", "code", "label", "valid_from", "valid_to"]
    list_filter = ["code_set"]
    search_fields = ["code", "label"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    # Saving a row clears the cached calendar (safeguard/core/calendar.py), so deadlines see the new day at once.
    list_display = ["date", "is_working_day", "reason"]
