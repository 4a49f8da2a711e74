from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "safeguard.leadership"
    label = "leadership"
    verbose_name = "Leadership: performance measures and the improvement plan"
