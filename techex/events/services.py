"""The only writers of events, sessions and registrations: keyword-only, atomic, audited.

Staff act on the events of their department's scope (``departments.scope``): a partner's staff create and run the
events of their province, the lead's staff all of them; out of scope answers 404 as for a missing event.

Places: the event's row is locked (``SELECT … FOR UPDATE``) before places are counted, so registrations at the same
moment are served one after the other and never over-book the event; a registration that finds no place goes to
the waiting list, which moves up by itself when a place frees (a cancellation, a larger capacity).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from techex.core import events as domain_events
from techex.core.models import max_length_of
from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.core.text import fold, limited_text
from techex.departments.scope import can_act, require_can_act
from techex.departments.services import route
from techex.organizations.models import Organization
from techex.reference.models import STField

from . import selectors
from .choices import EventAction, EventStatus, RegistrationAction, RegistrationRole, RegistrationStatus
from .events import EventStatusChanged, RegistrantsMessaged, RegistrationChanged
from .models import Event, Registration, Session
from .states import ACTIVE_STATUSES, event_target, registration_allowed

if TYPE_CHECKING:
    from datetime import datetime

    from techex.accounts.models import User

# The fields of an event that staff set on its form and through the API (one list for both).
EVENT_FIELDS = (
    "title",
    "type",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "province",
    "venue",
    "address",
    "map_url",
    "online_url",
    "other_organizers",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "needs_approval",
    "b2b_enabled",
)
SESSION_FIELDS = ("title", "starts_at", "ends_at", "room", "speakers", "description")
VERIFY_SALT = "events.registration.verify"
VERIFY_MAX_AGE = 7 * 24 * 3600


# --- events -------------------------------------------------------------------------------------------------------


def _unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = slugify(fold(title))[:70].strip("-") or "su-kien"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exclude(pk=exclude or 0).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_values(obj: Any, values: dict[str, Any], names: Iterable[str]) -> list[str]:
    changed = []
    for name in names:
        if name in values and getattr(obj, name, None) != values[name]:
            setattr(obj, name, values[name])
            changed.append(name)
    return changed


def _require_in_scope_for_create(user: User, event: Event) -> None:
    # A partner's staff create events of their own province only: the routed department must be in their scope.
    if not can_act(user, event):
        raise ValidationError(
            {"province": _("You may create events only in the province of your department.")}, code="out_of_scope"
        )


def _locked_event(event: Event) -> Event:
    """Lock the event's row for the rest of the transaction and return it fresh."""
    return Event.objects.select_for_update().select_related("province").get(pk=event.pk)


@transaction.atomic
def event_create(
    *,
    user: User,
    values: dict[str, Any],
    organizers: Sequence[Organization] = (),
    fields: Sequence[STField] = (),
    is_demo: bool = False,
) -> Event:
    """Create a draft event, routed to its province's department."""
    require_staff(user)
    event = Event(created_by=user, status=EventStatus.DRAFT, is_demo=is_demo)
    _set_values(event, values, EVENT_FIELDS)
    event.slug = _unique_slug(event.title or "")
    event.full_clean(exclude=["slug"])
    route(obj=event)
    _require_in_scope_for_create(user, event)
    event.save()
    event.organizers.set(organizers)
    event.fields.set(fields)
    audit_record(actor=user, action=f"event.{EventAction.CREATE}", target=event, data={"title": event.title})
    return event


@transaction.atomic
def event_update(
    *,
    user: User,
    event: Event,
    values: dict[str, Any],
    organizers: Sequence[Organization] | None = None,
    fields: Sequence[STField] | None = None,
) -> Event:
    """Change an event's details; a larger capacity moves the waiting list up."""
    require_staff(user)
    require_can_act(user, event)
    event = _locked_event(event)
    if event.is_cancelled:
        raise ValidationError(_("A cancelled event cannot be changed."), code="cancelled")
    old_province = event.province_id
    changed = _set_values(event, values, EVENT_FIELDS)
    event.full_clean()
    if event.province_id != old_province:
        route(obj=event)
        _require_in_scope_for_create(user, event)
        changed.append("department")
    event.save()
    if organizers is not None:
        event.organizers.set(organizers)
        changed.append("organizers")
    if fields is not None:
        event.fields.set(fields)
        changed.append("fields")
    audit_record(actor=user, action=f"event.{EventAction.UPDATE}", target=event, data={"changed": changed})
    _promote_waiting(event, actor=user)
    return event


