import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from techex.listings.importer import import_listings_file


class Command(BaseCommand):
    help = (
        "Import listings from a .jsonl, .csv or .xlsx file (docs/import-format.md). Every row is checked first: a "
        "file with any bad row imports nothing and every problem is listed. Rows are matched on external_ref, so "
        "importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl, .csv or .xlsx file")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="submit and publish every new or changed listing at once (needs --user with a staff account)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and count; write nothing")
        parser.add_argument("--user", metavar="EMAIL", help="the account the import acts as, named in the audit trail")

    def handle(self, *args, file: str, publish: bool, dry_run: bool, user: str | None, verbosity: int, **options):
        account = self._account(user)
        if publish and not getattr(account, "is_staff", False):
            raise CommandError("--publish needs --user with the e-mail address of a staff account.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        started = time.perf_counter()
        try:
            result = import_listings_file(
                path=path,
                user=account,
                publish=publish,
                dry_run=dry_run,
                progress=self._progress if verbosity > 1 else None,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{path.name}: {result.bad_lines} bad line(s), {len(result.errors)} problem(s); nothing was imported."
            )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{path.name}: {result.rows} rows in {seconds:.1f} s; {result.created} {verb} created, "
            f"{result.updated} {verb} updated, {result.unchanged} unchanged."
            + (" Dry run: nothing was written." if dry_run else "")
        )

    def _account(self, email: str | None):
        if not email:
            return None
        account = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if account is None:
            raise CommandError(f"No account has the e-mail address {email}.")
        return account

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stderr.write(f"{stage}: {done}/{total}")
