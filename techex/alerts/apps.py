from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Saved searches and their alerts: a domain above matching (it may import matching, never the reverse)."""

    name = "techex.alerts"
    label = "alerts"
    verbose_name = _("Saved searches and alerts")
