from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "safeguard.retention"
    label = "retention"
    verbose_name = "Retention: how long each record is kept, disposal reviews and legal holds"
