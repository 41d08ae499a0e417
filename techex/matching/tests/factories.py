"""Needs and offers for the matching tests, published through the listing services as users would."""

from typing import Any

from techex.accounts.tests.factories import UserFactory
from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import STField

# A Vietnamese need and an offer that meets it, and one that does not.
SALINITY_NEED = {
    "title": "Cần hệ thống khử mặn nước cho ao nuôi tôm",
    "summary": "Hợp tác xã cần hệ thống khử mặn quy mô nhỏ cho 20 ha ao nuôi tôm thẻ chân trắng.",
    "description": "Mùa khô xâm nhập mặn làm độ mặn vượt 8‰; cần lọc RO chạy điện mặt trời, vận hành đơn giản.",
    "keywords": ["khử mặn", "nuôi tôm", "xâm nhập mặn"],
}
DESALINATION_OFFER = {
    "title": "Trạm khử mặn bằng màng lọc RO chạy điện mặt trời cho ao nuôi tôm",
    "summary": "Trạm khử mặn di động công suất 2 m³/giờ cấp nước ngọt cho ao nuôi tôm vùng xâm nhập mặn.",
    "description": "Màng RO, pin mặt trời 5 kWp, vận hành tự động; đã lắp đặt cho hợp tác xã nuôi tôm.",
    "keywords": ["khử mặn", "lọc RO", "nuôi tôm"],
}
ENGLISH_DESALINATION_OFFER = {
    "title": "Solar-powered desalination unit for shrimp ponds",
    "summary": "A containerised reverse osmosis desalination unit that supplies fresh water to shrimp farming ponds "
    "affected by salinity intrusion.",
    "description": "Photovoltaic panels drive the reverse osmosis membranes; two cubic metres of water an hour.",
    "keywords": ["desalination", "shrimp farming", "salinity"],
    "language": "en",
}
UNRELATED_OFFER = {
    "title": "Phần mềm quản lý thư viện trường học",
    "summary": "Phần mềm quản lý mượn trả sách cho thư viện trường phổ thông.",
    "description": "Quét mã vạch, thống kê bạn đọc, in thẻ thư viện.",
    "keywords": ["thư viện", "quản lý sách"],
}


def member(organization=None, **user_fields):
    """A user who is a member of ``organization`` (a new organisation when not given)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization or OrganizationFactory())
    return user


def fields(*codes: str) -> list[STField]:
    return list(STField.objects.filter(code__in=codes))


def publish(staff, *, kind: str, text: dict, organization=None, owner=None, **overrides: Any):
    """A live listing of ``kind`` with the given text and attributes, owned by a new organisation (or the one
    given); the default TRL, budget and fields of the listing factories are dropped unless given."""
    organization = organization or OrganizationFactory()
    owner = owner or member(organization)
    data: dict[str, Any] = {
        "fields": fields("20701"),
        "transfer_forms": [],
        "price_type": "negotiable",
        "price_min": None,
        "price_max": None,
    }
    data["trl" if kind == "offer" else "min_trl"] = None
    if kind == "offer":
        data["trl"] = 6
    data.update(text)
    data.update(overrides)
    return make_published(user=owner, organization=organization, staff=staff, kind=kind, **data)


# --- any live listing with known words --------------------------------------------------------------------------
# A dryer offer and a shrimp-pond need in a few words, for tests that need a live listing whose text they know (the
# Matches panel here; saved searches in techex.alerts.tests).
DRYER = {
    "title": "Máy sấy lúa tầng sôi dùng trấu",
    "summary": "Máy sấy lúa công suất 10 tấn/mẻ, tiết kiệm 30% nhiên liệu.",
    "description": "Buồng sấy tầng sôi, đốt trấu, phù hợp hợp tác xã.",
    "keywords": ["sấy lúa", "trấu"],
}
SHRIMP = {
    "title": "Cần hệ thống lọc nước nhiễm mặn cho ao tôm",
    "summary": "Hợp tác xã cần khử mặn cho 20 ha ao nuôi tôm.",
    "description": "Độ mặn mùa khô vượt 8‰.",
    "keywords": ["xâm nhập mặn", "nuôi tôm"],
}
member_of = member


def publish_plain(staff, *, kind: str = "offer", organization=None, **overrides: Any):
    """A live listing of a new organisation (or the one given) with the dryer's or the shrimp pond's text, the
    listing factories' other defaults kept."""
    organization = organization or OrganizationFactory()
    author = member(organization)
    data = {**(DRYER if kind == "offer" else SHRIMP), **overrides}
    return make_published(user=author, organization=organization, staff=staff, kind=kind, **data)
