"""Every rule a schedule must keep, checked from the problem alone (not from the solver's own data structures), so
the tests and the events layer — before it publishes — can trust a schedule without trusting the solver."""

from collections import Counter, defaultdict

from .problem import Reason, Schedule, SchedulingProblem, Unplaced


def violations(*, problem: SchedulingProblem, schedule: Schedule) -> list[str]:
    """Human-readable faults of ``schedule`` for ``problem``; empty when it is valid."""
    faults = []
    available = {p.id: p.available for p in problem.participants}
    published = {m.pair: m for m in problem.published}
    asked = {r.pair for r in problem.requests} | set(published)

    pairs = Counter(m.pair for m in schedule.meetings)
    faults += [f"{pair} meets {n} times" for pair, n in pairs.items() if n > 1]
    seats = Counter((m.slot, m.table) for m in schedule.meetings)
    faults += [f"slot {s}, table {t} holds {n} meetings" for (s, t), n in seats.items() if n > 1]
    presence = Counter((person, m.slot) for m in schedule.meetings for person in (m.a, m.b))
    faults += [f"{p} has {n} meetings in slot {s}" for (p, s), n in presence.items() if n > 1]
    per_slot = Counter(m.slot for m in schedule.meetings)
    faults += [
        f"slot {s} holds {n} meetings for {problem.tables} tables" for s, n in per_slot.items() if n > problem.tables
    ]

    for m in schedule.meetings:
        if m.pair not in asked:
            faults.append(f"{m.pair} was never requested")
            continue
        if not (0 <= m.slot < problem.slots and 0 <= m.table < problem.tables):
            faults.append(f"{m.pair} at slot {m.slot}, table {m.table}: out of range")
        own = published.get(m.pair)
        agreed = own is not None and own.slot == m.slot
        if not agreed and not (m.slot in available[m.a] and m.slot in available[m.b]):
            faults.append(f"{m.pair} in slot {m.slot}: a side is unavailable")
        if own is not None and not own.movable and (own.slot, own.table) != (m.slot, m.table):
            faults.append(f"{m.pair} was published at slot {own.slot}, table {own.table} and may not move")
        if m.published != (own is not None) or m.moved != (
            own is not None and (own.slot, own.table) != (m.slot, m.table)
        ):
            faults.append(f"{m.pair}: wrong published/moved flags")
    faults += [f"published {pair} is missing" for pair, m in published.items() if not m.movable and pair not in pairs]

    unplaced = Counter(u.pair for u in schedule.unplaced)
    faults += [f"{pair} listed {n} times as unplaced" for pair, n in unplaced.items() if n > 1]
    faults += [f"{pair} both placed and unplaced" for pair in unplaced if pair in pairs]
    faults += [f"{pair} neither placed nor unplaced" for pair in asked if pair not in pairs and pair not in unplaced]
    busy: dict[int, set[int]] = defaultdict(set)
    for m in schedule.meetings:
        busy[m.a].add(m.slot)
        busy[m.b].add(m.slot)
    load = Counter(m.slot for m in schedule.meetings)
    for u in schedule.unplaced:
        if u.pair not in asked:
            faults.append(f"unplaced {u.pair} was never requested")
            continue
        own = published.get(u.pair)
        common = set(available[u.a] & available[u.b]) | ({own.slot} if own is not None else set())
        fault = _reason_fault(common, busy[u.a], busy[u.b], load, problem.tables, u)
        if fault:
            faults.append(f"unplaced {u.pair}: {fault}")
    return faults


def _reason_fault(
    common: set[int], busy_a: set[int], busy_b: set[int], load: Counter[int], tables: int, unplaced: Unplaced
) -> str:
    free_both = {s for s in common if s not in busy_a and s not in busy_b}
    if any(load[s] < tables for s in free_both):
        return "a slot and a table were free for both (the schedule is not maximal)"
    expected = Reason.NO_COMMON_AVAILABILITY
    if common:
        expected = Reason.TABLES_EXHAUSTED if free_both else Reason.NO_COMMON_FREE_SLOT
    booked = tuple(p for p, busy in ((unplaced.a, busy_a), (unplaced.b, busy_b)) if common and busy >= common)
    if expected == Reason.NO_COMMON_FREE_SLOT and booked:
        expected = Reason.PARTICIPANT_FULLY_BOOKED
    if unplaced.reason != expected:
        return f"reason {unplaced.reason}, expected {expected}"
    if expected == Reason.PARTICIPANT_FULLY_BOOKED and sorted(unplaced.participants) != sorted(booked):
        return f"names {unplaced.participants} as fully booked, expected {booked}"
    return ""
