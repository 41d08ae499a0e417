from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "techex.events"
    label = "events"

    def ready(self) -> None:
        from techex.core.events import subscribe

        from . import subscribers
        from .events import RegistrationChanged

        subscribe(RegistrationChanged, subscribers.tell_registrant)
