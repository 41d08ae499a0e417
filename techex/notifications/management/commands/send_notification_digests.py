"""Send every notification e-mail that is due: batches whose window has passed and the daily digests.

Run it from cron every few minutes (the queued tasks normally send the batches; this is their safety net and the
sender of the digests when no task worker runs).
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from techex.notifications.services import notifications_send_due


class Command(BaseCommand):
    help = "Send the notification e-mails that are due (batches and daily digests)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--at",
            metavar="DATETIME",
            help="Send what is due at this time (ISO 8601, local time unless an offset is given) instead of now.",
        )

    def handle(self, *args, at: str | None = None, **options) -> None:
        sent, failed = notifications_send_due(now=self._moment(at))
        self.stdout.write(f"Sent {sent} notification e-mail(s).")
        if failed:
            raise CommandError(f"{failed} notification e-mail(s) could not be sent; they will be retried.")

    @staticmethod
    def _moment(value: str | None) -> datetime:
        if not value:
            return timezone.now()
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise CommandError(f"--at takes a date and time such as 2026-03-01T07:00, not {value!r}.")
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
