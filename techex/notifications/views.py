"""Pages of notifications: the list, marking read, e-mail settings, and the one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.htmx import wants_partial

from . import selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 20


def _safe_next(request, default: str) -> str:
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def _list_context(request) -> dict:
    unread = request.GET.get("unread") == "1"
    notifications = selectors.notification_list_for_user(user=request.user, unread=unread)
    return {"page": Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page")), "unread_only": unread}


@login_required
@require_safe
def notification_list(request):
    """The user's notifications, newest first, unread ones highlighted."""
    context = _list_context(request)
    if wants_partial(request):
        return render(request, "notifications/partials/list.html", context)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request, pk: str):
    notification = selectors.notification_get_for_user(user=request.user, pk=int(pk))
    services.notification_mark_read(notification=notification, user=request.user)
    if wants_partial(request):
        return render(request, "notifications/partials/item_read.html", {"notification": notification})
    return redirect(_safe_next(request, reverse("notifications:list")))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if wants_partial(request):
        return render(request, "notifications/partials/list.html", {**_list_context(request), "oob_count": True})
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification was marked as read.", "%(count)d notifications were marked as read.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect(_safe_next(request, reverse("notifications:list")))


@login_required
@require_safe
def go(request, pk: str):
    """Open what a notification is about, marking it read on the way.

    A GET that changes something, deliberately: it is the user's own notification, the change cannot be undone
    by anyone else, and a link (not a button) is what people open in a new tab.
    """
    notification = selectors.notification_get_for_user(user=request.user, pk=int(pk))
    services.notification_mark_read(notification=notification, user=request.user)
    # notify() only stores paths on this site; checked again so that an old row can never redirect elsewhere.
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Choose how often notifications come by e-mail."""
    preference = selectors.preference_for_user(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, initial={"email_frequency": preference.email_frequency})
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(user=request.user, email_frequency=form.cleaned_data["email_frequency"])
        except ValidationError as exc:
            form.add_error("email_frequency", exc.messages)
        else:
            messages.success(request, _("Your e-mail settings were saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Mail programs send the one-click POST (RFC 8058) without cookies or a CSRF token; the signed token in the address
# is what proves the request comes from the e-mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop notification e-mails without signing in: GET asks (link scanners open links), POST does it."""
    try:
        user = services.user_for_unsubscribe(token=token)
        if request.method == "POST":
            services.unsubscribe(token=token)
    except ValidationError as exc:
        return render(request, "notifications/unsubscribe.html", {"error": exc.messages[0]}, status=400)
    context = {"done": request.method == "POST", "email": _masked(user.email)}
    return render(request, "notifications/unsubscribe.html", context)


def _masked(email: str) -> str:
    """Enough of the address for its owner to recognise it, not enough for whoever else holds the link."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"
