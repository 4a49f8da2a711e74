from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "safeguard.allocation"
    label = "allocation"
    verbose_name = "Allocation: the unallocated queue"

    def ready(self) -> None:
        from safeguard.allocation.policies import RESPONSIBLE_TEAM_REACH, may_see_queue
        from safeguard.allocation.views import home_panel
        from safeguard.audit.policy import register_reach
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # The team holding an open case reaches the child even before anyone in it is allocated.
        register_reach(RESPONSIBLE_TEAM_REACH)
        register_navigation(
            "Unallocated", "allocation:unallocated", section="/allocation/", visible_to=may_see_queue
        )
        # Its total is the first thing a team manager, a head of service and the director see.
        register_home_panel(HomePanel(template="allocation/_home_panel.html", context=home_panel))
