"""Guarded outlines: whether a plot's outline or a park's perimeter may be stored.

One service for every path that writes one. The models' clean() calls it, so
the admin forms, the importer and the demo loader all go through it; the admin
form shows `OutlineError.where` (the offending part) on its map. Messages name
the problem and say where in words, never GEOS's reasons or coordinates.

Rules and tolerances (the README's "Staff workspace safeguards" states them):
- a plot lies inside its park's perimeter and inside the territory; a park
  inside its organisation's communes (the PMA: the whole territory's; an
  agglomeration: its own; SIZIAF, the syndicate: its two members'). An
  outline may stick out by EDGE_TOLERANCE_M (2 m) at most: a click's width
  when drawing at street level, far more than reprojection noise;
- commune boundaries were generalised one by one (sites/data/README.md), which
  leaves slivers up to 20 m wide between neighbours: the territory is their
  union with those gaps closed (TERRITORY_GAP_M);
- two plots may share at most OVERLAP_M2 (10 m², a common edge drawn twice);
- a listing's commune is the one holding most of its outline, or one holding
  more than COMMUNE_SHARE (1 %) of it;
- shape: a flat (2D), valid surface; coordinates that fit their declared
  system (Lambert-93 or WGS84); 10 m² at least (smaller is a slip of the
  mouse or a projection mix-up; the CNIG's own example park has 80 m²), a
  plot 500 ha at most and one piece, a park 3,000 ha; at most MAX_VERTICES
  points.
"""

import math
import re
from dataclasses import dataclass

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import (
    GeometryCollection,
    GEOSException,
    MultiPolygon,
    Point,
    Polygon,
)
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.geo import WGS84, bounds

from .models import SRID, Commune, Organisation, Plot
from .territory import SYNDICATE_MEMBER_SIRENS

EDGE_TOLERANCE_M = 2
DUST_M2 = 1  # what is left of a difference by rounding alone
COMMUNE_SHARE = 0.01
TERRITORY_GAP_M = 20
OVERLAP_M2 = 10
MAX_VERTICES = 10_000
PLOT, PARK = "plot", "park"
SIZE_LIMITS_M2 = {PLOT: (10, 500 * 10_000), PARK: (10, 3_000 * 10_000)}
DEGREES = (-180, -90, 180, 90)
LAMBERT93 = (-380_000, 6_000_000, 1_330_000, 7_240_000)  # EPSG:2154's area of use
CURVES = re.compile(
    r"CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE"
)
GEOS_REASON = re.compile(r"^(?P<kind>[A-Za-z -]*?)\s*\[(?P<x>\S+) (?P<y>\S+)\]")

# Compass points, clockwise from north: where a part lies on an outline, and
# where an outline lies from something else.
SIDES = [
    gettext_lazy("on its north side"),
    gettext_lazy("on its north-east side"),
    gettext_lazy("on its east side"),
    gettext_lazy("on its south-east side"),
    gettext_lazy("on its south side"),
    gettext_lazy("on its south-west side"),
    gettext_lazy("on its west side"),
    gettext_lazy("on its north-west side"),
]
DIRECTIONS = [
    gettext_lazy("to the north"),
    gettext_lazy("to the north-east"),
    gettext_lazy("to the east"),
    gettext_lazy("to the south-east"),
    gettext_lazy("to the south"),
    gettext_lazy("to the south-west"),
    gettext_lazy("to the west"),
    gettext_lazy("to the north-west"),
]


class OutlineError(ValidationError):
    """A ValidationError keyed by field, with `where`: what is wrong, as a
    Lambert-93 geometry (the parts outside, the overlaps, a crossing), or None."""

    def __init__(self, errors, where=None):
        super().__init__(errors)
        self.where = where

    def moved_to(self, field):
        """The same error, the outline's messages under `field`."""
        errors = {
            (field if name == "geom" else name): messages
            for name, messages in self.message_dict.items()
        }
        return OutlineError(errors, where=self.where)


