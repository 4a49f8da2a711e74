from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguard.learning"
    label = "learning"
    verbose_name = "Learning actions from rapid reviews, practice reviews and case audits"
