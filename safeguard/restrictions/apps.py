from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "safeguard.restrictions"
    label = "restrictions"
    verbose_name = "Restricted records and emergency (break-glass) access"