@dataclass(frozen=True)
class Placement:
    outline: MultiPolygon  # as stored: a valid MultiPolygon in Lambert-93
    commune: Commune | None  # the chosen one, or the one holding most of it


class Territory:
    """The territory's communes, for the checks.

    Made with `Territory.load()` by a caller that checks many outlines (the
    importer, once per file): the communes are read once and each outline's
    neighbours found in memory. `Territory()` reads, for each outline, only the
    communes near it. Either keeps the closed unions it has computed.
    """

    def __init__(self, communes=None):
        self._communes = None
        self._commune_grid = None  # COMMUNE_GRID_M cell -> indexes in _communes
        if communes is not None:
            self._communes = [(c, bounds(c.boundary)) for c in communes]
            self._commune_grid = _grid_of(
                ((i, extent) for i, (_c, extent) in enumerate(self._communes)),
                COMMUNE_GRID_M,
            )
        self._covers = {}
        self._plots = None  # after plots_load(): key -> (plot, its extent)
        self._grid = None  # after plots_load(): GRID_M cell -> plot keys

    def plots_load(self):
        """Read every plot once, for the overlap checks of many outlines: an
        importer's rows are then checked without a query each, and against
        the rows of the same file it staged before (`plot_add`)."""
        plots = Plot.objects.select_related("park__organisation").only(
            "pk", "name", "geom", "park__organisation__short_name"
        )
        self._plots, self._grid = {}, {}
        for plot in plots:
            self.plot_add(plot)

    def plot_add(self, plot):
        """A plot about to be written (new, or its outline changed)."""
        if self._plots is None or plot.geom is None:
            return
        key = plot.pk if plot.pk is not None else id(plot)
        extent = bounds(plot.geom)
        self._plots[key] = (plot, extent)
        for cell in _cells(extent, GRID_M):
            self._grid.setdefault(cell, set()).add(key)

    def plots_meeting(self, outline, exclude_pk):
        """The other plots whose outline meets `outline`."""
        if self._plots is None:
            return (
                Plot.objects.filter(geom__intersects=outline)
                .exclude(pk=exclude_pk)
                .select_related("park__organisation")
                .only("pk", "name", "geom", "park__organisation__short_name")
            )
        box, prepared = bounds(outline), outline.prepared
        keys = _keys_near(self._grid, box, GRID_M)
        keys = set(self._plots) if keys is None else keys
        keys.discard(exclude_pk)
        found = [self._plots[key] for key in keys]
        return [
            plot
            for plot, extent in found
            if _boxes_meet(extent, box) and prepared.intersects(plot.geom)
        ]

    @property
    def communes(self):
        """The communes read by `load()` (none for a Territory() reading on demand)."""
        return [c for c, _extent in self._communes or ()]

    @classmethod
    def load(cls):
        return cls(Commune.objects.in_territory().exclude(boundary=None))

    def near(self, outline):
        """The territory's communes within TERRITORY_GAP_M of the outline's box."""
        box = _grown(bounds(outline), TERRITORY_GAP_M)
        if self._communes is None:
            query = Polygon.from_bbox(box)
            query.srid = SRID
            return list(
                Commune.objects.in_territory()
                .filter(boundary__intersects=query)
                .only("pk", "name", "organisation", "boundary")
            )
        indexes = _keys_near(self._commune_grid, box, COMMUNE_GRID_M)
        if indexes is None:
            indexes = range(len(self._communes))
        found = (self._communes[i] for i in sorted(indexes))  # in the load's order
        return [c for c, extent in found if _boxes_meet(extent, box)]

    def cover(self, communes):
        """The communes' union with the slivers between neighbours closed, and
        grown by EDGE_TOLERANCE_M."""
        key = frozenset(c.pk for c in communes)
        if key not in self._covers:
            parts = [polygon for c in communes for polygon in c.boundary]
            cover = MultiPolygon(srid=SRID)
            if parts:
                union = MultiPolygon(parts, srid=SRID).unary_union
                cover = union.buffer(TERRITORY_GAP_M).buffer(
                    EDGE_TOLERANCE_M - TERRITORY_GAP_M
                )
            self._covers[key] = cover
        return self._covers[key]


