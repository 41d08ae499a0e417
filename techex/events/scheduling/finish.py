"""From a slot assignment to meetings with table numbers, and the reason each left-out item has none."""

from collections import defaultdict

from .greedy import Assignment, Occupancy
from .prepare import Prepared
from .problem import Meeting, Reason, Unplaced


def number_tables(prepared: Prepared, assignment: Assignment) -> list[Meeting]:
    """Pinned meetings keep their tables; a movable published meeting left in its slot keeps its table when free.
    The others (tables being interchangeable, any free one is valid) take, slot after slot, the table either side
    sat at in their previous meeting when it is free — an exhibitor keeps a table, visitors walk less — else the
    lowest free one."""
    taken: list[set[int]] = [set() for _ in range(prepared.slots)]
    pinned_in: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    meetings = []
    for pinned in prepared.pinned:
        taken[pinned.slot].add(pinned.table)
        pinned_in[pinned.slot].append((pinned.a, pinned.b, pinned.table))
        meetings.append(Meeting(pinned.a, pinned.b, pinned.slot, pinned.table, pinned.priority, published=True))
    tables: dict[int, int] = {}
    in_slot: dict[int, list[int]] = defaultdict(list)
    for index, slot in sorted(assignment.items()):
        in_slot[slot].append(index)
        own = prepared.items[index].published
        if own is not None and own.slot == slot and own.table not in taken[slot]:
            tables[index] = own.table
            taken[slot].add(own.table)
    last: dict[int, int] = {}
    for slot in range(prepared.slots):
        for index in in_slot[slot]:
            item = prepared.items[index]
            for table in (last.get(item.a), last.get(item.b)):
                if index not in tables and table is not None and table not in taken[slot]:
                    tables[index] = table
                    taken[slot].add(table)
        lowest = 0
        for index in in_slot[slot]:
            if index not in tables:
                while lowest in taken[slot]:
                    lowest += 1
                tables[index] = lowest
                taken[slot].add(lowest)
        seated = [(prepared.items[i].a, prepared.items[i].b, tables[i]) for i in in_slot[slot]] + pinned_in[slot]
        for a, b, table in seated:
            last[a] = last[b] = table
    for index, slot in assignment.items():
        item = prepared.items[index]
        own = item.published
        moved = own is not None and (own.slot, own.table) != (slot, tables[index])
        meetings.append(Meeting(item.a, item.b, slot, tables[index], item.priority, own is not None, moved))
    meetings.sort(key=lambda m: (m.slot, m.table))
    return meetings


def reasons(prepared: Prepared, assignment: Assignment) -> list[Unplaced]:
    """Read on the final schedule (no item that fits is left out: see greedy.place_greedily)."""
    occupancy = Occupancy(prepared, assignment)
    found = []
    for index, item in enumerate(prepared.items):
        if index in assignment:
            continue
        busy_a, busy_b = occupancy.busy[item.a], occupancy.busy[item.b]
        booked: tuple[int, ...] = ()
        if not item.common:
            reason = Reason.NO_COMMON_AVAILABILITY
        elif any(s not in busy_a and s not in busy_b for s in item.common):
            reason = Reason.TABLES_EXHAUSTED
        else:
            booked = tuple(p for p, busy in ((item.a, busy_a), (item.b, busy_b)) if busy.issuperset(item.common))
            reason = Reason.PARTICIPANT_FULLY_BOOKED if booked else Reason.NO_COMMON_FREE_SLOT
        found.append(Unplaced(item.a, item.b, reason, item.priority, item.published is not None, booked))
    return found
