"""Staff pages of the exchange-to-exchange sharing: the API keys issued to partner systems (lead staff only: a key
reads the whole region's public data, so only the lead department's staff issue and revoke them)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techex.core.permissions import staff_page
from techex.departments.scope import staff_scope

from . import selectors, services
from .forms import ApiKeyForm, WebhookEndpointForm
from .models import ApiKey, WebhookEndpoint


def _require_lead(request) -> None:
    if not staff_scope(request.user).is_lead:
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def api_keys(request):
    """Every staff member sees the keys; the lead department's staff issue and revoke them."""
    is_lead = staff_scope(request.user).is_lead
    if request.method == "POST":
        _require_lead(request)
    form = ApiKeyForm(request.POST or None)
    issued = ""
    if request.method == "POST" and form.is_valid():
        _key, issued = services.api_key_issue(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            rate_per_minute=form.cleaned_data["rate_per_minute"],
        )
        form = ApiKeyForm()
    context = {"form": form, "keys": selectors.api_key_list(), "issued": issued, "is_lead": is_lead}
    return render(request, "exchange/api_keys.html", context)


@require_POST
@staff_page
def api_key_revoke(request, pk: int):
    _require_lead(request)
    key = get_object_or_404(ApiKey, pk=pk)
    services.api_key_revoke(user=request.user, key=key)
    messages.success(request, _("The key “%(name)s” was revoked: it no longer opens anything.") % {"name": key.name})
    return redirect("exchange:api_keys")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def webhook_endpoints(request):
    """The partners' webhook endpoints with their delivery logs; the lead's staff add and re-enable them."""
    is_lead = staff_scope(request.user).is_lead
    if request.method == "POST":
        _require_lead(request)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.webhook_endpoint_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The endpoint “%(name)s” was added.") % {"name": endpoint.name})
        return redirect("exchange:webhooks")
    context = {"form": form, "endpoints": selectors.webhook_endpoint_list(), "is_lead": is_lead}
    return render(request, "exchange/webhooks.html", context)


@require_POST
@staff_page
def webhook_endpoint_enable(request, pk: int):
    _require_lead(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    services.webhook_endpoint_enable(user=request.user, endpoint=endpoint)
    messages.success(request, _("The endpoint “%(name)s” is on again.") % {"name": endpoint.name})
    return redirect("exchange:webhooks")
