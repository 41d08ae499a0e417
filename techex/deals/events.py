"""What happens on deals that others want to know (techex.core.events, docs/architecture.md)."""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class DealStageChanged(Event):
    """A deal moved along one row of ``states.TRANSITIONS`` (``action``), from one stage to another."""

    deal_id: int
    action: str
    from_stage: str
    to_stage: str
    actor_id: int | None


@dataclass(frozen=True)
class DealStepTaken(Event):
    """A step of a deal its parties are told about: ``kind`` is the notification kind (``deal.accepted`` …).

    ``side`` is the side that acted; ``organization_ids`` are the organisations told, fixed when the step is taken
    (the owner hears nothing before the inquiry is forwarded to it, for instance).
    """

    deal_id: int
    kind: str
    side: str
    actor_id: int | None
    organization_ids: tuple[int, ...]


@dataclass(frozen=True)
class DealBrokerChanged(Event):
    """Staff gave a deal a broker, replaced it or took it away (``broker_id`` None); ids of organisations."""

    deal_id: int
    previous_broker_id: int | None
    broker_id: int | None
    actor_id: int | None
