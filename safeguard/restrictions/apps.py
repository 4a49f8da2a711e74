from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "safeguard.restrictions"
    label = "restrictions"
    verbose_name = "Restricted records and emergency (break-glass) access"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach, register_refusal_offer, register_restriction
        from safeguard.restrictions.policies import (
            ACCESS_LIST_REACH,
            EMERGENCY_REACH,
            RESTRICTED_RECORDS,
            emergency_access_offer,
            may_manage_register,
            may_review_emergency_access,
        )
        from safeguard.restrictions.views import alerts_panel, governance_panel
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # Closed records first: asked before every relationship, and taken out of every list and search.
        register_restriction(RESTRICTED_RECORDS)
        register_reach(ACCESS_LIST_REACH)
        register_reach(EMERGENCY_REACH)  # read only: may_change refuses it
        register_refusal_offer(emergency_access_offer)
        register_navigation(
            "Restricted records",
            "restrictions:register",
            section="/restricted-records/",
            visible_to=may_manage_register,
        )
        register_navigation(
            "Emergency access reviews",
            "restrictions:reviews",
            section="/restricted-records/emergency-access/",
            visible_to=lambda user: may_review_emergency_access(user) and not may_manage_register(user),
        )
        # The Caldicott Guardian and team managers are told of an emergency access at once, on their home page.
        register_home_panel(HomePanel(template="restrictions/_alerts_panel.html", context=alerts_panel))
        register_home_panel(
            HomePanel(template="restrictions/_governance_panel.html", context=governance_panel)
        )
