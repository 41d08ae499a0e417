from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer: pages that assemble several domains (home, dashboard) and the demo data of them all."""

    name = "techex.site"
    label = "site"
