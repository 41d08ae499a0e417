"""Reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User


def notification_list_for_user(*, user: User | AnonymousUser, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return notifications.unread() if unread else notifications


def notification_get_for_user(*, user: User | AnonymousUser, pk: int) -> Notification:
    """One of the user's notifications; 404 alike for one that does not exist and one of somebody else's."""
    notification = notification_list_for_user(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


UNREAD_SHOWN = 99  # the bell says "99+" past this


def notification_unread_count(*, user: User | AnonymousUser) -> int:
    """How many unread notifications the user has, counted up to ``UNREAD_SHOWN + 1``."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[: UNREAD_SHOWN + 1].count()


def preference_for_user(*, user: User) -> NotificationPreference:
    """The user's e-mail preference; the default (unsaved) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
