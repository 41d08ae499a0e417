from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "techex.listings"
    label = "listings"
