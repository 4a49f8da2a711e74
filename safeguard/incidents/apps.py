from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "safeguard.incidents"
    label = "incidents"
    verbose_name = "Serious incidents: notifications, rapid reviews and practice reviews"

    def ready(self) -> None:
        from safeguard.compliance.private import register_private_scope
        from safeguard.incidents.models import SeriousIncident
        from safeguard.incidents.policies import RECORDING_ROLES, any_incident_visible, incidents_visible_to
        from safeguard.incidents.views import home_panel, record_notices
        from safeguard.people.links import register_child_page, register_record_notice
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # An incident's clocks name it: only those who may see the incident see them (ADR 0018).
        register_private_scope(
            SeriousIncident._meta.label_lower, lambda user: incidents_visible_to(user).values("pk")
        )
        register_record_notice(record_notices)
        # The link names no incident: it is offered to those who may record one; the page shows only what
        # the user may see.
        register_child_page(
            "Serious incidents",
            "incidents:child",
            visible_to=lambda user: getattr(getattr(user, "worker", None), "role", None) in RECORDING_ROLES,
        )
        register_navigation(
            "Serious incidents",
            "incidents:index",
            section="/serious-incidents/",
            visible_to=any_incident_visible,
        )
        register_home_panel(HomePanel(template="incidents/_home_panel.html", context=home_panel))
