"""Saved searches and the record of what each was alerted (docs/alerts.md).

The tables were created by ``matching`` (migration ``matching/0002_saved_searches``) and moved here with their rows:
``alerts/0001`` takes the models over without touching the database and ``alerts/0002`` renames the tables.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_saved_search_token() -> str:
    """An unguessable token: it opens the search's feed, alert page and one-click unsubscribe without signing in."""
    return secrets.token_urlsafe(24)


class SavedSearch(models.Model):
    """Keep a search (its words and filters) so that new listings it finds are sent as alerts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=120)
    q = models.CharField(_("words"), max_length=200, blank=True)
    # The non-empty filters of the browse page (techex.listings.filtersets.ListingFilterSet), e.g. {"kind": "need"}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False, default=new_saved_search_token)
    is_active = models.BooleanField(_("alerts on"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_alerted_at = models.DateTimeField(_("last alert at"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique")]
        indexes = [models.Index(fields=["is_active", "created_at"], name="saved_search_active")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The alert page: what the search found, opened from an e-mail without signing in."""
        return reverse("alerts:saved_alerts", kwargs={"token": self.token})


class SavedSearchHit(models.Model):
    """Record that a listing was alerted to a saved search, so it never is twice."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="hits", verbose_name=_("saved search")
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="+", verbose_name=_("listing")
    )
    created_at = models.DateTimeField(_("alerted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved search alert")
        verbose_name_plural = _("saved search alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "listing"], name="saved_search_hit_unique"),
        ]
        indexes = [models.Index(fields=["saved_search", "-created_at"], name="saved_search_hit_recent")]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.listing_id}"
