from django.urls import path

from safeguard.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.index, name="index"),
    path("children/<opaque:child_id>/", views.child_incidents, name="child"),
    path("children/<opaque:child_id>/new/", views.incident_new, name="new"),
    path("<int:incident_id>/", views.incident, name="incident"),
    path("<int:incident_id>/notifications/new/", views.notification_new, name="notification_new"),
    path("<int:incident_id>/rapid-review/", views.rapid_review_new, name="rapid_review"),
    path("<int:incident_id>/practice-review/", views.practice_review, name="practice_review"),
    path("<int:incident_id>/access/", views.access_add, name="access_add"),
    path("<int:incident_id>/recorded-in-error/", views.in_error, name="in_error"),
    path("access/<int:entry_id>/end/", views.access_end, name="access_end"),
]
