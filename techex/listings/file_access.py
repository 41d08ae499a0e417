"""Who besides the owners and staff may open a listing's confidential files: decided above listings.

A confidential document opens to an inquirer's members while an NDA is in force on their deal about the listing
(docs/deals.md). NDAs belong to deals, which stand above listings, so deals registers that rule here at start-up
(``DealsConfig.ready``) and the listing selectors ask this module, never deals (docs/architecture.md).
"""

from collections.abc import Callable

Grant = Callable[..., bool]  # (*, user, listing) -> whether the user may open its confidential files

_GRANTS: list[Grant] = []


def register(grant: Grant) -> None:
    """Add a rule; registering the same function again (a repeated ``ready()``) changes nothing."""
    name = f"{grant.__module__}.{grant.__qualname__}"
    if all(f"{known.__module__}.{known.__qualname__}" != name for known in _GRANTS):
        _GRANTS.append(grant)


def confidential_files_open_to(user, listing) -> bool:
    """Whether any registered rule lets the user open the listing's confidential files."""
    return any(grant(user=user, listing=listing) for grant in _GRANTS)
