from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Saved searches and their alerts: a domain above matching (it may import matching, never the reverse)."""

    name = "techex.alerts"
    label = "alerts"
    verbose_name = _("Saved searches and alerts")

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.listings.events import ListingPublished, ListingsPublished

        from . import subscribers

        subscribe(ListingPublished, subscribers.alert_saved_searches)
        subscribe(ListingsPublished, subscribers.alert_saved_searches_many)
