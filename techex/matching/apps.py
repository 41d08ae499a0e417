from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techex.matching"
    label = "matching"
