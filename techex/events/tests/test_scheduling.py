"""The B2B scheduler (techex.events.scheduling): every schedule it returns keeps every rule (property tests on small
random events, checked by ``violations`` and by hand), published meetings stay put, each unplaced request says why,
fairness and priority decide between schedules of equal size, and a run is reproducible. Pure Python: no database."""

import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techex.events.scheduling import (
    InvalidProblem,
    MeetingRequest,
    Participant,
    PublishedMeeting,
    Reason,
    Schedule,
    SchedulingProblem,
    SolverOptions,
    Status,
    Unplaced,
    Weights,
    pair_of,
    schedule_meetings,
    upper_bounds,
    violations,
)
from techex.events.scheduling.greedy import objective
from techex.events.scheduling.prepare import prepare

# One worker and a fixed seed: reproducible, and tiny events are solved to optimality in milliseconds (the limit is
# a safety net, never reached in practice; no test asserts on time).
OPTIONS = SolverOptions(time_limit=10, workers=1, seed=0)


def _problem(availability, requests, *, slots, tables, published=()):
    return SchedulingProblem(
        participants=tuple(Participant(p, frozenset(free)) for p, free in availability.items()),
        requests=tuple(MeetingRequest(*r) for r in requests),
        slots=slots,
        tables=tables,
        published=tuple(published),
    )


def _solve(problem, options=OPTIONS) -> Schedule:
    schedule = schedule_meetings(problem=problem, options=options)
    assert violations(problem=problem, schedule=schedule) == []
    return schedule


def _where(schedule):
    return {m.pair: (m.slot, m.table) for m in schedule.meetings}


def _why(schedule):
    return {u.pair: u.reason for u in schedule.unplaced}


def _hand_check(problem, schedule):
    """The rules once more, spelled out without the library's checker."""
    free = {p.id: p.available for p in problem.participants}
    published = {m.pair: m for m in problem.published}
    seen_people, seen_tables = set(), set()
    for m in schedule.meetings:
        assert (m.a, m.slot) not in seen_people and (m.b, m.slot) not in seen_people
        seen_people |= {(m.a, m.slot), (m.b, m.slot)}
        assert (m.slot, m.table) not in seen_tables
        seen_tables.add((m.slot, m.table))
        assert 0 <= m.table < problem.tables and 0 <= m.slot < problem.slots
        own = published.get(m.pair)
        if own is None or own.slot != m.slot:
            assert m.slot in free[m.a] and m.slot in free[m.b]
    asked = {r.pair for r in problem.requests} | set(published)
    assert {m.pair for m in schedule.meetings} | {u.pair for u in schedule.unplaced} == asked
    assert len(schedule.meetings) + len(schedule.unplaced) == len(asked)


@st.composite
def events(draw, *, max_people=7, max_slots=4, max_requests=12):
    people = draw(st.integers(2, max_people))
    slots = draw(st.integers(1, max_slots))
    tables = draw(st.integers(0, 3))
    availability = {p: draw(st.frozensets(st.integers(0, slots - 1))) for p in range(1, people + 1)}
    pairs = st.tuples(st.integers(1, people), st.integers(1, people)).filter(lambda ab: ab[0] != ab[1])
    requests = draw(st.lists(st.tuples(pairs, st.booleans()), max_size=max_requests))
    return _problem(availability, [(a, b, priority) for (a, b), priority in requests], slots=slots, tables=tables)


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(events())
def test_every_schedule_keeps_every_rule(problem):
    schedule = _solve(problem)
    _hand_check(problem, schedule)
    assert schedule.upper_bound is not None and schedule.placed <= schedule.upper_bound


def _brute_force(problem):
    """The best weighted objective and the most meetings of any valid schedule, by trying every assignment."""
    prepared = prepare(problem)
    best_objective, best_count = 0, 0
    choices = [[None, *item.domain] for item in prepared.items]
    for combination in itertools.product(*choices):
        assignment = {i: slot for i, slot in enumerate(combination) if slot is not None}
        seats = [
            (person, slot) for i, slot in assignment.items() for person in (prepared.items[i].a, prepared.items[i].b)
        ]
        per_slot = list(assignment.values())
        if len(set(seats)) < len(seats) or any(per_slot.count(s) > prepared.capacity[s] for s in set(per_slot)):
            continue
        best_objective = max(best_objective, objective(prepared, assignment, Weights()))
        best_count = max(best_count, len(prepared.pinned) + len(assignment))
    return best_objective, best_count


