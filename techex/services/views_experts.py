"""Pages of the expert directory: the list with search and facets, an expert's page (contact through a service
request, never an exposed address), the expert's own consent/hide/remove, staff's list and form, and the experts
suggested for a need (an htmx fragment of the listing page, for its owner and staff)."""

from typing import cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.core.htmx import wants_partial
from techex.core.permissions import staff_page
from techex.deals import selectors as deal_selectors
from techex.deals.choices import DealStage
from techex.listings import selectors as listing_selectors

from . import expert_services, experts
from .expert_forms import ExpertForm, ExpertSearchForm
from .expert_models import EXPERT_POLICY_VERSION

PAGE_SIZE = 20
FACET_SHOWN = 8


def _facet_links(facets: list, values: dict[str, str]) -> list[dict]:
    """Each facet value as a link that adds it to the filters in use (or removes it when chosen), from page 1."""
    shown = []
    for facet in facets:
        links = []
        for value in facet.values:
            chosen = {**values, facet.name: "" if value.selected else value.value}
            url = "?" + urlencode({k: v for k, v in chosen.items() if v})
            links.append({"label": value.label, "count": value.count, "selected": value.selected, "url": url})
        if links:
            shown.append(
                {"name": facet.name, "label": facet.label, "links": links[:FACET_SHOWN], "more": links[FACET_SHOWN:]}
            )
    return shown


@require_safe
def expert_list(request: HttpRequest) -> HttpResponse:
    form = ExpertSearchForm(request.GET or None)
    values = form.values() if request.GET else {"q": "", "field": "", "province": "", "category": ""}
    found = experts.expert_search(**values)
    page = Paginator(found.hits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in values.items() if v})
    active = {k: v for k, v in values.items() if v and k != "q"}
    context = {
        "form": form,
        "found": found,
        "page": page,
        "values": values,
        "query": query,
        "facets": _facet_links(found.facets, values),
        "active_filters": active,
    }
    return render(request, "services/experts/list.html", context)


@require_safe
def expert_page(request: HttpRequest, slug: str) -> HttpResponse:
    expert = experts.expert_get(slug=slug, user=request.user)
    context = {
        "expert": expert,
        "manages": experts.can_manage_expert(request.user, expert),
        "sees_contact": experts.sees_contact(request.user, expert),
        "is_self": request.user.is_authenticated and expert.user_id == request.user.pk,
        "policy_version": EXPERT_POLICY_VERSION,
    }
    return render(request, "services/experts/detail.html", context)


@login_required
@require_POST
def expert_act(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """The expert (or in-scope staff): consent, hide, show or remove the profile."""
    expert = experts.expert_get(slug=slug, user=request.user)
    try:
        if action == "consent":
            expert_services.expert_consent(user=request.user, expert=expert)  # type: ignore[arg-type]
            messages.success(request, _("Thank you: your consent is recorded and your profile is listed."))
        elif action in ("hide", "show"):
            hidden = action == "hide"
            expert_services.expert_set_hidden(user=request.user, expert=expert, hidden=hidden)  # type: ignore[arg-type]
            messages.success(request, _("The profile is hidden.") if hidden else _("The profile is listed again."))
        elif action == "remove":
            expert_services.expert_remove(user=request.user, expert=expert)  # type: ignore[arg-type]
            messages.success(request, _("The profile and its personal data were removed."))
            return redirect("experts:list")
        else:
            raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(expert)
    return redirect(expert)


# --- staff -------------------------------------------------------------------------------------------------------


@staff_page
@require_safe
def staff_experts(request: HttpRequest) -> HttpResponse:
    queryset = experts.expert_list_for_staff(user=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "services/experts/staff_list.html", {"page": page})


@staff_page
@require_http_methods(["GET", "POST"])
def staff_expert_edit(request: HttpRequest, slug: str = "") -> HttpResponse:
    expert = None
    if slug:
        expert = experts.expert_get(slug=slug, user=request.user)
        if not experts.can_manage_expert(request.user, expert):
            raise Http404
    form = ExpertForm(request.POST if request.method == "POST" else None, instance=expert)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            if expert is None:
                saved = expert_services.expert_create(user=request.user, **values)  # type: ignore[arg-type]
            else:
                saved = expert_services.expert_update(user=request.user, expert=expert, **values)  # type: ignore[arg-type]
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(cast(forms.Form, form), exc)  # a ModelForm: the same errors API
        else:
            messages.success(request, _("The expert's profile is saved."))
            return redirect(saved)
    context = {"form": form, "expert": expert}
    return render(request, "services/experts/staff_form.html", context, status=400 if form.errors else 200)


# --- suggestions on a need's page --------------------------------------------------------------------------------


@require_safe
def need_experts(request: HttpRequest, reference_code: str) -> HttpResponse:
    """The experts suggested for a need: a fragment of its page for the need's owner and staff (404 otherwise)."""
    listing = listing_selectors.listing_get_for_user(user=request.user, reference_code=reference_code)
    if not experts.may_see_suggestions(user=request.user, listing=listing):
        raise Http404
    context = {"listing": listing, "suggestions": experts.suggest_experts(listing=listing)}
    template = "services/experts/partials/suggestions.html" if wants_partial(request) else "services/experts/need.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


# Deals in these stages are being negotiated: experts can still help (valuation, contract, intellectual property).
NEGOTIATION_STAGES = (DealStage.ACCEPTED, DealStage.NEGOTIATING)


@require_safe
def deal_experts(request: HttpRequest, reference_code: str) -> HttpResponse:
    """The experts suggested for a deal in negotiation (for its listing): a fragment of the deal's page, for those
    who may read the deal (404 otherwise, and for a deal no longer negotiated)."""
    deal = deal_selectors.deal_get_for_user(user=request.user, reference_code=reference_code)
    if deal.stage not in NEGOTIATION_STAGES:
        raise Http404
    context = {"deal": deal, "listing": deal.listing, "suggestions": experts.suggest_experts_for_deal(deal=deal)}
    template = "services/experts/partials/suggestions.html" if wants_partial(request) else "services/experts/need.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response
