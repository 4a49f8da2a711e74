from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    label = "audit"
    verbose_name = "Audit: who saw and who changed a child's record"
