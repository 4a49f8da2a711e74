"""Casework pages that are not one child's: a worker's "what is due" list."""

from django.urls import path

from safeguard.casework.views import casefile

app_name = "work"
urlpatterns = [
    path("due/", casefile.due, name="due"),
]
