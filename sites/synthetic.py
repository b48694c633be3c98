"""A synthetic dataset for measuring the portal at region and nation scale.

`manage.py synthetic_dataset --plots N` writes N plots in parks of 4 to 36
plots (about 20), spread over organisations, and `--remove` takes them away.
Everything it writes is flagged twice: listings and organisations by a slug
starting with `synthetic-` (and `is_demo`, so any page that shows one says
"demo"), synthetic communes by an INSEE code starting with `X`, which no real
code does.

Outlines are rectangles in Lambert-93: each park fills part of its own 1 km
grid cell, so no two parks overlap; its plots are a grid inside it, with 24 m
roads between them. Ground surfaces are those of sites.surfaces: measured for
each park and scaled to its plots (the same to a millionth within 1 km), since
a projection per plot would be most of the run at a million plots.

Two spreads:
- `france` (the default): synthetic communes every 10 km over mainland France
  (a coarse outline), grouped in synthetic organisations of 100 km squares;
  parks fill the 1 km cells of their commune from its centre out. A million
  plots cover about 3 % of the land.
- `territory`: the territory's real communes and organisations; each park takes
  the free 1 km cell nearest to its commune's point. Beyond some 100,000 plots
  parks spill well outside their communes: use `france` for larger runs.
"""

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection, models, transaction
from django.utils import timezone

from core.bulk import statistics_refreshed
from core.caching import listings_changed

from . import codes
from .models import SRID, VOCATIONS, BusinessPark, Commune, Organisation, Plot
from .surfaces import hectares

PREFIX = "synthetic-"
COMMUNE_PREFIX = "X"
PARK_CELL_M = 1_000
COMMUNE_CELL_M = 10_000
ORGANISATION_CELL_M = 100_000
ROAD_M = 12  # half a road: plots keep this far from their cell's edges
BATCH = 5_000
# The tables written in bulk, whose planner statistics are read again after.
WRITTEN = (Organisation, Commune, BusinessPark, Plot)

# Mainland France, coarsely (lon, lat): enough to keep parks off the sea.
# fmt: off
FRANCE = [
    (2.5, 51.05), (3.2, 50.75), (4.2, 50.3), (4.9, 49.95), (5.8, 49.55),
    (6.4, 49.45), (7.5, 49.1), (8.1, 48.95), (7.6, 47.6), (7.0, 47.45),
    (6.1, 46.5), (6.8, 46.4), (7.0, 45.9), (6.7, 45.1), (7.0, 44.2),
    (7.5, 43.8), (6.6, 43.15), (5.3, 43.3), (4.2, 43.45), (3.1, 43.05),
    (3.15, 42.45), (1.5, 42.5), (0.0, 42.75), (-1.7, 43.3), (-1.4, 44.5),
    (-1.2, 45.6), (-2.2, 47.1), (-2.8, 47.5), (-4.4, 47.8), (-4.7, 48.4),
    (-3.5, 48.8), (-1.9, 48.65), (-1.6, 49.65), (-1.2, 49.35), (0.2, 49.45),
    (1.2, 49.95), (1.6, 50.2), (1.6, 50.9), (2.5, 51.05),
]
# fmt: on

# Weighted like a real inventory: most land for sale, some under option or sold.
COMMERCIAL_STAGES = [
    (codes.CommercialStage.FOR_SALE, 55),
    (codes.CommercialStage.FOR_SALE_RESTRICTED, 8),
    (codes.CommercialStage.OPTION, 10),
    (codes.CommercialStage.RESERVED_BY_EPCI, 4),
    (codes.CommercialStage.SOLD, 15),
    (codes.CommercialStage.NOT_MARKETED, 8),
]
ZONINGS = ["UE", "UEa", "UX", "1AUe", "UZ", "AUx"]
VOCATION_NAMES = [name for name, _label in VOCATIONS]
DEVELOPMENT_STAGES = [str(v) for v in codes.DevelopmentStage.values]
FOUR_PLACES = Decimal("0.0001")
MOTORWAYS = ["A1", "A2", "A4", "A6", "A7", "A10", "A13", "A16", "A21", "A26"]


@dataclass
class Anchor:
    """Where parks go: a commune, its organisation and its free 1 km cells."""

    commune_id: int
    commune_name: str
    organisation_id: int
    x: float
    y: float


def synthetic_exists():
    return (
        Plot.objects.filter(slug__startswith=PREFIX).exists()
        or BusinessPark.objects.filter(slug__startswith=PREFIX).exists()
        or Organisation.objects.filter(slug__startswith=PREFIX).exists()
    )


