"""Open-data export of the published listings in the CNIG standard.

GeoJSON follows RFC 7946: WGS84 longitude/latitude, no `crs` member, and a
`licence` foreign member. CSV carries the same columns with the outline as WKT
in WGS84 in a last `wkt` column, which QGIS and most tools read directly (the
CNIG's own `*_geomsurf` columns are GeoJSON strings; WKT keeps the file
readable in a spreadsheet). Both are read back by `exchange.importing`.
"""

import csv
import io
import json

from django.contrib.gis.db.models.functions import AsGeoJSON, AsWKT, Transform
from django.utils import timezone

from sites.models import BusinessPark, Plot

from . import cnig

WGS84 = 4326
GEOJSON_DECIMALS = 7  # about 1 cm: a round trip keeps outlines to the centimetre
CSV_GEOMETRY = "wkt"
LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PRODUCER = "Pôle Métropolitain de l'Artois (Invest in Artois)"
MODELS = {cnig.SITE: BusinessPark, cnig.TERRAIN: Plot}
# What each relation is written as.
RELATION_PATHS = {
    cnig.ORGANISATION: "__slug",
    cnig.COMMUNE: "__insee",
    cnig.PARK: "__slug",
}


def published(kind):
    if kind == cnig.SITE:
        return BusinessPark.objects.filter(is_published=True)
    return Plot.objects.published()


def _path(column):
    return column.field + RELATION_PATHS.get(column.codec, "")


def _columns(kind):
    return [c for c in cnig.COLUMNS[kind] if c.codec != cnig.GEOMETRY]


def _geometry_field(kind):
    return next(c.field for c in cnig.COLUMNS[kind] if c.codec == cnig.GEOMETRY)


def _rows(kind, queryset, geometry):
    """One query: the values of every column and the outline shaped by the
    database, ordered by identifier so that exports compare line by line."""
    columns = _columns(kind)
    paths = [_path(c) for c in columns]
    extra = [] if "slug" in paths else ["slug"]
    rows = queryset.order_by("slug").values(*paths, *extra, shape=geometry)
    for row in rows:
        values = {
            c.name: cnig.encode(c, row[p]) for c, p in zip(columns, paths, strict=True)
        }
        if kind == cnig.TERRAIN and not values["terr_id"]:
            values["terr_id"] = row["slug"]  # the CNIG key is never empty
        yield values, row["shape"]


def listings_geojson(kind, queryset=None):
    queryset = published(kind) if queryset is None else queryset
    shape = AsGeoJSON(
        Transform(_geometry_field(kind), WGS84), precision=GEOJSON_DECIMALS
    )
    features = ",".join(
        _feature(properties, geometry)
        for properties, geometry in _rows(kind, queryset, shape)
    )
    header = json.dumps(
        {
            "type": "FeatureCollection",
            "name": kind,
            "licence": LICENCE,
            "producer": PRODUCER,
            "generated": timezone.now().isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
    )
    return f'{header[:-1]},"features":[{features}]}}'


def _feature(properties, geometry):
    properties = json.dumps(properties, ensure_ascii=False)
    return f'{{"type":"Feature","properties":{properties},"geometry":{geometry}}}'


def listings_csv(kind, queryset=None):
    queryset = published(kind) if queryset is None else queryset
    shape = AsWKT(Transform(_geometry_field(kind), WGS84))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([c.name for c in _columns(kind)] + [CSV_GEOMETRY])
    for values, geometry in _rows(kind, queryset, shape):
        writer.writerow([_csv_text(v) for v in values.values()] + [geometry])
    return output.getvalue()


def _csv_text(value):
    return "" if value is None else value
