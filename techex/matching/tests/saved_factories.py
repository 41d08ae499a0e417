"""Saved searches and the listings they find, built through the services as a user would build them."""

from techex.accounts.tests.factories import UserFactory
from techex.listings.tests.factories import make_published
from techex.matching import saved_services
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

# An offer the saved searches below find ("máy sấy lúa"), and a need they do not.
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


def member_of(organization=None, **user_fields):
    """A user who is a member of ``organization`` (a new one when not given)."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization or OrganizationFactory())
    return user


def publish(staff, *, kind: str = "offer", organization=None, **overrides):
    """A live listing of a new organisation (or the one given) with the given text."""
    organization = organization or OrganizationFactory()
    author = member_of(organization)
    data = {**(DRYER if kind == "offer" else SHRIMP), **overrides}
    return make_published(user=author, organization=organization, staff=staff, kind=kind, **data)


def save(user, q: str = "", **filters):
    return saved_services.saved_search_create(user=user, q=q, filters=filters)
