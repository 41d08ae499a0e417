"""The deal stages as data: every allowed transition is one row here, and one service."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import DealAction as A
from .choices import DealStage as S
from .choices import NDAMethod, NDAStatus, ProposalStatus
from .choices import RegistrationStatus as R

OPEN_STAGES = frozenset({S.INQUIRY, S.ACCEPTED, S.NEGOTIATING, S.AGREED, S.SIGNED})
CLOSED_STAGES = frozenset({S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.DROPPED})
# A deal may be declined or withdrawn until its contract is signed; after that only staff may drop it.
BEFORE_CONTRACT = frozenset({S.INQUIRY, S.ACCEPTED, S.NEGOTIATING, S.AGREED})
# Stages in which the two parties know each other and work on the deal (NDA, proposals, messages on terms).
ENGAGED_STAGES = frozenset({S.ACCEPTED, S.NEGOTIATING, S.AGREED, S.SIGNED})

# action: (stages it may start from, stage it leads to)
TRANSITIONS: dict[A, tuple[frozenset[str], str]] = {
    A.ACCEPT: (frozenset({S.INQUIRY}), S.ACCEPTED),
    A.START_NEGOTIATION: (frozenset({S.ACCEPTED}), S.NEGOTIATING),
    A.AGREE: (frozenset({S.NEGOTIATING}), S.AGREED),
    A.SIGN: (frozenset({S.AGREED}), S.SIGNED),
    A.COMPLETE: (frozenset({S.SIGNED}), S.COMPLETED),
    A.DECLINE: (BEFORE_CONTRACT, S.DECLINED),
    A.WITHDRAW: (BEFORE_CONTRACT, S.WITHDRAWN),
    A.DROP: (OPEN_STAGES, S.DROPPED),
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


def target_stage(current: str, action: A) -> str:
    """Return the stage that ``action`` leads to from ``current``, or raise naming both stages."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise DealError(
            _("A deal cannot go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            code="invalid_transition",
        )
    return target


def allowed_transitions(current: str) -> list[A]:
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


# --- what each action needs of the deal's state ----------------------------------------------------------------------
# Beside the transitions: each action is a row naming the checks its state must pass, in order. Each check raises
# ``DealError`` saying what is wrong; the role rules (who may act) are ``permissions.ROLE_RULES``.


class StateOf(NamedTuple):
    """What a state check reads: the deal, the side acting, and the proposal or NDA the action is about."""

    deal: Any
    side: str = ""
    proposal: Any = None
    nda: Any = None


StateCheck = Callable[[StateOf], None]


def listing_accepts_inquiries(listing) -> bool:
    """A listing takes inquiries while it is live, open for them, and its validity has not run out."""
    return (
        listing.is_live
        and listing.open_for_inquiries
        and (listing.valid_until is None or listing.valid_until > timezone.now())
    )


def _moves(action: A) -> StateCheck:
    """The deal's stage allows the transition ``action``."""

    def check(state: StateOf) -> None:
        target_stage(state.deal.stage, action)

    return check


def _listing_live(state: StateOf) -> None:
    if not listing_accepts_inquiries(state.deal.listing):
        raise DealError(_("The listing is no longer open for inquiries."), code="listing_closed")


def _awaiting_answer(state: StateOf) -> None:
    if state.deal.stage != S.INQUIRY:
        raise DealError(_("Only an inquiry awaiting an answer can be forwarded."), code="not_inquiry")


def _not_forwarded(state: StateOf) -> None:
    if state.deal.forwarded_at is not None:
        raise DealError(_("This inquiry has already been forwarded to the listing's owner."), code="forwarded")


def _contract_in_force(state: StateOf) -> None:
    contract = getattr(state.deal, "contract", None)
    if contract is None or not contract.in_force:
        raise DealError(
            _("The contract is not in force until its registration is certified (Law 07/2017, Art. 31)."),
            code="not_in_force",
        )


def _deal_open(state: StateOf) -> None:
    if not is_open(state.deal.stage):
        raise DealError(_("This deal is closed (“%(stage)s”).") % {"stage": S(state.deal.stage).label}, code="closed")


def _proposing_stage(state: StateOf) -> None:
    if state.deal.stage not in {S.ACCEPTED, S.NEGOTIATING}:
        raise DealError(
            _("Proposals can be made once the inquiry is accepted and until terms are agreed."), code="stage"
        )


def _no_open_proposal(state: StateOf) -> None:
    if state.proposal is not None:
        raise DealError(
            _("There is already a proposal awaiting an answer: answer it or withdraw it first."), code="open"
        )


