"""Visibility rules written once as a ``Q`` and read two ways: by the database for lists and single getters, and in
memory for an object already loaded (a list row, a page's listing), so no page pays a query to ask again.

``matches(rule, obj)`` evaluates a ``Q`` of plain lookups (``exact``, ``in``, ``isnull``) on the object's own fields,
left to right with short-circuit, so a rule whose later branch reads the user's memberships (``LazyIds``) costs no
query when an earlier branch already decides. Any other lookup raises, so a rule that cannot be read in memory fails
its tests instead of answering wrongly.
"""

from collections.abc import Callable, Collection, Iterator
from typing import Any, cast

from django.db.models import Q

LOOKUPS = {
    "exact": lambda value, arg: value == arg,
    "in": lambda value, arg: value in arg,
    "isnull": lambda value, arg: (value is None) == bool(arg),
}


def matches(rule: Q, obj: Any) -> bool:
    """Whether ``obj`` is among the rows ``rule`` selects (``Q()`` selects every row)."""
    results = (_child_matches(cast("Q | tuple[str, Any]", child), obj) for child in rule.children)
    result = any(results) if rule.connector == Q.OR and rule.children else all(results)
    return not result if rule.negated else result


def _child_matches(child: Q | tuple[str, Any], obj: Any) -> bool:
    if isinstance(child, Q):
        return matches(child, obj)
    lookup, arg = child
    field, _sep, operator = lookup.partition("__")
    operator = operator or "exact"
    if operator not in LOOKUPS:
        raise ValueError(f"matches() reads only {sorted(LOOKUPS)} on an object's own fields, not {lookup!r}")
    return bool(LOOKUPS[operator](getattr(obj, field), arg))


class LazyIds(Collection[int]):
    """A set of ids read on first use (the user's organisations: no query unless a rule gets that far)."""

    def __init__(self, load: Callable[[], Collection[int]]) -> None:
        self._load = load
        self._ids: Collection[int] | None = None

    def _get(self) -> Collection[int]:
        if self._ids is None:
            self._ids = self._load()
        return self._ids

    def __contains__(self, item: object) -> bool:
        return item in self._get()

    def __iter__(self) -> Iterator[int]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())
