"""Writes of the notifications domain: notify people, mark read, preferences, unsubscribe, send the e-mails.

Notifications are not audited: each is the echo of a change its own domain already audited. Preference changes
are, since an unsubscribe link changes an account without signing in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from techex.core.services import audit_record

from . import tasks
from .choices import EmailFrequency
from .emails import build_message, max_items
from .kinds import Kind, get_kind
from .models import Notification, NotificationPreference
from .schedule import email_after
from .tokens import user_id_from_token

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

logger = logging.getLogger(__name__)

PARAM_MAX_LENGTH = 300
URL_MAX_LENGTH = 500

# --- notify ------------------------------------------------------------------------------------------------------


def _clean_kind(key: str) -> Kind:
    kind = get_kind(key)
    if kind is None:
        raise ValueError(f"Unknown notification kind {key!r}: register it first (techex/notifications/kinds.py).")
    return kind


def _clean_params(kind: Kind, params: dict[str, Any] | None) -> dict[str, str]:
    """Keep the values the message needs, as plain text; a missing one is a programming error."""
    params = dict(params or {})
    missing = kind.params - params.keys()
    if missing:
        raise ValueError(f"The notification kind {kind.key!r} needs the params {', '.join(sorted(missing))}.")
    clean: dict[str, str] = {}
    for name in sorted(kind.params):
        value = params[name]
        # A lazy translation would be frozen in the writer's language: pass names, titles and codes only.
        if isinstance(value, bool | Promise) or not isinstance(value, str | int):
            raise ValueError(f"The param {name!r} of a notification must be plain text or a number.")
        text = str(value)
        clean[name] = text if len(text) <= PARAM_MAX_LENGTH else text[: PARAM_MAX_LENGTH - 1] + "…"
    return clean


def _clean_url(url: str) -> str:
    """Allow only a path on this site, so that a notification can never lead elsewhere."""
    if (
        not isinstance(url, str)
        or not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or len(url) > URL_MAX_LENGTH
        or any(ord(char) < 32 or ord(char) == 127 for char in url)
    ):
        raise ValueError(f"A notification links to a path on this site (starting with one '/'), not {url!r}.")
    return url


def _preference(user: User) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def _queue_email(user_id: int, run_after: datetime) -> None:
    transaction.on_commit(lambda: tasks.queue_notification_email(user_id, run_after))


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    url: str,
    params: dict[str, Any] | None = None,
    actor: User | AnonymousUser | None = None,
) -> list[Notification]:
    """Tell each recipient (once, except the actor and inactive accounts) that something happened.

    Inserts one row per person and, after commit, queues the e-mail of anyone who had none waiting.
    """
    spec = _clean_kind(kind)
    clean_params = _clean_params(spec, params)
    url = _clean_url(url)
    author = actor if actor is not None and actor.is_authenticated else None
    ids: set[int] = {user.pk for user in recipients if user is not None and user.pk is not None}
    if author is not None:
        ids.discard(author.pk)
    if not ids:
        return []
    users = list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .select_related("notification_preference")
        .order_by("pk")
    )
    waiting = dict(
        Notification.objects.email_pending()
        .filter(recipient_id__in=[user.pk for user in users])
        .values("recipient_id")
        .annotate(first=Min("email_after"))
        .values_list("recipient_id", "first")
    )
    now = timezone.now()
    rows = []
    for user in users:
        preference = _preference(user)
        row = Notification(
            recipient=user,
            kind=spec.key,
            params=clean_params,
            url=url,
            actor=author,
            created_at=now,
            email_after=email_after(
                kind=spec,
                frequency=preference.email_frequency,
                created_at=now,
                last_emailed_at=preference.last_emailed_at,
            ),
        )
        # The people and the actor were just read from the database, and a new row cannot be e-mailed yet:
        # validating those again would cost queries per row.
        row.full_clean(exclude=["recipient", "actor"], validate_unique=False, validate_constraints=False)
        rows.append(row)
    created = Notification.objects.bulk_create(rows)
    for row in created:
        first = waiting.get(row.recipient_id)
        # Whoever already has an e-mail waiting at or before this one's time has a task queued for it.
        if row.email_after is not None and (first is None or row.email_after < first):
            _queue_email(row.recipient_id, row.email_after)
    return created


# --- reading -----------------------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of the user's notifications read; it no longer goes out by e-mail."""
    if notification.recipient_id != getattr(user, "pk", None):
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now, email_after=None)
        notification.read_at, notification.email_after = now, None
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now(), email_after=None
    )


# --- preferences -------------------------------------------------------------------------------------------------


