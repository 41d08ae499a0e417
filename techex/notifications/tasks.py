"""Background work for notifications: the batched e-mail of one person."""

from datetime import datetime

from django.utils import timezone
from django_tasks import task


@task()
def send_notification_email(user_id: int) -> int:
    """Send the person's waiting notifications in one e-mail if it is due; return how many went out."""
    from .services import notification_email_send

    return notification_email_send(user_id=user_id)


def queue_notification_email(user_id: int, run_after: datetime) -> None:
    """Queue the e-mail of a person to run at ``run_after``.

    A backend that cannot defer (the immediate one of the tests, or a bare development setup) runs tasks at once,
    when nothing is due yet: the e-mail is then queued only when due now, and
    ``manage.py send_notification_digests`` sends the rest when their time comes.
    """
    job = send_notification_email
    if job.get_backend().supports_defer:
        job.using(run_after=max(run_after, timezone.now())).enqueue(user_id)
    elif run_after <= timezone.now():
        job.enqueue(user_id)
