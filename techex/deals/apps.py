from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "techex.deals"
    label = "deals"

    def ready(self) -> None:
        from techex.core.events import subscribe

        from . import subscribers
        from .events import DealStepTaken

        subscribe(DealStepTaken, subscribers.notify_parties)