def _reschedule(preference: NotificationPreference, now: datetime) -> None:
    """Move the user's waiting notifications to the new preference's time (or drop them from e-mail when off)."""
    pending = Notification.objects.email_pending().filter(recipient_id=preference.user_id)
    if preference.email_frequency == EmailFrequency.OFF:
        pending.update(email_after=None)
        return
    rows = list(pending.only("pk", "kind", "created_at", "email_after"))
    for row in rows:
        row.email_after = email_after(
            kind=get_kind(row.kind),
            frequency=preference.email_frequency,
            created_at=row.created_at,
            last_emailed_at=preference.last_emailed_at,
            now=now,
        )
    Notification.objects.bulk_update(rows, ["email_after"], batch_size=500)
    if rows:
        _queue_email(preference.user_id, min(row.email_after for row in rows))


@transaction.atomic
def preference_set(*, user: User, email_frequency: str, via: str = "settings") -> NotificationPreference:
    """Choose how often the user gets notifications by e-mail."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    old = preference.email_frequency
    preference.email_frequency = email_frequency
    preference.full_clean()
    if old == email_frequency:
        return preference
    preference.save()
    _reschedule(preference, timezone.now())
    audit_record(
        actor=user if via == "settings" else None,
        action="notifications.preference",
        target=preference,
        data={"from": old, "to": email_frequency, "via": via},
    )
    return preference


def unsubscribe_error() -> ValidationError:
    return ValidationError(
        _(
            "This unsubscribe link is not valid: it may have been cut or changed. Copy the whole link from the "
            "e-mail, or sign in and change your e-mail settings."
        ),
        code="bad_token",
    )


def user_for_unsubscribe(*, token: str) -> User:
    """The active person an unsubscribe token was made for; ValidationError when there is none."""
    user_id = user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise unsubscribe_error()
    return user


@transaction.atomic
def unsubscribe(*, token: str) -> NotificationPreference:
    """Turn off notification e-mails for the person the signed token names, without signing in."""
    return preference_set(user=user_for_unsubscribe(token=token), email_frequency=EmailFrequency.OFF, via="unsubscribe")


# --- e-mail ------------------------------------------------------------------------------------------------------


def _claim(user_id: int, now: datetime) -> tuple[Any, list[Notification], list[int], datetime | None] | None:
    """Take the user's waiting notifications for one e-mail, if one is due; None when there is nothing to send.

    The preference row is locked, so the task and the command never send the same notifications twice.
    """
    with transaction.atomic():
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is None:
            return None
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        pending = Notification.objects.email_pending().filter(recipient_id=user_id)
        if not user.is_active or not user.email or preference.email_frequency == EmailFrequency.OFF:
            pending.update(email_after=None)
            return None
        if not pending.filter(email_after__lte=now).exists():
            return None
        ids = list(pending.order_by("-created_at", "-id").values_list("pk", flat=True))
        shown = list(Notification.objects.filter(pk__in=ids[: max_items()]).order_by("-created_at", "-id"))
        for start in range(0, len(ids), 500):
            Notification.objects.filter(pk__in=ids[start : start + 500]).update(email_after=None, emailed_at=now)
        previous = preference.last_emailed_at
        preference.last_emailed_at = now
        preference.save(update_fields=["last_emailed_at", "updated_at"])
        return user, shown, ids, previous


def _release(user_id: int, ids: list[int], now: datetime, previous: datetime | None) -> None:
    """Put notifications back in the queue after a failed send, due at once, so the next run retries them."""
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            Notification.objects.filter(pk__in=ids[start : start + 500], emailed_at=now).update(
                email_after=now, emailed_at=None
            )
        NotificationPreference.objects.filter(user_id=user_id, last_emailed_at=now).update(last_emailed_at=previous)


def notification_email_send(*, user_id: int, now: datetime | None = None) -> int:
    """Send the user one e-mail with every waiting notification, if one is due at ``now``; return how many."""
    now = now or timezone.now()
    claim = _claim(user_id, now)
    if claim is None:
        return 0
    user, shown, ids, previous = claim
    try:
        build_message(user=user, notifications=shown, total=len(ids)).send()
    except Exception:
        _release(user_id, ids, now, previous)
        raise
    # Notifications made while this one was being sent have no task of their own yet.
    later = Notification.objects.email_pending().filter(recipient_id=user_id).aggregate(first=Min("email_after"))
    if later["first"] is not None:
        tasks.queue_notification_email(user_id, later["first"])
    return len(ids)


def notifications_send_due(*, now: datetime | None = None) -> tuple[int, int]:
    """Send every e-mail due at ``now`` (cron, and the safety net of the queued tasks); return (sent, failed)."""
    now = now or timezone.now()
    user_ids = list(
        Notification.objects.filter(email_after__lte=now).order_by().values_list("recipient_id", flat=True).distinct()
    )
    sent = failed = 0
    for user_id in user_ids:
        try:
            if notification_email_send(user_id=user_id, now=now):
                sent += 1
        except Exception:
            # One bad address or a mail server hiccup must not hold up everyone else's e-mail; it is retried.
            logger.exception("Sending the notification e-mail of user %s failed", user_id)
            failed += 1
    return sent, failed
