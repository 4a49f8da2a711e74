from django.contrib import admin

from safeguard.audit.admin import AuditedAdmin

# Allocations and children are not in the admin: an administrator runs the system, not the cases, and
# the access policy gives them no child's record (safeguard/audit/policy.py).
from safeguard.organisation.models import Area, Post, Team, Worker


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


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["title", "team", "fte", "holder", "vacant_since"]
    list_filter = ["team__area", "team"]
    raw_id_fields = ["holder"]
