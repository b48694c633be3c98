from django.core.management.base import BaseCommand

from alerts.services import alerts_purge


class Command(BaseCommand):
    help = (
        "Delete the search alerts never confirmed in time and those not renewed "
        "for the retention period."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{alerts_purge()} alert(s) deleted")
