from django.contrib import admin

from safeguard.compliance.models import StatutoryDuty


@admin.register(StatutoryDuty)
class StatutoryDutyAdmin(admin.ModelAdmin):
    """Read only: duties are loaded from compliance/data/duties.csv by a migration."""

    list_display = ["code", "name", "period", "verified", "local"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
