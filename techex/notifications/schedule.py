"""When a notification is due in an e-mail: the batch window, the daily digest hour.

Settings (read when used, with these defaults): ``NOTIFICATION_BATCH_MINUTES`` (15), ``NOTIFICATION_DIGEST_HOUR``
(7, in ``TIME_ZONE``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .choices import EmailFrequency
from .kinds import Kind


def batch_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "NOTIFICATION_BATCH_MINUTES", 15))


def next_digest_at(now: datetime, last_emailed_at: datetime | None = None) -> datetime:
    """The next digest hour after ``now``, on a day that has not had an e-mail yet: at most one digest a day."""
    hour = getattr(settings, "NOTIFICATION_DIGEST_HOUR", 7)
    local = timezone.localtime(now)
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += timedelta(days=1)
    if last_emailed_at is not None and timezone.localdate(last_emailed_at) >= moment.date():
        moment = timezone.localtime(last_emailed_at).replace(hour=hour, minute=0, second=0, microsecond=0)
        moment += timedelta(days=1)
    return moment


def email_after(
    *,
    kind: Kind | None,
    frequency: str,
    created_at: datetime,
    last_emailed_at: datetime | None,
    now: datetime | None = None,
) -> datetime | None:
    """When a notification made at ``created_at`` should go out by e-mail; None when it never should.

    ``now`` is later than ``created_at`` when a changed preference reschedules waiting notifications: a digest
    is then the next one from now, a batch is due a window after the notification was made.
    """
    if frequency == EmailFrequency.OFF:
        return None
    if frequency == EmailFrequency.DAILY or (kind is not None and kind.digest):
        return next_digest_at(now or created_at, last_emailed_at)
    return created_at + batch_window()
