"""The pages a member reads: my deals, a deal, and the expression of interest that starts one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_safe

from techex.core.api import is_lookup_safe
from techex.core.forms import add_service_errors
from techex.listings.selectors import listing_get_for_user, user_sees_identity
from techex.organizations.selectors import user_organizations

from .. import selectors, services
from ..choices import DealStage
from ..filtersets import DealFilterSet
from ..forms import InquiryForm
from ..states import listing_accepts_inquiries
from .common import SERVICE_ERRORS
from .deal_page import render_deal

PAGE_SIZE = 20
LISTING_CODE_MAX = 24
SENT_TO_OWNER = _l("Your expression of interest was sent to the listing's owner.")
SENT_TO_BROKER = _l("Your expression of interest was sent to the exchange's broker, who passes it on to the owner.")


@login_required
@require_safe
def my_deals(request):
    """What waits for me first, then every deal of my organisations, newest first."""
    # An unknown stage is ignored (a stale bookmark is not an error).
    stage = DealFilterSet(request.GET).values().get("stage", "")
    deals = selectors.deal_list_for_user(user=request.user, stage=stage)
    page = Paginator(deals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "stage": stage,
        "stages": DealStage.choices,
        "awaiting": selectors.deal_awaiting(user=request.user) if not stage and page.number == 1 else [],
    }
    return render(request, "deals/mine.html", context)


@login_required
@require_safe
def detail(request, reference_code: str):
    deal = selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    return render_deal(request, deal)


@login_required
@require_http_methods(["GET", "POST"])
def inquire(request, listing_code: str):
    """Express interest in a live listing on behalf of one of the user's other organisations."""
    if not is_lookup_safe(listing_code, LISTING_CODE_MAX):
        raise Http404  # PostgreSQL refuses NUL in a query: an odd address must be a 404, not a 500
    listing = listing_get_for_user(user=request.user, reference_code=listing_code)
    organizations = user_organizations(user=request.user).exclude(pk=listing.organization_id)
    open_deal = selectors.deal_open_for_listing(user=request.user, listing=listing)
    if open_deal is not None:
        messages.info(request, _("Your organisation already has an open deal on this listing."))
        return redirect(open_deal.get_absolute_url())
    form = InquiryForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deal = services.deal_inquire(
                user=request.user,
                listing=listing,
                organization=data["organization"],
                message=data["message"],
                who_we_are=data["who_we_are"],
                intended_use=data["intended_use"],
                timeline_budget=data["timeline_budget"],
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, SENT_TO_BROKER if deal.forwarded_at is None else SENT_TO_OWNER)
            return redirect(deal.get_absolute_url())
    context = {
        "listing": listing,
        "form": form,
        "has_organizations": organizations.exists(),
        "owns_it": user_organizations(user=request.user).filter(pk=listing.organization_id).exists(),
        "open": listing_accepts_inquiries(listing),
        "sees_identity": user_sees_identity(user=request.user, listing=listing),
    }
    return render(request, "deals/new.html", context)
