"""Writes of listings: creation, edits, every lifecycle transition, imports, attachments, views.

Services are the only writers. Each checks who may act, validates, records an audit entry and queues side effects
after the commit. Callers use this package (``services.listing_submit``); the modules split it by concept.
"""

from ._common import build_search_text, listing_pending_data
from .attachments import attachment_add, attachment_delete, listing_record_view
from .brokers import listing_assign_broker
from .bulk import NewListing, listings_bulk_create
from .editing import listing_create, listing_update
from .lifecycle import (
    listing_archive,
    listing_expire,
    listing_publish,
    listing_reject,
    listing_renew,
    listing_reopen,
    listing_request_changes,
    listing_revise,
    listing_submit,
    listing_withdraw,
    listings_expire_due,
    listings_send_expiry_reminders,
)

__all__ = [
    "NewListing",
    "attachment_add",
    "attachment_delete",
    "build_search_text",
    "listing_archive",
    "listing_assign_broker",
    "listing_create",
    "listing_expire",
    "listing_pending_data",
    "listing_publish",
    "listing_record_view",
    "listing_reject",
    "listing_renew",
    "listing_reopen",
    "listing_request_changes",
    "listing_revise",
    "listing_submit",
    "listing_update",
    "listing_withdraw",
    "listings_bulk_create",
    "listings_expire_due",
    "listings_send_expiry_reminders",
]
