from django.urls import path

from safeguard.restrictions import views

app_name = "restrictions"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.restriction_new, name="restriction_new"),
    path("<int:restriction_id>/", views.restriction, name="restriction"),
    path("access-list/<int:entry_id>/end/", views.access_list_end, name="access_list_end"),
    path("connections/new/", views.connection_new, name="connection_new"),
    path("connections/<int:connection_id>/end/", views.connection_end, name="connection_end"),
    path("accesses/", views.accesses, name="accesses"),
    path("children/<opaque:child_id>/emergency-access/", views.emergency_access, name="emergency_access"),
    path("emergency-access/", views.reviews, name="reviews"),
    path("emergency-access/<int:emergency_access_id>/", views.review, name="review"),
    path("alerts/<int:alert_id>/seen/", views.alert_seen, name="alert_seen"),
]
