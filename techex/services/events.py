"""What happens on service requests that others want to know (techex.core.events, docs/architecture.md)."""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class ServiceRequestStepTaken(Event):
    """A step of a service request (``kind`` is its notification kind, ``services.quoted`` …).

    ``parties`` are the parties told (``client``, ``provider``); the actor is never told of their own step.
    """

    request_id: int
    kind: str
    actor_id: int | None
    parties: tuple[str, ...]


@dataclass(frozen=True)
class ServiceProviderVerified(Event):
    """Staff verified an organisation as a provider of services."""

    provider_id: int
