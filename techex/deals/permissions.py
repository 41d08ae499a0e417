"""Who may do what to a deal, and in which state: one rule per action, shared by the services and the selectors.

The services call ``require`` before they write; ``deal_actions_for_user`` asks ``can`` for each action, so the
buttons a page shows and the actions the API lists are exactly those the services would allow.
A role check raises ``PermissionDenied`` (answered 403); a state check raises ``DealError`` (answered 400).
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.departments.scope import can_act
from techex.organizations.selectors import user_organization_ids

from .choices import DealStage, NDAMethod, NDAStatus, ProposalStatus, RegistrationStatus, Side
from .states import ENGAGED_STAGES, DealError, target_stage

OWNER, INQUIRER, BROKER, STAFF = Side.OWNER, Side.INQUIRER, Side.BROKER, Side.STAFF


def deal_roles(user, deal) -> frozenset[str]:
    """The sides the user may act for in the deal: ``owner``, ``inquirer``, ``broker``, ``staff`` (often none).

    The owner side of an anonymous listing's inquiry has no role until the broker forwards it.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    orgs = user_organization_ids(user)
    roles = set()
    if deal.owner_organization_id in orgs and deal.forwarded_at is not None:
        roles.add(OWNER)
    if deal.inquirer_organization_id in orgs:
        roles.add(INQUIRER)
    if deal.broker_id is not None and deal.broker_id in orgs:
        roles.add(BROKER)
    if can_act(user, deal):  # staff of the deal's department (docs/departments.md)
        roles.add(STAFF)
    return frozenset(roles)


def _one_of(roles: Iterable[str], allowed: Iterable[str], message: str) -> str:
    """The one side among ``allowed`` the user acts for; a user in both parties cannot say which one they speak for."""
    sides = [side for side in (OWNER, INQUIRER, BROKER, STAFF) if side in roles and side in allowed]
    if not sides:
        raise PermissionDenied(message)
    if OWNER in sides and INQUIRER in sides:
        raise PermissionDenied(
            _("You are a member of both parties to this deal, so the exchange cannot tell which side you act for.")
        )
    return sides[0]


# --- role rules: (sides allowed, message when refused) -------------------------------------------------------------


def _msg_parties() -> str:
    return _("Only the two parties to the deal may do this.")


def _msg_staff() -> str:
    return _("Only the exchange's staff may do this.")


ROLE_RULES: dict[str, tuple[tuple[str, ...], Callable[[], str]]] = {
    "forward": ((BROKER,), lambda: _("Only the deal's broker may forward an inquiry.")),
    "accept": ((OWNER, BROKER), lambda: _("Only the listing's owners or the deal's broker may answer an inquiry.")),
    "decline": ((OWNER, BROKER), lambda: _("Only the listing's owners or the deal's broker may decline a deal.")),
    "withdraw": ((INQUIRER,), lambda: _("Only the inquirer may withdraw from a deal.")),
    "drop": ((STAFF, BROKER), lambda: _("Only the exchange's staff or the deal's broker may drop a deal.")),
    "start_negotiation": ((OWNER, INQUIRER), _msg_parties),
    "message": (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may post messages."),
    ),
    "propose": ((OWNER, INQUIRER), lambda: _("Only the two parties to the deal may make proposals.")),
    "proposal_accept": ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    "proposal_reject": ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    "proposal_counter": ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    "proposal_withdraw": ((OWNER, INQUIRER), lambda: _("Only the side that made a proposal may withdraw it.")),
    "nda_request": ((OWNER, INQUIRER), _msg_parties),
    "nda_accept": ((OWNER, INQUIRER), _msg_parties),
    "nda_upload": ((OWNER, INQUIRER), _msg_parties),
    "nda_confirm": (
        (OWNER, INQUIRER, STAFF),
        lambda: _("Only the other party or the exchange's staff may confirm the signed NDA."),
    ),
    "nda_cancel": ((OWNER, INQUIRER), _msg_parties),
    "contract_record": (
        (OWNER, INQUIRER, BROKER),
        lambda: _("Only the parties to the deal or its broker may record the contract."),
    ),
    "registration_update": (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may do this."),
    ),
    "complete": (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may do this."),
    ),
    "assign_broker": ((STAFF,), _msg_staff),
}
ACTIONS = tuple(ROLE_RULES)


def require_role(action: str, *, user, deal, roles=None, proposal=None, nda=None) -> str:
    """Return the side the user acts for, or raise ``PermissionDenied`` saying who may act."""
    roles = deal_roles(user, deal) if roles is None else roles
    allowed, message = ROLE_RULES[action]
    if action in {"proposal_accept", "proposal_reject", "proposal_counter"} and proposal is not None:
        # The answer comes from the other side; a member of both parties answers for the side that did not propose.
        allowed = tuple(side for side in allowed if side != proposal.side)
    elif action == "proposal_withdraw" and proposal is not None:
        allowed = (proposal.side,)
    elif action == "nda_confirm" and nda is not None and nda.uploaded_side:
        allowed = tuple(side for side in allowed if side != nda.uploaded_side)
    elif action == "nda_accept" and nda is not None:
        # A member of both parties accepts for the side that has not yet; otherwise the state check says "already".
        pending = tuple(side for side in allowed if side in roles and not nda.accepted_by_side(side))
        allowed = pending or allowed
    elif action == "drop" and deal.stage == DealStage.SIGNED:
        allowed, message = (
            (STAFF,),
            lambda: _("Once the contract is signed, only the exchange's staff may drop the deal."),
        )
    return _one_of(roles, allowed, message())


