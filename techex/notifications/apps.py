from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "techex.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import kinds  # noqa: F401  (registers the kinds of the deals)

        # Other apps register their kinds in a notification_kinds.py module, as they register admin classes.
        autodiscover_modules("notification_kinds")
