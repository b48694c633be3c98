from django.core.management.base import BaseCommand

from core.personal_data import held_erase
from leads.services import person_erase, person_export


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything held about a person (right of access): leads "
        "and what other apps hold, such as search alerts; with --erase, then "
        "delete it all (right to erasure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true")

    def handle(self, *args, email, erase, **options):
        self.stdout.write(person_export(email=email))
        if erase:
            deleted = person_erase(email=email)
            self.stderr.write(f"{deleted} lead(s) erased")
            # What the other apps held (core.personal_data).
            for label, count in held_erase(email).items():
                self.stderr.write(f"{count} {label} erased")
