from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguard.people"
    label = "people"
    verbose_name = "People: children, adults, households and relationships"
