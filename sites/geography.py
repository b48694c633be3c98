"""Where a piece of land stands: straight-line distances to the places investors
ask about, and the labour pool around it.

Geometries come in the storage projection (Lambert-93, metric); reference places
are WGS84 longitudes and latitudes.

The labour pool counts French communes only (the commune data covers the Nord,
Pas-de-Calais and Somme); each radius says whether it reaches across the
Belgian border, a line committed with the commune data (sites/data/README.md)
and measured like the communes, in Lambert-93 metres.
"""

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.measure import D
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from .models import SRID, Commune

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
LABOUR_POOL_RADII_KM = (20, 45)
BORDER_FILE = Path(__file__).parent / "data" / "border-be.wkt"


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    lon: float
    lat: float


# Coordinates are facts; each comes with its source.
REFERENCE_PLACES = (
    # Grand'Place (place du Général-de-Gaulle), 50°38′13″N 3°03′48″E:
    # Wikipédia, « Place du Général-de-Gaulle (Lille) ».
    Place("lille", _("Lille"), 3.063333, 50.636944),
    # Point zéro des routes de France, parvis Notre-Dame,
    # 48°51′12.25″N 2°20′55.63″E: Wikipédia, « Point zéro des routes de France ».
    Place("paris", _("Paris"), 2.348785, 48.853402),
    # Grand-Place, 50°50′48″N 4°21′09″E: Wikipedia, « Grand-Place »
    # (Unesco World Heritage site 857).
    Place("brussels", _("Brussels"), 4.3525, 50.846667),
    # Charing Cross (statue of Charles I), from which distances from London are
    # measured, 51°30′26″N 0°07′39″W: Wikipedia, « Charing Cross ».
    Place("london", _("London"), -0.1275, 51.507222),
    # Aerodrome reference point of LFQQ, 50°33′48″N 003°05′13″E:
    # AIP France, AD 2 LFQQ (SIA, AIRAC 2024-03-21).
    Place("lille-airport", _("Lille-Lesquin Airport"), 3.086944, 50.563333),
    # Port Est, at Dunkirk town hall, 51°02′18″N 2°22′39″E: Wikipedia, « Dunkirk ».
    # The Port Ouest (container terminal) lies some 15 km further west.
    Place("dunkirk-port", _("Port of Dunkirk"), 2.3775, 51.038333),
)


@dataclass(frozen=True)
class Distance:
    place: Place
    km: float


@dataclass(frozen=True)
class Catchment:
    radius_km: int
    inhabitants: int
    population_year: int | None  # the census vintage of the figures
    reaches_belgium: bool  # whose inhabitants are not counted


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance on the mean-radius sphere (within 0.5 % of the
    ellipsoid, plenty for a distance shown in whole kilometres)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distances_from(point, places=REFERENCE_PLACES):
    """Straight-line distances from a WGS84 `point` to each reference place."""
    return [
        Distance(place, haversine_km(point.x, point.y, place.lon, place.lat))
        for place in places
    ]


@functools.cache
def belgian_border():
    """The Nord's border with Belgium, a Lambert-93 line (about 100 m accurate)."""
    return GEOSGeometry(BORDER_FILE.read_text(encoding="ascii"), srid=SRID)


def labour_pool(geometry, radii_km=LABOUR_POOL_RADII_KM):
    """Inhabitants of the French communes whose point lies within each radius
    of `geometry`, in one query: one conditional sum per radius."""
    return labour_pools([geometry], radii_km)[0]


def labour_pools(geometries, radii_km=LABOUR_POOL_RADII_KM):
    """`labour_pool` of each geometry, all in one query (the comparison page
    shows up to four plots side by side)."""
    geometries = [
        g if g.srid == SRID else g.transform(SRID, clone=True) for g in geometries
    ]
    sums = {
        f"within_{index}_{radius}": Sum(
            "population", filter=Q(point__dwithin=(geometry, D(km=radius)))
        )
        for index, geometry in enumerate(geometries)
        for radius in radii_km
    }
    # The outer filter lets PostGIS use the spatial index.
    reach = Q()
    for geometry in geometries:
        reach |= Q(point__dwithin=(geometry, D(km=max(radii_km))))
    totals = Commune.objects.filter(reach).aggregate(
        **sums, year=Max("population_year")
    )
    border = belgian_border()
    pools = []
    for index, geometry in enumerate(geometries):
        to_belgium_m = geometry.distance(border)
        pools.append(
            [
                Catchment(
                    radius_km=radius,
                    inhabitants=totals[f"within_{index}_{radius}"] or 0,
                    population_year=totals["year"],
                    reaches_belgium=to_belgium_m <= radius * 1000,
                )
                for radius in radii_km
            ]
        )
    return pools
