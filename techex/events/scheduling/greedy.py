"""A fast greedy schedule: CP-SAT's starting hint, the fallback when CP-SAT finds nothing in time, and the final pass
that places whatever still fits (so no returned schedule leaves a request out that had a free slot and table).

An assignment maps an item's index (in ``Prepared.items``) to its slot.
"""

from collections import defaultdict

from .prepare import Prepared
from .problem import Weights

Assignment = dict[int, int]


class Occupancy:
    """Who is busy when and how many tables each slot has left, pinned meetings included."""

    def __init__(self, prepared: Prepared, assignment: Assignment) -> None:
        self.busy: dict[int, set[int]] = defaultdict(set)
        for participant, slots in prepared.busy.items():
            self.busy[participant] |= slots
        self.left = list(prepared.capacity)
        for index, slot in assignment.items():
            self.take(prepared, index, slot)

    def take(self, prepared: Prepared, index: int, slot: int) -> None:
        item = prepared.items[index]
        self.busy[item.a].add(slot)
        self.busy[item.b].add(slot)
        self.left[slot] -= 1

    def free(self, prepared: Prepared, index: int) -> list[int]:
        item = prepared.items[index]
        busy_a, busy_b = self.busy[item.a], self.busy[item.b]
        return [s for s in item.domain if self.left[s] > 0 and s not in busy_a and s not in busy_b]


def _order(prepared: Prepared) -> list[int]:
    """Published first (they are to be kept), then priority, then the least flexible (fewest slots to choose from),
    whose chances vanish first."""
    items = prepared.items
    return sorted(
        range(len(items)),
        key=lambda i: (items[i].published is None, not items[i].priority, len(items[i].domain), i),
    )


def place_greedily(prepared: Prepared, assignment: Assignment | None = None) -> Assignment:
    """Complete ``assignment`` (a copy) with every item that still fits. Each item takes, among its free slots, its
    own published slot if free, else the slot its two sides' other pending items need least."""
    result = dict(assignment or {})
    occupancy = Occupancy(prepared, result)
    order = [i for i in _order(prepared) if i not in result]
    # demand[p][s]: how many of p's still undecided items could use slot s.
    demand: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for index in order:
        item = prepared.items[index]
        for slot in item.domain:
            demand[item.a][slot] += 1
            demand[item.b][slot] += 1
    for index in order:
        item = prepared.items[index]
        for slot in item.domain:
            demand[item.a][slot] -= 1
            demand[item.b][slot] -= 1
        candidates = occupancy.free(prepared, index)
        if not candidates:
            continue
        if item.published is not None and item.published.slot in candidates:
            slot = item.published.slot
        else:
            need_a, need_b, left = demand[item.a], demand[item.b], occupancy.left
            slot = min(candidates, key=lambda s: (need_a[s] + need_b[s], -left[s], s))
        result[index] = slot
        occupancy.take(prepared, index, slot)
    return result


def objective(prepared: Prepared, assignment: Assignment, weights: Weights) -> int:
    """The weighted objective the CP-SAT model maximises, computed on an assignment (pinned meetings count as a
    constant: their sides' fairness terms included)."""
    total = 0
    count: dict[int, int] = defaultdict(int)
    for participant, slots in prepared.busy.items():
        count[participant] += len(slots)
    for index, slot in assignment.items():
        item = prepared.items[index]
        total += weights.meeting + (weights.priority if item.priority else 0)
        if item.published is not None:
            total += weights.keep_published + (weights.stay_put if slot == item.published.slot else 0)
        count[item.a] += 1
        count[item.b] += 1
    for meetings in count.values():
        total += (weights.first_meeting if meetings >= 1 else 0) + (weights.second_meeting if meetings >= 2 else 0)
    return total
