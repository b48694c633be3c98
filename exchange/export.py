"""Exports of parks and plots in the CNIG standard (`exchange.cnig`).

Three shapes, each in one database query, read in chunks and written in
pieces (`listings_export_chunks`) so that a file of a million plots never sits
whole in memory:
- **official** CSV: exactly the standard's columns, in its order, UTF-8, `,`
  separated; the outline as a GeoJSON geometry in Lambert-93 (EPSG:2154) in
  `site_geomsurf`/`terr_geomsurf`, as the standard's example files do, and a
  park's centroid as a WGS84 "lon, lat" geopoint. It validates against the
  official Table Schema descriptors (tests/exchange/test_cnig_files.py);
- **GeoJSON**, RFC 7946: WGS84 longitude/latitude, no `crs`, exterior rings
  counter-clockwise and holes clockwise, the standard's columns as properties
  (the outline is the feature's geometry) and a `licence` member;
- **extended**: the official columns followed by ours (slug, names,
  descriptions in three languages, publication...), in CSV or GeoJSON: what a
  round trip through `exchange.importing` needs.
The "spreadsheet" variant of a CSV is the same table, `;` separated with a
UTF-8 byte order mark, which French office software opens with its accents.

Every CSV cell that a spreadsheet would run as a formula (starting with = + -
@, a tab or a carriage return; not a number, nor a point's coordinates) is
written after an apostrophe; the import takes it off again.
"""

import csv
import io
import json
import re

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.utils import timezone

from core.geo import WGS84, as_geojson, feature, feature_collection_chunks
from sites.models import BusinessPark, Plot

from . import cnig

LAMBERT_DECIMALS = 2  # centimetres, as the standard's example files
LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PRODUCER = cnig.PRODUCER
MODELS = {cnig.SITE: BusinessPark, cnig.TERRAIN: Plot}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number, or a point's "lon, lat" (site_geompoint): no formula, and written
# as the standard says. A longitude west of Greenwich starts with "-", and an
# apostrophe before it broke the geopoint column in the west of France.
NUMBERS = re.compile(r"-?\d+(\.\d+)?(, -?\d+(\.\d+)?)?", re.ASCII)
SPREADSHEET_BOM = "\ufeff"
ROWS_PER_FETCH = 2000
CHUNK_CHARACTERS = 1 << 16  # a CSV is handed on in pieces of about this size


def published(kind):
    if kind == cnig.SITE:
        return BusinessPark.objects.published()
    return Plot.objects.published()


def columns(kind, *, extended=False):
    return cnig.COLUMNS[kind] if extended else cnig.OFFICIAL[kind]


# What each kind of column reads from the database.
def _paths(column):
    if column.field is None or column.codec in (cnig.GEOMETRY, cnig.POINT):
        return []
    if column.codec == cnig.KEY:
        return ["reference", "slug"]
    if column.codec == cnig.PARK:
        return ["park__reference", "park__slug"]
    suffix = {cnig.COMMUNE: "__insee", cnig.ORGANISATION: "__slug"}
    return [column.field + suffix.get(column.codec, "")]


def _value(column, row):
    """One column's value from a row of `values()`, as written in files."""
    if column.field is None:
        return PRODUCER if column.name == "source_producteur" else None
    if column.codec in (cnig.GEOMETRY, cnig.POINT):
        return cnig.encode(column, row.get(column.codec))
    if column.codec == cnig.KEY:  # the CNIG key is never empty: our slug stands in
        return row["reference"] or row["slug"]
    if column.codec == cnig.PARK:
        return row["park__reference"] or row["park__slug"]
    value = row[_paths(column)[0]]
    if column.name == "pole_id":
        value = value or cnig.NO_POLE
    elif column.name == "site_surf_utile" and value is None:
        value = row["surface_gross_ha"]  # all of it, when nobody said less
    return cnig.encode(column, value)


def _rows(kind, queryset, shown, geometry):
    """The rows' values and their outline as GeoJSON text shaped by the
    database, in one query, ordered by slug so that exports compare line by line."""
    paths = {p for c in cnig.COLUMNS[kind] for p in _paths(c)}
    annotations = {cnig.GEOMETRY: geometry}
    if kind == cnig.SITE:
        annotations[cnig.POINT] = Transform("centroid", WGS84)
    rows = queryset.order_by("slug").values(*sorted(paths), **annotations)
    for row in rows.iterator(chunk_size=ROWS_PER_FETCH):
        yield {c.name: _value(c, row) for c in shown}, row[cnig.GEOMETRY]


