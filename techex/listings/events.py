"""What happens to listings that the domains above want to know (published on commit: techex.core.events).

Subscribers today (docs/architecture.md): search keeps its index in the same transaction, matching recomputes the
matches and alerts saved searches after commit.
"""

from dataclasses import dataclass

from techex.core.events import Event


@dataclass(frozen=True)
class ListingChanged(Event):
    """A listing took a lifecycle step: its status, whether it is live or its approved public text may have changed.

    ``was_live``/``is_live`` say whether the public could see it before and after the step.
    """

    listing_id: int
    action: str
    was_live: bool
    is_live: bool


@dataclass(frozen=True)
class ListingPublished(Event):
    """A listing is new to the public: published, or renewed (``action``); saved searches are told once."""

    listing_id: int
    action: str


@dataclass(frozen=True)
class ListingsPublished(Event):
    """Many listings went live at once (an import published them): handled in batches, not one by one."""

    listing_ids: tuple[int, ...]


@dataclass(frozen=True)
class LiveListingFilesChanged(Event):
    """What the public sees of a live listing's files changed (a file was removed), though its text did not."""

    listing_id: int


@dataclass(frozen=True)
class ListingBrokerChanged(Event):
    """Staff gave an anonymous listing a broker, replaced it or took it away (``broker_id`` None)."""

    listing_id: int
    previous_broker_id: int | None
    broker_id: int | None
    actor_id: int | None
