from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "safeguard.synth"
    label = "synth"
    verbose_name = "Synthetic local authority"
