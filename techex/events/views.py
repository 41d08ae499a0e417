"""Public pages of events: the list, an event's page, its calendar files, registering, confirming, cancelling and a
member's own registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.core.htmx import wants_partial
from techex.notifications.emails import absolute_url

from . import selectors, services
from .calendar import event_ics, qr_png, session_ics
from .choices import RegistrationStatus
from .forms import EventFilterForm, RegistrationForm

PAGE_SIZE = 20
SERVICE_ERRORS = (ValidationError, PermissionDenied)


@require_safe
def event_list(request):
    form = EventFilterForm(request.GET)
    events = selectors.event_list_public(filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.places_left = selectors.places_left(event=event)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "filtered": any(request.GET.get(name) for name in form.fields),
    }
    return render(request, "events/list.html", context)


def _detail_context(request, event, form=None, registration=None):
    registration = registration or selectors.registration_for_member(user=request.user, event=event)
    return {
        "event": event,
        "sessions": list(event.sessions.all()),
        "places_left": selectors.places_left(event=event),
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration=registration) if registration else None,
        "form": form or (None if registration else RegistrationForm(event=event, user=request.user)),
        "registration_open": event.registration_is_open(),
        # A refused form is shown with its errors even when registration has just closed.
        "refused": form is not None and form.is_bound,
        "share_url": absolute_url(event.get_absolute_url()),
    }


@require_safe
def event_detail(request, slug):
    event = selectors.event_get_public(slug=slug, user=request.user)
    return render(request, "events/detail.html", _detail_context(request, event))


def _outcome_message(registration, position) -> str:
    if registration.status == RegistrationStatus.UNVERIFIED:
        return _(
            "Almost done: we have sent you an e-mail. Open its link to confirm your address and your registration."
        )
    if registration.status == RegistrationStatus.PENDING:
        return _("Thank you: your registration awaits the organisers' approval. We will e-mail you their answer.")
    if registration.status == RegistrationStatus.WAITING:
        return _(
            "The event is full: you are number %(position)s on the waiting list. If a place frees up you move up "
            "automatically and we will e-mail you."
        ) % {"position": position}
    return _("You are registered. Your confirmation, with your check-in code, is on its way by e-mail.")


@require_POST
def event_register(request, slug):
    event = selectors.event_get_public(slug=slug, user=request.user)
    form = RegistrationForm(request.POST, event=event, user=request.user)
    registration = None
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event, user=request.user if form.is_member else None, **form.service_values()
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
    if registration is not None:
        position = selectors.waiting_position(registration=registration)
        outcome = _outcome_message(registration, position)
        if not wants_partial(request):
            messages.success(request, outcome)
            return redirect(event)
        context = _detail_context(request, event, registration=registration)
        context["outcome"] = outcome
        return render(request, "events/partials/registration.html", context)
    context = _detail_context(request, event, form=form)
    template = "events/partials/registration.html" if wants_partial(request) else "events/detail.html"
    return render(request, template, context, status=200 if wants_partial(request) else 400)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_calendar(request, slug):
    event = selectors.event_get_public(slug=slug, user=request.user)
    return _ics_response(event_ics(event), f"{event.slug}.ics")


@require_safe
def session_calendar(request, slug, pk):
    session = selectors.session_get_public(slug=slug, pk=pk, user=request.user)
    return _ics_response(session_ics(session), f"{session.event.slug}-{session.pk}.ics")


@require_http_methods(["GET", "POST"])
def verify(request, token):
    """The guest's link from the e-mail: a page with one button (mail scanners open links; only a POST counts)."""
    if request.method == "POST":
        try:
            registration = services.registration_verify(token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("events:list")
        messages.success(request, _outcome_message(registration, selectors.waiting_position(registration=registration)))
        return redirect(registration.event)
    return render(request, "events/token_action.html", {"action": "verify"})


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """The cancel link of the e-mails: a page that asks, then cancels on POST."""
    registration = selectors.registration_by_cancel_token(token=token)
    if request.method == "POST" and registration is not None:
        try:
            services.registration_cancel(token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.event)
    status = 200 if registration is not None else 404
    return render(
        request, "events/token_action.html", {"action": "cancel", "registration": registration}, status=status
    )


@login_required
@require_safe
def my_registrations(request):
    registrations = selectors.registration_list_for_user(user=request.user)
    return render(request, "events/mine.html", {"registrations": registrations})


@login_required
@require_POST
def my_registration_cancel(request, pk):
    registration = selectors.registration_get_for_user(user=request.user, pk=pk)
    try:
        services.registration_cancel_own(user=request.user, registration=registration)
    except SERVICE_ERRORS as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:mine")


@login_required
@require_safe
def my_registration_qr(request, pk):
    """The check-in QR code of a member's confirmed place, to show at the entrance from the phone."""
    registration = selectors.registration_get_for_user(user=request.user, pk=pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    response = HttpResponse(qr_png(registration.checkin_code), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
