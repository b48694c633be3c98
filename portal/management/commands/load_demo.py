from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ambassadors.demo import ambassadors_demo_load
from sites.demo import DemoError, demo_load
from stories.demo import stories_demo_load

# Each app's own demo content, in the order they build on each other: the
# parks and plots, then the portraits and stories that name their communes.
DEMO_CONTENT = (demo_load, ambassadors_demo_load, stories_demo_load)


class Command(BaseCommand):
    help = "Create the demo parks, plots, contacts and ambassadors (flagged as demo)."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                created = sum(load() for load in DEMO_CONTENT)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if created:
            self.stdout.write(f"Demo content: {created} objects created.")
        else:
            self.stdout.write("Demo content already loaded: nothing to do.")
