"""Structured proposals: terms one side puts forward and the other accepts, rejects or counters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.listings.choices import TransferForm

from .. import permissions
from ..choices import DealAction, DealAuditAction, DealStage, ProposalStatus, TransferObject
from ..models import NOTE_MAX, TERRITORY_MAX, Deal, Proposal
from ..selectors import open_proposal
from ..types import ProposalTerms
from ._common import audit, everyone_but, locked, notify_sides, optional_text, required_text, transition

if TYPE_CHECKING:
    from techex.accounts.models import User

EXCLUSIVE_FORMS = {TransferForm.ASSIGNMENT, TransferForm.EXCLUSIVE_LICENCE}


def transfer_objects_value(*, values: Any) -> list[str]:
    """Check the objects of transfer (Law 07/2017, Art. 4): at least one, each known, in a stable order."""
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        values = []
    known = set(TransferObject.values)
    unknown = [str(value)[:40] for value in values if value not in known]
    if unknown:
        raise ValidationError(
            {"transfer_objects": [_("Unknown object of transfer: %(values)s.") % {"values": ", ".join(unknown)}]}
        )
    chosen = [value for value in TransferObject.values if value in set(values)]
    if not chosen:
        raise ValidationError({"transfer_objects": [_("Choose at least one object of transfer (Art. 4).")]})
    return chosen


def royalty_value(*, value: Any, field: str = "royalty_percent") -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        royalty = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: [_("Give the royalty as a percentage, e.g. 3.5.")]}) from error
    if not royalty.is_finite() or royalty <= 0 or royalty > 100:
        raise ValidationError({field: [_("A royalty is more than 0 and at most 100 per cent.")]})
    return royalty.quantize(Decimal("0.01"))


def check_exclusivity(*, licence: str, exclusive: bool) -> None:
    if licence in EXCLUSIVE_FORMS and not exclusive:
        raise ValidationError(
            {"exclusive": [_("An assignment or an exclusive licence is exclusive; tick “exclusive”.")]}
        )
    if licence == TransferForm.NON_EXCLUSIVE_LICENCE and exclusive:
        raise ValidationError({"exclusive": [_("A non-exclusive licence cannot be exclusive.")]})


def proposal_values(*, terms: ProposalTerms) -> dict[str, Any]:
    """Turn proposal terms into clean field values, or raise naming the fields that are wrong."""
    values: dict[str, Any] = {
        "contract_form": terms.contract_form,
        "transfer_objects": transfer_objects_value(values=terms.transfer_objects),
        "licence": terms.licence,
        "price_vnd": terms.price_vnd,
        "royalty_percent": royalty_value(value=terms.royalty_percent),
        "exclusive": bool(terms.exclusive),
        "territory": optional_text(terms.territory, field="territory", max_length=TERRITORY_MAX),
        "term_months": terms.term_months,
        "technical_assistance": optional_text(
            terms.technical_assistance, field="technical_assistance", max_length=NOTE_MAX
        ),
        "note": optional_text(terms.note, field="note", max_length=NOTE_MAX),
    }
    if values["price_vnd"] is None and values["royalty_percent"] is None:
        raise ValidationError({"price_vnd": [_("Give a price, a royalty or both.")]})
    check_exclusivity(licence=values["licence"], exclusive=values["exclusive"])
    return values


def _fresh(proposal: Proposal) -> tuple[Deal, Proposal]:
    """Lock the proposal's deal, then read the proposal again: it may have been answered while we waited."""
    deal = locked(proposal.deal)
    return deal, Proposal.objects.get(pk=proposal.pk)


def _new_proposal(
    deal: Deal, *, user: User, side: str, values: dict[str, Any], counter_of: Proposal | None
) -> Proposal:
    proposal = Proposal(deal=deal, side=side, author=user, counter_of=counter_of, **values)
    proposal.full_clean(validate_constraints=False)
    proposal.save()
    return proposal


