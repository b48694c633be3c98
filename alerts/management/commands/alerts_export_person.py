from django.core.management.base import BaseCommand

from alerts.services import person_erase, person_export


class Command(BaseCommand):
    help = (
        "Print, as JSON, the search alerts of an email address (right of access); "
        "with --erase, then delete them (right to erasure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true")

    def handle(self, *args, email, erase, **options):
        self.stdout.write(person_export(email=email))
        if erase:
            deleted = person_erase(email=email)
            self.stderr.write(f"{deleted} alert(s) erased")
