"""The contract: recording it, following its registration (Art. 31), completing the deal, the printable summary."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.core.operator import operator

from .. import selectors, services
from ..forms import ContractRecordForm
from ..pdf import contract_summary_pdf
from ..summary import contract_summary
from .common import SERVICE_ERRORS, back_to_deal, is_refusal
from .deal_page import PREFIXES, registration_form, render_deal


@login_required
@require_POST
def record(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    form = ContractRecordForm(request.POST, prefix=PREFIXES["contract"])
    if form.is_valid():
        try:
            contract = services.contract_record(user=request.user, deal=deal, terms=form.terms())
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                return back_to_deal(request, deal, exc=exc, anchor="contract")
            add_service_errors(form, exc)
        else:
            if contract.registration_compulsory:
                done = _l(
                    "The contract was recorded. It must be registered (Law on Technology Transfer, Art. 31): "
                    "it takes effect when the registration certificate is issued."
                )
            else:
                done = _l("The contract was recorded. Registration is voluntary for this contract.")
            return back_to_deal(request, deal, done=done, anchor="contract")
    return render_deal(request, deal, contract_form=form, open_form="contract")


@login_required
@require_POST
def registration(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    contract = getattr(deal, "contract", None)
    if contract is None:
        raise Http404
    form = registration_form(contract, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contract_registration_update(
                user=request.user,
                contract=contract,
                status=data["status"],
                number=data["number"],
                certified_on=data["certified_on"],
            )
        except SERVICE_ERRORS as exc:
            if is_refusal(exc):
                return back_to_deal(request, deal, exc=exc, anchor="contract")
            add_service_errors(form, exc)
        else:
            return back_to_deal(request, deal, done=_l("The registration was updated."), anchor="contract")
    return render_deal(request, deal, registration_form=form, open_form="registration")


def _summary(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    contract = getattr(deal, "contract", None)
    if contract is None:
        raise Http404
    return deal, contract_summary(contract=contract, operator=operator())


@login_required
@require_safe
def summary_page(request, reference_code: str):
    """The printable summary for the registration dossier."""
    deal, summary = _summary(request, reference_code)
    response = render(request, "deals/contract_print.html", {"deal": deal, "summary": summary})
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def summary_pdf(request, reference_code: str):
    """The same summary as a PDF."""
    deal, summary = _summary(request, reference_code)
    response = HttpResponse(contract_summary_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{deal.reference_code}-hop-dong.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
