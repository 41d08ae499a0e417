"""The deal stages as data: every allowed transition is one row here, and one service."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import DealStage as S
from .choices import RegistrationStatus as R

OPEN_STAGES = frozenset({S.INQUIRY, S.ACCEPTED, S.NEGOTIATING, S.AGREED, S.SIGNED})
CLOSED_STAGES = frozenset({S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.DROPPED})
# A deal may be declined or withdrawn until its contract is signed; after that only staff may drop it.
BEFORE_CONTRACT = frozenset({S.INQUIRY, S.ACCEPTED, S.NEGOTIATING, S.AGREED})
# Stages in which the two parties know each other and work on the deal (NDA, proposals, messages on terms).
ENGAGED_STAGES = frozenset({S.ACCEPTED, S.NEGOTIATING, S.AGREED, S.SIGNED})

# action: (stages it may start from, stage it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({S.INQUIRY}), S.ACCEPTED),
    "start_negotiation": (frozenset({S.ACCEPTED}), S.NEGOTIATING),
    "agree": (frozenset({S.NEGOTIATING}), S.AGREED),
    "sign": (frozenset({S.AGREED}), S.SIGNED),
    "complete": (frozenset({S.SIGNED}), S.COMPLETED),
    "decline": (BEFORE_CONTRACT, S.DECLINED),
    "withdraw": (BEFORE_CONTRACT, S.WITHDRAWN),
    "drop": (OPEN_STAGES, S.DROPPED),
}

# The funnel the department reports: a deal counts in every stage it has reached (Decision 1158/QĐ-TTg asks for
# the number and value of transactions). Each stage but the first keeps the moment it was first reached.
FUNNEL: tuple[tuple[str, str], ...] = (
    (S.INQUIRY, "created_at"),
    (S.ACCEPTED, "reached_accepted_at"),
    (S.NEGOTIATING, "reached_negotiating_at"),
    (S.AGREED, "reached_agreed_at"),
    (S.SIGNED, "reached_signed_at"),
    (S.COMPLETED, "reached_completed_at"),
)
REACHED_FIELD = dict(FUNNEL)

# Registration of a contract (Law 07/2017, Art. 31): status: the statuses it may be changed to.
REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    R.NOT_NEEDED: frozenset(),
    R.NEEDED: frozenset({R.SUBMITTED}),
    R.SUBMITTED: frozenset({R.CERTIFIED, R.NEEDED}),
    R.CERTIFIED: frozenset(),
}


class DealError(ValidationError):
    """An action that the deal's current stage (or the state of its parts) does not allow."""


def target_stage(current: str, action: str) -> str:
    """Return the stage that ``action`` leads to from ``current``, or raise naming both stages."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise DealError(
            _("A deal cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )
    return target


def allowed_transitions(current: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES


def require_registration_change(current: str, new: str) -> None:
    if new not in REGISTRATION_TRANSITIONS[current]:
        raise DealError(
            {
                "status": [
                    _("The registration cannot go from “%(current)s” to “%(target)s”.")
                    % {"current": R(current).label, "target": R(new).label}
                ]
            },
            code="invalid_registration",
        )
