"""The second factors in the admin: an administrator can see who has which, and remove one (a member of staff
who lost their phone and their recovery codes sets up a new one at their next sign-in), but never read or
change a secret. Each removal is in the audit log."""

from allauth.mfa.models import Authenticator
from django.contrib import admin

from safeguard.audit.services import audit_event_record

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self._record_removal(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            self._record_removal(request, authenticator)
        super().delete_queryset(request, queryset)

    def _record_removal(self, request, authenticator) -> None:
        audit_event_record(
            actor=request.user,
            action="user.second_factor_removed",
            entity=authenticator.user,
            changes={"second_factor": [authenticator.get_type_display(), None]},
            reason="removed in administration",
        )
