"""Recompute every match between live needs and offers (after a glossary change, or nightly for freshness)."""

import time

from django.core.management.base import BaseCommand, CommandError

from techex.listings.models import Listing
from techex.matching.services import match_all, match_listing


class Command(BaseCommand):
    help = (
        "Recompute the matches of every live need (which gives every offer's too), or of the listings given by "
        "reference code. Nobody is notified of the matches a full recompute finds."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference_codes", nargs="*", help="only these listings (both directions)")
        parser.add_argument("--batch", type=int, default=200, help="needs per transaction (default 200)")
        parser.add_argument(
            "--workers", type=int, default=1, help="processes sharing the work (default 1; the number of cores)"
        )

    def handle(self, *args, reference_codes: list[str], batch: int, workers: int, **options):
        if batch < 1 or workers < 1:
            raise CommandError("--batch and --workers must be at least 1.")
        started = time.perf_counter()
        if reference_codes:
            found = {x.reference_code: x for x in Listing.objects.filter(reference_code__in=reference_codes)}
            unknown = [code for code in reference_codes if code not in found]
            if unknown:
                raise CommandError(f"No listing with the reference code {', '.join(unknown)}.")
            for code in reference_codes:
                matches = match_listing(listing=found[code], notify_owners=False)
                self.stdout.write(f"{code}: {len(matches)} matches")
            return

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done:,} of {total:,} needs, {time.perf_counter() - started:.0f} s")

        stored = match_all(batch=batch, workers=workers, progress=progress)
        self.stdout.write(f"{stored:,} matches in {time.perf_counter() - started:.1f} s")
