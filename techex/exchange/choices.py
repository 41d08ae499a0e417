from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ = "read", _("Read the public API at the key's own rate")
    HARVEST = "harvest", _("Harvest the feed of changes")


# The version of the exchange format of a listing (docs/exchange.md); a harvester refuses a format it does not know.
FORMAT = "techex-listing/1"
