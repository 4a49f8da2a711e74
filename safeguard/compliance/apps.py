from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db.models.signals import post_migrate


class ComplianceConfig(AppConfig):
    name = "safeguard.compliance"
    label = "compliance"
    verbose_name = "Compliance: statutory duties and deadlines"

    def ready(self) -> None:
        from safeguard.compliance import checks  # noqa: F401  (registers the system check)
        from safeguard.compliance.register import may_see_register
        from safeguard.ui.context_processors import register_navigation

        post_migrate.connect(sync_duties, sender=self)
        register_navigation(
            "Legal exposure", "compliance:register", section="/legal-exposure/", visible_to=may_see_register
        )


def sync_duties(sender, using="default", apps=None, **kwargs) -> None:
    """After every migrate (and after a test database is flushed), the duties table matches the file."""
    from safeguard.compliance.registry import load_duties

    model = (apps or django_apps).get_model("compliance", "StatutoryDuty")
    load_duties(model, using=using)
