"""Writes of valuation records: a provider delivers a valuation request with the value range it found.

A part of the services' writes kept in its own module (``services.py`` holds the request lifecycle); it uses the
same steps: the row locked, the party and the state checked against ``states``, audited, the parties told.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.text import limited_text

from .catalogue import VALUATION
from .choices import Party, RequestAction, ValuationMethod
from .models import NOTE_MAX, VALUATION_MAX_VND, ServiceRequest, ValuationRecord, ValuationReport
from .services import _audit, _checked_files, _locked, _move, _require_party, _store_checked, _tell
from .states import target_state

if TYPE_CHECKING:
    from techex.accounts.models import User


def _whole_vnd(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= VALUATION_MAX_VND


def _check_request(request: ServiceRequest) -> None:
    """A valuation is recorded on a valuation request about a listing of the client's own organisation."""
    if request.category.code != VALUATION:
        raise ValidationError(_("Only a valuation request records a valuation."), code="not_valuation")
    if request.listing is None:
        raise ValidationError(
            _("This request is not about a listing, so there is no listing to record the valuation on."),
            code="no_listing",
        )
    # A valuation a third party commissioned is theirs: it is not shown on someone else's listing.
    if request.listing.organization_id != request.client_organization_id:
        raise ValidationError(
            _("A valuation is recorded on a listing only when the listing's owner asked for it."), code="not_owner"
        )
    if hasattr(request, "valuation"):
        raise ValidationError(_("This request already has its valuation record."), code="recorded")


def _check_values(*, method: Any, value_low_vnd: Any, value_high_vnd: Any, valued_on: Any) -> None:
    errors: dict[str, list[str]] = {}
    if method not in ValuationMethod.values:
        errors["method"] = [_("Choose the market, cost or income method.")]
    for field, value in (("value_low_vnd", value_low_vnd), ("value_high_vnd", value_high_vnd)):
        if not _whole_vnd(value):
            errors[field] = [_("Give a value in đồng above zero.")]
    if "value_low_vnd" not in errors and "value_high_vnd" not in errors and value_low_vnd > value_high_vnd:
        errors["value_high_vnd"] = [_("The highest value cannot be below the lowest value.")]
    if not isinstance(valued_on, datetime.date) or isinstance(valued_on, datetime.datetime):
        errors["valued_on"] = [_("Give the date of the valuation.")]
    elif valued_on > timezone.localdate():
        errors["valued_on"] = [_("The valuation date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_deliver_valuation(
    *,
    user: User,
    request: ServiceRequest,
    method: str,
    value_low_vnd: int,
    value_high_vnd: int,
    valued_on: datetime.date,
    note: str = "",
    report: Any = None,
) -> ValuationRecord:
    """The provider delivers a valuation request and records the value range on the client's listing.

    Everything is checked before anything is written: a refused value leaves the request in progress and no record.
    """
    request = _locked(request)
    _require_party(user, request, RequestAction.DELIVER)
    target_state(request.state, RequestAction.DELIVER)
    _check_request(request)
    _check_values(method=method, value_low_vnd=value_low_vnd, value_high_vnd=value_high_vnd, valued_on=valued_on)
    text = limited_text(note, field="note", max_length=NOTE_MAX)
    checked = _checked_files([report], field="report") if report else []
    assert request.listing is not None and request.provider is not None  # checked above
    record = ValuationRecord.objects.create(
        request=request,
        listing=request.listing,
        provider=request.provider,
        method=method,
        value_low_vnd=value_low_vnd,
        value_high_vnd=value_high_vnd,
        valued_on=valued_on,
        note=text,
        created_by=user,
    )
    digest = ""
    for file, sniffed in checked:
        digest = _store_checked(ValuationReport(record=record), file, sniffed)
    _move(request, action=RequestAction.DELIVER, user=user)
    _audit(
        request,
        user=user,
        action="valuation",
        record=record.pk,
        listing=request.listing.reference_code,
        method=method,
        low_vnd=value_low_vnd,
        high_vnd=value_high_vnd,
        valued_on=valued_on.isoformat(),
        note_sha256=hashlib.sha256(text.encode()).hexdigest(),
        report_sha256=digest,
    )
    _tell(request, kind="services.delivered", user=user, parties=[Party.CLIENT])
    return record


def valuation_offered(*, request: ServiceRequest, parties: frozenset[str]) -> bool:
    """Whether the request page offers the valuation form: to the provider of a valuation request in progress that
    ``request_deliver_valuation`` would accept (about the client's own listing, not recorded yet)."""
    if Party.PROVIDER not in parties:
        return False
    try:
        target_state(request.state, RequestAction.DELIVER)
        _check_request(request)
    except ValidationError:
        return False
    return True
