"""Reads for the pages that assemble several domains: the home page and the signed-in person's dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from techex.listings.choices import ListingStatus
from techex.listings.filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from techex.listings.models import Listing
from techex.listings.selectors import listing_list_public, listing_list_review_queue
from techex.organizations.models import Organization
from techex.organizations.selectors import (
    membership_list_for_user,
    organization_list_for_verification,
    user_organization_ids,
)
from techex.reference.models import STField


def home_page_data() -> dict:
    """The latest offers and needs, the fields in use and the exchange's numbers."""
    live = Listing.objects.live()
    counts = {row["kind"]: row["n"] for row in live.values("kind").annotate(n=Count("id"))}
    return {
        "latest_offers": listing_list_public(filters=ListingFilterSet({"kind": "offer"}))[:6],
        "latest_needs": listing_list_public(filters=ListingFilterSet({"kind": "need"}))[:6],
        "search_max_length": MAX_WORDS_LENGTH,
        "top_fields": STField.objects.filter(level=1).order_by("code"),
        "numbers": {
            "offers": counts.get("offer", 0),
            "needs": counts.get("need", 0),
            "organizations": Organization.objects.filter(verification_status="verified").count(),
        },
    }


if TYPE_CHECKING:
    from techex.accounts.models import User


def dashboard_data(*, user: User) -> dict:
    """What the signed-in person's dashboard shows: organisations, listings by status, and staff work queues."""
    memberships = list(membership_list_for_user(user=user))
    rows = (
        Listing.objects.filter(organization_id__in=user_organization_ids(user=user))
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    by_status = {row["status"]: row["n"] for row in rows}
    listing_counts = [
        {"status": status, "label": label, "count": by_status[status]}
        for status, label in ListingStatus.choices
        if by_status.get(status)
    ]
    data: dict = {"memberships": memberships, "listing_counts": listing_counts, "staff_counts": None}
    if user.is_staff:
        data["staff_counts"] = {
            # The staff member's scope: a partner department's province, the region for the lead.
            "listings_to_review": listing_list_review_queue(user=user).count(),
            "organizations_to_verify": organization_list_for_verification(user=user).count(),
        }
    return data
