from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "safeguard.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door: contacts, MASH checks, decisions and referrals"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.frontdoor.policies import FRONT_DOOR_REACH

        # The front door team may open the records of children whose contacts are before it.
        register_reach(FRONT_DOOR_REACH)