@transaction.atomic
def proposal_create(*, user: User, deal: Deal, terms: ProposalTerms) -> Proposal:
    """Put terms forward; on an accepted deal the first proposal opens the negotiation."""
    deal = locked(deal)
    side = permissions.require(DealAction.PROPOSE, user=user, deal=deal, proposal=open_proposal(deal=deal))
    values = proposal_values(terms=terms)
    if deal.stage == DealStage.ACCEPTED:
        deal = transition(deal, action=DealAction.START_NEGOTIATION, user=user, side=side)
    proposal = _new_proposal(deal, user=user, side=side, values=values, counter_of=None)
    audit(deal, user=user, action=DealAuditAction.PROPOSAL, side=side, proposal=proposal.pk)
    notify_sides(deal, kind="deal.proposal", sides=everyone_but(side), actor=user, side=side)
    return proposal


def _answer(proposal: Proposal, *, status: str, user: User, reason: str = "") -> Proposal:
    proposal.status = status
    proposal.responded_by = user
    proposal.responded_at = timezone.now()
    proposal.response_reason = reason
    proposal.save(update_fields=["status", "responded_by", "responded_at", "response_reason"])
    return proposal


@transaction.atomic
def proposal_accept(*, user: User, proposal: Proposal) -> Proposal:
    """Accept the other side's proposal: its terms are agreed and the deal moves to “agreed”."""
    deal, proposal = _fresh(proposal)
    side = permissions.require(DealAction.PROPOSAL_ACCEPT, user=user, deal=deal, proposal=proposal)
    proposal = _answer(proposal, status=ProposalStatus.ACCEPTED, user=user)
    audit(deal, user=user, action=DealAuditAction.PROPOSAL_ACCEPT, side=side, proposal=proposal.pk)
    transition(
        deal,
        action=DealAction.AGREE,
        user=user,
        side=side,
        data={"proposal": proposal.pk},
        value_vnd=proposal.price_vnd,
    )
    notify_sides(deal, kind="deal.proposal_accepted", sides=everyone_but(side), actor=user, side=side)
    return proposal


@transaction.atomic
def proposal_reject(*, user: User, proposal: Proposal, reason: str) -> Proposal:
    """Reject the other side's proposal, saying why; the negotiation goes on."""
    deal, proposal = _fresh(proposal)
    side = permissions.require(DealAction.PROPOSAL_REJECT, user=user, deal=deal, proposal=proposal)
    reason = required_text(reason, field="reason", message=_("Give the reason."), max_length=NOTE_MAX)
    proposal = _answer(proposal, status=ProposalStatus.REJECTED, user=user, reason=reason)
    audit(deal, user=user, action=DealAuditAction.PROPOSAL_REJECT, side=side, proposal=proposal.pk, reason=reason)
    notify_sides(deal, kind="deal.proposal_rejected", sides=everyone_but(side), actor=user, side=side)
    return proposal


@transaction.atomic
def proposal_counter(*, user: User, proposal: Proposal, terms: ProposalTerms) -> Proposal:
    """Answer the other side's proposal with other terms; the answered one is marked “countered”."""
    deal, proposal = _fresh(proposal)
    side = permissions.require(DealAction.PROPOSAL_COUNTER, user=user, deal=deal, proposal=proposal)
    values = proposal_values(terms=terms)
    _answer(proposal, status=ProposalStatus.COUNTERED, user=user)
    counter = _new_proposal(deal, user=user, side=side, values=values, counter_of=proposal)
    audit(
        deal, user=user, action=DealAuditAction.PROPOSAL_COUNTER, side=side, proposal=counter.pk, counter_of=proposal.pk
    )
    notify_sides(deal, kind="deal.proposal_countered", sides=everyone_but(side), actor=user, side=side)
    return counter


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: Proposal) -> Proposal:
    """Take back one's own proposal before it is answered."""
    deal, proposal = _fresh(proposal)
    side = permissions.require(DealAction.PROPOSAL_WITHDRAW, user=user, deal=deal, proposal=proposal)
    proposal = _answer(proposal, status=ProposalStatus.WITHDRAWN, user=user)
    audit(deal, user=user, action=DealAuditAction.PROPOSAL_WITHDRAW, side=side, proposal=proposal.pk)
    notify_sides(deal, kind="deal.proposal_withdrawn", sides=everyone_but(side), actor=user, side=side)
    return proposal
