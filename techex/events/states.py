"""The statuses of events and registrations as data: every allowed step is one row here, and one service."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import EventAction as EA
from .choices import EventStatus as ES
from .choices import MeetingRequestAction as MRA
from .choices import MeetingRequestStatus as MRS
from .choices import RegistrationAction as RA
from .choices import RegistrationStatus as RS

# action: (statuses it may start from, status it leads to)
EVENT_TRANSITIONS: dict[EA, tuple[frozenset[str], str]] = {
    EA.PUBLISH: (frozenset({ES.DRAFT}), ES.PUBLISHED),
    EA.CANCEL: (frozenset({ES.DRAFT, ES.PUBLISHED}), ES.CANCELLED),
}

# Statuses that hold a place or a claim on one; a cancelled registration frees the e-mail address for a new one.
ACTIVE_STATUSES = frozenset({RS.UNVERIFIED, RS.PENDING, RS.CONFIRMED, RS.WAITING})

# action: (statuses it may start from, status it leads to). VERIFY and APPROVE lead to a place when one is free,
# else to the waiting list: ``None`` says the service decides by the places left (and the approval flag).
REGISTRATION_TRANSITIONS: dict[RA, tuple[frozenset[str], str | None]] = {
    RA.VERIFY: (frozenset({RS.UNVERIFIED}), None),
    RA.APPROVE: (frozenset({RS.PENDING}), None),
    RA.PROMOTE: (frozenset({RS.WAITING}), RS.CONFIRMED),
    RA.REJECT: (frozenset({RS.PENDING, RS.WAITING}), RS.CANCELLED),
    RA.CANCEL: (ACTIVE_STATUSES, RS.CANCELLED),
}


class EventStateError(ValidationError):
    """A step that the current status of the event or registration does not allow."""


def event_target(current: str, action: EA) -> str:
    sources, target = EVENT_TRANSITIONS[action]
    if current not in sources:
        raise EventStateError(
            _("An event cannot go from “%(current)s” to “%(target)s”.")
            % {"current": ES(current).label, "target": ES(target).label},
            code="invalid_transition",
        )
    return target


def registration_allowed(current: str, action: RA) -> None:
    sources, _target = REGISTRATION_TRANSITIONS[action]
    if current not in sources:
        raise EventStateError(
            _("A registration that is “%(current)s” cannot be changed this way (%(action)s).")
            % {"current": RS(current).label, "action": action.label},
            code="invalid_transition",
        )


def allowed_event_actions(current: str) -> list[EA]:
    return [action for action, (sources, _target) in EVENT_TRANSITIONS.items() if current in sources]


def allowed_registration_actions(current: str) -> list[RA]:
    return [action for action, (sources, _target) in REGISTRATION_TRANSITIONS.items() if current in sources]


# Meeting requests: action → (statuses it may start from, status it leads to, who may take it).
MEETING_REQUEST_TRANSITIONS: dict[MRA, tuple[frozenset[str], str, str]] = {
    MRA.ACCEPT: (frozenset({MRS.SENT}), MRS.ACCEPTED, "recipient"),
    MRA.DECLINE: (frozenset({MRS.SENT, MRS.ACCEPTED}), MRS.DECLINED, "recipient"),
    MRA.WITHDRAW: (frozenset({MRS.SENT, MRS.ACCEPTED}), MRS.WITHDRAWN, "sender"),
}
# Requests that count against the sender's limit and block a duplicate.
OPEN_REQUEST_STATUSES = frozenset({MRS.SENT, MRS.ACCEPTED})


def meeting_request_target(current: str, action: MRA) -> str:
    sources, target, _side = MEETING_REQUEST_TRANSITIONS[action]
    if current not in sources:
        raise EventStateError(
            _("A meeting request that is “%(current)s” cannot be changed this way (%(action)s).")
            % {"current": MRS(current).label, "action": action.label},
            code="invalid_transition",
        )
    return target


def allowed_meeting_request_actions(current: str, side: str) -> list[MRA]:
    return [
        action
        for action, (sources, _target, who) in MEETING_REQUEST_TRANSITIONS.items()
        if current in sources and who == side
    ]
