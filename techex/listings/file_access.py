"""Who besides the owners and staff may open a listing's confidential files: decided above listings.

A confidential document opens to an inquirer's members while an NDA is in force on their deal about the listing
(docs/deals.md). NDAs belong to deals, which stand above listings, so deals registers that rule here at start-up
(``DealsConfig.ready``) and the listing selectors ask this module, never deals (docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

    from .models import Listing


class Grant(Protocol):
    """A rule: whether the user may open the listing's confidential files (a selector, so keyword-only)."""

    __qualname__: str

    def __call__(self, *, user: User | AnonymousUser, listing: Listing) -> bool: ...


_GRANTS: list[Grant] = []


def register(grant: Grant) -> None:
    """Add a rule; registering the same function again (a repeated ``ready()``) changes nothing."""
    name = f"{grant.__module__}.{grant.__qualname__}"
    if all(f"{known.__module__}.{known.__qualname__}" != name for known in _GRANTS):
        _GRANTS.append(grant)


def confidential_files_open_to(user: User | AnonymousUser, listing: Listing) -> bool:
    """Whether any registered rule lets the user open the listing's confidential files."""
    return any(grant(user=user, listing=listing) for grant in _GRANTS)
