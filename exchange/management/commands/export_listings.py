from django.core.management.base import BaseCommand

from exchange import cnig
from exchange.export import listings_csv, listings_geojson

KINDS = {"sites": cnig.SITE, "terrains": cnig.TERRAIN}


class Command(BaseCommand):
    help = "Write the published parks (sites) or plots (terrains) in the CNIG standard."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["geojson", "csv"], default="geojson")
        parser.add_argument("--kind", choices=list(KINDS), default="terrains")
        parser.add_argument("--output", help="file to write; standard output if none")

    def handle(self, *args, **options):
        build = listings_geojson if options["format"] == "geojson" else listings_csv
        text = build(KINDS[options["kind"]])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            self.stdout.write(text, ending="")
