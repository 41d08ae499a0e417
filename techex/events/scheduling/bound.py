"""Linear relaxations of the slot model (model.py), solved with GLOP: the ceiling a schedule is judged against, and
the start CP-SAT is given.

- ``simple_bound``: the pinned meetings, plus the lesser of the tables left (summed over slots) and half the sum over
  participants of min(slots they could still meet in, pairs they could still meet): each meeting uses one table-slot
  and two participant-slots.
- ``lp_bound``: the pinned meetings plus the optimum of the linear relaxation with the number of meetings as
  objective, rounded down. Every valid schedule is a solution of that relaxation, so it is a ceiling; and the
  relaxation implies both terms of the simple bound, so it is never above it (it also sees which slots each pair
  shares). It can still be loose where odd cycles of pairs compete for one slot.
- ``lp_start``: the relaxation with the scheduler's weighted objective (fairness terms included), rounded: on
  realistic events its optimum is integral or nearly (the constraints are mostly per-slot matchings of small
  degree), so rounding it and placing what still fits gives a start within a fraction of a percent of the optimum,
  which a greedy pass or CP-SAT alone reach only slowly at 1,000 participants.
"""

import math
from collections import defaultdict

from ortools.linear_solver.python import model_builder

from .greedy import Assignment, Occupancy, place_greedily
from .prepare import Prepared
from .problem import Weights


def simple_bound(prepared: Prepared) -> int:
    slots_of: dict[int, set[int]] = defaultdict(set)
    pairs_of: dict[int, int] = defaultdict(int)
    for item in prepared.items:
        if item.domain:
            for side in (item.a, item.b):
                slots_of[side].update(item.domain)
                pairs_of[side] += 1
    per_person = sum(min(len(slots_of[p]), pairs_of[p]) for p in pairs_of) // 2
    return len(prepared.pinned) + min(sum(prepared.capacity), per_person)


def _relaxation(
    prepared: Prepared, weights: Weights | None, *, seconds: float
) -> tuple[dict[tuple[int, int], float], float | None] | None:
    """The relaxation's values per (item index, slot), and its optimum (None when GLOP stopped at its time limit
    with a feasible point only: good enough to round, not a ceiling); None when GLOP found nothing. Without
    ``weights``, the objective is the number of meetings."""
    model = model_builder.Model()
    variables: dict[tuple[int, int], model_builder.Variable] = {}
    by_person_slot: dict[tuple[int, int], list[model_builder.Variable]] = defaultdict(list)
    by_slot: dict[int, list[model_builder.Variable]] = defaultdict(list)
    by_person: dict[int, list[model_builder.Variable]] = defaultdict(list)
    terms = []
    for index, item in enumerate(prepared.items):
        own = []
        for slot in item.domain:
            var = variables[index, slot] = model.new_num_var(0, 1, f"x{index}_{slot}")
            own.append(var)
            by_person_slot[item.a, slot].append(var)
            by_person_slot[item.b, slot].append(var)
            by_slot[slot].append(var)
            value = 1
            if weights is not None:
                value = weights.meeting + (weights.priority if item.priority else 0)
                if item.published is not None:
                    value += weights.keep_published + (weights.stay_put if slot == item.published.slot else 0)
            terms.append(value * var)
        if len(own) > 1:
            model.add(model_builder.LinearExpr.sum(own) <= 1)
        by_person[item.a].extend(own)
        by_person[item.b].extend(own)
    if not variables:
        return {}, 0.0
    for group in by_person_slot.values():
        if len(group) > 1:
            model.add(model_builder.LinearExpr.sum(group) <= 1)
    for slot, group in by_slot.items():
        if len(group) > prepared.capacity[slot]:
            model.add(model_builder.LinearExpr.sum(group) <= prepared.capacity[slot])
    if weights is not None:
        for person, group in by_person.items():
            pinned = prepared.pinned_count(person)
            for rank, bonus in ((1, weights.first_meeting), (2, weights.second_meeting)):
                if pinned < rank and bonus and group:
                    earned = model.new_num_var(0, 1, f"f{rank}_{person}")
                    model.add(rank * earned <= model_builder.LinearExpr.sum(group) + pinned)
                    terms.append(bonus * earned)
    model.maximize(model_builder.LinearExpr.sum(terms))
    solver = model_builder.Solver("glop")
    solver.set_time_limit_in_seconds(max(seconds, 0.1))
    status = solver.solve(model)
    if status not in (model_builder.SolveStatus.OPTIMAL, model_builder.SolveStatus.FEASIBLE):
        return None
    keys = list(variables)
    values = solver.values([variables[key] for key in keys])
    optimum = solver.objective_value if status == model_builder.SolveStatus.OPTIMAL else None
    return dict(zip(keys, (float(v) for v in values), strict=True)), optimum


def lp_bound(prepared: Prepared, *, seconds: float = 120.0) -> int:
    """The LP bound; the simple bound when GLOP did not prove its optimum within ``seconds``."""
    relaxed = _relaxation(prepared, None, seconds=seconds)
    if relaxed is None or relaxed[1] is None:
        # Never claim a ceiling the LP did not prove.
        return simple_bound(prepared)
    # The tolerance absorbs the LP's floating-point error on an integral optimum (e.g. 1499.9999997).
    return min(len(prepared.pinned) + math.floor(relaxed[1] + 1e-6), simple_bound(prepared))


def lp_start(prepared: Prepared, weights: Weights, *, seconds: float) -> tuple[Assignment, int | None] | None:
    """Round the weighted relaxation: items by their largest value, each to its best-valued slot still free; then
    place greedily what still fits. Also returns the relaxation's optimum rounded down, when GLOP proved it within
    ``seconds``: a ceiling on the weighted objective (pinned meetings' constant fairness terms added, as
    greedy.objective counts them). None when GLOP found no point in time."""
    relaxed = _relaxation(prepared, weights, seconds=seconds)
    if relaxed is None:
        return None
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (index, slot), value in relaxed[0].items():
        if value > 1e-6:
            best[index].append((value, slot))
    occupancy = Occupancy(prepared, {})
    assignment: Assignment = {}
    for index in sorted(best, key=lambda i: (-max(best[i])[0], i)):
        free = set(occupancy.free(prepared, index))
        for _value, slot in sorted(best[index], key=lambda entry: (-entry[0], entry[1])):
            if slot in free:
                assignment[index] = slot
                occupancy.take(prepared, index, slot)
                break
    constant = sum(
        (weights.first_meeting if len(slots) >= 1 else 0) + (weights.second_meeting if len(slots) >= 2 else 0)
        for slots in prepared.busy.values()
    )
    ceiling = None if relaxed[1] is None else constant + math.floor(relaxed[1] + 1e-6)
    return place_greedily(prepared, assignment), ceiling
