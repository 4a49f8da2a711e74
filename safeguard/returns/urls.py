from django.urls import path

from safeguard.returns import import_views, views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", import_views.import_file, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("annex-a/", views.annex_a, name="annex-a"),
    path("annex-a/download/", views.annex_a_download, name="annex-a-download"),
    path("<slug:collection>/<int:year>/", views.report, name="report"),
    path("<slug:collection>/<int:year>/download/", views.download, name="download"),
    path("<slug:collection>/<int:year>/queries/<str:code>/", views.explain, name="explain"),
]