# The checks.


def plot_outline_check(*, geom, park, commune=None, exclude_pk=None, territory=None):
    """Whether `geom` may be the outline of a plot of `park` in `commune`.

    Returns a Placement (the outline as stored, and `commune` or, if None, the
    commune holding most of it); raises OutlineError with every problem found.
    `exclude_pk` is the plot's own pk (not an overlap with itself). `park` is
    used as given, so an importer may pass parks it has already fetched, and a
    `Territory.load()` made once, with its plots loaded (`plots_load`):
    checking a row then costs no query.
    """
    outline = outline_prepare(geom, kind=PLOT)
    territory = territory or Territory()
    problems = _Problems()
    near = territory.near(outline)
    _inside(problems, outline, territory.cover(near), _territory_message())
    commune = _commune_agreed(problems, outline, near, commune)
    if park is not None:
        _inside_park(problems, outline, park)
    _no_overlap(problems, outline, exclude_pk, park, territory)
    problems.raise_any()
    return Placement(outline, commune)


def park_outline_check(
    *, geom, organisation, commune=None, exclude_pk=None, territory=None
):
    """Whether `geom` may be the perimeter of a park of `organisation` with
    this main `commune`; and, for an existing park (`exclude_pk`), whether its
    plots would still lie inside. Returns a Placement, raises OutlineError
    (the perimeter's messages under "perimeter")."""
    try:
        return _park_placed(geom, organisation, commune, exclude_pk, territory)
    except OutlineError as error:
        raise error.moved_to("perimeter") from error


def _park_placed(geom, organisation, commune, exclude_pk, territory):
    perimeter = outline_prepare(geom, kind=PARK)
    territory = territory or Territory()
    problems = _Problems()
    own = organisation_communes(organisation, territory.near(perimeter))
    messages, names = _park_territory(organisation)
    _inside(problems, perimeter, territory.cover(own), messages, **names)
    commune = _commune_agreed(problems, perimeter, own, commune)
    if exclude_pk is not None:
        _plots_stay_inside(problems, perimeter, exclude_pk)
    problems.raise_any()
    return Placement(perimeter, commune)


def organisation_communes(organisation, communes):
    """Those of `communes` an organisation's parks may lie in."""
    if organisation.is_metropolitan:
        return list(communes)
    allowed = {organisation.pk}
    if organisation.kind == Organisation.Kind.SYNDICATE:
        allowed = set(_syndicate_members().values_list("pk", flat=True))
    return [c for c in communes if c.organisation_id in allowed]


def _syndicate_members():
    return Organisation.objects.filter(siren__in=SYNDICATE_MEMBER_SIRENS)


def organisation_cover(organisation, near, territory=None):
    """Where `organisation`'s parks may lie, around the geometry `near`."""
    territory = territory or Territory()
    return territory.cover(organisation_communes(organisation, territory.near(near)))


def plot_park_found(outline, parks):
    """The park among `parks` (a queryset) holding most of the outline, or None."""
    candidates = parks.filter(perimeter__intersects=outline)
    shares = [(outline.intersection(p.perimeter).area, p) for p in candidates]
    shares = [(area, park) for area, park in shares if area > 0]
    return max(shares, key=lambda share: share[0])[1] if shares else None


def where_geojson(where):
    """`OutlineError.where` as WGS84 GeoJSON text, for the map (or None)."""
    if where is None or where.empty:
        return None
    return where.transform(WGS84, clone=True).json


# The shape of an outline, whatever its use.


