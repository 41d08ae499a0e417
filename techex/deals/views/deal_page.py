"""The deal page: everything the reader may see of a deal and the forms of the actions they may take now.

Every action view re-renders this page with its bound form when the input is wrong, so the error shows where the
user typed; a form's prefix keeps the many forms of the page apart.
"""

from dataclasses import asdict
from typing import Any, cast

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import selectors
from ..choices import Side
from ..forms import (
    BrokerForm,
    ContractRecordForm,
    MessageForm,
    NDARequestForm,
    NDAUploadForm,
    ProposalForm,
    ReasonForm,
    RegistrationForm,
)
from ..states import REGISTRATION_TRANSITIONS
from ..summary import registration_reason

# The prefix of each form on the page (and of its fields in a POST).
PREFIXES = {
    "decline": "decline",
    "withdraw": "withdraw",
    "drop": "drop",
    "message": "message",
    "propose": "propose",
    "counter": "counter",
    "reject": "reject",
    "nda": "nda",
    "nda_upload": "ndafile",
    "contract": "contract",
    "registration": "registration",
    "broker": "broker",
}

# The buttons of "what you can do now" that need no input, in the order they appear.
SIMPLE_BUTTONS = (
    ("forward", _("Forward to the listing's owner"), ""),
    ("accept", _("Accept the inquiry"), ""),
    ("start_negotiation", _("Start negotiating"), "secondary"),
    ("complete", _("Mark the deal completed"), ""),
)
CLOSE_LABELS = (
    ("decline", pgettext_lazy("deal action", "Decline")),
    ("withdraw", pgettext_lazy("deal action", "Withdraw from the deal")),
    ("drop", pgettext_lazy("deal action", "Drop the deal")),
)


def registration_form(contract, data=None) -> RegistrationForm:
    """The registration form, offering only the statuses the contract may move to (Art. 31)."""
    form = RegistrationForm(data, prefix=PREFIXES["registration"])
    allowed = REGISTRATION_TRANSITIONS.get(contract.registration_status, frozenset())
    status = cast(forms.ChoiceField, form.fields["status"])
    choices = cast(list[tuple[str, Any]], status.choices)  # flat (value, label) pairs: RegistrationStatus
    status.choices = [(value, label) for value, label in choices if value in allowed]
    return form


def _forms(deal, actions: set[str], open_proposal, contract) -> dict:
    forms = {
        "decline_form": ReasonForm(prefix=PREFIXES["decline"]),
        "withdraw_form": ReasonForm(prefix=PREFIXES["withdraw"]),
        "drop_form": ReasonForm(prefix=PREFIXES["drop"]),
        "message_form": MessageForm(prefix=PREFIXES["message"]),
        "propose_form": ProposalForm(prefix=PREFIXES["propose"]),
        "reject_form": ReasonForm(prefix=PREFIXES["reject"]),
        "nda_form": NDARequestForm(prefix=PREFIXES["nda"]),
        "nda_upload_form": NDAUploadForm(prefix=PREFIXES["nda_upload"]),
        "broker_form": BrokerForm(prefix=PREFIXES["broker"], initial={"broker": deal.broker_id}),
    }
    if open_proposal is not None and "proposal_counter" in actions:
        forms["counter_form"] = ProposalForm(
            prefix=PREFIXES["counter"], initial=ProposalForm.initial_from(open_proposal)
        )
    if "contract_record" in actions:
        draft = selectors.contract_draft(deal=deal)
        initial = asdict(draft) if draft else {}
        forms["contract_form"] = ContractRecordForm(prefix=PREFIXES["contract"], initial=initial)
    if contract is not None and "registration_update" in actions:
        forms["registration_form"] = registration_form(contract)
    return forms


def deal_context(request, deal, **bound_forms) -> dict:
    user = request.user
    roles = frozenset(selectors.deal_role(user=user, deal=deal))
    actions = set(selectors.deal_actions_for_user(user=user, deal=deal, roles=roles))
    proposals = list(selectors.deal_proposals(deal=deal))
    open_proposal = selectors.open_proposal(deal=deal)
    contract = getattr(deal, "contract", None)
    nda = selectors.current_nda(deal=deal)
    context = {
        "deal": deal,
        "listing": deal.listing,
        "roles": roles,
        "is_party": bool(roles & {Side.OWNER, Side.INQUIRER}),
        "actions": actions,
        "proposals": proposals[::-1],
        "open_proposal": open_proposal,
        "nda": nda,
        "nda_template": nda.template if nda and nda.template else selectors.nda_template_current(),
        "contract": contract,
        "registration_reason": registration_reason(contract) if contract else "",
        "thread": selectors.deal_messages(deal=deal),
        "timeline": selectors.deal_timeline(deal=deal, user=user),
        "contacts": selectors.deal_contacts(user=user, deal=deal),
        "contacts_visible": selectors.contacts_visible(user=user, deal=deal),
        "owner_visible": selectors.owner_visible(user=user, deal=deal),
        **_forms(deal, actions, open_proposal, contract),
    }
    context.update(bound_forms)
    context["simple_actions"] = SIMPLE_BUTTONS
    context["close_forms"] = [(name, label, context[f"{name}_form"]) for name, label in CLOSE_LABELS]
    context["has_next_step"] = bool(actions - {"message"})
    return context


def render_deal(request, deal, *, status: int = 200, **bound_forms):
    return render(request, "deals/detail.html", deal_context(request, deal, **bound_forms), status=status)


def render_thread(request, deal, *, message_form=None):
    """The thread and its form alone, for htmx."""
    context = {
        "deal": deal,
        "thread": selectors.deal_messages(deal=deal),
        "actions": set(selectors.deal_actions_for_user(user=request.user, deal=deal)),
        "message_form": message_form or MessageForm(prefix=PREFIXES["message"]),
    }
    return render(request, "deals/partials/thread.html", context)
