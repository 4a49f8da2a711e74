from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safeguard.sharing"
    label = "sharing"
    verbose_name = "Sharing a child's record with a partner agency, field by field, for a limited time"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach, register_restriction
        from safeguard.people.links import register_child_page
        from safeguard.sharing.policies import PARTNER_USERS, STAFF_SHARE_REACH, is_partner
        from safeguard.sharing.views import partner_panel
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # Partners are closed out of every ordinary record, list and search, whatever else might reach them:
        # what they see comes only through a share, on this app's own page (ADR 0016).
        register_restriction(PARTNER_USERS)
        # A member of staff given time-limited access to one child (to cover a visit): a relationship like an
        # allocation, in force between its start and expiry, read on every request.
        register_reach(STAFF_SHARE_REACH)
        register_child_page("Shares with partner agencies", "sharing:child")
        register_navigation("Shared with you", "sharing:index", section="/shared/", visible_to=is_partner)
        register_home_panel(HomePanel(template="sharing/_partner_panel.html", context=partner_panel))
