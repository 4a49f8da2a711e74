from django.urls import path

from safeguard.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.report, name="report"),
    path("<int:action_id>/", views.action, name="action"),
    path("incidents/<int:incident_id>/", views.incident, name="incident"),
]
