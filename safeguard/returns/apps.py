from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguard.returns"
    label = "returns"
    verbose_name = "Statutory returns: CIN census, SSDA903 and Ofsted Annex A"

    def ready(self) -> None:
        from safeguard.core import record_checks
        from safeguard.returns.policies import may_see_reports
        from safeguard.returns.record_checks import cin_census_problems, ssda903_problems
        from safeguard.ui.context_processors import register_navigation

        record_checks.register(cin_census_problems)
        record_checks.register(ssda903_problems)
        register_navigation("Returns", "returns:index", section="/returns/", visible_to=may_see_reports)
