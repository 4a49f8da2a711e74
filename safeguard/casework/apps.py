from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguard.casework"
    label = "casework"
    verbose_name = "Casework: child in need, child protection, visits"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.casework import checks, chronology, sources  # noqa: F401  (checks registers itself)
        from safeguard.casework.policies import CONFERENCE_CHAIR_REACH
        from safeguard.casework.views.closure import bulk_closure_home_panel
        from safeguard.frontdoor.selectors import FLAG_PROVIDERS
        from safeguard.people.links import register_child_page
        from safeguard.ui.context_processors import register_navigation
        from safeguard.ui.views import HomePanel, register_home_panel

        # Independent chairs reach the children whose conferences they chair.
        register_reach(CONFERENCE_CHAIR_REACH)
        for source in sources.SOURCES:
            chronology.register_source(source)
        # The front door sees a child protection plan in the household and earlier enquiries at once.
        if sources.casework_flags not in FLAG_PROVIDERS:
            FLAG_PROVIDERS.append(sources.casework_flags)
        register_navigation("What is due", "work:due", section="/casework/", visible_to=holds_cases)
        register_child_page("Case file: the episode, what is due, recent events", "casework:case_file")
        register_child_page("Chronology", "casework:chronology")
        # A team closing many cases quickly: the head of service and the director see it first.
        register_home_panel(
            HomePanel(template="casework/_bulk_closure_panel.html", context=bulk_closure_home_panel)
        )


def holds_cases(user) -> bool:
    from safeguard.audit.policy import worker_for
    from safeguard.organisation.models import Allocation

    worker = worker_for(user)
    return worker is not None and Allocation.objects.current().filter(worker=worker).exists()
