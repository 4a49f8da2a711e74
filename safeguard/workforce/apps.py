from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safeguard.workforce"
    label = "workforce"
    verbose_name = "Workforce: establishment, starters and leavers, capacity against demand"

    def ready(self) -> None:
        from safeguard.ui.context_processors import register_navigation
        from safeguard.workforce.policies import may_see_workforce

        register_navigation(
            "Workforce", "workforce:overview", section="/workforce/", visible_to=may_see_workforce
        )
