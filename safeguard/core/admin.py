from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin
from safeguard.core.calendar import calendar
from safeguard.core.models import CalendarOverride, ReferenceCode


@admin.register(ReferenceCode)
class ReferenceCodeAdmin(AuditedAdmin):
    list_display = ["code_set", "code", "label", "valid_from", "valid_to"]
    list_filter = ["code_set"]
    search_fields = ["code", "label"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_working_day", "reason"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Deadlines computed after this save must see the new day.
        calendar.cache_clear()
