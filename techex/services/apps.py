from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "techex.services"
    label = "services"
    verbose_name = "Services"

    def ready(self) -> None:
        from techex.core.events import subscribe

        from . import subscribers
        from .events import ServiceRequestStepTaken

        subscribe(ServiceRequestStepTaken, subscribers.notify_parties)
