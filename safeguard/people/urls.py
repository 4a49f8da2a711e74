from django.urls import path

from safeguard.people import views

app_name = "children"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("<opaque:child_id>/", views.record, name="record"),
]
