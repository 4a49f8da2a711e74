from django.apps import AppConfig


class SarConfig(AppConfig):
    name = "safeguard.sar"
    label = "sar"
    verbose_name = "Subject access requests: everything held about one person, redacted and disclosed"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.sar.collectors import ALL_SOURCES
        from safeguard.sar.policies import SAR_REACH, is_information_governance
        from safeguard.sar.sources import register_source
        from safeguard.sar.views import home_panel
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # The officer assigned to an open request reads the person's whole record while it is open.
        register_reach(SAR_REACH)
        for source in ALL_SOURCES:
            register_source(source)
        register_navigation(
            "Subject access", "sar:list", section="/subject-access/", visible_to=is_information_governance
        )
        register_home_panel(HomePanel(template="sar/_home_panel.html", context=home_panel))
