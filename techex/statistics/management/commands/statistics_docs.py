from django.core.management.base import BaseCommand

from techex.statistics.docs import DOC_PATH, render


class Command(BaseCommand):
    help = "Write docs/statistics.md from the indicators' definitions and the Decision 1158 targets."

    def handle(self, *args, **options):
        DOC_PATH.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_PATH}")