def _event_transition(event: Event, *, user: User, action: EventAction, **data: Any) -> Event:
    old = event.status
    event.status = event_target(old, action)
    event.save()
    audit_record(actor=user, action=f"event.{action}", target=event, data={"from": old, "to": event.status, **data})
    domain_events.publish(
        EventStatusChanged(
            event_id=event.pk, action=action.value, from_status=old, to_status=event.status, actor_id=user.pk
        )
    )
    return event


@transaction.atomic
def event_publish(*, user: User, event: Event) -> Event:
    """Publish a draft: it appears in the lists, and registration opens in its window."""
    require_staff(user)
    require_can_act(user, event)
    event = _locked_event(event)
    event.published_at = timezone.now()
    return _event_transition(event, user=user, action=EventAction.PUBLISH)


@transaction.atomic
def event_cancel(*, user: User, event: Event, reason: str) -> Event:
    """Cancel the event (it stays visible, marked cancelled); every active registration is cancelled and told."""
    require_staff(user)
    require_can_act(user, event)
    reason = limited_text(
        reason,
        field="cancel_reason",
        max_length=max_length_of(Event, "cancel_reason"),
        required_message=_("Say why the event is cancelled: the registrants are told."),
    )
    event = _locked_event(event)
    event.cancelled_at = timezone.now()
    event.cancel_reason = reason
    _event_transition(event, user=user, action=EventAction.CANCEL, reason=reason)
    for registration in event.registrations.active().select_for_update():
        _registration_transition(
            registration, action=RegistrationAction.CANCEL, to=RegistrationStatus.CANCELLED, actor=user
        )
    return event


# Who staff may write to: the registrations that still hold or wait for a place.
MESSAGE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.PENDING)
MESSAGE_SUBJECT_MAX = 150
MESSAGE_BODY_MAX = 5000


