"""Deliver the webhook messages that are due (the worker queues each retry at its time; this is the safety net)."""

from django.core.management.base import BaseCommand

from techex.exchange.webhooks import attempt, due


class Command(BaseCommand):
    help = "Try every pending webhook delivery whose time has come (run from cron every few minutes)."

    def handle(self, *args, **options) -> None:
        tried = [attempt(delivery).status for delivery in due()]
        self.stdout.write(f"{len(tried)} tried, {tried.count('delivered')} delivered")
