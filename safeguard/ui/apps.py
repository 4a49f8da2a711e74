from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "safeguard.ui"
    label = "ui"
    verbose_name = "Pages: GOV.UK layout, forms adapter and home pages"
