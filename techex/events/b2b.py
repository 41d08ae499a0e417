"""B2B meetings of an event: profiles, meeting requests, the scheduler run and the agendas (docs/events.md).

Writers are keyword-only, atomic and audited, as in ``services``; a participant is a member whose registration is
confirmed and takes part in B2B (``wants_b2b``) on an event with ``b2b_enabled``. Staff run the scheduler on the
events of their department's scope (``departments.scope``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core import events as domain_events
from techex.core.models import max_length_of
from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.core.text import clean_text, limited_text
from techex.departments.scope import require_can_act
from techex.listings.models import Listing

from . import scheduling
from .choices import MeetingRequestAction, MeetingRequestStatus, MeetingStatus, RegistrationStatus
from .events import B2BAgendaPublished
from .models import B2BProfile, B2BSettings, Event, Meeting, MeetingRequest, Registration
from .states import OPEN_REQUEST_STATUSES, meeting_request_target

if TYPE_CHECKING:
    from techex.accounts.models import User

SETTINGS_FIELDS = (
    "starts_at",
    "ends_at",
    "meeting_minutes",
    "break_starts_at",
    "break_ends_at",
    "tables",
    "request_limit",
    "requests_open",
)
SCHEDULE_TIME_LIMIT = 20.0


# --- reading ------------------------------------------------------------------------------------------------------


def b2b_settings_of(*, event: Event) -> B2BSettings | None:
    return B2BSettings.objects.filter(event=event).first()


def b2b_registration_of(*, user: Any, event: Event) -> Registration | None:
    """The member's confirmed B2B registration for the event, or None."""
    if not getattr(user, "is_authenticated", False) or not event.b2b_enabled:
        return None
    return (
        Registration.objects.filter(event=event, user=user, wants_b2b=True, status=RegistrationStatus.CONFIRMED)
        .select_related("organization")
        .first()
    )


def b2b_profile_of(*, user: Any, event: Event) -> B2BProfile | None:
    registration = b2b_registration_of(user=user, event=event)
    if registration is None:
        return None
    return B2BProfile.objects.filter(registration=registration).first()


def _require_profile(user: Any, event: Event) -> B2BProfile:
    profile = b2b_profile_of(user=user, event=event)
    if profile is None:
        raise PermissionDenied(_("You do not take part in this event's B2B meetings."))
    return profile


def b2b_participants(*, event: Event, query: str = "") -> QuerySet[B2BProfile]:
    """The event's B2B participants (confirmed registrations), searchable by name, organisation, offer and seek."""
    profiles = B2BProfile.objects.filter(
        event=event, registration__status=RegistrationStatus.CONFIRMED, registration__wants_b2b=True
    ).select_related("registration", "registration__organization")
    query = clean_text(query or "")[:100]
    if query:
        profiles = profiles.filter(
            Q(registration__full_name__icontains=query)
            | Q(registration__organization_name__icontains=query)
            | Q(registration__organization__name__icontains=query)
            | Q(offer__icontains=query)
            | Q(seek__icontains=query)
        )
    return profiles.prefetch_related("listings")


def b2b_participant_get(*, event: Event, pk: int) -> B2BProfile:
    profile = b2b_participants(event=event).filter(pk=pk).first()
    if profile is None:
        raise Http404
    return profile


def meeting_requests_of(*, profile: B2BProfile) -> tuple[QuerySet[MeetingRequest], QuerySet[MeetingRequest]]:
    """(received, sent) requests of a participant."""
    related = ("sender__registration", "recipient__registration")
    return (
        profile.requests_received.select_related(*related),
        profile.requests_sent.select_related(*related),
    )


