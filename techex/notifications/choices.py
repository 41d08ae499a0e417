from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailFrequency(models.TextChoices):
    """How often a person wants notifications by e-mail."""

    BATCHED = "batched", _("A few minutes after something happens, several events in one e-mail")
    DAILY = "daily", _("Once a day, in a morning digest")
    OFF = "off", _("Never (only on the site)")
