"""What the B2B scheduler takes and gives back: plain frozen dataclasses, no Django.

Slots are the event's meeting slots numbered 0..slots-1 in time order, breaks already removed (the events layer maps
an index back to a start time). Tables are numbered 0..tables-1 (the events layer prints them from 1). A pair of
participants meets at most once, whoever asked: two accepted requests between the same two people are one meeting.
"""

from dataclasses import dataclass, field
from enum import StrEnum


def pair_of(a: int, b: int) -> tuple[int, int]:
    """The unordered pair of two participants, in one spelling (smaller id first)."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Participant:
    id: int
    # Slot indices this participant can meet in (their availability within the meeting hours).
    available: frozenset[int]


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted meeting request. ``priority``: both sides marked it important."""

    a: int
    b: int
    priority: bool = False

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.a, self.b)


@dataclass(frozen=True)
class PublishedMeeting:
    """A meeting already on published agendas. Kept where it is, unless ``movable`` (staff allowed moving it): then
    the scheduler keeps it placed (at any slot both can make, preferably its own) and changes it only to place more.
    Its own slot counts as available to both sides: they accepted it on their agenda."""

    a: int
    b: int
    slot: int
    table: int
    movable: bool = False
    priority: bool = False

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.a, self.b)


@dataclass(frozen=True)
class Weights:
    """The objective, summed over the schedule (see docs/b2b-scheduling.md for why these values)."""

    meeting: int = 10
    # Added for a request both sides marked important: worth half a meeting more.
    priority: int = 5
    # Added once per participant who gets at least one meeting, and again for a second one: the fairness terms.
    first_meeting: int = 4
    second_meeting: int = 2
    # Per movable published meeting kept on the agendas at all / kept in its own slot.
    keep_published: int = 1000
    stay_put: int = 3


@dataclass(frozen=True)
class SchedulingProblem:
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]
    slots: int
    tables: int
    published: tuple[PublishedMeeting, ...] = ()


@dataclass(frozen=True)
class SolverOptions:
    # Wall-clock budget in seconds for the relaxed start and CP-SAT (which gets what the start left, at least half a
    # second). The table numbering, the reasons and the LP bound come on top (about a second at 1,000 participants).
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    # The LP bound costs a few seconds at 1,000 participants: the events layer may skip it, the benchmark does not.
    compute_bound: bool = True
    weights: Weights = field(default_factory=Weights)
    # CP-SAT's search log on stdout, to see where the time goes.
    log: bool = False


class Reason(StrEnum):
    """Why an accepted request has no meeting. Machine codes: the events layer translates them for staff."""

    # The two sides share no slot of their availability (nothing any schedule could do).
    NO_COMMON_AVAILABILITY = "no_common_availability"
    # One side (named in ``Unplaced.participants``; both when both are) already has a meeting in every slot the
    # two could share.
    PARTICIPANT_FULLY_BOOKED = "participant_fully_booked"
    # In every slot the two share, one or the other is busy, but neither alone is booked in all of them.
    NO_COMMON_FREE_SLOT = "no_common_free_slot"
    # Some slot is free for both sides, but every table is taken in each such slot.
    TABLES_EXHAUSTED = "tables_exhausted"


class InvalidProblem(ValueError):
    """The input contradicts itself (an unknown participant, a slot out of range, two published meetings of one
    person in one slot...). ``code`` names the fault; the message gives the details, for the log."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


class Status(StrEnum):
    # CP-SAT proved the weighted objective optimal.
    OPTIMAL = "optimal"
    # CP-SAT improved on the greedy start within the time limit, without proof of optimality.
    FEASIBLE = "feasible"
    # CP-SAT found nothing in time: the start (rounded LP relaxation or greedy, whichever scores more) is returned.
    HEURISTIC = "heuristic"
    # Nothing to decide (no request could go anywhere, or everything is pinned).
    # OPTIMAL is also given without CP-SAT when the rounded LP relaxation reaches the relaxation's optimum.
    TRIVIAL = "trivial"


@dataclass(frozen=True)
class Meeting:
    a: int
    b: int
    slot: int
    table: int
    priority: bool = False
    # On the agendas before this run; ``moved``: its slot or table changed in this run (agendas to e-mail again).
    published: bool = False
    moved: bool = False

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.a, self.b)


@dataclass(frozen=True)
class Unplaced:
    a: int
    b: int
    reason: Reason
    priority: bool = False
    # Movable published meeting the scheduler could not keep (its sides' availability changed).
    published: bool = False
    # With PARTICIPANT_FULLY_BOOKED: who is.
    participants: tuple[int, ...] = ()

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.a, self.b)


@dataclass(frozen=True)
class Schedule:
    meetings: tuple[Meeting, ...]
    unplaced: tuple[Unplaced, ...]
    status: Status
    # The weighted objective of the returned schedule (Weights), and a proven ceiling on it: the lesser of the
    # weighted LP relaxation's and CP-SAT's (None when neither ran).
    objective: int
    objective_bound: int | None
    # A ceiling on the number of meetings any valid schedule can hold (the LP relaxation of the slot model), None
    # when not computed.
    upper_bound: int | None
    solve_seconds: float
    bound_seconds: float = 0.0

    @property
    def placed(self) -> int:
        return len(self.meetings)

    def per_participant(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for meeting in self.meetings:
            counts[meeting.a] = counts.get(meeting.a, 0) + 1
            counts[meeting.b] = counts.get(meeting.b, 0) + 1
        return counts
