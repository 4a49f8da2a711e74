from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    label = "audit"
    verbose_name = "Audit: who saw and who changed a child's record"

    def ready(self) -> None:
        from safeguard.audit.log_views import may_see_user_activity, may_see_who_looked
        from safeguard.people.links import register_child_page
        from safeguard.ui.context_processors import register_navigation

        # The information governance officer and the director find users' activity and children's access
        # logs here. Managers reach a child's "who has looked" page from the link on the child's record.
        register_navigation(
            "Access logs", "audit:index", section="/access-log/", visible_to=may_see_user_activity
        )
        register_child_page("Who has looked at this record", "audit:child", visible_to=may_see_who_looked)
