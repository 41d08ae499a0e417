from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "techex.deals"
    label = "deals"
