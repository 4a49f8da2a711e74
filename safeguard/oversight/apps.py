from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "safeguard.oversight"
    label = "oversight"
    verbose_name = "Oversight: supervision, management decisions, approvals and case audits"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.casework.casefile import register_actions, register_section
        from safeguard.casework.chronology import register_kind, register_source
        from safeguard.oversight import checks  # noqa: F401  (registers the system checks)
        from safeguard.oversight.casefile import (
            KIND,
            KIND_LABEL,
            OVERSIGHT_SECTION,
            case_file_actions,
            oversight_entries,
        )
        from safeguard.oversight.policies import AUDITOR_REACH, may_oversee, may_see_areas, may_see_audits
        from safeguard.ui.context_processors import register_navigation

        # A quality assurance auditor reads the case files they are auditing, while the audit is open.
        register_reach(AUDITOR_REACH)
        # Management decisions and completed audits are on the child's chronology, as a kind of their own.
        register_kind(KIND, KIND_LABEL)
        register_source(oversight_entries)
        register_section(OVERSIGHT_SECTION)
        register_actions(case_file_actions)
        # The dashboard's own pages (approvals, closures) light it up; supervision and audits have their own.
        register_navigation(
            "Oversight", "oversight:dashboard", section="/oversight/approvals/", visible_to=may_oversee
        )
        register_navigation("Areas", "oversight:areas", section="/oversight/areas/", visible_to=may_see_areas)
        register_navigation(
            "Supervision", "oversight:supervision", section="/oversight/supervision/", visible_to=may_oversee
        )
        register_navigation(
            "Case audits", "oversight:audits", section="/oversight/audits/", visible_to=may_see_audits
        )
