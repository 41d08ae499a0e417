import sys

from django.core.management.base import BaseCommand, CommandError

from techex.core.audit import audit_verify, read_published
from techex.core.models import AuditCheckpoint, utc_text


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every entry's hash and link, every checkpoint's signature and the heads they "
        "recorded. Exit code 0 when it verifies, 1 otherwise (docs/audit.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published",
            action="append",
            default=[],
            metavar="FILE",
            help="the operator's log (or any file) holding checkpoint lines kept outside the database; "
            "'-' reads standard input; may be repeated",
        )

    def handle(self, *args, **options):
        published: list[AuditCheckpoint] = []
        for name in options["published"]:
            if name == "-":
                published.extend(read_published(sys.stdin))
            else:
                with open(name, encoding="utf-8") as lines:
                    published.extend(read_published(lines))
        report = audit_verify(published=published)
        latest = report.latest_checkpoint
        self.stdout.write(
            f"audit trail: {report.entries} entries in {report.lanes} lanes; {report.checkpoints} checkpoints"
            + (f", the latest {latest.sequence} at {utc_text(latest.created_at)}" if latest else "")
            + f"; {len(published)} read from the log"
        )
        self.stdout.write(f"entries newer than the latest checkpoint (anchored by the next one): {report.unanchored}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("OK: the audit trail verifies"))
            return
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"- {problem}"))
        raise CommandError(f"the audit trail does not verify: {len(report.problems)} problems", returncode=1)
