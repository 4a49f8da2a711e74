from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "safeguard.compliance"
    label = "compliance"
    verbose_name = "Compliance: statutory duties and deadlines"

    def ready(self) -> None:
        from safeguard.compliance import checks  # noqa: F401  (registers the system check)