def synthetic_generate(*, plots, spread="france", seed=1, progress=None):
    """Write `plots` synthetic plots and their parks; returns (parks, plots)."""
    rng = random.Random(seed)
    with transaction.atomic():
        if spread == "france":
            anchors, cells = _france_anchors(), _commune_cells
        else:
            anchors, cells = _territory_anchors(), _nearest_free_cells()
        counts = _write(rng, anchors, cells, plots, progress)
        listings_changed()
    statistics_refreshed(*WRITTEN)
    return counts


def synthetic_remove(*, progress=None):
    """Delete everything synthetic, in batches; returns the plots deleted."""
    deleted = 0
    with transaction.atomic():
        for model in (Plot, BusinessPark):
            rows = model.objects.filter(slug__startswith=PREFIX)
            while ids := list(rows.values_list("pk", flat=True)[:BATCH]):
                _delete(model, ids)
                deleted += len(ids) if model is Plot else 0
                if progress:
                    progress(model._meta.model_name, len(ids))
        communes = Commune.objects.filter(insee__startswith=COMMUNE_PREFIX)
        _delete(Commune, list(communes.values_list("pk", flat=True)))
        organisations = Organisation.objects.filter(slug__startswith=PREFIX)
        _delete(Organisation, list(organisations.values_list("pk", flat=True)))
        listings_changed()
    statistics_refreshed(*WRITTEN)
    return deleted


def _delete(model, ids):
    """Delete rows as the foreign keys pointing at them say, without the
    per-row signals: a history record and a cache bump for each synthetic
    plot would be most of the work (and they never had a history)."""
    for relation in _pointing_at(model):
        linked = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": ids}
        )
        if relation.on_delete is models.SET_NULL:
            linked.update(**{relation.field.name: None})
        elif relation.on_delete is models.CASCADE:
            linked.delete()  # photos: few, and their files go with them
        elif relation.on_delete is models.PROTECT and linked.exists():
            raise ValueError(
                f"Some {linked.model._meta.verbose_name_plural} point at synthetic "
                f"{model._meta.verbose_name_plural}: nothing was removed."
            )
    model._base_manager.filter(pk__in=ids)._raw_delete(connection.alias)


def _pointing_at(model):
    """The foreign keys pointing at `model`, those without a reverse accessor
    (`related_name="+"`, such as the grid's ParkCount) included: Django's
    `related_objects` leaves them out."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created
        and not field.concrete
        and field.is_relation
        and not field.many_to_many
    ]


def _france_anchors():
    """Synthetic organisations and communes on their grids over France."""
    outline = Polygon(FRANCE, srid=4326).transform(SRID, clone=True)
    france, (xmin, ymin, xmax, ymax) = outline.prepared, outline.extent
    centres = [
        (x, y)
        for x in _steps(xmin, xmax, COMMUNE_CELL_M)
        for y in _steps(ymin, ymax, COMMUNE_CELL_M)
        if france.contains(Point(x, y, srid=SRID))
    ]
    organisations = {}
    for x, y in centres:
        key = (int(x // ORGANISATION_CELL_M), int(y // ORGANISATION_CELL_M))
        organisations.setdefault(key, None)
    created = Organisation.objects.bulk_create(
        Organisation(
            slug=f"{PREFIX}org-{i:03d}",
            name=f"Communauté synthétique {i}",
            short_name=f"Synthétique {i}",
            kind=Organisation.Kind.AGGLOMERATION,
        )
        for i in range(1, len(organisations) + 1)
    )
    for key, organisation in zip(organisations, created, strict=True):
        organisations[key] = organisation
    rng = random.Random(len(centres))
    rows = []
    for i, (x, y) in enumerate(centres, start=1):
        key = (int(x // ORGANISATION_CELL_M), int(y // ORGANISATION_CELL_M))
        rows.append(
            {
                "insee": f"{COMMUNE_PREFIX}{i:04d}",
                "name": f"Commune synthétique {i}",
                "departement": "X",
                "population": int(rng.lognormvariate(7.5, 1.2)) + 50,
                "population_year": 2023,
                "organisation_id": organisations[key].pk,
                "point": f"POINT({x} {y})",
            }
        )
    _Insert(Commune).run(rows)
    communes = Commune.objects.filter(insee__startswith=COMMUNE_PREFIX)
    return [
        Anchor(c.pk, c.name, c.organisation_id, c.point.x, c.point.y)
        for c in communes.only("pk", "name", "organisation_id", "point")
    ]


def _territory_anchors():
    communes = Commune.objects.in_territory().only(
        "pk", "name", "organisation_id", "point"
    )
    anchors = [
        Anchor(c.pk, c.name, c.organisation_id, c.point.x, c.point.y) for c in communes
    ]
    if not anchors:
        raise ValueError("No commune in the territory: run import_territory first.")
    return anchors


def _steps(start, stop, step):
    first = math.floor(start / step) * step + step / 2
    return [first + i * step for i in range(int((stop - first) // step) + 1)]


def _commune_cells(anchor):
    """The 1 km cells of a synthetic commune's 10 km square, centre first."""
    half = COMMUNE_CELL_M // PARK_CELL_M // 2
    offsets = [(i, j) for i in range(-half, half) for j in range(-half, half)]
    offsets.sort(key=lambda o: (o[0] + 0.5) ** 2 + (o[1] + 0.5) ** 2)
    for i, j in offsets:
        yield (anchor.x + i * PARK_CELL_M, anchor.y + j * PARK_CELL_M)


