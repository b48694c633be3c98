"""The base map: OpenStreetMap by default (with its required attribution), or
IGN's Plan IGN with MAP_TILES=ign."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from investinartois.env import env, env_int

TILE_PROVIDERS = {
    "osm": (
        "https://tile.openstreetmap.org",
        (
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            {
                # Translated when a page writes its map options (lazy).
                "attribution": format_lazy(
                    '<a href="https://www.openstreetmap.org/copyright">{}</a>',
                    _("© OpenStreetMap contributors"),
                ),
                "maxZoom": 19,
            },
        ),
    ),
    "ign": (
        "https://data.geopf.fr",
        (
            "Plan IGN",
            "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal"
            "&FORMAT=image/png&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}"
            "&TILECOL={x}",
            {"attribution": "© IGN-F/Géoportail", "maxZoom": 19},
        ),
    ),
}
MAP_TILES = env("MAP_TILES", "osm")
if MAP_TILES not in TILE_PROVIDERS:
    raise ImproperlyConfigured(f"MAP_TILES must be one of {', '.join(TILE_PROVIDERS)}.")
TILE_HOST, _tiles = TILE_PROVIDERS[MAP_TILES]

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.47, 2.75),
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 19,
    "TILES": [_tiles],
    "RESET_VIEW": False,
    # Leaflet's own prefix carries an English title; the name alone is the
    # same in every language.
    "ATTRIBUTION_PREFIX": '<a href="https://leafletjs.com">Leaflet</a>',
}

# Blocks of the search map a client may have counted in a minute for searches
# no one asked before (sites.tiles: up to 0.7 s of PostgreSQL each at a
# million plots); past it, such tiles answer 429 until the next minute. A
# person's map counts a few per search; 0 lifts the limit.
TILE_COUNTS_PER_MINUTE = env_int("TILE_COUNTS_PER_MINUTE", 60, minimum=0)
# Plot sheets (PDF) a client may have built in a minute: a sheet not kept yet
# takes seconds of layout; one kept is served to anyone without counting.
# Past it, 429 until the next minute; 0 lifts the limit.
PLOT_SHEETS_PER_MINUTE = env_int("PLOT_SHEETS_PER_MINUTE", 10, minimum=0)
