"""The listing lifecycle as data: every allowed transition is one row here, and one service."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .choices import ListingStatus as S

# action: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    # An owner's edit of a live listing is a revision that goes back to review.
    "revise": (frozenset({S.PUBLISHED, S.CHANGES_REQUESTED}), S.SUBMITTED),
    "publish": (frozenset({S.SUBMITTED}), S.PUBLISHED),
    "request_changes": (frozenset({S.SUBMITTED}), S.CHANGES_REQUESTED),
    "reject": (frozenset({S.SUBMITTED}), S.REJECTED),
    # Rejecting a revision of a live listing discards the revision; the approved version stays published.
    "reject_revision": (frozenset({S.SUBMITTED, S.CHANGES_REQUESTED}), S.PUBLISHED),
    "expire": (frozenset({S.PUBLISHED, S.SUBMITTED, S.CHANGES_REQUESTED}), S.EXPIRED),
    "renew": (frozenset({S.PUBLISHED, S.EXPIRED}), S.PUBLISHED),
    "withdraw": (frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED, S.EXPIRED}), S.WITHDRAWN),
    "archive": (frozenset({S.WITHDRAWN, S.EXPIRED, S.REJECTED}), S.ARCHIVED),
    "reopen": (frozenset({S.WITHDRAWN, S.REJECTED}), S.DRAFT),
}

# States in which the owner may change the content.
EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED})


class TransitionError(ValidationError):
    """An action that the listing's current state does not allow."""


def target_state(current: str, action: str) -> str:
    """Return the state that ``action`` leads to from ``current``, or raise naming both."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionError(
            _("A listing that is “%(state)s” cannot be %(action)s.")
            % {"state": S(current).label, "action": ACTION_LABELS[action]},
            code="invalid_transition",
        )
    return target


def allowed_actions(current: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]


ACTION_LABELS = {
    "submit": _l("submitted for review"),
    "revise": _l("revised"),
    "publish": _l("published"),
    "request_changes": _l("sent back for changes"),
    "reject": _l("rejected"),
    "reject_revision": _l("rejected"),
    "expire": _l("expired"),
    "renew": _l("renewed"),
    "withdraw": _l("withdrawn"),
    "archive": _l("archived"),
    "reopen": _l("reopened"),
}