def _nearest_free_cells():
    """Cells on one grid shared by all communes, each given out once."""
    taken = set()

    def cells(anchor):
        cx, cy = int(anchor.x // PARK_CELL_M), int(anchor.y // PARK_CELL_M)
        for ring in range(10_000):
            for i, j in _ring(ring):
                if (cx + i, cy + j) not in taken:
                    taken.add((cx + i, cy + j))
                    yield ((cx + i) * PARK_CELL_M, (cy + j) * PARK_CELL_M)

    return cells


def _ring(r):
    if r == 0:
        return [(0, 0)]
    span = range(-r, r + 1)
    return [(i, j) for i in span for j in span if max(abs(i), abs(j)) == r]


def _write(rng, anchors, cells, total, progress):
    parks_sql, plots_sql = _Insert(BusinessPark), _Insert(Plot)
    free = {}
    parks_done = plots_done = 0
    pending = []  # (park row, plot outlines, anchor)
    while plots_done < total:
        anchor = rng.choice(anchors)
        slots = free.setdefault(anchor.commune_id, cells(anchor))
        corner = next(slots, None)
        if corner is None:  # the commune is full: another one will do
            anchors.remove(anchor)
            if not anchors:
                raise ValueError("No room left for more parks.")
            continue
        count = min(rng.randint(4, 36), total - plots_done)
        parks_done += 1
        pending.append((*_park(rng, anchor, corner, count, parks_done), anchor))
        plots_done += count
        if sum(len(p[1]) for p in pending) >= BATCH or plots_done >= total:
            _flush(rng, parks_sql, plots_sql, pending, plots_done)
            pending = []
            if progress:
                progress("plots", plots_done)
    return parks_done, plots_done


class _Insert:
    """A multi-row INSERT of plain values, geometries as WKT: model instances
    (and their translated fields' machinery) cost most of a million-row run."""

    def __init__(self, model):
        now = timezone.now()
        self.table = model._meta.db_table
        self.fields = [
            f for f in model._meta.local_concrete_fields if not f.primary_key
        ]
        self.defaults = {}
        for f in self.fields:
            if f.attname in ("created_at", "updated_at"):
                value = now
            else:
                value = f.get_default() if f.has_default() or not f.null else None
            self.defaults[f.attname] = (
                None if value is None else f.get_db_prep_save(value, connection)
            )

    def run(self, rows):
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(
            f"ST_GeomFromText(%s, {SRID})" if hasattr(f, "geom_type") else "%s"
            for f in self.fields
        )
        values = [
            [row.get(f.attname, self.defaults[f.attname]) for f in self.fields]
            for row in rows
        ]
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: several times faster
                self._copy(
                    cursor.cursor, f"COPY {table} ({columns}) FROM STDIN", values
                )
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                cursor.executemany(sql, values)

    def _copy(self, cursor, sql, values):
        geometries = [i for i, f in enumerate(self.fields) if hasattr(f, "geom_type")]
        with cursor.copy(sql) as copy:
            for row in values:
                for i in geometries:  # PostGIS reads EWKT as a geometry
                    if row[i] is not None:
                        row[i] = f"SRID={SRID};{row[i]}"
                copy.write_row(row)


def _flush(rng, parks_sql, plots_sql, pending, plots_done):
    parks_sql.run([row for row, _outlines, _anchor in pending])
    ids = dict(
        BusinessPark.objects.filter(
            slug__in=[row["slug"] for row, _o, _a in pending]
        ).values_list("slug", "pk")
    )
    number = plots_done - sum(len(outlines) for _r, outlines, _a in pending)
    rows = []
    for park, outlines, anchor in pending:
        for k, (outline, surface) in enumerate(outlines, start=1):
            number += 1
            rows.append(
                _plot(rng, park, ids[park["slug"]], anchor, outline, surface, number, k)
            )
    plots_sql.run(rows)


def _wkt(x0, y0, x1, y1):
    x0, y0, x1, y1 = (f"{v:.2f}" for v in (x0, y0, x1, y1))
    return f"MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))"


def _park(rng, anchor, corner, count, number):
    width, height = rng.uniform(350, 900), rng.uniform(350, 900)
    width, height = round(width, 2), round(height, 2)
    x0 = round(corner[0] + rng.uniform(40, PARK_CELL_M - 40 - width), 2)
    y0 = round(corner[1] + rng.uniform(40, PARK_CELL_M - 40 - height), 2)
    perimeter = MultiPolygon(
        Polygon.from_bbox((x0, y0, x0 + width, y0 + height)), srid=SRID
    )
    surface = hectares(perimeter)
    # Ground m² per Lambert-93 m², the same to a millionth within a park.
    ratio = float(surface) / perimeter.area
    cols = max(1, round(math.sqrt(count * width / height)))
    xs = _cuts(rng, x0, width, cols)
    ys = _cuts(rng, y0, height, math.ceil(count / cols))
    outlines = []
    for i in range(count):
        r, c = divmod(i, cols)
        # To the centimetre, as written: the surface is of the stored outline.
        x = (round(xs[c] + ROAD_M, 2), round(xs[c + 1] - ROAD_M, 2))
        y = (round(ys[r] + ROAD_M, 2), round(ys[r + 1] - ROAD_M, 2))
        area = (x[1] - x[0]) * (y[1] - y[0])
        outlines.append((_wkt(x[0], y[0], x[1], y[1]), area * ratio))
    vocations = rng.sample(VOCATION_NAMES, rng.randint(1, 3))
    description = "Parc synthétique, pour les mesures de performance."
    park = {
        "name": f"ZA synthétique {anchor.commune_name} {number}",
        "slug": f"{PREFIX}park-{number}",
        "description": description,
        "description_fr": description,
        "is_published": rng.random() < 0.98,
        "is_demo": True,
        "organisation_id": anchor.organisation_id,
        "commune_id": anchor.commune_id,
        "perimeter": _wkt(x0, y0, x0 + width, y0 + height),
        "centroid": f"POINT({x0 + width / 2:.2f} {y0 + height / 2:.2f})",
        "surface_gross_ha": round(surface, 2),
        **{f"vocation_{v}": True for v in vocations},
        "has_drinking_water": True,
        "has_sewage": rng.random() < 0.9,
        "has_gas": rng.random() < 0.6,
        "has_power": True,
        "power_capacity_mva": Decimal(rng.choice([2, 5, 10, 20, 40, 90])),
        "has_fibre": rng.random() < 0.8,
        "has_rail_siding": rng.random() < 0.15,
        "has_canal_quay": rng.random() < 0.08,
        "has_public_transport": rng.random() < 0.5,
        "motorway_name": rng.choice(MOTORWAYS),
        "motorway_km": Decimal(rng.randint(5, 400)) / 10,
    }
    return park, outlines


def _cuts(rng, start, length, parts):
    """Where `parts` strips of uneven widths (0.6 to 1.4 of the mean) begin."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    cuts, total = [start], sum(weights)
    for weight in weights:
        cuts.append(cuts[-1] + length * weight / total)
    return cuts


PLOT_TEXT = "Terrain synthétique, pour les mesures de performance."
STAGES, STAGE_WEIGHTS = zip(*COMMERCIAL_STAGES, strict=True)


def _plot(rng, park, park_id, anchor, outline, surface, number, k):
    commercial = rng.choices(STAGES, STAGE_WEIGHTS)[0]
    surface = Decimal(surface).quantize(FOUR_PLACES)
    divisible = surface > 2 and rng.random() < 0.3
    return {
        "name": f"Lot {k}, {park['name']}",
        "slug": f"{PREFIX}plot-{number}",
        "description": PLOT_TEXT,
        "description_fr": PLOT_TEXT,
        "is_published": rng.random() < 0.97,
        "is_demo": True,
        "reference": f"SYN{number}",
        "park_id": park_id,
        "commune_id": anchor.commune_id,
        "geom": outline,
        "computed_surface_ha": surface,
        "surface_ha": surface,
        "commercial_stage": str(commercial),
        "marketing_stage": str(codes.STAGE_OF_COMMERCIAL[commercial]),
        "development_stage": rng.choice(DEVELOPMENT_STAGES),
        "ready_to_build": rng.random() < 0.3,
        "is_divisible": divisible,
        "minimum_lot_ha": Decimal(1) if divisible else None,
        "zoning": rng.choice(ZONINGS),
        "icpe_allowed": rng.random() < 0.6,
        "seveso_allowed": rng.random() < 0.1,
        "price_per_m2": Decimal(rng.randint(8, 90)) if rng.random() < 0.7 else None,
    }