# --- state rules ---------------------------------------------------------------------------------------------------


def listing_accepts_inquiries(listing) -> bool:
    """A listing takes inquiries while it is live, open for them, and its validity has not run out."""
    return (
        listing.is_live
        and listing.open_for_inquiries
        and (listing.valid_until is None or listing.valid_until > timezone.now())
    )


def _require_listing_live(deal) -> None:
    if not listing_accepts_inquiries(deal.listing):
        raise DealError(_("The listing is no longer open for inquiries."), code="listing_closed")


def _require_open(deal) -> None:
    if not deal.is_open:
        raise DealError(_("This deal is closed (“%(stage)s”).") % {"stage": DealStage(deal.stage).label}, code="closed")


def _require_open_proposal(proposal) -> None:
    if proposal.status != ProposalStatus.OPEN:
        raise DealError(_("This proposal has already been answered."), code="answered")


def _require_nda_requested(nda) -> None:
    if nda.status != NDAStatus.REQUESTED:
        raise DealError(
            _("This NDA is “%(status)s”; nothing more can be done with it.") % {"status": NDAStatus(nda.status).label},
            code="nda_settled",
        )


def require_state(action: str, *, deal, side: str = "", proposal=None, nda=None) -> None:
    """Raise ``DealError`` if the deal (or its proposal or NDA) is not in a state that allows the action."""
    stage = deal.stage
    if action == "forward":
        if stage != DealStage.INQUIRY:
            raise DealError(_("Only an inquiry awaiting an answer can be forwarded."), code="not_inquiry")
        if deal.forwarded_at is not None:
            raise DealError(_("This inquiry has already been forwarded to the listing's owner."), code="forwarded")
        _require_listing_live(deal)
    elif action == "accept":
        target_stage(stage, "accept")
        _require_listing_live(deal)
    elif action in {"decline", "withdraw", "drop", "start_negotiation", "complete"}:
        target_stage(stage, action)
        if action == "complete":
            contract = getattr(deal, "contract", None)
            if contract is None or not contract.in_force:
                raise DealError(
                    _("The contract is not in force until its registration is certified (Law 07/2017, Art. 31)."),
                    code="not_in_force",
                )
    elif action in {"message", "assign_broker"}:
        _require_open(deal)
    elif action == "propose":
        if stage not in {DealStage.ACCEPTED, DealStage.NEGOTIATING}:
            raise DealError(
                _("Proposals can be made once the inquiry is accepted and until terms are agreed."), code="stage"
            )
        if proposal is not None:
            raise DealError(
                _("There is already a proposal awaiting an answer: answer it or withdraw it first."), code="open"
            )
    elif action in {"proposal_accept", "proposal_reject", "proposal_counter", "proposal_withdraw"}:
        if action == "proposal_accept":
            target_stage(stage, "agree")
        _require_open(deal)
        _require_open_proposal(proposal)
    elif action == "nda_request":
        if stage not in ENGAGED_STAGES:
            raise DealError(
                _("An NDA can be asked for once the inquiry is accepted and while the deal is open."), code="stage"
            )
        if nda is not None:
            raise DealError(_("This deal already has an NDA; cancel the request first to ask again."), code="exists")
    elif action in {"nda_accept", "nda_upload", "nda_confirm", "nda_cancel"}:
        _require_open(deal)
        _require_nda_requested(nda)
        _require_nda_step(action, nda=nda, side=side)
    elif action == "contract_record":
        target_stage(stage, "sign")
    elif action == "registration_update":
        contract = getattr(deal, "contract", None)
        if stage != DealStage.SIGNED or contract is None:
            raise DealError(_("Only a signed contract of an open deal has a registration to follow."), code="stage")
        if contract.registration_status == RegistrationStatus.NOT_NEEDED:
            raise DealError(_("This contract does not need registration."), code="not_needed")
        if contract.registration_status == RegistrationStatus.CERTIFIED:
            raise DealError(_("This contract's registration is already certified."), code="certified")


def _require_nda_step(action: str, *, nda, side: str) -> None:
    if action == "nda_accept":
        if nda.method != NDAMethod.IN_APP:
            raise DealError(_("This NDA is signed on paper: upload the signed document instead."), code="method")
        if side and nda.accepted_by_side(side):
            raise DealError(_("Your side has already accepted this NDA."), code="accepted")
    elif action == "nda_upload":
        if nda.method != NDAMethod.SIGNED_FILE:
            raise DealError(_("This NDA is accepted in the app; there is no file to upload."), code="method")
    elif action == "nda_confirm" and (nda.method != NDAMethod.SIGNED_FILE or not nda.signed_file):
        raise DealError(_("No signed document has been uploaded yet."), code="no_file")


def require(action: str, *, user, deal, roles=None, proposal=None, nda=None) -> str:
    """Check the role, then the state; return the side the user acts for."""
    side = require_role(action, user=user, deal=deal, roles=roles, proposal=proposal, nda=nda)
    require_state(action, deal=deal, side=side, proposal=proposal, nda=nda)
    return side


def can(action: str, *, user, deal, roles=None, proposal=None, nda=None) -> bool:
    try:
        require(action, user=user, deal=deal, roles=roles, proposal=proposal, nda=nda)
    except (PermissionDenied, ValidationError):
        return False
    return True
