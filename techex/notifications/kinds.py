"""The registry of notification kinds: what each kind says, in the reader's language.

A kind is registered once, at start-up, with a translatable message whose ``%(name)s`` placeholders are filled
from the notification's ``params``. The message is rendered when the notification is read (page, API, e-mail), so
it follows the reader's language, not the writer's.

Another app registers its kinds in a ``notification_kinds.py`` module of its own (found at start-up, as
``admin.py`` is) or in its ``AppConfig.ready()``::

    from django.utils.translation import gettext_lazy as _
    from techex.notifications.kinds import register

    register("match.new", _("A new listing matches “%(listing)s”: “%(match)s”."), digest=True)
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Kind:
    """One sort of event people are told about."""

    key: str
    message: Promise | str
    # Only in the daily digest: never the reason for an e-mail of its own, whatever the reader's preference
    # (matches and saved-search alerts can come by the dozen).
    digest: bool = False

    @property
    def source(self) -> str:
        """The English source text of the message."""
        with translation.override(None):
            return str(self.message)

    @property
    def params(self) -> frozenset[str]:
        """The names the message needs in ``params``."""
        return frozenset(PLACEHOLDER.findall(self.source))


_REGISTRY: dict[str, Kind] = {}


def register(key: str, message: Promise | str, *, digest: bool = False) -> Kind:
    """Register a kind; registering the same key again with another message is a programming error."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", key) or len(key) > 64:
        raise ValueError(f"A notification kind is a dotted lower-case name of 64 characters at most, not {key!r}.")
    kind = Kind(key=key, message=message, digest=digest)
    existing = _REGISTRY.get(key)
    # Compared only for a second registration (a module imported twice): the first needs no translation machinery.
    if existing is not None and (existing.source, existing.digest) != (kind.source, kind.digest):
        raise ValueError(f"The notification kind {key!r} is already registered with another message.")
    _REGISTRY[key] = kind
    return kind


def get_kind(key: str) -> Kind | None:
    return _REGISTRY.get(key)


def registered_kinds() -> list[Kind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.key)


class _Params(dict):
    # A placeholder the stored params lack (a message changed after the row was written) reads as an ellipsis
    # rather than breaking the page.
    def __missing__(self, key: str) -> str:
        return "…"


UNKNOWN = _("You have a new notification.")


def render(key: str, params: Mapping[str, Any] | None) -> str:
    """Return the text of a notification in the active language."""
    kind = get_kind(key)
    if kind is None:
        return str(UNKNOWN)
    values = _Params(params or {})
    try:
        return str(kind.message) % values
    except (KeyError, TypeError, ValueError):
        # A translation whose placeholders do not match its source: the English text is better than nothing.
        return kind.source % values
