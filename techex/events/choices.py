"""The kinds, statuses and actions of events and registrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    TECHMART = "techmart", _("Techmart / exhibition")
    DEMO_DAY = "demo_day", _("Demo day")
    SEMINAR = "seminar", _("Seminar / workshop")
    CONNECTION = "connection", _("Supply–demand connection session")
    COURSE = "course", _("Training course")
    ONLINE = "online", _("Online event")


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event", "Draft")
    PUBLISHED = "published", pgettext_lazy("event", "Published")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class EventAction(models.TextChoices):
    """The steps of an event's life; each is a row of ``states.EVENT_TRANSITIONS`` (but create and update)."""

    CREATE = "create", pgettext_lazy("event action", "Create")
    UPDATE = "update", pgettext_lazy("event action", "Update")
    PUBLISH = "publish", pgettext_lazy("event action", "Publish")
    CANCEL = "cancel", pgettext_lazy("event action", "Cancel the event")


class RegistrationRole(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    EXHIBITOR = "exhibitor", _("Exhibitor")
    SPEAKER = "speaker", _("Speaker")


class RegistrationStatus(models.TextChoices):
    # A guest's registration holds no place until the guest has confirmed the e-mail address.
    UNVERIFIED = "unverified", _("E-mail not yet confirmed")
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", pgettext_lazy("registration", "Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class RegistrationAction(models.TextChoices):
    """The steps of a registration; each is a row of ``states.REGISTRATION_TRANSITIONS``."""

    VERIFY = "verify", _("Confirm the e-mail address")
    APPROVE = "approve", _("Approve")
    PROMOTE = "promote", _("Move from the waiting list")
    REJECT = "reject", _("Decline")
    CANCEL = "cancel", pgettext_lazy("registration action", "Cancel the registration")


class MeetingRequestStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class MeetingRequestAction(models.TextChoices):
    ACCEPT = "accept", _("accept")
    DECLINE = "decline", _("decline")
    WITHDRAW = "withdraw", _("withdraw")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    NO_SHOW = "no_show", _("no-show")
