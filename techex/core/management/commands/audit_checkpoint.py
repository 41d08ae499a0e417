from django.core.management.base import BaseCommand

from techex.core.audit import checkpoint_log_line
from techex.core.services import audit_checkpoint


class Command(BaseCommand):
    help = (
        "Sign the head of every lane of the audit trail, store the checkpoint and write it to the log "
        "(run every few minutes, e.g. from cron; docs/audit.md)."
    )

    def handle(self, *args, **options):
        self.stdout.write(checkpoint_log_line(audit_checkpoint()))
