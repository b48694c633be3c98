from django.core.management.base import BaseCommand, CommandError

from exchange.importing import listings_import
from sites.models import Organisation


class Command(BaseCommand):
    help = (
        "Import parks and plots from GeoJSON, a zipped Shapefile or CSV with WKT "
        "(CNIG names or ours). A dry run unless --commit; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--organisation",
            required=True,
            help=(
                "slug of the organisation importing; the metropolitan pole's "
                "imports for all"
            ),
        )
        parser.add_argument("--commit", action="store_true", help="write the rows")

    def handle(self, *args, **options):
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation {options['organisation']!r}.") from exc
        try:
            with open(options["file"], "rb") as file:
                report = listings_import(
                    file=file, organisation=organisation, dry_run=not options["commit"]
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for row in report.rows:
            details = "; ".join(row.details)
            self.stdout.write(
                f"{row.label}\t{row.kind}\t{row.key}\t{row.action}\t{details}".rstrip()
            )
        if not report.ok:
            raise CommandError(f"Nothing written. {report.summary()}")
        verdict = "Imported" if report.committed else "Dry run, nothing written"
        self.stdout.write(f"{verdict}: {report.summary()}")
