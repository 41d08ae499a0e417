"""Reads for the pages that assemble several domains: the home page and the signed-in person's dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from techex.deals.selectors import deal_list_for_staff
from techex.deals.states import OPEN_STAGES
from techex.departments.selectors import region_provinces
from techex.listings.choices import ListingStatus
from techex.listings.filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from techex.listings.models import Listing
from techex.listings.selectors import listing_list_public, listing_list_review_queue
from techex.organizations.selectors import (
    membership_list_for_user,
    organization_list_for_verification,
    user_organization_ids,
)
from techex.reference.models import STField
from techex.statistics.selectors import headline_numbers, live_listing_counts


def home_page_data() -> dict:
    """The latest offers and needs, the fields in use, the exchange's numbers and the region's provinces."""
    # One query counts live listings by kind and by province: the numbers and the region block both read it.
    live = live_listing_counts()
    return {
        "region": [
            {"province": province, "department": department, "live_count": live.by_province.get(province.pk, 0)}
            for province, department in region_provinces()
        ],
        "latest_offers": listing_list_public(filters=ListingFilterSet({"kind": "offer"}))[:6],
        "latest_needs": listing_list_public(filters=ListingFilterSet({"kind": "need"}))[:6],
        "search_max_length": MAX_WORDS_LENGTH,
        "top_fields": STField.objects.filter(level=1).order_by("code"),
        # The same figures as the public statistics (one selector).
        "numbers": headline_numbers(live=live),
    }


if TYPE_CHECKING:
    from techex.accounts.models import User
    from techex.departments.models import Department


def dashboard_data(*, user: User, department: Department | None = None) -> dict:
    """What the signed-in person's dashboard shows: organisations, listings by status, and staff work queues
    (with ``department``, that department's queues; else every queue of the user's scope)."""
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
            "listings_to_review": listing_list_review_queue(user=user, department=department).count(),
            "organizations_to_verify": organization_list_for_verification(user=user, department=department).count(),
            "open_deals": deal_list_for_staff(user=user, department=department).filter(stage__in=OPEN_STAGES).count(),
        }
    return data
