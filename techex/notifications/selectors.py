"""Reads of notifications: a person only ever sees their own."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification, NotificationPreference


def notification_list_for_user(*, user, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return notifications.unread() if unread else notifications


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of the user's notifications; 404 alike for one that does not exist and one of somebody else's."""
    notification = notification_list_for_user(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


UNREAD_SHOWN = 99  # the bell says "99+" past this


def notification_unread_count(*, user) -> int:
    """How many unread notifications the user has, counted up to ``UNREAD_SHOWN + 1``."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[: UNREAD_SHOWN + 1].count()


def preference_for_user(*, user) -> NotificationPreference:
    """The user's e-mail preference; the default (unsaved) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
