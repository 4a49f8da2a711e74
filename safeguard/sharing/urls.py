from django.urls import path

from safeguard.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:share_id>/", views.shared_record, name="record"),
    path("children/<opaque:child_id>/", views.child_shares, name="child"),
    path("children/<opaque:child_id>/<int:share_id>/revoke/", views.share_revoke, name="revoke"),
    path(
        "children/<opaque:child_id>/staff/<int:staff_share_id>/revoke/",
        views.staff_share_revoke,
        name="staff_revoke",
    ),
]
