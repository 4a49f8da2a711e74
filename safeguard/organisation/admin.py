from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin

# Allocations and children are not in the admin: an administrator runs the system, not the cases, and
# the access policy gives them no child's record (safeguard/audit/policy.py).
from safeguard.organisation.models import Area, Post, PostFilling, Team, Worker


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "code"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["area", "kind"]


@admin.register(Worker)
class WorkerAdmin(AuditedAdmin):
    list_display = ["name", "role", "team", "area", "is_qualified", "employment", "fte"]
    list_filter = ["role", "team__area", "employment", "is_qualified"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "swe_number"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["user", "team", "area"]


class PostFillingInline(admin.TabularInline):
    """Who held the post, and when: read only here. Starters, leavers and moves are recorded through the
    workforce pages (``safeguard.workforce.services``), which refuse overlaps and write the audit log."""

    model = PostFilling
    fields = ["worker", "employment", "start_date", "end_date", "leaving_reason", "moved_within_council"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-start_date"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["title", "team", "grade", "fte", "established_on", "disestablished_on"]
    list_filter = ["team__area", "grade", "team"]
    list_select_related = ["team"]
    inlines = [PostFillingInline]
