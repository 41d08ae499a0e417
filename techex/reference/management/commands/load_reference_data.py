from django.core.management.base import BaseCommand

from techex.reference.loader import load_all


class Command(BaseCommand):
    help = "Load provinces, communes, S&T fields, TRL, IPC and VSIC from data/reference (safe to run again)."

    def handle(self, *args, **options):
        counts = load_all()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
