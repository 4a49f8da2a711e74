from django.urls import path

from safeguard.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:review_id>/", views.confirm, name="confirm"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path("reviews/<opaque:child_id>/", views.review, name="review"),
    path("reviews/<opaque:child_id>/hold/", views.hold_new, name="hold_new"),
    path("children/<opaque:child_id>/", views.child_retention, name="child"),
]
