"""The actions taken on a deal's page: each parses its form, calls one service and returns to the deal.

A refusal by a service (wrong stage, wrong side) comes back as a message on the deal page; wrong input comes back
as the page with the form's errors. Anybody who may not read the deal gets the same 404 as for a missing deal.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from techex.core.forms import add_service_errors
from techex.core.htmx import wants_partial

from .. import selectors, services
from ..forms import BrokerForm, MessageForm, NDARequestForm, NDAUploadForm, ProposalForm, ReasonForm
from .common import SERVICE_ERRORS, back_to_deal, is_refusal
from .deal_page import PREFIXES, render_deal, render_thread


def _nda(deal):
    nda = selectors.current_nda(deal=deal)
    if nda is None:
        raise Http404
    return nda


# Actions without input: the service and what to say when it is done.
SIMPLE_ACTIONS = {
    "forward": (
        lambda user, deal: services.deal_forward(user=user, deal=deal),
        _l("The inquiry was forwarded to the listing's owner."),
    ),
    "accept": (
        lambda user, deal: services.deal_accept(user=user, deal=deal),
        _l("You accepted the inquiry. Both sides now see each other's contacts."),
    ),
    "start_negotiation": (
        lambda user, deal: services.deal_start_negotiation(user=user, deal=deal),
        _l("The negotiation has started."),
    ),
    "complete": (
        lambda user, deal: services.deal_complete(user=user, deal=deal),
        _l("The deal is completed. Thank you for reporting it."),
    ),
    "nda_accept": (
        lambda user, deal: services.nda_accept(user=user, nda=_nda(deal)),
        _l("You accepted the NDA for your side."),
    ),
    "nda_confirm": (
        lambda user, deal: services.nda_confirm_signed(user=user, nda=_nda(deal)),
        _l("The signed NDA is confirmed: it is in force."),
    ),
    "nda_cancel": (
        lambda user, deal: services.nda_cancel(user=user, nda=_nda(deal)),
        _l("The NDA request was cancelled."),
    ),
}

CLOSE_ACTIONS = {
    "decline": (services.deal_decline, _l("The inquiry was declined.")),
    "withdraw": (services.deal_withdraw, _l("You withdrew from the deal.")),
    "drop": (services.deal_drop, _l("The deal was dropped.")),
}


@login_required
@require_POST
def action(request, reference_code: str, action: str):
    if action not in SIMPLE_ACTIONS:
        raise Http404
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    service, done = SIMPLE_ACTIONS[action]
    try:
        service(request.user, deal)
    except SERVICE_ERRORS as exc:
        return back_to_deal(request, deal, exc=exc)
    return back_to_deal(request, deal, done=done)


@login_required
@require_POST
def close(request, reference_code: str, action: str):
    """Decline, withdraw or drop: the reason is required."""
    if action not in CLOSE_ACTIONS:
        raise Http404
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = ReasonForm(request.POST, prefix=PREFIXES[action])
    if form.is_valid():
        service, done = CLOSE_ACTIONS[action]
        try:
            service(user=request.user, deal=deal, reason=form.cleaned_data["reason"])
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                return back_to_deal(request, deal, exc=exc)
            add_service_errors(form, exc)
        else:
            return back_to_deal(request, deal, done=done)
    bound: dict[str, Any] = {f"{action}_form": form, "open_form": action}
    return render_deal(request, deal, **bound)


@login_required
@require_POST
def post_message(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = MessageForm(request.POST, request.FILES, prefix=PREFIXES["message"])
    if form.is_valid():
        try:
            services.deal_message_post(
                user=request.user, deal=deal, body=form.cleaned_data["body"], files=form.cleaned_data["files"]
            )
        except SERVICE_ERRORS as exc:
            if is_refusal(exc) and not wants_partial(request):
                return back_to_deal(request, deal, exc=exc)
            add_service_errors(form, exc, default_field="body")
        else:
            if wants_partial(request):
                return render_thread(request, deal)
            return back_to_deal(request, deal, done=_l("Your message was posted."), anchor="thread")
    if wants_partial(request):
        return render_thread(request, deal, message_form=form)
    return render_deal(request, deal, message_form=form, open_form="message")


@login_required
@require_POST
def propose(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = ProposalForm(request.POST, prefix=PREFIXES["propose"])
    if form.is_valid():
        try:
            services.proposal_create(user=request.user, deal=deal, terms=form.terms())
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                return back_to_deal(request, deal, exc=exc, anchor="proposals")
            add_service_errors(form, exc)
        else:
            return back_to_deal(request, deal, done=_l("Your proposal was sent."), anchor="proposals")
    return render_deal(request, deal, propose_form=form, open_form="propose")


PROPOSAL_DONE = {
    "accept": _l("You accepted the proposal: the terms are agreed. Record the contract once it is signed."),
    "reject": _l("You rejected the proposal."),
    "counter": _l("Your counter-proposal was sent."),
    "withdraw": _l("You withdrew your proposal."),
}


def _answer(request, proposal, action: str):
    """Run the answer; return the form with errors when the input is wrong, None when done (or refused)."""
    user = request.user
    if action == "accept":
        services.proposal_accept(user=user, proposal=proposal)
    elif action == "withdraw":
        services.proposal_withdraw(user=user, proposal=proposal)
    elif action == "reject":
        form = ReasonForm(request.POST, prefix=PREFIXES["reject"])
        if not form.is_valid():
            return form
        services.proposal_reject(user=user, proposal=proposal, reason=form.cleaned_data["reason"])
    else:
        counter = ProposalForm(request.POST, prefix=PREFIXES["counter"])
        if not counter.is_valid():
            return counter
        try:
            services.proposal_counter(user=user, proposal=proposal, terms=counter.terms())
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                raise
            add_service_errors(counter, exc)
            return counter
    return None


@login_required
@require_POST
def answer_proposal(request, reference_code: str, pk: str, action: str):
    if action not in PROPOSAL_DONE:
        raise Http404
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    proposal = selectors.proposal_get_for_deal(deal=deal, pk=pk)
    try:
        form = _answer(request, proposal, action)
    except SERVICE_ERRORS as exc:
        return back_to_deal(request, deal, exc=exc, anchor="proposals")
    if form is not None:
        bound: dict[str, Any] = {f"{action}_form": form, "open_form": action}
        return render_deal(request, deal, **bound)
    return back_to_deal(request, deal, done=PROPOSAL_DONE[action], anchor="proposals")


@login_required
@require_POST
def nda_request(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = NDARequestForm(request.POST, prefix=PREFIXES["nda"])
    if form.is_valid():
        try:
            services.nda_request(user=request.user, deal=deal, method=form.cleaned_data["method"])
        except SERVICE_ERRORS as exc:
            return back_to_deal(request, deal, exc=exc, anchor="nda")
        return back_to_deal(request, deal, done=_l("The NDA was requested."), anchor="nda")
    return render_deal(request, deal, nda_form=form, open_form="nda")


@login_required
@require_POST
def nda_upload(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = NDAUploadForm(request.POST, request.FILES, prefix=PREFIXES["nda_upload"])
    if form.is_valid():
        try:
            services.nda_upload_signed(user=request.user, nda=_nda(deal), file=form.cleaned_data["file"])
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                return back_to_deal(request, deal, exc=exc, anchor="nda")
            add_service_errors(form, exc, default_field="file")
        else:
            return back_to_deal(
                request, deal, done=_l("The signed NDA was uploaded; the other side confirms it."), anchor="nda"
            )
    return render_deal(request, deal, nda_upload_form=form, open_form="nda_upload")


@login_required
@require_POST
def assign_broker(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = BrokerForm(request.POST, prefix=PREFIXES["broker"])
    if form.is_valid():
        try:
            services.deal_assign_broker(user=request.user, deal=deal, broker=form.cleaned_data["broker"])
        except SERVICE_ERRORS as exc:
            return back_to_deal(request, deal, exc=exc)
        return back_to_deal(request, deal, done=_l("The broker was assigned."))
    return render_deal(request, deal, broker_form=form, open_form="broker")