def outline_prepare(geom, *, kind, reproject=None):
    """The outline as stored (a valid MultiPolygon in Lambert-93) or an
    OutlineError on "geom" saying what is wrong with its shape. A geometry
    without SRID is taken as Lambert-93. `kind` (PLOT, PARK) adds the size
    limits and, for a plot, one piece; None (a file reader that cannot tell
    yet) leaves them to the listing's own check. `reproject(geom)` brings
    another projection to Lambert-93 (a reader reuses one transformation)."""
    if _shape_checked(geom):
        outline = geom  # this very geometry passed the checks below
    else:
        outline = _shape_check(geom, reproject)
    if kind is None:  # a reader that does not know yet
        return outline
    if kind == PLOT and len(outline) > 1:
        raise _shape_error(
            _(
                "A plot is one piece of land, but this outline has %(count)s "
                "separate parts: record each part as a plot of its own."
            )
            % {"count": len(outline)},
            where=MultiPolygon(sorted(outline, key=lambda p: p.area)[:-1], srid=SRID),
        )
    _check_size(outline, kind)
    return outline


def _shape_checked(geom):
    """Whether `geom` is an outline `_shape_check` returned, unchanged since:
    GEOS geometries change by getting a new pointer (Django's setters), the
    SRID aside. A file reader checks each row's outline, then the listing's
    own check sees it again; it need not parse and test it twice."""
    marker = getattr(geom, "_shape_checked", None)
    return marker is not None and marker is geom._ptr and geom.srid == SRID


def _shape_check(geom, reproject):
    if geom is None or geom.empty:
        raise _shape_error(
            _("The outline is empty: draw it on the map or give its coordinates.")
        )
    if geom.hasz:
        raise _shape_error(
            _(
                "The outline has heights (3D coordinates): give it flat, "
                "in two dimensions."
            )
        )
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise _shape_error(
            _("The outline must be a surface (a polygon), not %(shape)s.")
            % {"shape": _shape_name(geom)}
        )
    if geom.num_coords > MAX_VERTICES:
        raise _shape_error(
            _(
                "The outline has %(count)s points, more than the %(maximum)s "
                "accepted: simplify it."
            )
            % {"count": _integer(geom.num_coords), "maximum": _integer(MAX_VERTICES)}
        )
    outline = _in_storage_projection(geom, reproject)
    if outline.geom_type == "Polygon":
        outline = MultiPolygon(outline, srid=SRID)
    _check_validity(outline)
    outline._shape_checked = outline._ptr
    return outline


def outline_text_error(text):
    """Why an outline given as text (WKT, GeoJSON) could not be read."""
    if CURVES.search(text.upper()):
        return _(
            "The outline has curves (arcs): only straight edges are accepted. "
            "Convert the curves to polygons in your GIS software."
        )
    return _(
        "The outline cannot be read: give it as GeoJSON or WKT, or draw it on the map."
    )


def _shape_error(message, where=None):
    return OutlineError({"geom": [message]}, where=where)


def _shape_name(geom):
    if "Point" in geom.geom_type:
        return _("a point")
    if "Line" in geom.geom_type:
        return _("a line")
    return _("a mix of shapes")


def _in_storage_projection(geom, reproject):
    srid = geom.srid or SRID
    extent = bounds(geom)
    if not all(math.isfinite(value) for value in extent):
        raise _shape_error(_("The outline has coordinates that are not numbers."))
    if srid == SRID:
        if _box_within(extent, DEGREES):
            raise _shape_error(
                _(
                    "The coordinates look like longitudes and latitudes (WGS84, "
                    "EPSG:4326), not Lambert-93 metres (EPSG:2154): declare them "
                    "as WGS84."
                )
            )
        if not _box_within(extent, LAMBERT93):
            raise _shape_error(
                _(
                    "The coordinates lie outside metropolitan France in "
                    "Lambert-93 (EPSG:2154): check their coordinate system."
                )
            )
        return geom.clone() if geom.srid else _with_srid(geom)
    if srid == WGS84 and not _box_within(extent, DEGREES):
        if _box_within(extent, LAMBERT93):
            raise _shape_error(
                _(
                    "The coordinates look like Lambert-93 metres (EPSG:2154), not "
                    "longitudes and latitudes (WGS84): declare them as Lambert-93."
                )
            )
        raise _shape_error(
            _("The coordinates are not longitudes and latitudes (WGS84).")
        )
    return _transformed(geom, reproject)


