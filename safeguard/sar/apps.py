from django.apps import AppConfig


class SarConfig(AppConfig):
    name = "safeguard.sar"
    label = "sar"
    verbose_name = "Subject access requests: everything held about one person, redacted and disclosed"
