from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguard.core"
    label = "core"
    verbose_name = "Core: reference codes and the working-day calendar"

    def ready(self) -> None:
        # Importing the calendar connects the handlers that clear its cache when a CalendarOverride is saved.
        from safeguard.core import calendar  # noqa: F401
