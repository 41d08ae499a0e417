from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "techex.listings"
    label = "listings"

    def ready(self) -> None:
        from techex.organizations import profile

        from .organization_section import organization_listings

        profile.register(organization_listings)
