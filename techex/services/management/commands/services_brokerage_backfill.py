"""Give every broker already assigned (open deals, anonymous listings) its brokerage request.

Brokers assigned before brokerage became a service have no request. This is a command rather than a data
migration because it goes through the services (reference codes, routing, the audit trail, notifications), which a
migration's historical models cannot; it is idempotent, so running it again changes nothing.
"""

from django.core.management.base import BaseCommand

from techex.services.brokerage import brokerage_backfill


class Command(BaseCommand):
    help = "Create or update the brokerage service requests of the brokers already assigned (idempotent)."

    def handle(self, *args, **options) -> None:
        deals, listings = brokerage_backfill()
        self.stdout.write(f"Brokerage requests in step for {deals} deal(s) and {listings} anonymous listing(s).")
