from django.urls import path

from safeguard.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:collection>/<int:year>/", views.report, name="report"),
    path("<slug:collection>/<int:year>/download/", views.download, name="download"),
    path("<slug:collection>/<int:year>/queries/<str:code>/", views.explain, name="explain"),
]
