"""What happens on events that others want to know (techex.core.events, docs/architecture.md)."""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class EventStatusChanged(Event):
    """An event moved along one row of ``states.EVENT_TRANSITIONS`` (published, cancelled)."""

    event_id: int
    action: str
    from_status: str
    to_status: str
    actor_id: int | None


@dataclass(frozen=True)
class RegistrationChanged(Event):
    """A registration was made or changed status (``action`` is ``create`` or a ``RegistrationAction``)."""

    registration_id: int
    event_id: int
    action: str
    from_status: str
    to_status: str


@dataclass(frozen=True)
class RegistrantsMessaged(Event):
    """Staff wrote to an event's registrants; each registration named gets the message by e-mail."""

    event_id: int
    registration_ids: tuple[int, ...]
    subject: str
    body: str


@dataclass(frozen=True)
class B2BAgendaPublished(Event):
    """Staff published B2B meetings of an event; each participant named gets their agenda by e-mail."""

    event_id: int
    profile_ids: tuple[int, ...]
