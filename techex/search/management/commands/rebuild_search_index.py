import time

from django.core.management.base import BaseCommand

from techex.search.services import rebuild_index, verify_index


class Command(BaseCommand):
    help = "Rebuild the search index of all live listings from scratch, or check it (--check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report listings missing from, or left over in, the index."
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            problems = verify_index()
            for problem in problems:
                self.stdout.write(problem)
            if problems:
                raise SystemExit(1)
            self.stdout.write("The search index agrees with the live listings.")
            return
        started = time.perf_counter()
        count = rebuild_index()
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0
        self.stdout.write(f"Indexed {count} live listings in {seconds:.1f} s ({rate:,.0f} documents/s).")
