from django.urls import path

from safeguard.allocation import views

app_name = "allocation"
urlpatterns = [
    path("unallocated/", views.unallocated, name="unallocated"),
    path("children/<opaque:child_id>/allocate/", views.allocate, name="allocate"),
    path(
        "children/<opaque:child_id>/allocations/<int:allocation_id>/change-reason/",
        views.change_reason,
        name="change_reason",
    ),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("caseloads/workers/<int:worker_id>/", views.worker_cases, name="worker_cases"),
    path(
        "caseloads/workers/<int:worker_id>/end/", views.worker_allocations_end, name="worker_allocations_end"
    ),
]
