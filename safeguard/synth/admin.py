from django.contrib import admin

from safeguard.synth.models import SyntheticDataset


@admin.register(SyntheticDataset)
class SyntheticDatasetAdmin(admin.ModelAdmin):
    """Read only: a dataset row records how the data was made, and is not edited."""

    list_display = ["created_at", "la_name", "children", "years", "seed", "today", "duration_seconds"]
    readonly_fields = [field.name for field in SyntheticDataset._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
