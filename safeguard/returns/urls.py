from django.urls import path

from safeguard.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("cin-census/<int:year>/", views.cin_census, name="cin_census"),
    path("cin-census/<int:year>/download/", views.cin_census_xml, name="cin_census_xml"),
    path("cin-census/<int:year>/queries/<str:code>/", views.explain, name="explain"),
]
