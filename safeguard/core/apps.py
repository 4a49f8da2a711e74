from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "safeguard.core"
    label = "core"
    verbose_name = "Core: reference codes and the working-day calendar"

    def ready(self) -> None:
        # Importing the calendar connects the handlers that clear its cache when a CalendarOverride is saved.
        from safeguard.core import calendar  # noqa: F401

        post_migrate.connect(sync_reference_codes, sender=self)


def sync_reference_codes(sender, using="default", apps=None, **kwargs) -> None:
    """After every migrate (and after a test database is flushed), the code lists match the file."""
    from safeguard.core.reference import load_reference_codes

    model = (apps or django_apps).get_model("core", "ReferenceCode")
    load_reference_codes(model, using=using)
