"""Saved searches and the listings they find, built through the services as a user would build them."""

from techex.alerts import services

# Listings with known words are matching's test helpers (one place); alerts sits above matching and may use them.
from techex.matching.tests.factories import member_of
from techex.matching.tests.factories import publish_plain as publish

__all__ = ["member_of", "publish", "save"]


def save(user, q: str = "", **filters):
    return services.saved_search_create(user=user, q=q, filters=filters)
