"""What happens to organisations that the domains above want to know (techex.core.events, docs/architecture.md)."""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class OrganizationChanged(Event):
    """An organisation's profile changed; ``renamed`` when its name did (listings show and index the name)."""

    organization_id: int
    renamed: bool


@dataclass(frozen=True)
class OrganizationVerified(Event):
    """Staff verified an organisation."""

    organization_id: int
