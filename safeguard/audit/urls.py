"""The access-log pages (safeguard/audit/log_views.py), under /access-log/."""

from django.urls import path

from safeguard.audit import log_views

app_name = "audit"
urlpatterns = [
    path("", log_views.index, name="index"),
    path("find-child/", log_views.find_child, name="find_child"),
    path("children/<opaque:child_id>/", log_views.child_log, name="child"),
    path(
        "children/<opaque:child_id>/subject-access/",
        log_views.child_log_for_request,
        name="child_for_request",
    ),
    path("children/<opaque:child_id>/subject-access.csv", log_views.child_log_csv, name="child_csv"),
    path("users/<int:user_id>/", log_views.user_activity, name="user"),
]
