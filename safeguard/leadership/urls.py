from django.urls import path

from safeguard.leadership import views

app_name = "leadership"
urlpatterns = [
    path("measures/", views.measures_view, name="measures"),
    path("plan/", views.plan, name="plan"),
    path("plan/new/", views.action_new, name="action_new"),
    path("plan/<int:action_id>/", views.action, name="action"),
    path("plan/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("populations/", views.figures, name="figures"),
    path("populations/record/", views.figures_enter, name="figures_enter"),
    path("populations/import/", views.figures_import, name="figures_import"),
]
