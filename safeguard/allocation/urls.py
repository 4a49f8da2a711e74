from django.urls import path

from safeguard.allocation import views

app_name = "allocation"
urlpatterns = [
    path("unallocated/", views.unallocated, name="unallocated"),
]
