"""B2B participants and settings built through the services, as a member and staff would."""

from datetime import timedelta
from typing import Any

from techex.accounts.tests.factories import UserFactory
from techex.events import b2b, services
from techex.events.models import B2BProfile, Event
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import make_event


def make_b2b_event(*, user: Any, slots: int = 6, tables: int = 3, request_limit: int = 5, **overrides: Any) -> Event:
    event = make_event(user=user, b2b_enabled=True, capacity=None, **overrides)
    starts = event.starts_at + timedelta(hours=1)
    b2b.b2b_settings_save(
        user=user,
        event=event,
        values={
            "starts_at": starts,
            # One hour of break after the first three slots of 20 minutes.
            "ends_at": starts + timedelta(minutes=20 * slots + 60),
            "meeting_minutes": 20,
            "break_starts_at": starts + timedelta(minutes=60),
            "break_ends_at": starts + timedelta(minutes=120),
            "tables": tables,
            "request_limit": request_limit,
        },
    )
    return Event.objects.get(pk=event.pk)


def b2b_member(event: Event, name: str, *, offer: str = "", available: list[int] | None = None) -> B2BProfile:
    user: Any = UserFactory(full_name=name)
    organization: Any = OrganizationFactory(name=f"Công ty {name}")
    MembershipFactory(user=user, organization=organization)
    services.registration_create(event=event, user=user, wants_b2b=True, organization=organization)
    return b2b.b2b_profile_save(
        user=user,
        event=event,
        offer=offer or f"Máy sấy lúa của {name}",
        seek="Đối tác phân phối ở Đồng bằng sông Cửu Long",
        available_slots=available,
    )


def user_of(profile: B2BProfile) -> Any:
    return profile.registration.user