def _assert_optimal(problem):
    best_objective, best_count = _brute_force(problem)
    schedule = _solve(problem)
    assert schedule.objective <= best_objective
    if schedule.status in (Status.OPTIMAL, Status.TRIVIAL):
        assert schedule.objective == best_objective
    if schedule.objective_bound is not None:
        assert best_objective <= schedule.objective_bound
    bounds = upper_bounds(problem=problem)
    assert best_count <= bounds["lp"] == schedule.upper_bound <= bounds["simple"]
    return schedule


@PROPERTY
@given(events(max_people=6, max_slots=3, max_requests=6))
def test_the_schedule_is_optimal_against_brute_force(problem):
    _assert_optimal(problem)


@PROPERTY
@given(events(max_people=6, max_slots=3, max_requests=6), st.data())
def test_with_published_meetings_too(problem, data):
    first = _solve(problem)
    published = [
        PublishedMeeting(m.a, m.b, m.slot, m.table, movable=data.draw(st.booleans()))
        for m in first.meetings
        if data.draw(st.booleans())
    ]
    people = [p.id for p in problem.participants]
    late = data.draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(people)), max_size=3))
    again = _problem(
        {p.id: p.available for p in problem.participants},
        [(r.a, r.b, r.priority) for r in problem.requests] + [(a, b) for a, b in late if a != b],
        slots=problem.slots,
        tables=problem.tables,
        published=published,
    )
    _assert_optimal(again)


@PROPERTY
@given(events(), st.data())
def test_a_rerun_after_late_requests_keeps_the_published_meetings(problem, data):
    first = _solve(problem)
    published = [
        PublishedMeeting(m.a, m.b, m.slot, m.table, movable=data.draw(st.booleans()), priority=m.priority)
        for m in first.meetings
    ]
    people = [p.id for p in problem.participants]
    late = data.draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(people)), max_size=6))
    again = _problem(
        {p.id: p.available for p in problem.participants},
        [(r.a, r.b, r.priority) for r in problem.requests] + [(a, b) for a, b in late if a != b],
        slots=problem.slots,
        tables=problem.tables,
        published=published,
    )
    second = _solve(again)
    _hand_check(again, second)
    where = _where(second)
    for meeting in published:
        if not meeting.movable:
            assert where[meeting.pair] == (meeting.slot, meeting.table)
        else:
            # Its own slot is always still open to it, so a movable meeting is never dropped.
            assert meeting.pair in where
    assert second.placed >= first.placed


def test_a_run_cut_short_by_its_time_limit_still_keeps_every_rule():
    from bench.b2b_schedule import synthetic_event

    problem = synthetic_event(150, seed=5)
    schedule = _solve(problem, SolverOptions(time_limit=0.01, workers=1, seed=0, compute_bound=False))
    assert schedule.status in (Status.HEURISTIC, Status.FEASIBLE, Status.OPTIMAL)
    assert schedule.upper_bound is None and schedule.placed > 0


def test_an_odd_cycle_is_where_the_lp_bound_is_loose_and_it_rounds_down():
    # Three people who all want to meet, in one slot: the relaxation holds 1.5 meetings; truth and bound say 1.
    problem = _problem({1: {0}, 2: {0}, 3: {0}}, [(1, 2), (1, 3), (2, 3)], slots=1, tables=3)
    assert upper_bounds(problem=problem) == {"simple": 1, "lp": 1}
    assert _solve(problem).placed == 1


def test_the_lp_bound_sees_which_slots_pairs_share():
    # One table, two slots: the simple bound counts two table-slots and four participants who can meet once each;
    # but both pairs can only meet in slot 0, which has one table.
    availability = {1: {0}, 2: {0}, 3: {0, 1}, 4: {0}}
    problem = _problem(availability, [(1, 2), (3, 4)], slots=2, tables=1)
    assert upper_bounds(problem=problem) == {"simple": 2, "lp": 1}
    assert _solve(problem).placed == 1


def test_the_checker_catches_broken_schedules():
    availability = {p: {0, 1} for p in range(1, 6)}
    problem = _problem(availability, [(1, 2), (1, 3), (4, 5)], slots=2, tables=1)
    good = _solve(problem)
    first, second = sorted(good.meetings, key=lambda m: m.slot)
    clash = replace(good, meetings=(first, replace(second, slot=first.slot)))
    assert any("table 0 holds 2 meetings" in fault for fault in violations(problem=problem, schedule=clash))
    (left,) = good.unplaced
    wrong = replace(good, unplaced=(replace(left, reason=Reason.NO_COMMON_AVAILABILITY),))
    assert any("expected tables_exhausted" in fault for fault in violations(problem=problem, schedule=wrong))
    lazy = replace(
        good, meetings=(first,), unplaced=(*good.unplaced, Unplaced(second.a, second.b, Reason.TABLES_EXHAUSTED))
    )
    assert any("not maximal" in fault for fault in violations(problem=problem, schedule=lazy))
    away = replace(good, meetings=(first, replace(second, a=9)))
    assert any("never requested" in fault for fault in violations(problem=problem, schedule=away))


