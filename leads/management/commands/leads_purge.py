from django.conf import settings
from django.core.management.base import BaseCommand

from leads.services import leads_purge, shortlists_purge


class Command(BaseCommand):
    help = (
        "Delete the leads whose last contact is older than the retention period, "
        "and the shortlists without a lead closed for as long."
    )

    def handle(self, *args, **options):
        deleted = leads_purge()
        years = settings.LEADS_RETENTION_YEARS
        self.stdout.write(f"{deleted} lead(s) older than {years} years deleted")
        shortlists = shortlists_purge()
        self.stdout.write(
            f"{shortlists} shortlist(s) without a lead closed {years} years ago deleted"
        )
