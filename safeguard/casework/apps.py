from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguard.casework"
    label = "casework"
    verbose_name = "Casework: child in need, child protection, visits"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.casework.policies import CONFERENCE_CHAIR_REACH

        register_reach(CONFERENCE_CHAIR_REACH)
