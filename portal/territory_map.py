"""The home page's map of the territory, drawn from our own data as SVG.

No tile server and no script: the 150 communes coloured by agglomeration, the
Parc des Industries Artois-Flandres (SIZIAF's zone), the parks sized by their
available hectares and linked to their pages, the main towns and the
neighbouring cities. Lambert-93 is metric and conformal, so an affine scaling
of it is a fair map at this size. The result is kept until a listing changes
(core/caching.py), for every language: it holds names and numbers only.
"""

from dataclasses import dataclass, field, replace
from math import sqrt

from django.contrib.gis.geos import MultiPolygon, Polygon

from core.caching import listings_cached
from sites.models import SRID, BusinessPark, Commune, Organisation
from sites.selectors import parks_with_available_ha

WIDTH = 600  # SVG units; the page scales it
MARGIN = 12
# About one SVG unit at this scale: finer detail would only add bytes.
SIMPLIFY_M = 120
MAX_PARKS = 60  # at a regional scale, the largest; the list below says how many

# The territory's main towns and the neighbouring cities investors know, by
# INSEE code (the commune table holds a point for every commune of the Nord,
# the Pas-de-Calais and the Somme).
TOWNS = ("62119", "62498", "62510", "62427", "62178", "62215")
CITIES = ("59350", "62041", "59178")  # Lille, Arras, Douai


# A name's box, in SVG units, as site.css writes it (14 px, bold for cities):
# estimated from its length, which is enough to keep two names apart.
LABEL_SIZE = 14
LABEL_CHAR = {False: 0.6 * LABEL_SIZE, True: 0.66 * LABEL_SIZE}
LABEL_GAP = 8  # from the dot
# Where a name may go, in this order: (dx, dy, text-anchor) from its dot.
LABEL_SPOTS = (
    (LABEL_GAP, 4, "start"),
    (-LABEL_GAP, 4, "end"),
    (0, -LABEL_GAP, "middle"),
    (0, LABEL_GAP + LABEL_SIZE, "middle"),
)


@dataclass(frozen=True)
class Place:
    x: float
    y: float
    name: str
    is_city: bool
    # Where its name is written (_labels_placed).
    dx: int = LABEL_GAP
    dy: int = 4
    anchor: str = "start"

    def label_box(self, dx, dy, anchor):
        """(left, top, right, bottom) of the name written at dx, dy."""
        width = len(self.name) * LABEL_CHAR[self.is_city]
        left = self.x + dx - {"start": 0, "middle": width / 2, "end": width}[anchor]
        baseline = self.y + dy
        return (left, baseline - LABEL_SIZE * 0.8, left + width, baseline + 3)


@dataclass(frozen=True)
class ParkMark:
    x: float
    y: float
    radius: float
    name: str
    slug: str  # the link is written in the page's language
    available_ha: object  # Decimal
    organisation: str


@dataclass
class TerritoryMap:
    width: int = WIDTH
    height: int = 0
    # One path per agglomeration: its communes' outlines, in one `d`.
    areas: list[tuple[str, str, str]] = field(default_factory=list)  # slug, name, d
    zones: list[str] = field(default_factory=list)  # SIZIAF's park perimeters
    parks: list[ParkMark] = field(default_factory=list)
    parks_total: int = 0
    places: list[Place] = field(default_factory=list)
    communes: int = 0

    @property
    def is_empty(self):
        return not self.areas


class _Projection:
    """Lambert-93 metres to SVG units: x to the right, y downwards."""

    def __init__(self, extent):
        xmin, ymin, xmax, ymax = extent
        self.scale = (WIDTH - 2 * MARGIN) / max(xmax - xmin, 1)
        self.xmin, self.ymax = xmin, ymax
        self.height = round((ymax - ymin) * self.scale + 2 * MARGIN)

    def point(self, x, y):
        return (
            round((x - self.xmin) * self.scale + MARGIN, 1),
            round((self.ymax - y) * self.scale + MARGIN, 1),
        )

    def path(self, geometry):
        """A compact SVG path: an absolute start, then whole-unit steps, each
        ring closed; steps that round to nothing are dropped."""
        parts = []
        polygons = geometry if isinstance(geometry, MultiPolygon) else [geometry]
        for polygon in polygons:
            for ring in polygon:
                points = [
                    (
                        round((x - self.xmin) * self.scale + MARGIN),
                        round((self.ymax - y) * self.scale + MARGIN),
                    )
                    for x, y in ring.coords
                ]
                steps, (last_x, last_y) = [], points[0]
                for x, y in points[1:]:
                    if (x, y) != (last_x, last_y):
                        steps.append(f"{x - last_x} {y - last_y}")
                        last_x, last_y = x, y
                if len(steps) >= 2:
                    parts.append(f"M{points[0][0]} {points[0][1]}l{' '.join(steps)}z")
        return "".join(parts).replace(" -", "-")


