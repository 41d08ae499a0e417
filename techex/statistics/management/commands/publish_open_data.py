"""Write the day's open-data files (the public part of the live listings, CSV and JSON) and their catalogue entry."""

from django.core.management.base import BaseCommand

from techex.statistics.services import open_data_publish


class Command(BaseCommand):
    help = "Publish the open-data files of the live listings (run daily, e.g. from cron)."

    def handle(self, *args, **options) -> None:
        for release in open_data_publish():
            self.stdout.write(f"{release.format}: {release.rows} listings, {release.size} bytes ({release.file.name})")
