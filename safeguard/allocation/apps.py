from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "safeguard.allocation"
    label = "allocation"
    verbose_name = "Allocation: the unallocated queue, allocating and caseloads"

    def ready(self) -> None:
        from safeguard.allocation import checks  # noqa: F401  (registers the system check)
        from safeguard.allocation.policies import RESPONSIBLE_TEAM_REACH, may_see_caseloads, may_see_queue
        from safeguard.allocation.views import case_file_actions, home_panel
        from safeguard.audit.policy import register_reach
        from safeguard.casework.casefile import register_actions
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # The team holding an open case reaches the child even before anyone in it is allocated.
        register_reach(RESPONSIBLE_TEAM_REACH)
        register_navigation(
            "Unallocated",
            "allocation:unallocated",
            section="/allocation/unallocated/",
            visible_to=may_see_queue,
        )
        register_navigation(
            "Caseloads",
            "allocation:caseloads",
            section="/allocation/caseloads/",
            visible_to=may_see_caseloads,
        )
        # Its total is the first thing a team manager, a head of service and the director see.
        register_home_panel(HomePanel(template="allocation/_home_panel.html", context=home_panel))
        # "Allocate a social worker" / "Change the allocated worker" on the case file, for those who allocate.
        register_actions(case_file_actions)
