from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "safeguard.leadership"
    label = "leadership"
    verbose_name = "Leadership: performance measures and the improvement plan"

    def ready(self) -> None:
        from safeguard.leadership.policies import may_edit_figures, may_read
        from safeguard.ui.context_processors import register_navigation

        register_navigation(
            "Performance", "leadership:measures", section="/leadership/measures/", visible_to=may_read
        )
        register_navigation(
            "Improvement plan", "leadership:plan", section="/leadership/plan/", visible_to=may_read
        )
        # Those who keep the populations get a way in; readers reach them from the performance page.
        register_navigation(
            "Populations",
            "leadership:figures",
            section="/leadership/populations/",
            visible_to=may_edit_figures,
        )
