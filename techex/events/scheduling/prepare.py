"""The problem checked and reduced to what is left to decide.

Published meetings that may not move are pinned: they take their slot from both sides and a table from their slot,
and leave the model. Every other pair (accepted requests, merged per pair, and movable published meetings) becomes
an ``Item`` whose ``domain`` lists the slots it could still take.
"""

from collections import defaultdict
from dataclasses import dataclass

from .problem import InvalidProblem, PublishedMeeting, SchedulingProblem


@dataclass(frozen=True)
class Item:
    a: int
    b: int
    priority: bool
    # The movable published meeting this item keeps placed, if any.
    published: PublishedMeeting | None
    # The slots both sides can make (a movable published meeting's own slot included): the reasons read it.
    common: tuple[int, ...]
    # ``common`` minus the slots a pinned meeting takes from a side, minus slots with no table left.
    domain: tuple[int, ...]


@dataclass(frozen=True)
class Prepared:
    slots: int
    tables: int
    pinned: tuple[PublishedMeeting, ...]
    # Slots each participant has taken by pinned meetings.
    busy: dict[int, frozenset[int]]
    # Tables left per slot once the pinned meetings sit.
    capacity: tuple[int, ...]
    items: tuple[Item, ...]

    def pinned_count(self, participant: int) -> int:
        return len(self.busy.get(participant, ()))


def prepare(problem: SchedulingProblem) -> Prepared:
    slots, tables = problem.slots, problem.tables
    if slots < 0 or tables < 0:
        raise InvalidProblem("negative_size", f"{slots} slots, {tables} tables")
    available: dict[int, frozenset[int]] = {}
    for participant in problem.participants:
        if participant.id in available:
            raise InvalidProblem("duplicate_participant", str(participant.id))
        outside = [s for s in participant.available if not 0 <= s < slots]
        if outside:
            raise InvalidProblem("slot_out_of_range", f"participant {participant.id}: {sorted(outside)}")
        available[participant.id] = frozenset(participant.available)

    def known(a: int, b: int, what: str) -> None:
        for side in (a, b):
            if side not in available:
                raise InvalidProblem("unknown_participant", f"{what} {a}-{b}: {side}")
        if a == b:
            raise InvalidProblem("self_meeting", f"{what} {a}-{b}")

    published: dict[tuple[int, int], PublishedMeeting] = {}
    for meeting in problem.published:
        known(meeting.a, meeting.b, "published meeting")
        if not 0 <= meeting.slot < slots or not 0 <= meeting.table < tables:
            raise InvalidProblem(
                "slot_out_of_range", f"published meeting {meeting.pair}: {meeting.slot}/{meeting.table}"
            )
        if meeting.pair in published:
            raise InvalidProblem("duplicate_published", str(meeting.pair))
        published[meeting.pair] = meeting

    pinned = tuple(sorted((m for m in published.values() if not m.movable), key=lambda m: (m.slot, m.table)))
    busy: dict[int, set[int]] = defaultdict(set)
    seats: set[tuple[int, int]] = set()
    for meeting in pinned:
        for side in (meeting.a, meeting.b):
            if meeting.slot in busy[side]:
                raise InvalidProblem("participant_double_booked", f"{side} twice in slot {meeting.slot}")
            busy[side].add(meeting.slot)
        if (meeting.slot, meeting.table) in seats:
            raise InvalidProblem("table_double_booked", f"slot {meeting.slot}, table {meeting.table}")
        seats.add((meeting.slot, meeting.table))
    capacity = [tables] * slots
    for meeting in pinned:
        capacity[meeting.slot] -= 1

    priority: dict[tuple[int, int], bool] = {}
    for request in problem.requests:
        known(request.a, request.b, "request")
        priority[request.pair] = priority.get(request.pair, False) or request.priority
    for pair, meeting in published.items():
        priority[pair] = priority.get(pair, False) or meeting.priority

    items = []
    for pair in sorted(priority):
        own = published.get(pair)
        if own is not None and not own.movable:
            continue
        a, b = pair
        common = available[a] & available[b]
        if own is not None:
            common |= {own.slot}
        blocked = busy.get(a, set()) | busy.get(b, set())
        domain = tuple(s for s in sorted(common) if s not in blocked and capacity[s] > 0)
        items.append(Item(a, b, priority[pair], own, tuple(sorted(common)), domain))
    return Prepared(
        slots=slots,
        tables=tables,
        pinned=pinned,
        busy={p: frozenset(s) for p, s in busy.items()},
        capacity=tuple(capacity),
        items=tuple(items),
    )