def _proposal_open(state: StateOf) -> None:
    if state.proposal.status != ProposalStatus.OPEN:
        raise DealError(_("This proposal has already been answered."), code="answered")


def _engaged(state: StateOf) -> None:
    if state.deal.stage not in ENGAGED_STAGES:
        raise DealError(
            _("An NDA can be asked for once the inquiry is accepted and while the deal is open."), code="stage"
        )


def _no_nda(state: StateOf) -> None:
    if state.nda is not None:
        raise DealError(_("This deal already has an NDA; cancel the request first to ask again."), code="exists")


def _nda_requested(state: StateOf) -> None:
    if state.nda.status != NDAStatus.REQUESTED:
        raise DealError(
            _("This NDA is “%(status)s”; nothing more can be done with it.")
            % {"status": NDAStatus(state.nda.status).label},
            code="nda_settled",
        )


def _nda_in_app(state: StateOf) -> None:
    if state.nda.method != NDAMethod.IN_APP:
        raise DealError(_("This NDA is signed on paper: upload the signed document instead."), code="method")


def _side_has_not_accepted(state: StateOf) -> None:
    if state.side and state.nda.accepted_by_side(state.side):
        raise DealError(_("Your side has already accepted this NDA."), code="accepted")


def _nda_on_paper(state: StateOf) -> None:
    if state.nda.method != NDAMethod.SIGNED_FILE:
        raise DealError(_("This NDA is accepted in the app; there is no file to upload."), code="method")


def _nda_file_uploaded(state: StateOf) -> None:
    if state.nda.method != NDAMethod.SIGNED_FILE or not state.nda.signed_file:
        raise DealError(_("No signed document has been uploaded yet."), code="no_file")


def _signed_contract(state: StateOf) -> None:
    if state.deal.stage != S.SIGNED or getattr(state.deal, "contract", None) is None:
        raise DealError(_("Only a signed contract of an open deal has a registration to follow."), code="stage")


def _registration_needed(state: StateOf) -> None:
    if state.deal.contract.registration_status == R.NOT_NEEDED:
        raise DealError(_("This contract does not need registration."), code="not_needed")


def _not_certified(state: StateOf) -> None:
    if state.deal.contract.registration_status == R.CERTIFIED:
        raise DealError(_("This contract's registration is already certified."), code="certified")


_NDA_STEP = (_deal_open, _nda_requested)
_ANSWER = (_deal_open, _proposal_open)

STATE_RULES: dict[A, tuple[StateCheck, ...]] = {
    A.FORWARD: (_awaiting_answer, _not_forwarded, _listing_live),
    A.ACCEPT: (_moves(A.ACCEPT), _listing_live),
    A.DECLINE: (_moves(A.DECLINE),),
    A.WITHDRAW: (_moves(A.WITHDRAW),),
    A.DROP: (_moves(A.DROP),),
    A.START_NEGOTIATION: (_moves(A.START_NEGOTIATION),),
    A.COMPLETE: (_moves(A.COMPLETE), _contract_in_force),
    A.MESSAGE: (_deal_open,),
    A.ASSIGN_BROKER: (_deal_open,),
    A.PROPOSE: (_proposing_stage, _no_open_proposal),
    A.PROPOSAL_ACCEPT: (_moves(A.AGREE), *_ANSWER),
    A.PROPOSAL_REJECT: _ANSWER,
    A.PROPOSAL_COUNTER: _ANSWER,
    A.PROPOSAL_WITHDRAW: _ANSWER,
    A.NDA_REQUEST: (_engaged, _no_nda),
    A.NDA_ACCEPT: (*_NDA_STEP, _nda_in_app, _side_has_not_accepted),
    A.NDA_UPLOAD: (*_NDA_STEP, _nda_on_paper),
    A.NDA_CONFIRM: (*_NDA_STEP, _nda_file_uploaded),
    A.NDA_CANCEL: _NDA_STEP,
    A.CONTRACT_RECORD: (_moves(A.SIGN),),
    A.REGISTRATION_UPDATE: (_signed_contract, _registration_needed, _not_certified),
}


def require_state(action: A, *, deal, side: str = "", proposal=None, nda=None) -> None:
    """Raise ``DealError`` if the deal (or its proposal or NDA) is not in a state that allows the action."""
    state = StateOf(deal=deal, side=side, proposal=proposal, nda=nda)
    for check in STATE_RULES[action]:
        check(state)