def meeting_request_get_own(*, user: Any, pk: int) -> MeetingRequest:
    """A request the user sent or received (404 otherwise)."""
    request = (
        MeetingRequest.objects.filter(pk=pk)
        .filter(Q(sender__registration__user=user) | Q(recipient__registration__user=user))
        .select_related("event", "sender__registration", "recipient__registration")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if request is None:
        raise Http404
    return request


def agenda_of(*, profile: B2BProfile) -> list[Meeting]:
    """The participant's published meetings in time order."""
    return list(
        Meeting.objects.filter(Q(first=profile) | Q(second=profile), published=True)
        .select_related("first__registration__organization", "second__registration__organization")
        .order_by("slot", "table")
    )


def agenda_rows(*, profile: B2BProfile) -> list[tuple[tuple[Any, Any] | None, Meeting, B2BProfile]]:
    """The agenda as (slot's start and end, meeting, the other side) rows: the page's and the e-mail's."""
    settings = b2b_settings_of(event=profile.event)
    slots = settings.slot_times() if settings else []
    return [(slots[m.slot] if m.slot < len(slots) else None, m, m.other(profile)) for m in agenda_of(profile=profile)]


def meeting_get_own(*, user: Any, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, published=True)
        .filter(Q(first__registration__user=user) | Q(second__registration__user=user))
        .select_related("event", "first__registration", "second__registration")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if meeting is None:
        raise Http404
    return meeting


# --- settings and profiles ----------------------------------------------------------------------------------------


@transaction.atomic
def b2b_settings_save(*, user: User, event: Event, values: dict[str, Any]) -> B2BSettings:
    """Staff set the meeting hours, length, break, tables and request limit of the event's B2B part."""
    require_staff(user)
    require_can_act(user, event)
    if not event.b2b_enabled:
        raise ValidationError(_("This event has no B2B meetings."), code="no_b2b")
    settings = B2BSettings.objects.select_for_update().filter(event=event).first() or B2BSettings(event=event)
    changed = [name for name in SETTINGS_FIELDS if name in values and getattr(settings, name, None) != values[name]]
    for name in changed:
        setattr(settings, name, values[name])
    settings.full_clean(exclude=["event"])
    if (
        settings.pk
        and Meeting.objects.filter(event=event, published=True)
        .filter(Q(slot__gte=len(settings.slot_times())) | Q(table__gt=settings.tables))
        .exists()
    ):
        raise ValidationError(
            _("Published meetings use slots or tables these settings remove; cancel them first."), code="published"
        )
    created = settings.pk is None
    settings.save()
    if created:
        # Profiles made before the hours were set had no slots to choose from: they are free at every slot.
        slot_count = len(settings.slot_times())
        B2BProfile.objects.filter(event=event, available_slots=[]).update(available_slots=list(range(slot_count)))
    audit_record(actor=user, action="b2b.settings", target=event, data={"changed": changed})
    return settings


@transaction.atomic
def b2b_profile_save(
    *,
    user: User,
    event: Event,
    offer: str,
    seek: str,
    listings: Sequence[Listing] = (),
    available_slots: Sequence[int] | None = None,
) -> B2BProfile:
    """Create or change the member's B2B profile; attached listings must be live listings of their organisation."""
    registration = b2b_registration_of(user=user, event=event)
    if registration is None:
        raise PermissionDenied(_("You do not take part in this event's B2B meetings."))
    settings = b2b_settings_of(event=event)
    slot_count = len(settings.slot_times()) if settings else 0
    errors: dict[str, list[str]] = {}
    try:
        offer = limited_text(offer, field="offer", max_length=max_length_of(B2BProfile, "offer"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        seek = limited_text(seek, field="seek", max_length=max_length_of(B2BProfile, "seek"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not offer and not seek and "offer" not in errors:
        errors["offer"] = [_("Say what you offer or what you seek.")]
    allowed = set(
        Listing.objects.live().filter(organization_id=registration.organization_id).values_list("pk", flat=True)
    )
    if any(listing.pk not in allowed for listing in listings):
        errors["listings"] = [_("Attach only live listings of your organisation.")]
    slots = sorted(set(available_slots)) if available_slots is not None else None
    if slots is not None and any(not 0 <= slot < slot_count for slot in slots):
        errors["available_slots"] = [_("Choose times among the event's meeting slots.")]
    if errors:
        raise ValidationError(errors)
    profile = B2BProfile.objects.select_for_update().filter(registration=registration).first()
    created = profile is None
    if profile is None:
        profile = B2BProfile(registration=registration, event=event, available_slots=list(range(slot_count)))
    profile.offer, profile.seek = offer, seek
    if slots is not None:
        profile.available_slots = slots
    profile.save()
    profile.listings.set(listings)
    audit_record(
        actor=user,
        action="b2b.profile_create" if created else "b2b.profile_update",
        target=profile,
        data={"listings": sorted(listing.pk for listing in listings), "slots": profile.available_slots},
    )
    return profile


# --- meeting requests ---------------------------------------------------------------------------------------------


def _require_requests_open(event: Event) -> B2BSettings:
    settings = b2b_settings_of(event=event)
    if settings is None or not settings.requests_open or event.is_cancelled or event.has_ended():
        raise ValidationError(_("Meeting requests for this event are closed."), code="closed")
    return settings


@transaction.atomic
def meeting_request_send(
    *, user: User, event: Event, recipient: B2BProfile, message: str = "", important: bool = False
) -> MeetingRequest:
    """Ask another participant for a meeting: within the sender's limit, once per pair, never oneself."""
    sender = _require_profile(user, event)
    settings = _require_requests_open(event)
    # Lock the sender's profile so two requests at once cannot both pass the limit.
    sender = B2BProfile.objects.select_for_update().get(pk=sender.pk)
    if recipient.event_id != event.pk or not b2b_participants(event=event).filter(pk=recipient.pk).exists():
        raise ValidationError(_("That person does not take part in this event's B2B meetings."), code="recipient")
    if recipient.pk == sender.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."), code="self")
    message = limited_text(message, field="message", max_length=max_length_of(MeetingRequest, "message"))
    pair = Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
    if MeetingRequest.objects.filter(pair, status__in=OPEN_REQUEST_STATUSES).exists():
        raise ValidationError(_("There is already a meeting request between you two."), code="duplicate")
    if sender.requests_sent.filter(status__in=OPEN_REQUEST_STATUSES).count() >= settings.request_limit:
        raise ValidationError(
            _("You have reached the limit of %(limit)d meeting requests for this event.")
            % {"limit": settings.request_limit},
            code="limit",
        )
    request = MeetingRequest.objects.create(
        event=event, sender=sender, recipient=recipient, message=message, sender_important=important
    )
    audit_record(
        actor=user, action="b2b.request_send", target=request, data={"to": recipient.pk, "important": important}
    )
    return request


def _request_step(
    *, user: User, request: MeetingRequest, action: MeetingRequestAction, side: str, **changes: Any
) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    profile = _require_profile(user, request.event)
    if (request.sender_id if side == "sender" else request.recipient_id) != profile.pk:
        raise PermissionDenied(_("Only the other side of this request can do that."))
    if action == MeetingRequestAction.ACCEPT:
        _require_requests_open(request.event)
    old = request.status
    request.status = meeting_request_target(old, action)
    request.responded_at = timezone.now()
    for name, value in changes.items():
        setattr(request, name, value)
    request.save()
    if request.status != MeetingRequestStatus.ACCEPTED:
        # A meeting not yet on an agenda goes with its request; a published one stays until staff re-run.
        Meeting.objects.filter(request=request, published=False).delete()
    audit_record(actor=user, action=f"b2b.request_{action}", target=request, data={"from": old, "to": request.status})
    return request


@transaction.atomic
def meeting_request_accept(*, user: User, request: MeetingRequest, important: bool = False) -> MeetingRequest:
    return _request_step(
        user=user,
        request=request,
        action=MeetingRequestAction.ACCEPT,
        side="recipient",
        recipient_important=important,
    )


@transaction.atomic
def meeting_request_decline(*, user: User, request: MeetingRequest) -> MeetingRequest:
    return _request_step(user=user, request=request, action=MeetingRequestAction.DECLINE, side="recipient")


@transaction.atomic
def meeting_request_withdraw(*, user: User, request: MeetingRequest) -> MeetingRequest:
    return _request_step(user=user, request=request, action=MeetingRequestAction.WITHDRAW, side="sender")


# --- scheduling ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnplacedPair:
    first: B2BProfile
    second: B2BProfile
    reason: str
    priority: bool
    code: str
    booked: tuple[int, ...]


@dataclass(frozen=True)
class ScheduleRun:
    placed: int
    unplaced: tuple[UnplacedPair, ...]
    status: str
    upper_bound: int | None


def _reason_text(unplaced: scheduling.Unplaced, names: dict[int, str]) -> str:
    reason = unplaced.reason
    if reason == scheduling.Reason.NO_COMMON_AVAILABILITY:
        return _("The two participants have no time slot in common.")
    if reason == scheduling.Reason.PARTICIPANT_FULLY_BOOKED:
        who = _(" and ").join(names[pk] for pk in unplaced.participants)
        return _("%(name)s's agenda is full at every time both could meet.") % {"name": who}
    if reason == scheduling.Reason.NO_COMMON_FREE_SLOT:
        return _("At every time both could meet, one of them already has a meeting.")
    return _("All tables are taken at the times both could meet.")


@transaction.atomic
def b2b_schedule_run(
    *, user: User, event: Event, allow_moving: bool = False, time_limit: float = SCHEDULE_TIME_LIMIT
) -> ScheduleRun:
    """Place the accepted requests in slots and at tables; published meetings stay (or move, if allowed).

    Unpublished meetings of an earlier run are replaced; the result lists the pairs left out with the reason.
    """
    require_staff(user)
    require_can_act(user, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    settings = b2b_settings_of(event=event)
    if not event.b2b_enabled or settings is None:
        raise ValidationError(_("Set the B2B meeting hours and tables first."), code="no_settings")
    slot_count = len(settings.slot_times())
    accepted = list(
        MeetingRequest.objects.filter(
            event=event,
            status=MeetingRequestStatus.ACCEPTED,
            sender__registration__status=RegistrationStatus.CONFIRMED,
            recipient__registration__status=RegistrationStatus.CONFIRMED,
        ).order_by("pk")
    )
    published = list(Meeting.objects.filter(event=event, published=True).order_by("pk"))
    ids = {r.sender_id for r in accepted} | {r.recipient_id for r in accepted}
    ids |= {m.first_id for m in published} | {m.second_id for m in published}
    profiles = {p.pk: p for p in B2BProfile.objects.filter(pk__in=ids).select_related("registration")}
    problem = scheduling.SchedulingProblem(
        participants=tuple(
            scheduling.Participant(pk, frozenset(s for s in profiles[pk].available_slots if 0 <= s < slot_count))
            for pk in sorted(profiles)
        ),
        requests=tuple(
            scheduling.MeetingRequest(r.sender_id, r.recipient_id, priority=r.is_priority) for r in accepted
        ),
        slots=slot_count,
        tables=settings.tables,
        published=tuple(
            scheduling.PublishedMeeting(m.first_id, m.second_id, slot=m.slot, table=m.table - 1, movable=allow_moving)
            for m in published
        ),
    )
    try:
        schedule = scheduling.schedule_meetings(
            problem=problem, options=scheduling.SolverOptions(time_limit=time_limit, compute_bound=False)
        )
    except scheduling.InvalidProblem as exc:
        raise ValidationError(
            _("The meetings cannot be scheduled: the published agendas no longer fit the settings (%(code)s).")
            % {"code": exc.code},
            code="invalid",
        ) from exc
    problems = scheduling.violations(problem=problem, schedule=schedule)
    if problems:  # a scheduler bug: store nothing rather than a broken agenda
        raise ValidationError(_("The scheduler returned an invalid schedule; nothing was changed."), code="invalid")
    by_pair = {scheduling.pair_of(r.sender_id, r.recipient_id): r for r in accepted}
    kept = {scheduling.pair_of(m.first_id, m.second_id): m for m in published}
    Meeting.objects.filter(event=event, published=False).delete()
    new: list[Meeting] = []
    for placed in schedule.meetings:
        pair = scheduling.pair_of(placed.a, placed.b)
        existing = kept.get(pair)
        if existing is not None and (existing.slot, existing.table) == (placed.slot, placed.table + 1):
            del kept[pair]
            continue
        # New, or moved: a moved meeting goes back to unpublished, so that publishing tells both sides.
        request = existing.request if existing is not None else by_pair.get(pair)
        new.append(
            Meeting(
                event=event,
                request=request,
                first_id=pair[0],
                second_id=pair[1],
                slot=placed.slot,
                table=placed.table + 1,
            )
        )
    moved = len([m for m in new if scheduling.pair_of(m.first_id, m.second_id) in kept])
    # Moved published meetings and those the scheduler could not keep leave their old place first.
    Meeting.objects.filter(pk__in=[m.pk for m in kept.values()]).delete()
    Meeting.objects.bulk_create(new)
    names = {pk: profile.name for pk, profile in profiles.items()}
    unplaced = tuple(
        UnplacedPair(
            first=profiles[u.a],
            second=profiles[u.b],
            reason=_reason_text(u, names),
            priority=u.priority,
            code=str(u.reason),
            booked=u.participants,
        )
        for u in sorted(schedule.unplaced, key=lambda u: (not u.priority, u.a, u.b))
    )
    audit_record(
        actor=user,
        action="b2b.schedule_run",
        target=event,
        data={
            "placed": len(schedule.meetings),
            "unplaced": len(unplaced),
            "moved": moved,
            "allow_moving": allow_moving,
            "status": str(schedule.status),
        },
    )
    return ScheduleRun(
        placed=len(schedule.meetings), unplaced=unplaced, status=str(schedule.status), upper_bound=schedule.upper_bound
    )


@transaction.atomic
def b2b_schedule_publish(*, user: User, event: Event) -> int:
    """Put the scheduled meetings on the agendas; each participant concerned gets an e-mail after the commit."""
    require_staff(user)
    require_can_act(user, event)
    pending = list(Meeting.objects.select_for_update().filter(event=event, published=False))
    if not pending:
        raise ValidationError(_("There is no new meeting to publish: run the scheduler first."), code="nothing")
    now = timezone.now()
    Meeting.objects.filter(pk__in=[m.pk for m in pending]).update(published=True, published_at=now)
    profile_ids = tuple(sorted({m.first_id for m in pending} | {m.second_id for m in pending}))
    audit_record(
        actor=user,
        action="b2b.schedule_publish",
        target=event,
        data={"meetings": len(pending), "profiles": len(profile_ids)},
    )
    domain_events.publish(B2BAgendaPublished(event_id=event.pk, profile_ids=profile_ids))
    return len(pending)


@transaction.atomic
def meeting_mark(*, user: User, meeting: Meeting, status: str) -> Meeting:
    """Either side marks a published meeting held or no-show (after it was due to start)."""
    if status not in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
        raise ValidationError(_("Choose held or no-show."), code="status")
    meeting = Meeting.objects.select_for_update().select_related("event").get(pk=meeting.pk)
    profile = _require_profile(user, meeting.event)
    if profile.pk not in (meeting.first_id, meeting.second_id) or not meeting.published:
        raise PermissionDenied(_("Only the two participants of a meeting can mark it."))
    settings = b2b_settings_of(event=meeting.event)
    slots = settings.slot_times() if settings else []
    if meeting.slot < len(slots) and slots[meeting.slot][0] > timezone.now():
        raise ValidationError(_("A meeting can be marked only once its time has come."), code="early")
    old = meeting.status
    meeting.status = status
    meeting.save()
    audit_record(actor=user, action="b2b.meeting_mark", target=meeting, data={"from": old, "to": status})
    return meeting
