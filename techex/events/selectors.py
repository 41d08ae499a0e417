"""The only readers of events that know who may see what: the public sees published (and cancelled) events, staff
the events of their department's scope; missing and forbidden answer 404 alike."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from techex.core.api import is_lookup_safe
from techex.departments.scope import can_act, in_scope

from .choices import EventStatus, RegistrationStatus
from .filtersets import EventFilterSet
from .models import Event, Registration, Session
from .states import ACTIVE_STATUSES

CONFIRMED = Q(registrations__status=RegistrationStatus.CONFIRMED)


def _with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(confirmed_count=Count("registrations", filter=CONFIRMED, distinct=True))


def event_list_public(*, filters: EventFilterSet | None = None) -> QuerySet[Event]:
    """Published and cancelled events, upcoming first (soonest first), then past ones (latest first)."""
    events: QuerySet[Event] = Event.objects.public().select_related("province").upcoming_first()
    if filters is not None:
        events = filters.apply(events)
    return _with_places(events)


def event_get_public(*, slug: str, user: Any) -> Event:
    """An event's page: a published or cancelled event for anyone, a draft for the staff who run it."""
    event = (
        _with_places(Event.objects.filter(slug=slug))
        .select_related("province", "department")
        .prefetch_related(
            "organizers",
            "fields",
            Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk")),
        )
        .first()
    )
    if event is None or (event.status == EventStatus.DRAFT and not can_act(user, event)):
        raise Http404
    return event


def session_get_public(*, slug: str, pk: int, user: Any) -> Session:
    event = event_get_public(slug=slug, user=user)
    session = event.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404
    session.event = event
    return session


def places_left(*, event: Event) -> int | None:
    """Free places (None: no limit); reads the ``confirmed_count`` the list selectors annotate when it is there."""
    if event.capacity is None:
        return None
    taken = getattr(event, "confirmed_count", None)
    if taken is None:
        taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def waiting_position(*, registration: Registration) -> int | None:
    """The place on the waiting list (1 = next to move up)."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITING).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registration_for_member(*, user: Any, event: Event) -> Registration | None:
    """The member's active registration for the event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return event.registrations.filter(user=user, status__in=ACTIVE_STATUSES).first()


def registration_list_for_user(*, user: Any) -> QuerySet[Registration]:
    """A member's registrations, the next events first."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__province", "organization")
        .order_by("-event__starts_at", "-pk")
    )


def registration_get_for_user(*, user: Any, pk: int) -> Registration:
    registration = registration_list_for_user(user=user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def event_list_for_staff(*, user: Any) -> QuerySet[Event]:
    """The events of the user's scope, every status, the latest first, with their registration counts."""
    events = in_scope(Event.objects.all(), user).select_related("province", "department")
    return events.annotate(
        confirmed_count=Count("registrations", filter=CONFIRMED),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        pending_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING)),
    ).order_by("-starts_at", "-pk")


def event_get_for_staff(*, user: Any, slug: str) -> Event:
    event = event_list_for_staff(user=user).prefetch_related("sessions", "organizers", "fields").filter(slug=slug)
    found = event.first()
    if found is None:
        raise Http404
    return found


def registration_list_for_staff(*, user: Any, event: Event, status: str = "") -> QuerySet[Registration]:
    """An event's registrations for the staff who run it (404 otherwise)."""
    if not can_act(user, event):
        raise Http404
    registrations = event.registrations.select_related("organization", "user").prefetch_related("sessions")
    if status:
        registrations = registrations.filter(status=status)
    return registrations.order_by("created_at", "pk")


def registration_get_for_staff(*, user: Any, pk: int) -> Registration:
    registration = in_scope(Registration.objects.select_related("event"), user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def registration_by_cancel_token(*, token: str) -> Registration | None:
    if not is_lookup_safe(token, max_length=64):
        return None
    return Registration.objects.select_related("event").filter(cancel_token=token).first()


def event_list_for_organization(*, organization: Any, limit: int = 6) -> list[Event]:
    """The public events an organisation organises (for its page), upcoming first, with their places left."""
    events = list(event_list_public().filter(organizers=organization)[:limit])
    for event in events:
        event.places_left = places_left(event=event)  # type: ignore[attr-defined]
    return events
