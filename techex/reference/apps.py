from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "techex.reference"
    label = "reference"
