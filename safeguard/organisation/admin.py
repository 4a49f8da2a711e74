from django import forms
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


# What decides which children a worker sees (safeguard/audit/policy.py): nobody sets these on their own
# staff record, so that an administrator cannot make themselves a director, or move into a team, to read cases.
OWN_ACCESS_FIELDS = ("user", "role", "team", "area", "manager")
OWN_RECORD_REFUSAL = "You cannot create or change your own staff record’s access: ask another administrator"


@admin.register(Worker)
class WorkerAdmin(AuditedAdmin):
    list_display = ["name", "role", "team", "area", "is_qualified", "employment", "fte"]
    list_filter = ["role", "team__area", "employment", "is_qualified"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "swe_number"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["user", "team", "area"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.user_id == request.user.pk:
            readonly += [name for name in OWN_ACCESS_FIELDS if name not in readonly]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        signed_in = request.user

        class NotOneself(form):
            """A new staff record for one's own account would choose its own role: refused."""

            def clean(self):
                cleaned = super().clean()
                if cleaned.get("user") is not None and cleaned["user"].pk == signed_in.pk:
                    raise forms.ValidationError(OWN_RECORD_REFUSAL)
                return cleaned

        return NotOneself


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
