from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguard.learning"
    label = "learning"
    verbose_name = "Learning actions from rapid reviews, practice reviews and case audits"

    def ready(self) -> None:
        from safeguard.compliance.private import register_private_scope
        from safeguard.learning.models import LearningAction
        from safeguard.learning.policies import may_see_report, visible_action_ids
        from safeguard.learning.views import my_actions_panel, overdue_panel
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # An incident's learning actions tell of it: their deadlines only for those who may see it (ADR 0018).
        # Case audit actions' deadlines follow the audited child's record, like any other.
        register_private_scope(LearningAction._meta.label_lower, visible_action_ids)
        register_navigation(
            "Learning actions", "learning:report", section="/learning-actions/", visible_to=may_see_report
        )
        register_home_panel(HomePanel(template="learning/_my_actions_panel.html", context=my_actions_panel))
        register_home_panel(HomePanel(template="learning/_overdue_panel.html", context=overdue_panel))