def _with_srid(geom):
    geom = geom.clone()
    geom.srid = SRID
    return geom


def _transformed(geom, reproject):
    try:
        outline = reproject(geom) if reproject else geom.transform(SRID, clone=True)
    except (GDALException, GEOSException):
        outline = None
    if outline is None or not all(math.isfinite(v) for v in bounds(outline)):
        raise _shape_error(
            _(
                "The coordinates cannot be converted to Lambert-93: check their "
                "coordinate system."
            )
        )
    return outline


def _check_validity(outline):
    if outline.valid:
        return
    match = GEOS_REASON.match(outline.valid_reason)
    kind = (match["kind"] if match else outline.valid_reason).strip().lower()
    where = None
    if match:
        try:
            where = Point(float(match["x"]), float(match["y"]), srid=SRID)
        except ValueError:
            where = None
    side = _side(where, outline) if where is not None else _("somewhere")
    if kind in ("self-intersection", "ring self-intersection"):
        message = _(
            "The outline crosses itself (two of its edges cross or touch), "
            "%(side)s: redraw that corner."
        )
    elif kind in ("too few points", "too few distinct points in geometry component"):
        message = _("The outline has too few corners: a surface needs three or more.")
    elif kind == "ring is not closed":
        message = _("The outline is not closed: its last point must be its first.")
    elif kind == "invalid coordinate":
        message = _("The outline has coordinates that are not numbers.")
    else:
        message = _(
            "The outline's parts or holes cross, touch or lie outside one "
            "another, %(side)s: redraw them."
        )
    raise _shape_error(message % {"side": side}, where=where)


def _check_size(outline, kind):
    smallest, largest = SIZE_LIMITS_M2[kind]
    area = outline.area
    if smallest <= area <= largest:
        return
    values = {
        "area": _area(area),
        "minimum": _area(smallest),
        "maximum": _area(largest),
    }
    if kind == PLOT:
        message = (
            _("The outline is too small (%(area)s): a plot covers %(minimum)s or more.")
            if area < smallest
            else _(
                "The outline is too large (%(area)s): a plot covers %(maximum)s at "
                "most. Check its coordinate system."
            )
        )
    else:
        message = (
            _(
                "The perimeter is too small (%(area)s): a park covers %(minimum)s "
                "or more."
            )
            if area < smallest
            else _(
                "The perimeter is too large (%(area)s): a park covers %(maximum)s at "
                "most. Check its coordinate system."
            )
        )
    raise _shape_error(message % values)


# The rules against the territory, the park and the other plots.


class _Problems:
    def __init__(self):
        self.errors = {}
        self.places = []

    def add(self, field, message, where=None):
        self.errors.setdefault(field, []).append(message)
        if where is not None and not where.empty:
            self.places.append(where)

    def raise_any(self):
        if not self.errors:
            return
        where = None
        if len(self.places) == 1:
            where = self.places[0]
        elif self.places:
            where = GeometryCollection(*self.places, srid=SRID)
        raise OutlineError(self.errors, where=where)


def _prepared(geometry):
    """The geometry's prepared form, kept on it: a file's rows are checked
    against the same communes, covers and parks again and again."""
    prepared = getattr(geometry, "_outline_prepared", None)
    if prepared is None:
        prepared = geometry._outline_prepared = geometry.prepared
    return prepared


def _outside(outline, container, *, grown=False):
    """The part of `outline` outside `container`, or None when it sticks out
    by EDGE_TOLERANCE_M at most. `grown`: the container already includes the
    tolerance."""
    if container.empty:
        return outline
    if _prepared(container).contains(outline):
        return None  # the usual case, at a fraction of a difference's cost
    limit = container if grown else container.buffer(EDGE_TOLERANCE_M)
    outside = outline.difference(limit)
    if outside.area <= DUST_M2:
        return None
    return outside if grown else outline.difference(container)


