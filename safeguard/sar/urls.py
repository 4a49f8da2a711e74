from django.urls import path

from safeguard.sar import views

app_name = "sar"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.receive, name="receive"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/assign/", views.assign, name="assign"),
    path("<int:request_id>/identity/", views.identity, name="identity"),
    path("<int:request_id>/extend/", views.extend, name="extend"),
    path("<int:request_id>/move/", views.move, name="move"),
    path("<int:request_id>/refuse/", views.refuse_request, name="refuse"),
    path("<int:request_id>/close/", views.close, name="close"),
    path("<int:request_id>/workspace/", views.workspace, name="workspace"),
    path("<int:request_id>/workspace/redact/", views.redact, name="redact"),
    path("<int:request_id>/redactions/<int:redaction_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:request_id>/disclose/", views.disclose, name="disclose"),
]
