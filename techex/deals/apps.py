from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "techex.deals"
    label = "deals"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.listings import file_access

        from . import selectors, subscribers
        from .events import DealStepTaken

        subscribe(DealStepTaken, subscribers.notify_parties)
        # An NDA in force opens the listing's confidential files to the inquirer (docs/deals.md).
        file_access.register(selectors.nda_in_force_for)
