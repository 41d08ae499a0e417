"""Staff pages of events: create, edit, publish and cancel events, their programme, and their registrations.

Every page answers 404 to anyone but staff and to staff outside the event's department scope (docs/departments.md):
the selectors and services ask ``departments.scope``, never a province filter here.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.core.permissions import staff_page

from . import selectors, services
from .choices import RegistrationAction, RegistrationStatus
from .forms import CancelEventForm, EventForm, MessageRegistrantsForm, SessionForm, event_initial
from .models import Event, Session
from .states import allowed_event_actions, allowed_registration_actions

SERVICE_ERRORS = (ValidationError, PermissionDenied)
REGISTRATION_ACTIONS = {
    RegistrationAction.APPROVE: services.registration_approve,
    RegistrationAction.PROMOTE: services.registration_promote,
    RegistrationAction.REJECT: services.registration_reject,
}


@staff_page
@require_safe
def event_list(request):
    events = selectors.event_list_for_staff(user=request.user)
    return render(request, "events/staff/list.html", {"events": events})


@staff_page
@require_http_methods(["GET", "POST"])
def event_new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                user=request.user,
                values=form.values(),
                organizers=list(form.cleaned_data["organizers"]),
                fields=list(form.cleaned_data["fields"]),
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc, model=Event)
        else:
            messages.success(request, _("The event is saved as a draft. Add its programme, then publish it."))
            return redirect("events:staff_event", slug=event.slug)
    return render(request, "events/staff/edit.html", {"form": form, "event": None})


@staff_page
@require_http_methods(["GET", "POST"])
def event_manage(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    form = EventForm(request.POST or None, initial=event_initial(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                user=request.user,
                event=event,
                values=form.values(),
                organizers=list(form.cleaned_data["organizers"]),
                fields=list(form.cleaned_data["fields"]),
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc, model=Event)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:staff_event", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "actions": allowed_event_actions(event.status),
        "cancel_form": CancelEventForm(),
        "session_form": SessionForm(),
        "sessions": event.sessions.all(),
    }
    return render(request, "events/staff/edit.html", context, status=400 if form.errors else 200)


@staff_page
@require_POST
def event_publish(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    try:
        services.event_publish(user=request.user, event=event)
    except SERVICE_ERRORS as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:staff_event", slug=event.slug)


@staff_page
@require_POST
def event_cancel(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    form = CancelEventForm(request.POST)
    if form.is_valid():
        try:
            services.event_cancel(user=request.user, event=event, reason=form.cleaned_data["reason"])
        except SERVICE_ERRORS as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The event is cancelled and its registrants are told."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("reason", [])))
    return redirect("events:staff_event", slug=event.slug)


def _session(request, slug, pk) -> Session:
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    session = event.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404
    session.event = event
    return session


@staff_page
@require_POST
def session_new(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_create(user=request.user, event=event, values=form.values())
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc, model=Session)
        else:
            messages.success(request, _("The session is added to the programme."))
            return redirect("events:staff_event", slug=event.slug)
    return render(request, "events/staff/session.html", {"event": event, "form": form, "session": None}, status=400)


@staff_page
@require_http_methods(["GET", "POST"])
def session_edit(request, slug, pk):
    session = _session(request, slug, pk)
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(user=request.user, session=session, values=form.values())
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc, model=Session)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("events:staff_event", slug=slug)
    context = {"event": session.event, "form": form, "session": session}
    return render(request, "events/staff/session.html", context, status=400 if form.errors else 200)


@staff_page
@require_POST
def session_delete(request, slug, pk):
    session = _session(request, slug, pk)
    services.session_delete(user=request.user, session=session)
    messages.success(request, _("The session is removed from the programme."))
    return redirect("events:staff_event", slug=slug)


@staff_page
@require_safe
def registration_list(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    registrations = selectors.registration_list_for_staff(user=request.user, event=event, status=status)
    if request.GET.get("format") == "csv":
        return _csv(event, registrations)
    rows = [(r, allowed_registration_actions(r.status)) for r in registrations]
    staff_actions = set(REGISTRATION_ACTIONS)
    context = {
        "event": event,
        "rows": [(r, [a for a in actions if a in staff_actions]) for r, actions in rows],
        "status": status,
        "statuses": RegistrationStatus.choices,
        "message_form": MessageRegistrantsForm(),
    }
    return render(request, "events/staff/registrations.html", context)


@staff_page
@require_POST
def message_registrants(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    form = MessageRegistrantsForm(request.POST)
    if form.is_valid():
        try:
            count = services.event_message_registrants(
                user=request.user,
                event=event,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                statuses=form.cleaned_data["statuses"],
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The message is on its way to %(count)s registrants.") % {"count": count})
            return redirect("events:staff_registrations", slug=event.slug)
    registrations = selectors.registration_list_for_staff(user=request.user, event=event)
    context = {
        "event": event,
        "rows": [(r, []) for r in registrations],
        "status": "",
        "statuses": RegistrationStatus.choices,
        "message_form": form,
        "message_open": True,
    }
    return render(request, "events/staff/registrations.html", context, status=400)


def _csv(event: Event, registrations) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Vietnamese names) only with the byte-order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Full name"),
            _("E-mail"),
            _("Phone"),
            _("Organisation"),
            _("Role"),
            _("Status"),
            _("Sessions"),
            _("Check-in code"),
            _("Registered at"),
        ]  # fmt: skip
    )
    for r in registrations:
        writer.writerow(
            [
                r.full_name,
                r.email,
                r.phone,
                r.organization_label,
                r.get_role_display(),
                r.get_status_display(),
                "; ".join(s.title for s in r.sessions.all()),
                r.checkin_code,
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


@staff_page
@require_POST
def registration_action(request, pk, action):
    registration = selectors.registration_get_for_staff(user=request.user, pk=pk)
    try:
        service = REGISTRATION_ACTIONS[RegistrationAction(action)]
    except (ValueError, KeyError):
        raise Http404 from None
    try:
        done = service(user=request.user, registration=registration)
    except SERVICE_ERRORS as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": done.full_name, "status": done.get_status_display()},
        )
    return redirect("events:staff_registrations", slug=registration.event.slug)
