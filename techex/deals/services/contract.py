"""The contract a deal ends in, and its registration under Law 07/2017, Art. 31."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from techex.core.models import max_length_of

from .. import permissions
from ..choices import CrossBorder, DealAction, DealAuditAction, RegistrationStatus
from ..models import TERRITORY_MAX, Contract, Deal, registration_compulsory
from ..states import require_registration_change
from ..types import ContractTerms
from ._common import audit, everyone_but, locked, notify_sides, optional_text, required_text, transition
from .proposals import check_exclusivity, royalty_value, transfer_objects_value

if TYPE_CHECKING:
    from techex.accounts.models import User


def _signed_on(value: object, *, deal: Deal) -> date:
    if not isinstance(value, date):
        raise ValidationError({"signed_on": [_("Give the date the contract was signed.")]})
    if value > timezone.localdate():
        raise ValidationError({"signed_on": [_("The signing date cannot be in the future.")]})
    began = timezone.localdate(deal.created_at)
    if value < began:
        raise ValidationError(
            {
                "signed_on": [
                    _("The contract cannot be signed before the deal began (%(date)s).")
                    % {"date": formats.date_format(began, "SHORT_DATE_FORMAT")}
                ]
            }
        )
    return value


@transaction.atomic
def contract_record(*, user: User, deal: Deal, terms: ContractTerms) -> Contract:
    """Record the signed contract of an agreed deal (a party or the broker); the deal becomes “contract signed”.

    Whether the contract must be registered follows from the direction of the transfer and the use of state
    money (Art. 31); a contract that must be registered is not in force until it is certified.
    """
    deal = locked(deal)
    side = permissions.require(DealAction.CONTRACT_RECORD, user=user, deal=deal)
    if terms.cross_border not in CrossBorder.values:
        raise ValidationError({"cross_border": [_("Say where the technology goes from and to.")]})
    values: dict[str, Any] = {
        "contract_form": terms.contract_form,
        "transfer_objects": transfer_objects_value(values=terms.transfer_objects),
        "licence": terms.licence,
        "value_vnd": terms.value_vnd,
        "royalty_percent": royalty_value(value=terms.royalty_percent),
        "exclusive": bool(terms.exclusive),
        "territory": optional_text(terms.territory, field="territory", max_length=TERRITORY_MAX),
        "term_months": terms.term_months,
        "signed_on": _signed_on(terms.signed_on, deal=deal),
        "cross_border": terms.cross_border,
        "state_budget": bool(terms.state_budget),
        "st_task_registered": bool(terms.st_task_registered),
    }
    if values["value_vnd"] is None and values["royalty_percent"] is None:
        raise ValidationError({"value_vnd": [_("Give the contract's value, its royalty or both.")]})
    check_exclusivity(licence=values["licence"], exclusive=values["exclusive"])
    compulsory = registration_compulsory(
        cross_border=values["cross_border"],
        state_budget=values["state_budget"],
        st_task_registered=values["st_task_registered"],
    )
    contract = Contract(
        deal=deal,
        transferor_name=deal.transferor_organization.name,
        transferee_name=deal.transferee_organization.name,
        registration_status=RegistrationStatus.NEEDED if compulsory else RegistrationStatus.NOT_NEEDED,
        recorded_by=user,
        recorded_side=side,
        **values,
    )
    contract.full_clean(exclude=["deal", "recorded_by"])
    contract.save()
    deal.contract = contract
    audit(
        deal, user=user, action=DealAuditAction.CONTRACT_RECORD, side=side, contract=contract.pk, compulsory=compulsory
    )
    transition(deal, action=DealAction.SIGN, user=user, side=side, value_vnd=contract.value_vnd)
    notify_sides(deal, kind="deal.contract_recorded", sides=everyone_but(side), actor=user, side=side)
    return contract


@transaction.atomic
def contract_registration_update(
    *, user: User, contract: Contract, status: str, number: str = "", certified_on: date | None = None
) -> Contract:
    """Follow a compulsory registration: submitted, certified (with its number and date), or back to needed."""
    deal = locked(contract.deal)
    contract = deal.contract
    side = permissions.require(DealAction.REGISTRATION_UPDATE, user=user, deal=deal)
    if status not in RegistrationStatus.values:
        raise ValidationError({"status": [_("Choose a registration status.")]})
    require_registration_change(contract.registration_status, status)
    previous = contract.registration_status
    contract.registration_status = status
    if status == RegistrationStatus.SUBMITTED:
        contract.registration_submitted_on = timezone.localdate()
    elif status == RegistrationStatus.CERTIFIED:
        contract.registration_number = required_text(
            number,
            field="number",
            message=_("Give the number of the registration certificate."),
            max_length=max_length_of(Contract, "registration_number"),
        )
        contract.certified_on = _certified_on(certified_on, contract=contract)
    else:
        contract.registration_submitted_on = None
    contract.full_clean(exclude=["deal", "recorded_by"])
    contract.save()
    audit(
        deal,
        user=user,
        action=DealAuditAction.CONTRACT_REGISTRATION,
        side=side,
        contract=contract.pk,
        **{"from": previous, "to": status, "number": contract.registration_number},
    )
    notify_sides(deal, kind="deal.registration_updated", sides=everyone_but(side), actor=user, side=side)
    return contract


def _certified_on(value: object, *, contract: Contract) -> date:
    if not isinstance(value, date):
        raise ValidationError({"certified_on": [_("Give the date of the registration certificate.")]})
    if value > timezone.localdate():
        raise ValidationError({"certified_on": [_("The certificate date cannot be in the future.")]})
    if value < contract.signed_on:
        raise ValidationError({"certified_on": [_("The certificate cannot be dated before the contract was signed.")]})
    return value