def _geometry_field(kind):
    return "perimeter" if kind == cnig.SITE else "geom"


# GeoJSON.


def listings_geojson(kind, queryset=None, *, extended=False):
    return "".join(listings_geojson_chunks(kind, queryset, extended=extended))


def listings_geojson_chunks(kind, queryset=None, *, extended=False):
    queryset = published(kind) if queryset is None else queryset
    shown = [c for c in columns(kind, extended=extended) if c.codec != cnig.GEOMETRY]
    shape = as_geojson(_geometry_field(kind))
    return feature_collection_chunks(
        (
            feature(_rfc7946(geometry), properties)
            for properties, geometry in _rows(kind, queryset, shown, shape)
        ),
        name=kind,
        licence=LICENCE,
        producer=PRODUCER,
        generated=timezone.now().isoformat(timespec="seconds"),
    )


def _rfc7946(geometry):
    return json.dumps(rfc7946_rings(json.loads(geometry)), separators=(",", ":"))


def _signed_area(ring):
    """Twice the ring's signed area: positive when it turns counter-clockwise."""
    return sum(
        x1 * y2 - x2 * y1
        for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False)
    )


def _oriented(ring, counter_clockwise):
    return ring if (_signed_area(ring) > 0) == counter_clockwise else ring[::-1]


def rfc7946_rings(geometry):
    """RFC 7946 section 3.1.6: exterior rings counter-clockwise, holes clockwise
    (GEOS and the databases keep whatever order a drawing gave)."""
    polygons = {
        "Polygon": [geometry["coordinates"]],
        "MultiPolygon": geometry["coordinates"],
    }.get(geometry["type"])
    for polygon in polygons or []:
        for index, ring in enumerate(polygon):
            polygon[index] = _oriented(ring, counter_clockwise=index == 0)
    return geometry


# CSV.


def listings_csv(kind, queryset=None, *, extended=False, spreadsheet=False):
    return "".join(
        listings_csv_chunks(kind, queryset, extended=extended, spreadsheet=spreadsheet)
    )


def listings_csv_chunks(kind, queryset=None, *, extended=False, spreadsheet=False):
    queryset = published(kind) if queryset is None else queryset
    shown = columns(kind, extended=extended)
    shape = AsGeoJSON(_geometry_field(kind), precision=LAMBERT_DECIMALS)
    output = io.StringIO()
    if spreadsheet:
        output.write(SPREADSHEET_BOM)
    writer = csv.writer(
        output, delimiter=";" if spreadsheet else ",", lineterminator="\r\n"
    )
    writer.writerow([c.name for c in shown])
    for values, geometry in _rows(kind, queryset, shown, shape):
        values = {name: spreadsheet_safe(v) for name, v in values.items()}
        values[_geometry_column(kind)] = _lambert_geojson(geometry)
        writer.writerow([values[c.name] for c in shown])
        if output.tell() >= CHUNK_CHARACTERS:
            yield output.getvalue()
            output.seek(0)
            output.truncate()
    yield output.getvalue()


def _geometry_column(kind):
    return "site_geomsurf" if kind == cnig.SITE else "terr_geomsurf"


def _lambert_geojson(text):
    """Lambert-93, as the standard's examples: no `crs` member, which RFC 7946
    reserves for WGS84, so the column's convention says it (see the docs)."""
    geometry = json.loads(text)
    geometry.pop("crs", None)
    return json.dumps(rfc7946_rings(geometry), separators=(",", ":"))


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text rather than runs as a formula (CSV
    injection): an apostrophe before = + - @ tab or carriage return."""
    if value is None:
        return ""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not NUMBERS.fullmatch(value)
    ):
        return "'" + value
    return value


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv", {}),
    "spreadsheet": ("text/csv; charset=utf-8", "csv", {"spreadsheet": True}),
    "geojson": ("application/geo+json", "geojson", {}),
    "extended-csv": ("text/csv; charset=utf-8", "csv", {"extended": True}),
    "extended-geojson": ("application/geo+json", "geojson", {"extended": True}),
}


def listings_export(kind, fmt, queryset=None):
    """(content, content type, file suffix) of one of EXPORTS."""
    chunks, content_type, suffix = listings_export_chunks(kind, fmt, queryset)
    return "".join(chunks), content_type, suffix


def listings_export_chunks(kind, fmt, queryset=None):
    """(the content's pieces, content type, file suffix) of one of EXPORTS."""
    content_type, suffix, options = EXPORTS[fmt]
    build = listings_geojson_chunks if suffix == "geojson" else listings_csv_chunks
    return build(kind, queryset, **options), content_type, suffix
