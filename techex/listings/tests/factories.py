"""Listings are built through the services, so tests see the same state a user would."""

from typing import Any

from techex.listings import services
from techex.listings.choices import ListingKind
from techex.reference.models import STField


def offer_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Máy sấy lúa tầng sôi tiết kiệm năng lượng",
        "summary": "Máy sấy lúa tầng sôi công suất 10 tấn/mẻ, giảm 30% chi phí nhiên liệu.",
        "description": (
            "Công nghệ sấy tầng sôi dùng trấu làm nhiên liệu, phù hợp hợp tác xã vùng Đồng bằng sông Cửu Long."
        ),
        "keywords": ["sấy lúa", "tầng sôi", "trấu"],
        "trl": 7,
        "fields": list(STField.objects.filter(code__in=["4", "402"])) or [],
        "transfer_forms": ["non_exclusive_licence", "technical_service"],
        "price_type": "negotiable",
    }
    data.update(overrides)
    return data


def need_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Cần công nghệ xử lý nước nhiễm mặn cho ao nuôi tôm",
        "summary": "Hợp tác xã cần hệ thống khử mặn quy mô nhỏ cho 20 ha ao tôm.",
        "description": "Độ mặn mùa khô vượt 8‰; cần giải pháp chi phí thấp, vận hành đơn giản.",
        "keywords": ["xâm nhập mặn", "nuôi tôm"],
        "min_trl": 6,
        "fields": list(STField.objects.filter(code__in=["4"])) or [],
        "price_type": "range",
        "price_min": 100_000_000,
        "price_max": 500_000_000,
    }
    data.update(overrides)
    return data


def make_listing(*, user, organization, kind: str = ListingKind.OFFER, **overrides: Any):
    data = offer_data(**overrides) if kind == ListingKind.OFFER else need_data(**overrides)
    return services.listing_create(user=user, organization=organization, kind=kind, data=data)


def make_published(*, user, organization, staff, kind: str = ListingKind.OFFER, **overrides: Any):
    listing = make_listing(user=user, organization=organization, kind=kind, **overrides)
    services.listing_submit(listing=listing, user=user)
    return services.listing_publish(listing=listing, user=staff)
