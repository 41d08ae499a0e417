"""Demo of a valuation record for ``seed_demo``: a demo listing's owner asks a verified valuer for a valuation, which
is quoted, accepted and delivered with its value range, so `make run` shows the block on the listing's page."""

import datetime
from typing import Any

from django.utils import timezone

from techex.listings.models import Listing

from . import services, valuations
from .catalogue import VALUATION
from .models import ServiceCategory, ServiceProvider, ValuationRecord

LISTING = "demo-vi-001"  # external_ref of a Vietnamese demo offer


def seed_valuation(*, staff: Any) -> int:
    """Create the demo valuation once; return how many requests it made (0 or 1)."""
    from .demo import _admin

    listing = Listing.objects.select_related("organization").filter(external_ref=LISTING).first()
    category = ServiceCategory.objects.filter(code=VALUATION).first()
    if listing is None or category is None or ValuationRecord.objects.filter(listing=listing).exists():
        return 0
    provider = (
        ServiceProvider.objects.verified()
        .filter(categories=category)
        .exclude(organization=listing.organization_id)
        .select_related("organization")
        .order_by("organization__name")
        .first()
    )
    owner = _admin(listing.organization)
    provider_user = _admin(provider.organization) if provider else None
    if owner is None or provider is None or provider_user is None:
        return 0
    request = services.request_submit(
        user=owner,
        organization=listing.organization,
        category=category,
        description="Định giá công nghệ của tin chào bán để làm căn cứ đàm phán giá chuyển giao và góp vốn.",
        provider=provider,
        listing=listing,
    )
    services.request_quote(
        user=provider_user, request=request, amount_vnd=35_000_000, duration_days=30, note="Phương pháp thu nhập."
    )
    services.request_accept(user=owner, request=request)
    services.request_start(user=provider_user, request=request)
    valuations.request_deliver_valuation(
        user=provider_user,
        request=request,
        method="income",
        value_low_vnd=1_200_000_000,
        value_high_vnd=1_650_000_000,
        valued_on=timezone.localdate() - datetime.timedelta(days=10),
        note="Dòng tiền chiết khấu 5 năm, tỷ lệ chiết khấu 12 %; đối chiếu hai giao dịch tương tự trong vùng.",
    )
    return 1
