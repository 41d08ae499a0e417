"""Ceilings on the number of meetings any valid schedule can hold, to judge a schedule against.

- ``simple_bound``: the pinned meetings, plus the lesser of the tables left (summed over slots) and half the sum over
  participants of min(slots they could still meet in, pairs they could still meet): each meeting uses one table-slot
  and two participant-slots.
- ``lp_bound``: the pinned meetings plus the optimum of the linear relaxation of the slot model (model.py) with the
  number of meetings as objective, rounded down. Every valid schedule is a solution of that relaxation, so it is a
  ceiling; and the relaxation implies both terms of the simple bound, so it is never above it (it also sees which
  slots each pair shares). It can still be loose where odd cycles of pairs compete for one slot.
"""

import math
from collections import defaultdict

from ortools.linear_solver.python import model_builder

from .prepare import Prepared


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


def lp_bound(prepared: Prepared) -> int:
    model = model_builder.Model()
    by_person_slot: dict[tuple[int, int], list[model_builder.Variable]] = defaultdict(list)
    by_slot: dict[int, list[model_builder.Variable]] = defaultdict(list)
    every = []
    for index, item in enumerate(prepared.items):
        own = [model.new_num_var(0, 1, f"x{index}_{slot}") for slot in item.domain]
        for slot, var in zip(item.domain, own, strict=True):
            by_person_slot[item.a, slot].append(var)
            by_person_slot[item.b, slot].append(var)
            by_slot[slot].append(var)
        if len(own) > 1:
            model.add(model_builder.LinearExpr.sum(own) <= 1)
        every.extend(own)
    if not every:
        return len(prepared.pinned)
    for group in by_person_slot.values():
        if len(group) > 1:
            model.add(model_builder.LinearExpr.sum(group) <= 1)
    for slot, group in by_slot.items():
        if len(group) > prepared.capacity[slot]:
            model.add(model_builder.LinearExpr.sum(group) <= prepared.capacity[slot])
    model.maximize(model_builder.LinearExpr.sum(every))
    solver = model_builder.Solver("glop")
    status = solver.solve(model)
    if status != model_builder.SolveStatus.OPTIMAL:
        # Never claim a ceiling the LP did not prove.
        return simple_bound(prepared)
    # The tolerance absorbs the LP's floating-point error on an integral optimum (e.g. 1499.9999997).
    return min(len(prepared.pinned) + math.floor(solver.objective_value + 1e-6), simple_bound(prepared))
