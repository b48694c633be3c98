from django.core.management.base import BaseCommand

from exchange import cnig
from exchange.export import EXPORTS, listings_export_chunks

KINDS = {"sites": cnig.SITE, "terrains": cnig.TERRAIN}


class Command(BaseCommand):
    help = (
        "Write the published parks (sites) or plots (terrains) in the CNIG "
        "standard: official CSV or GeoJSON, the spreadsheet CSV, or the extended "
        "files that also carry the portal's own fields."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(EXPORTS), default="geojson")
        parser.add_argument("--kind", choices=list(KINDS), default="terrains")
        parser.add_argument("--output", help="file to write; standard output if none")

    def handle(self, *args, **options):
        kind = KINDS[options["kind"]]
        chunks, _type, _suffix = listings_export_chunks(kind, options["format"])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
