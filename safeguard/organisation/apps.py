from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "safeguard.organisation"
    label = "organisation"
    verbose_name = "Organisation: areas, teams, workers, posts and allocations"