def test_no_common_availability():
    schedule = _solve(_problem({1: {0}, 2: {1}}, [(1, 2)], slots=2, tables=5))
    assert schedule.meetings == ()
    assert _why(schedule) == {(1, 2): Reason.NO_COMMON_AVAILABILITY}


def test_a_participant_fully_booked_is_named():
    schedule = _solve(
        _problem({1: {0, 1}, 2: {0, 1}, 3: {0, 1}, 4: {0, 1}}, [(1, 2), (1, 3), (1, 4)], slots=2, tables=5)
    )
    assert schedule.placed == 2
    (left,) = schedule.unplaced
    assert left.reason == Reason.PARTICIPANT_FULLY_BOOKED
    assert left.participants == (1,)


def test_tables_exhausted():
    schedule = _solve(_problem({1: {0}, 2: {0}, 3: {0}, 4: {0}}, [(1, 2), (3, 4)], slots=1, tables=1))
    assert schedule.placed == 1
    assert [u.reason for u in schedule.unplaced] == [Reason.TABLES_EXHAUSTED]


def test_no_common_free_slot_when_each_side_is_busy_at_a_different_time():
    published = [PublishedMeeting(1, 3, slot=0, table=0), PublishedMeeting(2, 4, slot=1, table=0)]
    availability = {1: {0, 1}, 2: {0, 1}, 3: {0}, 4: {1}}
    schedule = _solve(_problem(availability, [(1, 2)], slots=2, tables=2, published=published))
    assert _why(schedule) == {(1, 2): Reason.NO_COMMON_FREE_SLOT}


def test_zero_tables_places_nothing_and_says_why():
    schedule = _solve(_problem({1: {0, 1}, 2: {0, 1}}, [(1, 2)], slots=2, tables=0))
    assert schedule.meetings == ()
    assert _why(schedule) == {(1, 2): Reason.TABLES_EXHAUSTED}


def test_fairness_gives_everyone_a_first_meeting_before_anyone_a_second():
    # Two table-slots in all. {1-2, 1-3} and {1-2, 4-5} are both two meetings; only the second leaves nobody out.
    availability = {p: {0, 1} for p in range(1, 6)}
    schedule = _solve(_problem(availability, [(1, 2), (1, 3), (4, 5)], slots=2, tables=1))
    assert schedule.placed == 2
    assert (4, 5) in _where(schedule)
    assert set(schedule.per_participant()) >= {4, 5}


def test_fairness_rather_than_piling_meetings_on_the_popular():
    # 1 is popular: six accepted requests, six slots, but one table: six meetings in all. A schedule of 1's six
    # meetings is as large as any; the fairness terms give 7-8 and 9-10 theirs, and 1 four (nine people meet).
    availability = {p: set(range(6)) for p in range(1, 11)}
    requests = [(1, p) for p in range(2, 8)] + [(7, 8), (9, 10)]
    schedule = _solve(_problem(availability, requests, slots=6, tables=1))
    assert schedule.placed == 6
    counts = schedule.per_participant()
    assert (7, 8) in _where(schedule) and (9, 10) in _where(schedule)
    assert counts[1] == 4 and len(counts) == 9


def test_a_participant_keeps_their_table_from_one_meeting_to_the_next():
    # 5-6 sit at table 0 in slot 0 (published), so 1 starts at table 1 and stays there, though table 0 is free later.
    availability = {1: {0, 1, 2}, 2: {0}, 3: {1}, 4: {2}, 5: {0}, 6: {0}, 7: {1}, 8: {1}}
    published = [PublishedMeeting(5, 6, slot=0, table=0)]
    schedule = _solve(_problem(availability, [(1, 2), (1, 3), (1, 4), (7, 8)], slots=3, tables=2, published=published))
    where = _where(schedule)
    assert [where[pair] for pair in [(1, 2), (1, 3), (1, 4)]] == [(0, 1), (1, 1), (2, 1)]
    assert where[(7, 8)] == (1, 0)


def test_priority_wins_a_contested_table():
    availability = {p: {0} for p in range(1, 5)}
    schedule = _solve(_problem(availability, [(3, 4), (1, 2, True)], slots=1, tables=1))
    assert _where(schedule) == {(1, 2): (0, 0)}
    assert schedule.meetings[0].priority