def territory_map():
    return listings_cached("territory_map", _territory_map, per_language=False)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _labels_placed(places, width, height):
    """The places, each name where it overlaps no name placed before it and
    no other dot, inside the picture: to the right of its dot if it can, else
    to the left, above or below (Liévin's name ran into Hénin-Beaumont's).
    Cities first, then from west to east; a name that fits nowhere keeps the
    first spot inside the picture."""
    dots = [(p.x - 5, p.y - 5, p.x + 5, p.y + 5) for p in places]
    taken, placed = [], []
    for place in sorted(places, key=lambda p: (not p.is_city, p.x, p.name)):
        spots = [(spot, place.label_box(*spot)) for spot in LABEL_SPOTS]
        inside = [
            (spot, box)
            for spot, box in spots
            if box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
        ] or spots
        own = (place.x - 5, place.y - 5, place.x + 5, place.y + 5)
        free = [
            (spot, box)
            for spot, box in inside
            if not any(_overlap(box, other) for other in taken)
            and not any(_overlap(box, dot) for dot in dots if dot != own)
        ]
        (dx, dy, anchor), box = (free or inside)[0]
        taken.append(box)
        placed.append(replace(place, dx=dx, dy=dy, anchor=anchor))
    return placed


def _territory_map():
    communes = list(
        Commune.objects.in_territory()
        .select_related("organisation")
        .only("boundary", "organisation__slug", "organisation__short_name")
        .order_by("organisation__short_name")
    )
    communes = [commune for commune in communes if commune.boundary]
    if not communes:
        return TerritoryMap()
    places = list(
        Commune.objects.filter(insee__in=TOWNS + CITIES).only("insee", "name", "point")
    )
    extent = _extent(
        [c.boundary.extent for c in communes] + [p.point.extent for p in places]
    )
    projection = _Projection(extent)
    result = TerritoryMap(height=projection.height, communes=len(communes))

    by_organisation = {}
    for commune in communes:
        outline = commune.boundary.simplify(SIMPLIFY_M, preserve_topology=True)
        by_organisation.setdefault(commune.organisation, []).append(
            projection.path(outline)
        )
    result.areas = [
        (organisation.slug, organisation.short_name, "".join(paths))
        for organisation, paths in by_organisation.items()
    ]
    points = []
    for place in places:
        x, y = projection.point(*place.point.coords)
        points.append(Place(x, y, place.name, place.insee in CITIES))
    result.places = _labels_placed(points, result.width, result.height)

    frame = Polygon.from_bbox(extent)
    frame.srid = SRID
    parks = parks_with_available_ha().filter(centroid__within=frame)
    result.parks_total = parks.count()
    largest = parks.order_by("-available_ha", "name")[:MAX_PARKS]
    fields = ("name", "slug", "centroid", "organisation__short_name")
    for park in largest.select_related("organisation").only(*fields):
        x, y = projection.point(*park.centroid.coords)
        result.parks.append(
            ParkMark(
                x,
                y,
                round(3 + 2 * sqrt(float(park.available_ha)), 1),
                park.name,
                park.slug,
                park.available_ha,
                park.organisation.short_name,
            )
        )
    syndicate = BusinessPark.objects.published().filter(
        organisation__kind=Organisation.Kind.SYNDICATE
    )
    for park in syndicate.only("perimeter"):
        outline = park.perimeter.simplify(SIMPLIFY_M / 4, preserve_topology=True)
        result.zones.append(projection.path(outline))
    return result


def _extent(extents):
    xmins, ymins, xmaxs, ymaxs = zip(*extents, strict=True)
    return min(xmins), min(ymins), max(xmaxs), max(ymaxs)