@transaction.atomic
def event_message_registrants(*, user: User, event: Event, subject: str, body: str, statuses: Sequence[str]) -> int:
    """E-mail the event's registrants of the given statuses (one e-mail each); return how many are written to."""
    require_staff(user)
    require_can_act(user, event)
    errors: dict[str, list[str]] = {}
    try:
        subject = limited_text(
            subject, field="subject", max_length=MESSAGE_SUBJECT_MAX, required_message=_("Enter a subject.")
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = limited_text(body, field="body", max_length=MESSAGE_BODY_MAX, required_message=_("Write the message."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not statuses or any(status not in MESSAGE_STATUSES for status in statuses):
        errors["statuses"] = [_("Choose who receives the message.")]
    if errors:
        raise ValidationError(errors)
    ids = tuple(event.registrations.filter(status__in=statuses).order_by("pk").values_list("pk", flat=True))
    audit_record(
        actor=user,
        action="event.message_registrants",
        target=event,
        data={"subject": subject, "statuses": sorted(statuses), "count": len(ids)},
    )
    if ids:
        domain_events.publish(RegistrantsMessaged(event_id=event.pk, registration_ids=ids, subject=subject, body=body))
    return len(ids)


# --- sessions -----------------------------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, user: User, event: Event, values: dict[str, Any]) -> Session:
    require_staff(user)
    require_can_act(user, event)
    session = Session(event=event)
    _set_values(session, values, SESSION_FIELDS)
    session.full_clean()
    session.save()
    audit_record(actor=user, action="event.session_create", target=event, data={"session": session.pk})
    return session


@transaction.atomic
def session_update(*, user: User, session: Session, values: dict[str, Any]) -> Session:
    require_staff(user)
    require_can_act(user, session.event)
    changed = _set_values(session, values, SESSION_FIELDS)
    session.full_clean()
    session.save()
    audit_record(
        actor=user,
        action="event.session_update",
        target=session.event,
        data={"session": session.pk, "changed": changed},
    )
    return session


@transaction.atomic
def session_delete(*, user: User, session: Session) -> None:
    require_staff(user)
    event = session.event
    require_can_act(user, event)
    data = {"session": session.pk, "title": session.title}
    session.delete()
    audit_record(actor=user, action="event.session_delete", target=event, data=data)


# --- registrations ------------------------------------------------------------------------------------------------


def _places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _has_place(event: Event) -> bool:
    return event.capacity is None or _places_taken(event) < event.capacity


def _registration_transition(
    registration: Registration, *, action: RegistrationAction | str, to: str, actor: Any, **data: Any
) -> Registration:
    old = registration.status
    registration.status = to
    now = timezone.now()
    if to == RegistrationStatus.CONFIRMED and registration.confirmed_at is None:
        registration.confirmed_at = now
    if to == RegistrationStatus.CANCELLED:
        registration.cancelled_at = now
    registration.save()
    audit_record(
        actor=actor, action=f"registration.{action}", target=registration, data={"from": old, "to": to, **data}
    )
    domain_events.publish(
        RegistrationChanged(
            registration_id=registration.pk,
            event_id=registration.event_id,
            action=str(action),
            from_status=old,
            to_status=to,
        )
    )
    return registration


def _seat_status(event: Event, *, approved: bool = False) -> str:
    """The status a registration takes once it claims a place: approval first, then a place or the waiting list."""
    if event.needs_approval and not approved:
        return RegistrationStatus.PENDING
    return RegistrationStatus.CONFIRMED if _has_place(event) else RegistrationStatus.WAITING


def _promote_waiting(event: Event, *, actor: Any) -> int:
    """Move the waiting list up while places are free, first come first served; return how many moved."""
    moved = 0
    if event.is_cancelled:
        return 0
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")
    for registration in waiting.select_for_update():
        if not _has_place(event):
            break
        _registration_transition(
            registration, action=RegistrationAction.PROMOTE, to=RegistrationStatus.CONFIRMED, actor=actor, auto=True
        )
        moved += 1
    return moved


def _require_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled: registration is closed."), code="closed")
    opens, closes = event.registration_window()
    if not event.is_published or now >= closes:
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    if opens is not None and now < opens:
        raise ValidationError(
            _("Registration for this event opens on %(date)s.")
            % {"date": timezone.localtime(opens).strftime("%d/%m/%Y %H:%M")},
            code="not_open",
        )


def _text(value: Any, name: str, *, required_message: str = "") -> str:
    return limited_text(
        value, field=name, max_length=max_length_of(Registration, name), required_message=required_message
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User | None,
    role: str = RegistrationRole.VISITOR,
    sessions: Sequence[Session] = (),
    wants_b2b: bool = False,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
) -> Registration:
    """Register a member (``user``; name and e-mail from the account, organisation one of theirs) or a guest
    (``user`` None; name, e-mail, phone and organisation given; the e-mail is confirmed before a place is held).

    A full event puts the registration on the waiting list (its status says so); a closed registration, a second
    registration of the same person and a bad field are refused with a ``ValidationError`` and nothing is saved.
    """
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    is_member = user is not None and user.is_authenticated
    if is_member:
        assert user is not None
        full_name, email = user.full_name or user.email, user.email
        if organization is not None and not organization.memberships.filter(user=user).exists():
            errors.setdefault("organization", []).append(_("Choose one of your organisations."))
        organization_name = (
            organization.name if organization is not None else _text(organization_name, "organization_name")
        )
    else:
        organization = None
    try:
        full_name = _text(full_name, "full_name", required_message=_("Enter your full name."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        phone = _text(phone, "phone")
        organization_name = _text(organization_name, "organization_name")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    email = (email or "").strip().lower()
    if not email:
        errors.setdefault("email", []).append(_("Enter your e-mail address."))
    if role not in RegistrationRole.values:
        errors.setdefault("role", []).append(_("Choose a role from the list."))
    if wants_b2b and not event.b2b_enabled:
        errors.setdefault("wants_b2b", []).append(_("This event has no B2B meetings."))
    foreign = [s for s in sessions if s.event_id != event.pk]
    if foreign:
        errors.setdefault("sessions", []).append(_("Choose sessions of this event."))
    if errors:
        raise ValidationError(errors)

    event = _locked_event(event)
    _require_open(event, now)
    active = event.registrations.filter(status__in=ACTIVE_STATUSES)
    if is_member and active.filter(user=user).exists():
        raise ValidationError(_("You are already registered for this event."), code="duplicate")
    if active.filter(email=email).exists():
        raise ValidationError(
            {"email": _("This e-mail address is already registered for this event.")}, code="duplicate"
        )

    registration = Registration(
        event=event,
        user=user if is_member else None,
        organization=organization,
        full_name=full_name,
        email=email,
        phone=phone,
        organization_name=organization_name,
        role=role,
        wants_b2b=wants_b2b,
        status=RegistrationStatus.UNVERIFIED,
    )
    if is_member:
        registration.email_verified_at = now
        registration.status = _seat_status(event)
    registration.full_clean(exclude=["sessions"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # only if a writer bypassed the lock; the constraint still holds
        raise ValidationError(_("You are already registered for this event."), code="duplicate") from exc
    registration.sessions.set(sessions)
    audit_record(
        actor=user if is_member else None,
        action="registration.create",
        target=registration,
        data={"event": event.pk, "status": registration.status, "guest": not is_member},
    )
    domain_events.publish(
        RegistrationChanged(
            registration_id=registration.pk,
            event_id=event.pk,
            action="create",
            from_status="",
            to_status=registration.status,
        )
    )
    return registration


def verification_token(*, registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=VERIFY_SALT)


@transaction.atomic
def registration_verify(*, token: str) -> Registration:
    """A guest confirmed the e-mail address: the registration now claims a place (or the waiting list)."""
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is invalid or has expired."), code="bad_token") from exc
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None:
        raise ValidationError(_("This confirmation link is invalid or has expired."), code="bad_token")
    if registration.status != RegistrationStatus.UNVERIFIED:
        return registration  # a second click changes nothing
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration_allowed(registration.status, RegistrationAction.VERIFY)
    _require_open(event, timezone.now())
    registration.email_verified_at = timezone.now()
    registration.event = event
    return _registration_transition(registration, action=RegistrationAction.VERIFY, to=_seat_status(event), actor=None)


def _cancel(registration: Registration, *, actor: Any, by: str) -> Registration:
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    registration_allowed(registration.status, RegistrationAction.CANCEL)
    held_place = registration.status == RegistrationStatus.CONFIRMED
    _registration_transition(
        registration, action=RegistrationAction.CANCEL, to=RegistrationStatus.CANCELLED, actor=actor, by=by
    )
    if held_place:
        _promote_waiting(event, actor=None)
    return registration


@transaction.atomic
def registration_cancel(*, token: str) -> Registration:
    """Cancel from the e-mail's link; a freed place goes to the first on the waiting list."""
    registration = selectors.registration_by_cancel_token(token=token)
    if registration is None:
        raise ValidationError(_("This cancellation link is invalid."), code="bad_token")
    return _cancel(registration, actor=registration.user, by="link")


@transaction.atomic
def registration_cancel_own(*, user: User, registration: Registration) -> Registration:
    """A member cancels their own registration (from "my registrations")."""
    if registration.user_id != user.pk:
        raise PermissionDenied(_("This is not your registration."))
    return _cancel(registration, actor=user, by="member")


def _staff_registration(user: User, registration: Registration) -> Registration:
    require_staff(user)
    require_can_act(user, registration)
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    return registration


@transaction.atomic
def registration_approve(*, user: User, registration: Registration) -> Registration:
    """Approve a registration awaiting approval: a place if one is free, else the waiting list."""
    registration = _staff_registration(user, registration)
    registration_allowed(registration.status, RegistrationAction.APPROVE)
    to = _seat_status(registration.event, approved=True)
    return _registration_transition(registration, action=RegistrationAction.APPROVE, to=to, actor=user)


@transaction.atomic
def registration_promote(*, user: User, registration: Registration) -> Registration:
    """Staff move someone from the waiting list out of turn: a place even when the event is full (audited so)."""
    registration = _staff_registration(user, registration)
    registration_allowed(registration.status, RegistrationAction.PROMOTE)
    over = not _has_place(registration.event)
    return _registration_transition(
        registration,
        action=RegistrationAction.PROMOTE,
        to=RegistrationStatus.CONFIRMED,
        actor=user,
        over_capacity=over,
    )


@transaction.atomic
def registration_reject(*, user: User, registration: Registration) -> Registration:
    """Decline a registration awaiting approval or on the waiting list."""
    registration = _staff_registration(user, registration)
    registration_allowed(registration.status, RegistrationAction.REJECT)
    return _registration_transition(
        registration, action=RegistrationAction.REJECT, to=RegistrationStatus.CANCELLED, actor=user
    )
