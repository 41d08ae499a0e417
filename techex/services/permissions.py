"""Who a user is in a service request: its client, its provider, staff of its department's scope (in memory)."""

from typing import Any

from techex.departments.scope import can_act
from techex.organizations.selectors import user_organization_ids

from .choices import Party
from .models import ServiceRequest


def parties_of(user: Any, request: ServiceRequest) -> frozenset[str]:
    """The parties the user speaks for in the request; empty when they may not read it.

    The same rule as ``ServiceRequestQuerySet.visible_to`` (client, provider, in-scope staff), for one loaded row.
    """
    guest_request_id = getattr(user, "guest_request_id", None)
    if guest_request_id is not None:
        # A guest's link (services.GuestClient): the client of its one request, once the address is verified.
        verified = guest_request_id == request.pk and request.guest_email_verified_at is not None
        return frozenset({Party.CLIENT}) if verified else frozenset()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    orgs = user_organization_ids(user=user)
    parties = set()
    if request.client_user_id == user.pk or (request.client_organization_id in orgs):
        parties.add(Party.CLIENT)
    if request.provider is not None and request.provider.organization_id in orgs:
        parties.add(Party.PROVIDER)
    if user.is_staff and can_act(user, request):
        parties.add(Party.STAFF)
    return frozenset(parties)
