"""Who may do what to a deal, and in which state: one rule per action, shared by the services and the selectors.

The services call ``require`` before they write; ``deal_actions_for_user`` asks ``can`` for each action, so the
buttons a page shows and the actions the API lists are exactly those the services would allow.
A role check raises ``PermissionDenied`` (answered 403); a state check raises ``DealError`` (answered 400).
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from techex.core.permissions import STAFF_ONLY
from techex.core.rules import matches
from techex.departments.scope import can_act
from techex.organizations.selectors import user_organization_ids

from .choices import DealAction as A
from .choices import DealStage, Side
from .models import side_rules, takes_part
from .states import require_state

OWNER, INQUIRER, BROKER, STAFF = Side.OWNER, Side.INQUIRER, Side.BROKER, Side.STAFF


def deal_roles(user, deal) -> frozenset[str]:
    """The sides the user may act for in the deal: ``owner``, ``inquirer``, ``broker``, ``staff`` (often none).

    The same membership rule as ``Deal.objects.visible_to`` (``models.side_rules``), asked of a deal already loaded;
    the owner side of an anonymous listing's inquiry has no role until the broker forwards it.
    """
    if not takes_part(user):
        return frozenset()
    orgs = user_organization_ids(user=user)
    roles = {side for side, rule in side_rules(orgs).items() if matches(rule, deal)}
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
    return str(STAFF_ONLY)


ROLE_RULES: dict[A, tuple[tuple[str, ...], Callable[[], str]]] = {
    A.FORWARD: ((BROKER,), lambda: _("Only the deal's broker may forward an inquiry.")),
    A.ACCEPT: ((OWNER, BROKER), lambda: _("Only the listing's owners or the deal's broker may answer an inquiry.")),
    A.DECLINE: ((OWNER, BROKER), lambda: _("Only the listing's owners or the deal's broker may decline a deal.")),
    A.WITHDRAW: ((INQUIRER,), lambda: _("Only the inquirer may withdraw from a deal.")),
    A.DROP: ((STAFF, BROKER), lambda: _("Only the exchange's staff or the deal's broker may drop a deal.")),
    A.START_NEGOTIATION: ((OWNER, INQUIRER), _msg_parties),
    A.MESSAGE: (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may post messages."),
    ),
    A.PROPOSE: ((OWNER, INQUIRER), lambda: _("Only the two parties to the deal may make proposals.")),
    A.PROPOSAL_ACCEPT: ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    A.PROPOSAL_REJECT: ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    A.PROPOSAL_COUNTER: ((OWNER, INQUIRER), lambda: _("Only the other side may answer this proposal.")),
    A.PROPOSAL_WITHDRAW: ((OWNER, INQUIRER), lambda: _("Only the side that made a proposal may withdraw it.")),
    A.NDA_REQUEST: ((OWNER, INQUIRER), _msg_parties),
    A.NDA_ACCEPT: ((OWNER, INQUIRER), _msg_parties),
    A.NDA_UPLOAD: ((OWNER, INQUIRER), _msg_parties),
    A.NDA_CONFIRM: (
        (OWNER, INQUIRER, STAFF),
        lambda: _("Only the other party or the exchange's staff may confirm the signed NDA."),
    ),
    A.NDA_CANCEL: ((OWNER, INQUIRER), _msg_parties),
    A.CONTRACT_RECORD: (
        (OWNER, INQUIRER, BROKER),
        lambda: _("Only the parties to the deal or its broker may record the contract."),
    ),
    A.REGISTRATION_UPDATE: (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may do this."),
    ),
    A.COMPLETE: (
        (OWNER, INQUIRER, BROKER, STAFF),
        lambda: _("Only the parties to the deal, its broker and the exchange's staff may do this."),
    ),
    A.ASSIGN_BROKER: ((STAFF,), _msg_staff),
}
ACTIONS = tuple(ROLE_RULES)


def require_role(action: A, *, user, deal, roles=None, proposal=None, nda=None) -> str:
    """Return the side the user acts for, or raise ``PermissionDenied`` saying who may act."""
    roles = deal_roles(user, deal) if roles is None else roles
    allowed, message = ROLE_RULES[action]
    if action in {A.PROPOSAL_ACCEPT, A.PROPOSAL_REJECT, A.PROPOSAL_COUNTER} and proposal is not None:
        # The answer comes from the other side; a member of both parties answers for the side that did not propose.
        allowed = tuple(side for side in allowed if side != proposal.side)
    elif action == A.PROPOSAL_WITHDRAW and proposal is not None:
        allowed = (proposal.side,)
    elif action == A.NDA_CONFIRM and nda is not None and nda.uploaded_side:
        allowed = tuple(side for side in allowed if side != nda.uploaded_side)
    elif action == A.NDA_ACCEPT and nda is not None:
        # A member of both parties accepts for the side that has not yet; otherwise the state check says "already".
        pending = tuple(side for side in allowed if side in roles and not nda.accepted_by_side(side))
        allowed = pending or allowed
    elif action == A.DROP and deal.stage == DealStage.SIGNED:
        allowed, message = (
            (STAFF,),
            lambda: _("Once the contract is signed, only the exchange's staff may drop the deal."),
        )
    return _one_of(roles, allowed, message())


def require(action: A, *, user, deal, roles=None, proposal=None, nda=None) -> str:
    """Check the role, then the state; return the side the user acts for."""
    side = require_role(action, user=user, deal=deal, roles=roles, proposal=proposal, nda=nda)
    require_state(action, deal=deal, side=side, proposal=proposal, nda=nda)
    return side


def can(action: A, *, user, deal, roles=None, proposal=None, nda=None) -> bool:
    try:
        require(action, user=user, deal=deal, roles=roles, proposal=proposal, nda=nda)
    except (PermissionDenied, ValidationError):
        return False
    return True
