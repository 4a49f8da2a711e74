from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "safeguard.incidents"
    label = "incidents"
    verbose_name = "Serious incidents: notifications, rapid reviews and practice reviews"
