"""The CP-SAT model: one boolean per (item, slot it could take) — tables are interchangeable, so a per-slot capacity
replaces them, and they are numbered afterwards (finish.py). At 1,000 participants that is some 40,000 booleans
instead of the millions a (request, slot, table) model would need, and no table symmetry to break.
"""

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .greedy import Assignment
from .prepare import Prepared
from .problem import SolverOptions


@dataclass(frozen=True)
class Outcome:
    assignment: Assignment | None
    optimal: bool
    objective_bound: int | None


def solve(prepared: Prepared, hint: Assignment, options: SolverOptions, *, deadline: float) -> Outcome:
    """Improve on ``hint`` until ``deadline`` (a time.perf_counter() value; CP-SAT gets at least half a second)."""
    weights = options.weights
    model = cp_model.CpModel()
    chosen: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    terms: list[tuple[cp_model.IntVar, int]] = []
    for index, item in enumerate(prepared.items):
        own = []
        for slot in item.domain:
            var = model.new_bool_var(f"x{index}_{slot}")
            chosen[index, slot] = var
            own.append(var)
            by_person_slot[item.a, slot].append(var)
            by_person_slot[item.b, slot].append(var)
            by_slot[slot].append(var)
            value = weights.meeting + (weights.priority if item.priority else 0)
            if item.published is not None:
                value += weights.keep_published + (weights.stay_put if slot == item.published.slot else 0)
            terms.append((var, value))
            model.add_hint(var, hint.get(index) == slot)
        if len(own) > 1:
            model.add_at_most_one(own)
        by_person[item.a].extend(own)
        by_person[item.b].extend(own)
    for group in by_person_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for slot, group in by_slot.items():
        if len(group) > prepared.capacity[slot]:
            model.add(sum(group) <= prepared.capacity[slot])

    # Fairness: a participant's first and second meetings earn a bonus (concave reward, see the docs). A bonus
    # already earned by pinned meetings is the constant below; the rest are booleans bounded by the count.
    constant = 0
    hinted: dict[int, int] = defaultdict(int)
    for index in hint:
        hinted[prepared.items[index].a] += 1
        hinted[prepared.items[index].b] += 1
    for person, group in sorted(by_person.items()):
        pinned = prepared.pinned_count(person)
        for rank, bonus in ((1, weights.first_meeting), (2, weights.second_meeting)):
            if pinned >= rank or bonus == 0:
                continue
            earned = model.new_bool_var(f"f{rank}_{person}")
            model.add(rank * earned <= sum(group) + pinned)
            model.add_hint(earned, hinted[person] + pinned >= rank)
            terms.append((earned, bonus))
    for person in prepared.busy:
        pinned = prepared.pinned_count(person)
        constant += (weights.first_meeting if pinned >= 1 else 0) + (weights.second_meeting if pinned >= 2 else 0)
    model.maximize(sum(value * var for var, value in terms) + constant)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.perf_counter(), 0.5)
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.log_search_progress = options.log
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(None, optimal=False, objective_bound=None)
    assignment = {index: slot for (index, slot), var in chosen.items() if solver.boolean_value(var)}
    return Outcome(assignment, optimal=status == cp_model.OPTIMAL, objective_bound=int(solver.best_objective_bound))
