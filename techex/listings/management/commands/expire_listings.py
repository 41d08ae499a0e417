from django.core.management.base import BaseCommand

from techex.listings.services import listings_expire_due, listings_send_expiry_reminders


class Command(BaseCommand):
    help = "Send expiry reminders and expire listings past their validity (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        reminded = listings_send_expiry_reminders()
        expired = listings_expire_due()
        self.stdout.write(f"reminders queued: {reminded}; listings expired: {expired}")
