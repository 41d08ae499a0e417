"""B2B pages of an event: participants, one's profile, requests and agenda; the staff page that runs the scheduler.

A participant's pages answer 404 to anyone who does not take part in the event's B2B meetings; the staff page
answers 404 outside the event's department scope (``departments.scope``, through the services and ``can_act``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.core.permissions import staff_page
from techex.departments.scope import require_can_act
from techex.listings.models import Listing

from . import b2b, selectors
from .b2b_forms import B2BProfileForm, B2BSettingsForm, MeetingRequestForm, ScheduleRunForm
from .calendar import agenda_ics
from .choices import MeetingRequestAction, MeetingStatus
from .models import B2BProfile, Event, Meeting
from .states import allowed_meeting_request_actions

SERVICE_ERRORS = (ValidationError, PermissionDenied)
REQUEST_ACTIONS = {
    MeetingRequestAction.ACCEPT: b2b.meeting_request_accept,
    MeetingRequestAction.DECLINE: b2b.meeting_request_decline,
    MeetingRequestAction.WITHDRAW: b2b.meeting_request_withdraw,
}


def _error(request, exc: Exception) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _event_and_registration(request, slug: str):
    event = selectors.event_get_public(slug=slug, user=request.user)
    registration = b2b.b2b_registration_of(user=request.user, event=event)
    if registration is None:
        raise Http404
    return event, registration


def _own_profile(request, slug: str) -> tuple[Event, B2BProfile]:
    event, _registration = _event_and_registration(request, slug)
    profile = b2b.b2b_profile_of(user=request.user, event=event)
    if profile is None:
        raise Http404
    return event, profile


def _slot_labels(event: Event) -> list[tuple[int, str]]:
    settings = b2b.b2b_settings_of(event=event)
    from django.utils.timezone import localtime

    return [
        (n, f"{localtime(start):%d/%m %H:%M}–{localtime(end):%H:%M}")
        for n, (start, end) in enumerate(settings.slot_times() if settings else [])
    ]


@login_required
@require_safe
def participants(request, slug):
    event, _registration = _event_and_registration(request, slug)
    me = b2b.b2b_profile_of(user=request.user, event=event)
    query = request.GET.get("q", "")
    people = b2b.b2b_participants(event=event, query=query)
    return render(request, "events/b2b/participants.html", {"event": event, "people": people, "q": query, "me": me})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, slug):
    event, registration = _event_and_registration(request, slug)
    profile = b2b.b2b_profile_of(user=request.user, event=event)
    listings = Listing.objects.live().filter(organization_id=registration.organization_id).order_by("pk")
    slots = _slot_labels(event)
    initial = (
        {
            "offer": profile.offer,
            "seek": profile.seek,
            "listings": list(profile.listings.all()),
            "available_slots": profile.available_slots,
        }
        if profile
        else {"available_slots": [n for n, _label in slots]}
    )
    form = B2BProfileForm(request.POST or None, initial=initial, listings=listings, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            b2b.b2b_profile_save(
                user=request.user,
                event=event,
                offer=form.cleaned_data["offer"],
                seek=form.cleaned_data["seek"],
                listings=list(form.cleaned_data["listings"]),
                # Before staff set the hours there is no slot to choose: availability is left as it is.
                available_slots=form.cleaned_data["available_slots"] if slots else None,
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your B2B profile is saved."))
            return redirect("events:b2b_participants", slug=event.slug)
    status = 400 if form.errors else 200
    return render(request, "events/b2b/profile.html", {"event": event, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request, slug, pk):
    event, me = _own_profile(request, slug)
    other = b2b.b2b_participant_get(event=event, pk=pk)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            b2b.meeting_request_send(
                user=request.user,
                event=event,
                recipient=other,
                message=form.cleaned_data["message"],
                important=form.cleaned_data["important"],
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your meeting request is sent."))
            return redirect("events:b2b_requests", slug=event.slug)
    status = 400 if form.errors else 200
    context = {"event": event, "form": form, "other": other}
    return render(request, "events/b2b/request_new.html", context, status=status)


@login_required
@require_safe
def my_requests(request, slug):
    event, me = _own_profile(request, slug)
    received, sent = b2b.meeting_requests_of(profile=me)
    context = {
        "event": event,
        "received": [(r, allowed_meeting_request_actions(r.status, "recipient")) for r in received],
        "sent": [(r, allowed_meeting_request_actions(r.status, "sender")) for r in sent],
    }
    return render(request, "events/b2b/requests.html", context)


@login_required
@require_POST
def request_action(request, pk, action):
    meeting_request = b2b.meeting_request_get_own(user=request.user, pk=pk)
    try:
        service = REQUEST_ACTIONS[MeetingRequestAction(action)]
    except ValueError as exc:
        raise Http404 from exc
    kwargs = {"important": request.POST.get("important") == "on"} if action == MeetingRequestAction.ACCEPT else {}
    try:
        service(user=request.user, request=meeting_request, **kwargs)
    except SERVICE_ERRORS as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The meeting request is updated."))
    return redirect("events:b2b_requests", slug=meeting_request.event.slug)


@login_required
@require_safe
def agenda(request, slug):
    event, me = _own_profile(request, slug)
    context = {
        "event": event,
        "rows": b2b.agenda_rows(profile=me),
        "statuses": [MeetingStatus.HELD, MeetingStatus.NO_SHOW],
    }
    return render(request, "events/b2b/agenda.html", context)


@login_required
@require_safe
def agenda_calendar(request, slug):
    event, me = _own_profile(request, slug)
    settings = b2b.b2b_settings_of(event=event)
    ics = agenda_ics(profile=me, meetings=b2b.agenda_of(profile=me), slots=settings.slot_times() if settings else [])
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-b2b.ics"'
    return response


@login_required
@require_POST
def meeting_mark(request, pk, status):
    meeting = b2b.meeting_get_own(user=request.user, pk=pk)
    try:
        b2b.meeting_mark(user=request.user, meeting=meeting, status=status)
    except SERVICE_ERRORS as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The meeting is marked."))
    return redirect("events:b2b_agenda", slug=meeting.event.slug)


# --- staff --------------------------------------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def staff_b2b(request, slug):
    event = selectors.event_get_for_staff(user=request.user, slug=slug)
    require_can_act(request.user, event)
    if not event.b2b_enabled:
        raise Http404
    settings = b2b.b2b_settings_of(event=event)
    form = B2BSettingsForm(request.POST or None, instance=settings)
    run = None
    if request.method == "POST" and request.POST.get("do") == "run":
        form = B2BSettingsForm(instance=settings)
        run_form = ScheduleRunForm(request.POST)
        run_form.is_valid()
        try:
            run = b2b.b2b_schedule_run(
                user=request.user, event=event, allow_moving=run_form.cleaned_data.get("allow_moving", False)
            )
        except SERVICE_ERRORS as exc:
            _error(request, exc)
        else:
            text = ngettext(
                "%(placed)d meeting is scheduled. Check it, then publish.",
                "%(placed)d meetings are scheduled. Check them, then publish.",
                run.placed,
            )
            messages.success(request, text % {"placed": run.placed})
    elif request.method == "POST" and request.POST.get("do") == "publish":
        form = B2BSettingsForm(instance=settings)
        try:
            count = b2b.b2b_schedule_publish(user=request.user, event=event)
        except SERVICE_ERRORS as exc:
            _error(request, exc)
        else:
            text = ngettext(
                "%(count)d meeting is published; the participants are told.",
                "%(count)d meetings are published; the participants are told.",
                count,
            )
            messages.success(request, text % {"count": count})
        return redirect("events:staff_b2b", slug=event.slug)
    elif request.method == "POST" and form.is_valid():
        try:
            b2b.b2b_settings_save(user=request.user, event=event, values=form.values())
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The B2B settings are saved."))
            return redirect("events:staff_b2b", slug=event.slug)
    slots = dict(_slot_labels(event))
    meetings = (
        Meeting.objects.filter(event=event)
        .select_related("first__registration", "second__registration")
        .order_by("slot", "table")
    )
    context = {
        "event": event,
        "form": form,
        "run_form": ScheduleRunForm(),
        "run": run,
        "rows": [(slots.get(m.slot, "—"), m) for m in meetings],
        "participant_count": b2b.b2b_participants(event=event).count(),
        "has_settings": settings is not None,
    }
    return render(request, "events/b2b/staff.html", context, status=400 if form.errors else 200)
