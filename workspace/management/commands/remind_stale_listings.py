from django.core.management.base import BaseCommand

from workspace.freshness import stale_listings_remind


class Command(BaseCommand):
    help = "Email each organisation's staff its listings not updated for six months."

    def handle(self, *args, **options):
        count = stale_listings_remind()
        self.stdout.write(f"{count} organisation(s) reminded.")
