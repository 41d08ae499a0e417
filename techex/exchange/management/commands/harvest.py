"""Harvest another exchange's listings: ``manage.py harvest <source id or name>`` or ``--all`` (e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError

from techex.exchange.harvest import HarvestError, harvest
from techex.exchange.models import HarvestSource


class Command(BaseCommand):
    help = "Take in the changes of one harvest source (by id or name), or of every active one with --all."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", nargs="?", help="The source's id or name.")
        parser.add_argument("--all", action="store_true", help="Every active source.")

    def handle(self, *args, **options) -> None:
        if options["all"]:
            sources = list(HarvestSource.objects.filter(is_active=True))
        elif options["source"]:
            given = options["source"]
            found = (
                HarvestSource.objects.filter(pk=int(given))
                if given.isdigit()
                else HarvestSource.objects.filter(name=given)
            )
            sources = list(found)
            if not sources:
                raise CommandError(f"No harvest source {given!r}.")
        else:
            raise CommandError("Name a source, or use --all.")
        failed = 0
        for source in sources:
            try:
                result = harvest(source)
            except HarvestError as error:
                failed += 1
                self.stderr.write(f"{source.name}: {error} (the next run resumes from the last page applied)")
                continue
            self.stdout.write(
                f"{source.name}: {result.pages} page(s), {result.created} new, {result.updated} changed, "
                f"{result.withdrawn} withdrawn, {len(result.skipped)} skipped"
            )
            for problem in result.skipped:
                self.stderr.write(f"  {problem}")
        if failed:
            raise CommandError(f"{failed} source(s) could not be read.")
