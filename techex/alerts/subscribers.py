"""How saved searches follow the listings (subscribed in ``AlertsConfig.ready``): the searches that find a listing
new to the public are alerted once, by a task queued after commit (docs/alerts.md)."""

from techex.listings.events import ListingPublished, ListingsPublished

from . import tasks

BATCH = 100  # listings per alert task after an import


def alert_saved_searches(event: ListingPublished) -> None:
    tasks.saved_searches_alert.enqueue(event.listing_id)


def alert_saved_searches_many(event: ListingsPublished) -> None:
    ids = list(event.listing_ids)
    for start in range(0, len(ids), BATCH):
        tasks.saved_searches_alert_many.enqueue(ids[start : start + BATCH])
