from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ = "read", _("Read the public API at the key's own rate")
    HARVEST = "harvest", _("Harvest the feed of changes")


# The version of the exchange format of a listing (docs/exchange.md); a harvester refuses a format it does not know.
FORMAT = "techex-listing/1"


class WebhookEvent(models.TextChoices):
    LISTING_PUBLISHED = "listing.published", _("A listing was published")
    LISTING_CHANGED = "listing.changed", _("A live listing changed")
    LISTING_WITHDRAWN = "listing.withdrawn", _("A listing was withdrawn or archived")
    LISTING_EXPIRED = "listing.expired", _("A listing expired")
    DEAL_STAGE_CHANGED = "deal.stage_changed", _("A deal changed stage (staff systems only)")


# Events only an endpoint of a staff system receives: deals are not public.
STAFF_EVENTS = frozenset({WebhookEvent.DEAL_STAGE_CHANGED})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
