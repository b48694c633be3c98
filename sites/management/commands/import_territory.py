from django.core.management.base import BaseCommand, CommandError

from sites.territory import DATA_FILE, TerritoryDataError, territory_import


class Command(BaseCommand):
    help = "Load the organisations and the real communes of the territory."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DATA_FILE, help="communes.csv.gz")

    def handle(self, *args, **options):
        try:
            report = territory_import(path=options["file"])
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
        if report.changed:
            self.stdout.write(
                f"Territory: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        else:
            self.stdout.write(
                f"Territory already up to date ({report.unchanged} rows)."
            )
