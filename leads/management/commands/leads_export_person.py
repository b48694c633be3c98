from django.core.management.base import BaseCommand

from leads.services import person_erase, person_export


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything held about a person (right of access); with "
        "--erase, then delete it (right to erasure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true")

    def handle(self, *args, email, erase, **options):
        self.stdout.write(person_export(email=email))
        if erase:
            deleted = person_erase(email=email)
            self.stderr.write(f"{deleted} lead(s) erased")
