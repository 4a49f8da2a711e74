"""Casework pages that are not one child's: a worker's "what is due" list, and bulk closure alerts."""

from django.urls import path

from safeguard.casework.views import casefile, closure

app_name = "work"
urlpatterns = [
    path("due/", casefile.due, name="due"),
    path("closure-alerts/<int:alert_id>/", closure.bulk_closure_alert, name="bulk_closure_alert"),
]
