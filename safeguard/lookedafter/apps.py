from django.apps import AppConfig


class LookedafterConfig(AppConfig):
    name = "safeguard.lookedafter"
    label = "lookedafter"
    verbose_name = "Children looked after and care leavers"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.casework.casefile import register_actions, register_section, register_status
        from safeguard.casework.chronology import register_source
        from safeguard.lookedafter.policies import PERSONAL_ADVISER_REACH
        from safeguard.lookedafter.sources import (
            CARE_LEAVER_SECTION,
            LOOKED_AFTER_SECTION,
            care_leaver_entries,
            case_file_actions,
            case_status,
            looked_after_entries,
        )

        # A personal adviser reaches the young people they advise.
        register_reach(PERSONAL_ADVISER_REACH)
        register_section(LOOKED_AFTER_SECTION)
        register_section(CARE_LEAVER_SECTION)
        register_actions(case_file_actions)
        register_status(case_status)
        register_source(looked_after_entries)
        register_source(care_leaver_entries)
