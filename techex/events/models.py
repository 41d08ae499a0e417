"""Events (techmarts, demo days, seminars, connection sessions, courses, online events), their programme and the
people registered for them.

The B2B part to come (profiles, meeting requests, the scheduler's agenda) hangs on ``Registration`` (a participant
who ``wants_b2b``) and on the event's ``b2b_enabled``; exhibitors and check-in hang on registrations too
(``role`` exhibitor, ``checkin_code``, ``checked_in_at``).
"""

import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techex.core.models import TimeStampedModel
from techex.departments.models import Routed
from techex.departments.scope import InScopeQuerySetMixin

from .choices import (
    EventStatus,
    EventType,
    MeetingRequestStatus,
    MeetingStatus,
    RegistrationRole,
    RegistrationStatus,
)

# A check-in code is read aloud or typed from a phone: no 0/O or 1/I.
CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 8
MAX_CAPACITY = 100_000


def new_cancel_token() -> str:
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


class EventQuerySet(InScopeQuerySetMixin, models.QuerySet):
    def public(self) -> "EventQuerySet":
        """Events anyone may open: published ones, and cancelled ones (links to them keep answering)."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def upcoming_first(self, *, now=None) -> "EventQuerySet":
        """Events not yet over, soonest first, then past events, latest first."""
        now = now or timezone.now()
        past = models.Case(models.When(ends_at__lt=now, then=models.Value(1)), default=models.Value(0))
        upcoming_start = models.Case(models.When(ends_at__gte=now, then=models.F("starts_at")))
        return self.annotate(is_past=past).order_by("is_past", upcoming_start.asc(), "-starts_at", "pk")


class Event(TimeStampedModel, Routed):
    """An event the department runs (or a partner department runs in its province)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=16, choices=EventType.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True, help_text=_("One or two sentences."))
    description = models.TextField(_("description"), max_length=10000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The province routes the event to its department's staff; an online event names the organising province.
    province = models.ForeignKey(
        "reference.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    organizers = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="organized_events", verbose_name=_("organisers")
    )
    other_organizers = models.CharField(
        _("other organisers"), max_length=300, blank=True, help_text=_("Organisers that are not on the exchange.")
    )
    fields = models.ManyToManyField("reference.STField", blank=True, related_name="+", verbose_name=_("S&T fields"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("Places for confirmed registrations; empty for no limit."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: as soon as the event is published.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )
    needs_approval = models.BooleanField(_("registrations need approval"), default=False)
    b2b_enabled = models.BooleanField(_("B2B meetings"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = EventQuerySet.as_manager()

    routing_province_fields: ClassVar[tuple[str, ...]] = ("province",)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.type == EventType.ONLINE and not self.online_url:
            errors["online_url"] = _("An online event needs its online link.")
        if self.type != EventType.ONLINE and not (self.address or self.venue):
            errors["address"] = _("Give the place of the event (a venue or an address).")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = _("Registration cannot close after the event ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.type == EventType.ONLINE

    def has_ended(self, now=None) -> bool:
        return self.ends_at < (now or timezone.now())

    def registration_window(self) -> tuple:
        """When registration opens and closes (the defaults filled in)."""
        return (self.registration_opens_at or self.published_at, self.registration_closes_at or self.starts_at)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        opens, closes = self.registration_window()
        return self.is_published and (opens is None or opens <= now) and now < closes


class Session(models.Model):
    """A part of the event's programme: a talk, a panel, a workshop, the B2B meetings."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("A session cannot end before it starts.")
        event = self.event if self.event_id else None
        if (
            event
            and self.starts_at
            and self.ends_at
            and (self.starts_at < event.starts_at or self.ends_at > event.ends_at)
        ):
            errors["starts_at"] = _("A session takes place within the event's dates.")
        if errors:
            raise ValidationError(errors)


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> "RegistrationQuerySet":
        from .states import ACTIVE_STATUSES

        return self.filter(status__in=ACTIVE_STATUSES)


class Registration(TimeStampedModel):
    """A person registered for an event: a member (with their organisation) or a guest (with a confirmed e-mail)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("member"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    # Stored in lower case: one registration per address and event (the database constraint below).
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=RegistrationRole.choices, default=RegistrationRole.VISITOR
    )
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations", verbose_name=_("sessions"))
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    wants_b2b = models.BooleanField(_("takes part in B2B meetings"), default=False)
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token, editable=False)
    checkin_code = models.CharField(
        _("check-in code"), max_length=CHECKIN_CODE_LENGTH, unique=True, default=new_checkin_code, editable=False
    )

    objects = RegistrationQuerySet.as_manager()

    # Staff act on a registration as on its event.
    scope_department_field: ClassVar[str] = "event__department"

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(status="cancelled"), name="registration_one_per_email"
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled") & Q(user__isnull=False),
                name="registration_one_per_member",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.full_name} @ {self.event}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization_id and self.organization else self.organization_name


# --- B2B meetings (docs/events.md, "B2B meetings"; the scheduler: docs/b2b-scheduling.md) --------------------------

MAX_MEETING_SLOTS = 96
MAX_TABLES = 2000


class B2BSettings(models.Model):
    """How an event's B2B meetings run: the meeting hours cut into slots of one length, one break, tables, limits."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="b2b_settings")
    starts_at = models.DateTimeField(_("meetings start"))
    ends_at = models.DateTimeField(_("meetings end"))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    break_starts_at = models.DateTimeField(_("break starts"), null=True, blank=True)
    break_ends_at = models.DateTimeField(_("break ends"), null=True, blank=True)
    tables = models.PositiveIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(MAX_TABLES)]
    )
    request_limit = models.PositiveSmallIntegerField(
        _("meeting requests per participant"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("How many requests one participant may have sent and not withdrawn."),
    )
    requests_open = models.BooleanField(_("meeting requests open"), default=True)

    class Meta:
        verbose_name = _("B2B settings")
        verbose_name_plural = _("B2B settings")

    def __str__(self) -> str:
        return f"B2B {self.event}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meetings must end after they start.")
        if bool(self.break_starts_at) != bool(self.break_ends_at):
            errors["break_ends_at"] = _("Give both the start and the end of the break, or neither.")
        elif self.break_starts_at and self.break_ends_at and self.break_ends_at <= self.break_starts_at:
            errors["break_ends_at"] = _("The break must end after it starts.")
        if not errors and self.starts_at and self.ends_at and self.meeting_minutes:
            count = len(self.slot_times())
            if count == 0:
                errors["meeting_minutes"] = _("No meeting fits in these hours.")
            elif count > MAX_MEETING_SLOTS:
                errors["meeting_minutes"] = _("At most %(max)d meeting slots: make the meetings longer.") % {
                    "max": MAX_MEETING_SLOTS
                }
        if errors:
            raise ValidationError(errors)

    def slot_times(self) -> list[tuple[datetime, datetime]]:
        """The meeting slots in time order (index = the scheduler's slot number); none overlaps the break."""
        length = timedelta(minutes=self.meeting_minutes)
        slots: list[tuple[datetime, datetime]] = []
        start = self.starts_at
        while start + length <= self.ends_at and len(slots) <= MAX_MEETING_SLOTS:
            end = start + length
            if (
                self.break_starts_at
                and self.break_ends_at
                and start < self.break_ends_at
                and end > self.break_starts_at
            ):
                start = self.break_ends_at
                continue
            slots.append((start, end))
            start = end
        return slots


class B2BProfile(TimeStampedModel):
    """A B2B participant's profile for one event: what they offer and seek, their listings, when they can meet."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="b2b_profile")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="b2b_profiles")
    offer = models.TextField(_("what we offer"), max_length=2000, blank=True)
    seek = models.TextField(_("what we seek"), max_length=2000, blank=True)
    listings = models.ManyToManyField(
        "listings.Listing", blank=True, related_name="b2b_profiles", verbose_name=_("listings")
    )
    # Slot indices of ``B2BSettings.slot_times()`` the participant can meet in.
    available_slots = models.JSONField(_("availability"), default=list, blank=True)

    scope_department_field: ClassVar[str] = "event__department"

    class Meta:
        verbose_name = _("B2B profile")
        verbose_name_plural = _("B2B profiles")
        ordering = ["registration__full_name", "pk"]

    def __str__(self) -> str:
        return self.registration.full_name

    @property
    def name(self) -> str:
        return self.registration.full_name

    @property
    def organization_label(self) -> str:
        return self.registration.organization_label


class MeetingRequest(TimeStampedModel):
    """One participant asks another for a B2B meeting; the other accepts or declines; the sender may withdraw."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(B2BProfile, on_delete=models.CASCADE, related_name="requests_sent")
    recipient = models.ForeignKey(B2BProfile, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    sender_important = models.BooleanField(_("important to the sender"), default=False)
    recipient_important = models.BooleanField(_("important to the recipient"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingRequestStatus.choices, default=MeetingRequestStatus.SENT
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    scope_department_field: ClassVar[str] = "event__department"

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["sent", "accepted"]),
                name="meeting_request_one_open_per_pair",
            ),
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="meeting_request_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    @property
    def is_priority(self) -> bool:
        return self.sender_important and self.recipient_important


class Meeting(TimeStampedModel):
    """A placed B2B meeting: a pair, a slot and a table; on participants' agendas once published."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )
    first = models.ForeignKey(B2BProfile, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(B2BProfile, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveIntegerField(_("table"), help_text=_("Counted from 1."))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope_department_field: ClassVar[str] = "event__department"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot", "table", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"], name="meeting_one_per_table_slot"),
            models.UniqueConstraint(fields=["first", "second"], name="meeting_one_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.first} – {self.second} ({self.slot}/{self.table})"

    def other(self, profile: B2BProfile) -> B2BProfile:
        return self.second if profile.pk == self.first_id else self.first