def _inside(problems, outline, cover, messages, **names):
    """`messages`: (the outline is entirely outside, partly outside), with
    `names` for their placeholders."""
    outside = _outside(outline, cover, grown=True)
    if outside is None:
        return
    entirely, partly = messages
    if not outline.intersects(cover):
        problems.add("geom", entirely % names, where=outline)
        return
    values = {**names, "area": _area(outside.area), "side": _side(outside, outline)}
    problems.add("geom", partly % values, where=outside)


def _territory_message():
    return (
        _(
            "The outline lies outside the territory (the communes of the three "
            "agglomerations): check where it was drawn and its coordinate system."
        ),
        _(
            "About %(area)s of the outline lies outside the territory (the "
            "communes of the three agglomerations), %(side)s."
        ),
    )


def _park_territory(organisation):
    """The messages for a perimeter outside its organisation's communes, and
    their names."""
    names = {"organisation": organisation.short_name}
    if organisation.is_metropolitan:
        messages = (
            _(
                "The perimeter lies outside the territory (the communes of the "
                "three agglomerations)."
            ),
            _(
                "About %(area)s of the perimeter lies outside the territory (the "
                "communes of the three agglomerations), %(side)s."
            ),
        )
    elif organisation.kind == Organisation.Kind.SYNDICATE:
        members = _syndicate_members().order_by("short_name")
        names["members"] = ", ".join(m.short_name for m in members)
        messages = (
            _(
                "The perimeter lies outside the communes of the members of "
                "%(organisation)s (%(members)s)."
            ),
            _(
                "About %(area)s of the perimeter lies outside the communes of the "
                "members of %(organisation)s (%(members)s), %(side)s."
            ),
        )
    else:
        messages = (
            _("The perimeter lies outside the communes of %(organisation)s."),
            _(
                "About %(area)s of the perimeter lies outside the communes of "
                "%(organisation)s, %(side)s."
            ),
        )
    return messages, names


def _commune_agreed(problems, outline, communes, chosen):
    holder = next(
        (c for c in communes if _prepared(c.boundary).contains(outline)), None
    )
    if holder is not None:  # communes do not overlap: the others hold none of it
        shares = {c.pk: (0, c) for c in communes} | {holder.pk: (outline.area, holder)}
    else:
        shares = {c.pk: (outline.intersection(c.boundary).area, c) for c in communes}
    holding = [share for share in shares.values() if share[0] > 0]
    found = max(holding, key=lambda share: share[0])[1] if holding else None
    if chosen is None:
        return found
    share = shares.get(chosen.pk, (0, None))[0]
    if share <= outline.area * COMMUNE_SHARE and found is not None:
        problems.add(
            "commune",
            _("The outline is not in %(chosen)s: it lies in %(found)s.")
            % {"chosen": chosen.name, "found": found.name},
        )
    return chosen


def _inside_park(problems, outline, park):
    outside = _outside(outline, park.perimeter)
    if outside is None:
        return
    name = {"park": park.name}
    if not outline.intersects(park.perimeter):
        message = _(
            "The outline is not in the park “%(park)s”: it lies %(distance)s "
            "%(direction)s of it."
        )
        values = {
            "distance": _distance(outline.distance(park.perimeter)),
            "direction": _direction(park.perimeter, outline),
        }
        problems.add("geom", message % (name | values), where=outline)
        return
    problems.add(
        "geom",
        _("The outline goes about %(area)s beyond the park “%(park)s”, %(side)s.")
        % {**name, "area": _area(outside.area), "side": _side(outside, outline)},
        where=outside,
    )


def _no_overlap(problems, outline, exclude_pk, park, territory):
    for other in territory.plots_meeting(outline, exclude_pk):
        shared = outline.intersection(other.geom)
        if shared.area <= OVERLAP_M2:
            continue
        problems.add("geom", _overlap_message(outline, shared, other, park), shared)


