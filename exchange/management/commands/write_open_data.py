from django.core.management.base import BaseCommand

from exchange.opendata import open_data_write


class Command(BaseCommand):
    help = (
        "Write the open-data files (CNIG CSV and GeoJSON of the published parks "
        "and plots) into OPEN_DATA_ROOT, when the listings changed since the "
        "last run (always with --force). Celery beat runs it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="write even if nothing changed"
        )

    def handle(self, *args, **options):
        written = open_data_write(force=options["force"])
        if written:
            self.stdout.write(f"Written: {', '.join(written)}")
        else:
            self.stdout.write("The listings have not changed: nothing written.")
