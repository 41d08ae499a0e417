"""Matches between technology needs and offers, and each person's match-alert setting.

A match is stored once per (need, offer) pair with its score and the reasons behind it, as codes with params
(``reasons.py`` renders them in the reader's language). Only pairs of two live listings are kept: the services drop
a listing's matches when it stops being live (docs/matching.md).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_THRESHOLD = 60


class Match(models.Model):
    """A published offer that could meet a published need, with its score (0–100) and reasons."""

    need = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="offer_matches", verbose_name=_("need")
    )
    offer = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="need_matches", verbose_name=_("offer")
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    # [{"code": "terms", "params": {...}}, ...]: rendered when shown (reasons.py), never stored as text.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The feature values behind the score, for the benchmarks and for staff.
    features = models.JSONField(_("features"), default=dict, blank=True)
    created_at = models.DateTimeField(_("found at"), default=timezone.now, editable=False)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    # When the owners of each side opened the other listing from their matches (staff see whether parties acted).
    need_viewed_at = models.DateTimeField(_("seen by the need's owner"), null=True, blank=True)
    offer_viewed_at = models.DateTimeField(_("seen by the offer's owner"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="match_need_offer_unique"),
            models.CheckConstraint(condition=Q(score__lte=100), name="match_score_at_most_100"),
        ]
        indexes = [
            # "The matches of a need, best first" and "of an offer".
            models.Index(fields=["need", "-score"], name="match_need_score"),
            models.Index(fields=["offer", "-score"], name="match_offer_score"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.offer_id}: {self.score}"

    def counterpart_id(self, listing_id: int) -> int:
        return self.offer_id if listing_id == self.need_id else self.need_id


class MatchPreference(models.Model):
    """How good a new match must be before a person is told about it (no row: the default threshold)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_preference", verbose_name=_("user")
    )
    threshold = models.PositiveSmallIntegerField(
        _("alert threshold"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Tell me about new matches scoring at least this much (1–100)."),
    )
    alerts_enabled = models.BooleanField(_("match alerts"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match alert setting")
        verbose_name_plural = _("match alert settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1) & Q(threshold__lte=100), name="match_preference_threshold_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.threshold}"


# --- saved searches and their alerts (docs/matching.md, "Saved searches and alerts") --------------------------------
# Appended here because Django keeps an app's models in models.py; written and read by saved_services.py and
# saved_selectors.py.


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
        return reverse("matching:saved_alerts", kwargs={"token": self.token})


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
