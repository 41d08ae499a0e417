"""The events an organisation organises, as a section of its public page (``organizations.profile``)."""

from django.http import HttpRequest

from techex.organizations.models import Organization
from techex.organizations.profile import Section

from .selectors import event_list_for_organization


def organization_events(request: HttpRequest, organization: Organization) -> Section | None:
    events = event_list_for_organization(organization=organization)
    if not events:
        return None  # most organisations organise none: no empty heading on their page
    return Section("events/partials/organization_events.html", {"events": events})
