"""What happens to the reference data that the domains above want to know (techex.core.events)."""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class ReferenceDataLoaded(Event):
    """The reference tables were loaded or refreshed (``load_reference_data``)."""
