from django.conf import settings
from django.core.management.base import BaseCommand

from leads.services import leads_purge


class Command(BaseCommand):
    help = "Delete the leads whose last contact is older than the retention period."

    def handle(self, *args, **options):
        deleted = leads_purge()
        years = settings.LEADS_RETENTION_YEARS
        self.stdout.write(f"{deleted} lead(s) older than {years} years deleted")
