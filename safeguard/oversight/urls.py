from django.urls import path

from safeguard.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("areas/", views.areas, name="areas"),
    path("approvals/", views.approvals, name="approvals"),
    path("closures/", views.closures, name="closures"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/record/", views.supervision_choose, name="supervision_choose"),
    path("supervision/record/<int:worker_id>/", views.supervision_record, name="supervision_record"),
    path("supervision/<int:supervision_id>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/workers/<int:worker_id>/", views.worker_supervision, name="worker_supervision"),
    path("audits/", views.audits, name="audits"),
    path("children/<opaque:child_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("children/<opaque:child_id>/decisions/<int:decision_id>/", views.decision, name="decision"),
    path("children/<opaque:child_id>/audits/new/", views.audit_start, name="audit_start"),
    path("children/<opaque:child_id>/audits/<int:audit_id>/", views.audit, name="audit"),
    path(
        "children/<opaque:child_id>/audits/<int:audit_id>/complete/",
        views.audit_complete,
        name="audit_complete",
    ),
    path(
        "children/<opaque:child_id>/audits/<int:audit_id>/actions/new/",
        views.audit_action_new,
        name="audit_action_new",
    ),
    path(
        "children/<opaque:child_id>/audit-actions/<int:action_id>/", views.audit_action, name="audit_action"
    ),
]
