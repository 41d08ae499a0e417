from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "techex.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The domains that tell people things (deals, matching) register their kinds in a notification_kinds.py
        # module of their own, found here as admin.py modules are.
        autodiscover_modules("notification_kinds")
