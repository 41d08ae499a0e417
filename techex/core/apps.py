from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "techex.core"
    label = "core"
