from django.urls import path

from safeguard.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("areas/<int:area_id>/", views.area, name="area"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/posts/new/", views.post_new, name="post_new"),
    path("posts/<int:post_id>/starter/", views.post_fill, name="post_fill"),
    path("posts/<int:post_id>/leaver/", views.post_leaver, name="post_leaver"),
    path("posts/<int:post_id>/cut/", views.post_cut, name="post_cut"),
]
