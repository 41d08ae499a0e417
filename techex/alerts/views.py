"""Pages of saved searches: my saved searches (with the match alert threshold), saving one from the browse page,
and the pages opened from an alert e-mail.

Each view parses the request, calls one service or selector and renders; with htmx the same view answers a fragment.
Links opened from e-mails (a saved search's alert page, its one-click unsubscribe, its feed in ``feeds.py``) work
without signing in: the saved search's unguessable token is what opens them. Their paths stay under ``/matching/``,
where saved searches lived first: links already sent by e-mail and feed readers' subscriptions keep working.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.htmx import wants_partial
from techex.matching.forms import ThresholdForm
from techex.matching.selectors import match_preference_for
from techex.matching.services import match_threshold_set

from . import selectors, services
from .forms import AlertsForm, RenameForm, SaveSearchForm


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _browse_url(saved) -> str:
    params = selectors.browse_params(saved_search=saved)
    return f"{reverse('listings:browse')}?{urlencode(params)}" if params else reverse("listings:browse")


# --- my saved searches -------------------------------------------------------------------------------------------


def _saved_list_context(request, threshold_form=None) -> dict:
    searches = list(selectors.saved_search_list_for_user(user=request.user))
    labels = selectors.saved_search_labels(saved_searches=searches)
    rows = [{"search": s, "labels": labels[s.pk], "browse_url": _browse_url(s)} for s in searches]
    if threshold_form is None:
        preference = match_preference_for(user=request.user)
        threshold_form = ThresholdForm(
            initial={"threshold": preference.threshold, "alerts_enabled": preference.alerts_enabled}
        )
    return {"rows": rows, "threshold_form": threshold_form, "max_searches": services.MAX_SAVED_SEARCHES}


@login_required
@require_safe
def saved_list(request):
    """My saved searches: rename, alerts on or off, delete, the feed; and the match alert threshold."""
    return render(request, "alerts/saved_list.html", _saved_list_context(request))


@login_required
@require_POST
def saved_create(request):
    """Keep the browse page's words and filters (the "Save this search" button)."""
    form = SaveSearchForm(request.POST)
    saved, error = None, ""
    if form.is_valid():
        try:
            saved = services.saved_search_create(user=request.user, **form.search_data())
        except ValidationError as exc:
            error = _error_text(exc)
    else:
        error = _("This search cannot be saved: %(errors)s") % {
            "errors": " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        }
    if wants_partial(request):
        context = {
            "saved": saved,
            "error": error,
            "q": form.data.get("q", "")[:200],
            "search_state": _posted_state(form),
            "partial_only": True,
        }
        # 200 either way: htmx swaps only successful answers, and the fragment carries the error.
        return render(request, "alerts/partials/save_search.html", context)
    if saved is None:
        messages.error(request, error)
        return redirect(f"{reverse('listings:browse')}?{urlencode(_posted_state(form, with_q=True))}")
    messages.success(
        request,
        _("Search saved as “%(name)s”. New listings it finds will be sent to you.") % {"name": saved.name},
    )
    return redirect("alerts:saved_list")


def _posted_state(form: SaveSearchForm, *, with_q: bool = False) -> dict[str, str]:
    """The posted search, to put back in the form or the browse page's address."""
    names = (("q",) if with_q else ()) + selectors.FILTER_NAMES
    return {name: str(form.data[name])[:200] for name in names if form.data.get(name)}


@login_required
@require_POST
def saved_rename(request, pk: int):
    saved = selectors.saved_search_get_for_user(user=request.user, pk=pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(message) for message in form.errors.get("name", [])) or _("Give the search a name.")
        )
        return redirect("alerts:saved_list")
    try:
        services.saved_search_rename(saved_search=saved, user=request.user, name=form.cleaned_data["name"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The search is now called “%(name)s”.") % {"name": saved.name})
    return redirect("alerts:saved_list")


@login_required
@require_POST
def saved_alerts(request, pk: int):
    saved = selectors.saved_search_get_for_user(user=request.user, pk=pk)
    form = AlertsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to turn the alerts on or off."))
        return redirect("alerts:saved_list")
    services.saved_search_set_alerts(saved_search=saved, user=request.user, active=form.cleaned_data["active"])
    if saved.is_active:
        messages.success(request, _("Alerts for “%(name)s” are on.") % {"name": saved.name})
    else:
        messages.success(request, _("Alerts for “%(name)s” are off.") % {"name": saved.name})
    return redirect("alerts:saved_list")


@login_required
@require_POST
def saved_delete(request, pk: int):
    saved = selectors.saved_search_get_for_user(user=request.user, pk=pk)
    name = saved.name
    services.saved_search_delete(saved_search=saved, user=request.user)
    messages.success(request, _("The saved search “%(name)s” was deleted.") % {"name": name})
    return redirect("alerts:saved_list")


@login_required
@require_POST
def threshold(request):
    """Set how good a new match must be before I am told about it (matching's setting, on this page's form)."""
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            match_threshold_set(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("threshold", exc.messages)
        else:
            if form.cleaned_data["alerts_enabled"]:
                message = _("You will be told about new matches scoring %(threshold)d or more.")
            else:
                message = _("Match alerts are off; you still see the matches on your listings' pages.")
            messages.success(request, message % {"threshold": form.cleaned_data["threshold"]})
            return redirect("alerts:saved_list")
    return render(request, "alerts/saved_list.html", _saved_list_context(request, form), status=400)


# --- opened from an e-mail, by token -----------------------------------------------------------------------------


def _private(response):
    # The token in the address is the key: keep the page out of shared caches and search engines.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def saved_alert_page(request, token: str):
    """What a saved search found lately: the page an alert leads to, with "Stop these alerts"."""
    saved = selectors.saved_search_get_by_token(token=token)
    if saved is None:
        raise Http404
    context = {
        "saved": saved,
        "labels": selectors.saved_search_labels(saved_searches=[saved])[saved.pk],
        "listings": selectors.saved_search_alerted_listings(saved_search=saved),
        "browse_url": _browse_url(saved),
        "is_owner": request.user.is_authenticated and request.user.pk == saved.user_id,
    }
    return _private(render(request, "alerts/saved_alerts.html", context))


# Mail programs send a one-click POST (RFC 8058) without cookies or a CSRF token; the unguessable token in the
# address is what proves the request comes from the e-mail, as for notifications' unsubscribe.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def saved_unsubscribe(request, token: str):
    """Stop one saved search's alerts without signing in: GET asks (link scanners open links), POST does it."""
    try:
        if request.method == "POST":
            saved = services.saved_search_unsubscribe(token=token)
        else:
            saved = services.saved_search_for_token(token=token)
    except ValidationError as exc:
        return _private(render(request, "alerts/unsubscribe.html", {"error": exc.messages[0]}, status=400))
    context = {"saved": saved, "done": request.method == "POST"}
    return _private(render(request, "alerts/unsubscribe.html", context))