def _overlap_message(outline, shared, other, park):
    values = {"area": _area(shared.area), "side": _side(shared, outline)}
    within = shared.area >= outline.area * 0.99
    if park is not None and other.park.organisation_id == park.organisation_id:
        values["plot"] = other.name
        if within:
            return _("The outline lies within the plot “%(plot)s”.") % values
        message = _(
            "The outline overlaps the plot “%(plot)s” by about %(area)s, %(side)s."
        )
        return message % values
    values["organisation"] = other.park.organisation.short_name
    if within:
        return _("The outline lies within a plot of %(organisation)s.") % values
    message = _(
        "The outline overlaps a plot of %(organisation)s by about %(area)s, %(side)s."
    )
    return message % values


def _plots_stay_inside(problems, perimeter, park_pk):
    for plot in Plot.objects.filter(park_id=park_pk).only("pk", "name", "geom"):
        outside = _outside(plot.geom, perimeter)
        if outside is None:
            continue
        problems.add(
            "geom",
            _(
                "The plot “%(plot)s” would no longer lie in the park: about "
                "%(area)s of it would be outside, %(side)s."
            )
            % {
                "plot": plot.name,
                "area": _area(outside.area),
                "side": _side(outside, perimeter),
            },
            where=outside,
        )


# Words for areas, distances and directions.


def _compass(dx, dy):
    bearing = math.degrees(math.atan2(dx, dy)) % 360
    return round(bearing / 45) % 8


def _side(part, outline):
    """Where `part` lies on `outline`, in words ("on its north-east side")."""
    box = outline.envelope
    centre, spot = box.centroid, part.centroid
    dx, dy = spot.x - centre.x, spot.y - centre.y
    if math.hypot(dx, dy) < 0.1 * math.sqrt(box.area):
        return _("in its middle") if part.geom_type == "Point" else _("all around")
    return str(SIDES[_compass(dx, dy)])


def _direction(origin, target):
    centre, spot = origin.centroid, target.centroid
    return str(DIRECTIONS[_compass(spot.x - centre.x, spot.y - centre.y)])


def _integer(value):
    return number_format(value, 0, force_grouping=True)


def _area(m2):
    if m2 < 1_000:
        significant = max(1, round(m2, 1 - int(math.log10(max(m2, 1)))))
        return _("%(value)s m²") % {"value": _integer(significant)}
    digits = 1 if m2 < 100 * 10_000 else 0
    return _("%(value)s ha") % {
        "value": number_format(m2 / 10_000, digits, force_grouping=True)
    }


def _distance(metres):
    if metres < 1_000:
        return _("%(value)s m") % {"value": _integer(max(10, round(metres, -1)))}
    return _("%(value)s km") % {
        "value": number_format(metres / 1_000, 1, force_grouping=True)
    }


def _grown(extent, margin):
    xmin, ymin, xmax, ymax = extent
    return (xmin - margin, ymin - margin, xmax + margin, ymax + margin)


# Cells of the in-memory indexes: a plot is tens of metres across (a 500 m
# cell held a thousand of the benchmark's), a commune a few kilometres.
GRID_M = 100
COMMUNE_GRID_M = 2_000


def _cells(extent, size):
    x0, y0, x1, y1 = (int(value // size) for value in extent)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _cell_count(extent, size):
    x0, y0, x1, y1 = (int(value // size) for value in extent)
    return (x1 - x0 + 1) * (y1 - y0 + 1)


def _grid_of(extents, size):
    """Cell -> the keys whose box reaches into it, from (key, box) pairs."""
    grid = {}
    for key, extent in extents:
        for cell in _cells(extent, size):
            grid.setdefault(cell, set()).add(key)
    return grid


def _keys_near(grid, box, size):
    """The keys in the cells `box` reaches, or None (look at them all) when
    it reaches more cells than the index holds: a huge or stray outline."""
    if _cell_count(box, size) > max(len(grid), 1):
        return None
    return set().union(*(grid.get(cell, ()) for cell in _cells(box, size)))


def _boxes_meet(a, b):
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _box_within(inner, outer):
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )
