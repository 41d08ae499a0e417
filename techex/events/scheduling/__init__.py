"""The automatic B2B meeting scheduler (docs/b2b-scheduling.md): pure Python over frozen dataclasses, no Django, so
the events layer calls it with plain data and stores what it returns.

    schedule = schedule_meetings(problem=SchedulingProblem(...), options=SolverOptions(time_limit=30))
"""

import time

from .bound import lp_bound, lp_start, simple_bound
from .check import violations
from .finish import number_tables, reasons
from .greedy import objective, place_greedily
from .model import solve
from .prepare import prepare
from .problem import (
    InvalidProblem,
    Meeting,
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
)

__all__ = [
    "InvalidProblem",
    "Meeting",
    "MeetingRequest",
    "Participant",
    "PublishedMeeting",
    "Reason",
    "Schedule",
    "SchedulingProblem",
    "SolverOptions",
    "Status",
    "Unplaced",
    "Weights",
    "pair_of",
    "schedule_meetings",
    "upper_bounds",
    "violations",
]


def schedule_meetings(*, problem: SchedulingProblem, options: SolverOptions | None = None) -> Schedule:
    """Place the accepted requests in slots and at tables. Raises InvalidProblem on contradictory input."""
    options = options or SolverOptions()
    started = time.perf_counter()
    prepared = prepare(problem)
    weights = options.weights
    assignment, status, objective_bound = place_greedily(prepared), Status.TRIVIAL, None
    if any(item.domain for item in prepared.items):
        status = Status.HEURISTIC
        # GLOP gets half the budget: on dense events (many pairs sharing most slots) the weighted relaxation can take
        # a minute to prove; its point at the limit is still worth rounding.
        relaxed = lp_start(prepared, weights, seconds=options.time_limit / 2)
        if relaxed is not None:
            start, objective_bound = relaxed
            if objective(prepared, start, weights) > objective(prepared, assignment, weights):
                assignment = start
            if objective_bound is not None and objective(prepared, assignment, weights) >= objective_bound:
                # The rounded relaxation reached the relaxation's own optimum: nothing left for CP-SAT to find.
                status = Status.OPTIMAL
        if status != Status.OPTIMAL:
            outcome = solve(prepared, assignment, options, deadline=started + options.time_limit)
            if outcome.assignment is not None:
                status = Status.OPTIMAL if outcome.optimal else Status.FEASIBLE
                if outcome.objective_bound is not None:
                    ceilings = [outcome.objective_bound] + ([objective_bound] if objective_bound is not None else [])
                    objective_bound = min(ceilings)
                if objective(prepared, outcome.assignment, weights) >= objective(prepared, assignment, weights):
                    assignment = outcome.assignment
    # CP-SAT stopped by the time limit may leave out a request that still fits: place it.
    assignment = place_greedily(prepared, assignment)
    meetings = number_tables(prepared, assignment)
    unplaced = reasons(prepared, assignment)
    solved = time.perf_counter()
    bound = lp_bound(prepared) if options.compute_bound else None
    return Schedule(
        meetings=tuple(meetings),
        unplaced=tuple(unplaced),
        status=status,
        objective=objective(prepared, assignment, weights),
        objective_bound=objective_bound,
        upper_bound=bound,
        solve_seconds=solved - started,
        bound_seconds=time.perf_counter() - solved,
    )


def upper_bounds(*, problem: SchedulingProblem) -> dict[str, int]:
    """Both ceilings on the number of meetings (bound.py), for the benchmark and for staff's curiosity."""
    prepared = prepare(problem)
    return {"simple": simple_bound(prepared), "lp": lp_bound(prepared)}
