"""Domain events: how a domain tells the domains above it what happened, without knowing them.

A domain imports only the domains below it (docs/architecture.md). When something it does must set off work above
it (a listing goes live: index it, match it, alert the saved searches that find it), its service publishes an event
and the domains above subscribe to it in their ``AppConfig.ready()``::

    # techex/listings/events.py (the publisher defines its events)
    @dataclass(frozen=True)
    class ListingChanged(Event):
        listing_id: int

    # techex/listings/services/... (inside the service's transaction)
    events.publish(ListingChanged(listing_id=listing.pk))

    # techex/matching/apps.py (the subscriber)
    def ready(self):
        events.subscribe(ListingChanged, subscribers.listing_changed)

An event carries ids and plain values only, never model instances: a subscriber reads what it needs, and a task it
queues can be serialised.

Subscribers run in one of two phases:

- ``ON_COMMIT`` (the default) runs after the publisher's transaction commits, and not at all if it rolls back. Such a
  subscriber should only queue a task taking ids (re-matching, alerts, notifications): the work then happens in the
  worker, and a failure there cannot undo what the publisher committed.
- ``IN_TRANSACTION`` runs at once, inside the publisher's transaction; if it raises, the publisher's whole change
  rolls back. It is kept for the search index, which must commit together with the listing it describes so that a
  crash can never leave a live listing unfindable or a withdrawn one findable (docs/search.md). Do not use it for
  anything that talks to the outside world.

Subscribers run in the order they were subscribed, which follows ``INSTALLED_APPS`` (the order of ``ready()``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TypeVar

from django.db import transaction


class Phase(StrEnum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"


@dataclass(frozen=True)
class Event:
    """Base of every domain event: a frozen dataclass of ids and plain values, defined by the publishing domain."""


E = TypeVar("E", bound=Event)
Handler = Callable[[E], None]


@dataclass(frozen=True)
class Subscription:
    event_type: type[Event]
    handler: Callable[[Event], None]
    phase: Phase

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_SUBSCRIPTIONS: dict[type[Event], list[Subscription]] = {}


def subscribe(event_type: type[E], handler: Handler[E], *, phase: Phase = Phase.ON_COMMIT) -> None:
    """Call ``handler(event)`` for every event of ``event_type`` published from now on.

    Subscribing the same function again (``ready()`` may run more than once, in tests for instance) changes nothing.
    A lambda is refused: it would be a new function each time and could not be recognised, nor named in a listing.
    """
    if not (isinstance(event_type, type) and issubclass(event_type, Event)):
        raise TypeError(f"Subscribe to a subclass of Event, not {event_type!r}.")
    if getattr(handler, "__name__", "<lambda>") == "<lambda>":
        raise TypeError("Subscribe a named function, not a lambda, so that a repeated ready() does not add it twice.")
    subscription = Subscription(event_type, handler, Phase(phase))  # type: ignore[arg-type]
    subscriptions = _SUBSCRIPTIONS.setdefault(event_type, [])
    for existing in subscriptions:
        if existing.name == subscription.name:
            if existing.phase != subscription.phase:
                raise ValueError(
                    f"{subscription.name} is already subscribed to {event_type.__name__} in another phase."
                )
            return
    subscriptions.append(subscription)


def subscriptions(event_type: type[Event] | None = None) -> list[Subscription]:
    """The subscriptions to one event type, or to all of them, in the order they run."""
    if event_type is not None:
        return list(_SUBSCRIPTIONS.get(event_type, []))
    return [subscription for found in _SUBSCRIPTIONS.values() for subscription in found]


def publish(event: Event, *, using: str | None = None) -> None:
    """Tell the subscribers: those of ``IN_TRANSACTION`` now, the others once the current transaction commits.

    Publish from inside the service's ``transaction.atomic`` block. An in-transaction subscriber outside one would
    run in autocommit, losing the guarantee it exists for, so that is refused.
    """
    found = _SUBSCRIPTIONS.get(type(event), [])
    if any(s.phase == Phase.IN_TRANSACTION for s in found) and not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError(f"{type(event).__name__} has in-transaction subscribers: publish it inside an atomic block.")
    for subscription in found:
        if subscription.phase == Phase.IN_TRANSACTION:
            subscription.handler(event)
        else:
            transaction.on_commit(partial(subscription.handler, event), using=using)