def test_requests_both_ways_make_one_meeting_with_either_priority():
    schedule = _solve(_problem({1: {0, 1}, 2: {0, 1}}, [(1, 2), (2, 1, True)], slots=2, tables=1))
    assert schedule.placed == 1 and schedule.meetings[0].priority and schedule.unplaced == ()


def test_a_pinned_meeting_blocks_a_late_request():
    published = [PublishedMeeting(1, 2, slot=0, table=3)]
    availability = {1: {0, 1}, 2: {0, 1}, 3: {0}}
    schedule = _solve(_problem(availability, [(1, 3)], slots=2, tables=4, published=published))
    assert _where(schedule) == {(1, 2): (0, 3)}
    (left,) = schedule.unplaced
    assert (left.reason, left.participants) == (Reason.PARTICIPANT_FULLY_BOOKED, (1,))


def test_a_movable_meeting_moves_to_make_room_and_says_so():
    published = [PublishedMeeting(1, 2, slot=0, table=3, movable=True)]
    availability = {1: {0, 1}, 2: {0, 1}, 3: {0}}
    schedule = _solve(_problem(availability, [(1, 3)], slots=2, tables=4, published=published))
    where = _where(schedule)
    assert where[(1, 3)][0] == 0 and where[(1, 2)][0] == 1
    moved = {m.pair: m.moved for m in schedule.meetings}
    assert moved == {(1, 2): True, (1, 3): False}


def test_a_movable_meeting_stays_put_when_nothing_is_gained():
    published = [PublishedMeeting(1, 2, slot=1, table=2, movable=True)]
    availability = {1: {0, 1, 2}, 2: {0, 1, 2}, 3: {0, 1, 2}, 4: {0, 1, 2}}
    schedule = _solve(_problem(availability, [(3, 4), (1, 3)], slots=3, tables=3, published=published))
    assert _where(schedule)[(1, 2)] == (1, 2)
    assert not any(m.moved for m in schedule.meetings)


def test_a_published_slot_stays_agreed_after_availability_changed():
    # 2 is no longer free in slot 0, but the meeting there was published: it stays (staff cancel it explicitly).
    published = [PublishedMeeting(1, 2, slot=0, table=0)]
    schedule = _solve(_problem({1: {0, 1}, 2: {1}}, [(1, 2)], slots=2, tables=1, published=published))
    assert _where(schedule) == {(1, 2): (0, 0)}


@pytest.mark.parametrize(
    ("availability", "requests", "published", "code"),
    [
        ({1: {0}}, [(1, 2)], [], "unknown_participant"),
        ({1: {0}, 2: {0}}, [(1, 1)], [], "self_meeting"),
        ({1: {0, 5}, 2: {0}}, [(1, 2)], [], "slot_out_of_range"),
        (
            {1: {0}, 2: {0}, 3: {0}},
            [],
            [PublishedMeeting(1, 2, 0, 0), PublishedMeeting(1, 3, 0, 1)],
            "participant_double_booked",
        ),
        (
            {p: {0} for p in range(1, 5)},
            [],
            [PublishedMeeting(1, 2, 0, 0), PublishedMeeting(3, 4, 0, 0)],
            "table_double_booked",
        ),
        ({1: {0}, 2: {0}}, [], [PublishedMeeting(1, 2, 0, 7)], "slot_out_of_range"),
    ],
)
def test_contradictory_input_is_refused_with_a_code(availability, requests, published, code):
    with pytest.raises(InvalidProblem) as raised:
        schedule_meetings(problem=_problem(availability, requests, slots=2, tables=2, published=published))
    assert raised.value.code == code


def test_the_same_input_gives_the_same_schedule():
    from bench.b2b_schedule import synthetic_event

    problem = synthetic_event(40, seed=7, slots=8, tables=6)
    first = schedule_meetings(problem=problem, options=OPTIONS)
    second = schedule_meetings(problem=problem, options=OPTIONS)
    assert first.meetings == second.meetings and first.unplaced == second.unplaced


def test_a_synthetic_event_of_the_benchmark_reaches_its_bound():
    from bench.b2b_schedule import synthetic_event

    problem = synthetic_event(120, seed=3)
    schedule = _solve(problem, SolverOptions(time_limit=10, workers=1, seed=0))
    bounds = upper_bounds(problem=problem)
    assert schedule.upper_bound == bounds["lp"] <= bounds["simple"]
    # The rounded LP start alone is within a few meetings of the bound; a valid schedule is never above it.
    assert 0.97 * bounds["lp"] <= schedule.placed <= bounds["lp"]


def test_pairs_are_spelled_smaller_first():
    assert pair_of(5, 2) == (2, 5) == MeetingRequest(5, 2).pair
