from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "safeguard.retention"
    label = "retention"
    verbose_name = "Retention: how long each record is kept, disposal reviews and legal holds"

    def ready(self) -> None:
        from safeguard.people.links import register_child_page
        from safeguard.retention.policies import may_review
        from safeguard.retention.views import home_panel
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        register_child_page("Retention: how long this record is kept, legal holds", "retention:child")
        register_navigation("Retention", "retention:queue", section="/retention/", visible_to=may_review)
        register_home_panel(HomePanel(template="retention/_home_panel.html", context=home_panel))
