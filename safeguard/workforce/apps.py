from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safeguard.workforce"
    label = "workforce"
    verbose_name = "Workforce: establishment, starters and leavers, capacity against demand"
