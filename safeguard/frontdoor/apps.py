from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "safeguard.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door: contacts, MASH checks, decisions and referrals"

    def ready(self) -> None:
        from safeguard.audit.policy import register_reach
        from safeguard.frontdoor.policies import FRONT_DOOR_REACH

        # The front door team may open the records of children whose contacts are before it.
        register_reach(FRONT_DOOR_REACH)

        from safeguard.frontdoor.policies import may_see_queue
        from safeguard.ui.context_processors import register_navigation

        register_navigation("Front door", "frontdoor:queue", section="/front-door/", visible_to=may_see_queue)

        from safeguard.frontdoor.education import record_notices, withdrawal_flags
        from safeguard.frontdoor.selectors import FLAG_PROVIDERS
        from safeguard.people.links import register_child_page, register_record_notice

        # A child's education, and a withdrawal from school while they or a sibling were known (issue 9):
        # the page for everyone who may open the record, the notice at its top until a manager considers it.
        register_child_page("Education", "frontdoor:education")
        register_record_notice(record_notices)
        if withdrawal_flags not in FLAG_PROVIDERS:
            FLAG_PROVIDERS.append(withdrawal_flags)
