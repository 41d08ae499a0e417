"""The service-request lifecycle as data: every allowed transition is one row here, and one service.

submitted → assigned → quoted → accepted → in progress → delivered → closed (rated), or declined / cancelled with a
reason. ``ROLES`` says which party may take each action; the services read both tables and nothing else.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Party as P
from .choices import RequestAction as A
from .choices import RequestState as S

OPEN_STATES = frozenset({S.SUBMITTED, S.ASSIGNED, S.QUOTED, S.ACCEPTED, S.IN_PROGRESS, S.DELIVERED})
CLOSED_STATES = frozenset({S.CLOSED, S.DECLINED, S.CANCELLED})
# A client may cancel until the work starts; a provider may decline until its quote is accepted.
CANCELLABLE = frozenset({S.SUBMITTED, S.ASSIGNED, S.QUOTED, S.ACCEPTED})
DECLINABLE = frozenset({S.ASSIGNED, S.QUOTED})

# action: (states it may start from, state it leads to)
TRANSITIONS: dict[A, tuple[frozenset[str], str]] = {
    A.ASSIGN: (frozenset({S.SUBMITTED, S.ASSIGNED}), S.ASSIGNED),
    A.QUOTE: (frozenset({S.ASSIGNED, S.QUOTED}), S.QUOTED),
    A.ACCEPT: (frozenset({S.QUOTED}), S.ACCEPTED),
    A.REJECT_QUOTE: (frozenset({S.QUOTED}), S.DECLINED),
    A.START: (frozenset({S.ACCEPTED}), S.IN_PROGRESS),
    A.DELIVER: (frozenset({S.IN_PROGRESS}), S.DELIVERED),
    A.CLOSE: (frozenset({S.DELIVERED}), S.CLOSED),
    A.CANCEL: (CANCELLABLE, S.CANCELLED),
    A.DECLINE: (DECLINABLE, S.DECLINED),
    # Brokerage requests follow the broker staff assign to a deal or an anonymous listing (services/brokerage.py):
    # the broker is at work from the assignment (a new broker takes the same request over); removed, it ends.
    A.BROKER_ASSIGN: (frozenset({S.SUBMITTED, S.IN_PROGRESS}), S.IN_PROGRESS),
    A.BROKER_REMOVE: (frozenset({S.IN_PROGRESS}), S.CANCELLED),
}

# Who may take each action (staff act only within their department's scope).
ROLES: dict[A, frozenset[str]] = {
    A.ASSIGN: frozenset({P.STAFF}),
    A.QUOTE: frozenset({P.PROVIDER}),
    A.ACCEPT: frozenset({P.CLIENT}),
    A.REJECT_QUOTE: frozenset({P.CLIENT}),
    A.START: frozenset({P.PROVIDER}),
    A.DELIVER: frozenset({P.PROVIDER}),
    A.CLOSE: frozenset({P.CLIENT}),
    A.CANCEL: frozenset({P.CLIENT}),
    A.DECLINE: frozenset({P.PROVIDER}),
    A.MESSAGE: frozenset({P.CLIENT, P.PROVIDER, P.STAFF}),
    # No party takes these on the request page: they follow a broker's assignment (services/brokerage.py).
    A.BROKER_ASSIGN: frozenset(),
    A.BROKER_REMOVE: frozenset(),
}

# The moment each state is first reached is kept on the request (its timeline).
REACHED_FIELD: dict[str, str] = {
    S.ASSIGNED: "assigned_at",
    S.QUOTED: "quoted_at",
    S.ACCEPTED: "accepted_at",
    S.IN_PROGRESS: "started_at",
    S.DELIVERED: "delivered_at",
    S.CLOSED: "closed_at",
    S.DECLINED: "closed_at",
    S.CANCELLED: "closed_at",
}


class RequestError(ValidationError):
    """An action that the request's current state does not allow."""


def target_state(current: str, action: A) -> str:
    """Return the state ``action`` leads to from ``current``, or raise naming both states."""
    if action not in TRANSITIONS:
        if current not in OPEN_STATES:
            raise RequestError(_("This request is closed (“%(state)s”).") % {"state": S(current).label}, code="closed")
        return current
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise RequestError(
            _("A service request cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )
    return target


def allowed_actions(current: str, parties: frozenset[str] | set[str]) -> list[A]:
    """The actions the given parties may take on a request in ``current`` state (buttons of the request page)."""
    actions = []
    for action, roles in ROLES.items():
        if not roles & set(parties):
            continue
        if action in TRANSITIONS:
            if current in TRANSITIONS[action][0]:
                actions.append(action)
        elif current in OPEN_STATES:
            actions.append(action)
    return actions


def is_open(state: str) -> bool:
    return state in OPEN_STATES
