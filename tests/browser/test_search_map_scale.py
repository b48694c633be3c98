"""The search map at 100,000 plots, in a real browser: with a filter applied,
it zooms and pans (fast pans whose tiles are superseded among them) and at
every step draws every matching plot in view, counted in clusters up to zoom
12 and outlined beyond, checked tile by tile against the database; nothing
fails in the console or on the network.

What the map drew is read from Leaflet.VectorGrid's own renderers (vendored
1.3.0, static/vendor/): each tile's SVG renderer keeps the symbolizers it drew
(`_layers`, each with the feature's properties and its SVG path) and, by
feature id, the outlines (`_features`). Nothing is added to the map script for
the test: the map is kept as in test_search_area.py, from its `map:init` event.
"""

import math
import re
import time

import pytest
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Count
from playwright.sync_api import expect

from sites.grid import grid_build, grid_in_use
from sites.models import SRID, BusinessPark
from sites.search import plot_search
from sites.synthetic import synthetic_generate

from .test_search_area import KEEP_MAPS

POSTGRES = connection.vendor == "postgresql"
# On offer and 2 ha or more: about one synthetic plot in nine.
FILTER = {"surface_min": "2"}
HALF_WORLD = math.pi * 6_378_137  # Web Mercator's half width, in metres
TILE_PX = 256
CLUSTERS_UP_TO = 12  # sites/tiles.py: outlines beyond
# An outline is drawn whole on each tile it meets: the tile carries it up to
# this far beyond its edge (sites/tiles.py's OUTLINE_BUFFER, in 1/4096 of a
# tile), so a plot that only touches a tile's margin may be drawn there too.
MARGIN = 64 / 4096
WAIT_MS = 45_000  # a low-zoom tile at 100,000 plots takes a second or two

# What the search map shows once it has stopped and every tile in view is
# drawn (null until then): the view in pixels at its zoom and, per tile in
# view, the plots its clusters count (only the clusters whose centre is in the
# tile: a neighbour's own are drawn in its margin too) and the ids of the
# outlines it drew.
DRAWN = """() => {
  const map = window.testMaps && window.testMaps["search-map"];
  if (!map || map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) {
    return null;
  }
  let layer = null;
  map.eachLayer((l) => { if (l instanceof L.VectorGrid) layer = l; });
  const zoom = map.getZoom();
  if (!layer || layer.isLoading() || layer._tileZoom !== zoom) return null;
  const view = map.getPixelBounds();
  const first = view.min.divideBy(256).floor();
  const last = view.max.divideBy(256).ceil().subtract([1, 1]);
  const tiles = [];
  for (let x = first.x; x <= last.x; x++) {
    for (let y = first.y; y <= last.y; y++) {
      const key = x + ":" + y + ":" + zoom;
      const tile = layer._tiles[key];
      const renderer = layer._vectorTiles[key];
      if (!tile || !tile.loaded || !renderer) return null;
      let plots = 0;
      let clusters = 0;
      Object.values(renderer._layers).forEach((drawn) => {
        if (!drawn._path.isConnected || drawn.properties.plots === undefined) return;
        clusters += 1;
        const p = drawn._point;
        if (p.x >= 0 && p.y >= 0 && p.x < 256 && p.y < 256) {
          plots += drawn.properties.plots;
        }
      });
      const ids = Object.entries(renderer._features)
        .filter(([id, f]) => f.layerName === "plots" && f.feature._path.isConnected)
        .map(([id, f]) => Number(id));
      tiles.push({ x, y, plots, clusters, ids });
    }
  }
  return {
    zoom,
    view: [view.min.x, view.min.y, view.max.x, view.max.y],
    tiles,
  };
}"""

# Where a point is in the map's container, in pixels.
ON_SCREEN = """([lat, lng]) => {
  const point = window.testMaps["search-map"].latLngToContainerPoint([lat, lng]);
  return [point.x, point.y];
}"""

ZOOMED = """(zoom) => {
  const map = window.testMaps["search-map"];
  return map.getZoom() === zoom && !map._animatingZoom;
}"""

PAN_ANIMATION_OVER = """() => {
  const map = window.testMaps["search-map"];
  return !(map._panAnim && map._panAnim._inProgress);
}"""


def mercator(px, py, zoom):
    """A pixel of Leaflet's world at `zoom` in Web Mercator metres."""
    size = 2 * HALF_WORLD / (TILE_PX * 2**zoom)
    return px * size - HALF_WORLD, HALF_WORLD - py * size


def tile_box(zoom, x, y, margin=0.0):
    west, north = mercator(x * TILE_PX, y * TILE_PX, zoom)
    east, south = mercator((x + 1) * TILE_PX, (y + 1) * TILE_PX, zoom)
    grow = (east - west) * margin
    return west - grow, south - grow, east + grow, north + grow


class Truth:
    """What the map should show, from the database: the plots the search
    finds with the same filter, per park (whose centre places its cluster)
    and, close up, by outline (in Web Mercator, as the map projects them)."""

    def __init__(self, params):
        search = plot_search(params=params)
        assert search.is_valid()
        self.plots = search.qs.order_by()
        counted = dict(
            self.plots.values_list("park").annotate(n=Count("pk")).order_by()
        )
        centres = BusinessPark.objects.annotate(m=Transform("centroid", 3857))
        self.parks = [
            (point.x, point.y, counted[pk])
            for pk, point in centres.values_list("pk", "m")
            if pk in counted
        ]
        self.total = sum(counted.values())

    def clustered(self, zoom, x, y):
        west, south, east, north = tile_box(zoom, x, y)
        return sum(
            n for px, py, n in self.parks if west <= px < east and south < py <= north
        )

    def outlines(self, zoom, tiles):
        """(pk, outline in Web Mercator) of the matching plots near the tiles."""
        xs = [t["x"] for t in tiles]
        ys = [t["y"] for t in tiles]
        west, _s, _e, north = tile_box(zoom, min(xs), min(ys))
        _w, south, east, _n = tile_box(zoom, max(xs), max(ys))
        grow = max(east - west, north - south) / 4  # Lambert-93 is not Mercator
        around = Polygon.from_bbox(
            (west - grow, south - grow, east + grow, north + grow)
        )
        around.srid = 3857
        storage = around.transform(SRID, clone=True).envelope
        near = self.plots.filter(geom__intersects=storage)
        return list(near.annotate(m=Transform("geom", 3857)).values_list("pk", "m"))


def number(count):
    """The count as the status line writes it in French (12 345 terrains)."""
    return re.compile(r"^" + f"{count:,}".replace(",", r"\s") + r"\s+\D")


class Walk:
    def __init__(self, visit, truth):
        self.visit = visit
        self.page = visit.page
        self.truth = truth
        self.steps = []  # (zoom, tiles in view, plots drawn in them)
        self.checked = {
            "cluster tiles": 0,
            "clustered plots": 0,
            "outline tiles": 0,
            "outlines": 0,
        }

    def drawn(self):
        handle = self.page.wait_for_function(DRAWN, polling="raf", timeout=WAIT_MS)
        return handle.json_value()

    def check(self):
        """Every matching plot in view is drawn: tile by tile, what the map
        drew against the database."""
        drawn = self.drawn()
        zoom = drawn["zoom"]
        if zoom <= CLUSTERS_UP_TO:
            self._check_clusters(drawn)
        else:
            self._check_outlines(drawn)
        return drawn

    def _check_clusters(self, drawn):
        zoom, tiles = drawn["zoom"], drawn["tiles"]
        wrong = {}
        for tile in tiles:
            wanted = self.truth.clustered(zoom, tile["x"], tile["y"])
            if tile["plots"] != wanted or tile["ids"]:
                wrong[(tile["x"], tile["y"])] = (
                    tile["plots"],
                    wanted,
                    len(tile["ids"]),
                )
        assert not wrong, (
            f"zoom {zoom}, tile: (drawn, in the database, outlines) {wrong}"
        )
        shown = sum(tile["plots"] for tile in tiles)
        # The status line says the same, as the visitor reads it.
        expect(self.page.locator("#map-status")).to_have_text(number(shown))
        self.steps.append((zoom, len(tiles), shown))
        self.checked["cluster tiles"] += len(tiles)
        self.checked["clustered plots"] += shown

    def _check_outlines(self, drawn):
        zoom, tiles = drawn["zoom"], drawn["tiles"]
        near = self.truth.outlines(zoom, tiles)
        drawn_ids = set()
        for tile in tiles:
            ids = set(tile["ids"])
            assert len(ids) == len(tile["ids"])
            inside = self._meeting(near, tile_box(zoom, tile["x"], tile["y"]))
            margin = self._meeting(near, tile_box(zoom, tile["x"], tile["y"], MARGIN))
            where = f"zoom {zoom}, tile {tile['x']}, {tile['y']}"
            assert inside <= ids, f"{where}: not drawn {sorted(inside - ids)}"
            assert ids <= margin, f"{where}: drawn, not matching {sorted(ids - margin)}"
            assert tile["clusters"] == 0
            drawn_ids |= ids
        # And so, every matching plot the visitor sees.
        x0, y0, x1, y1 = drawn["view"]
        west, north = mercator(x0, y0, zoom)
        east, south = mercator(x1, y1, zoom)
        seen = self._meeting(near, (west, south, east, north))
        assert seen <= drawn_ids
        self.steps.append((zoom, len(tiles), len(drawn_ids)))
        self.checked["outline tiles"] += len(tiles)
        self.checked["outlines"] += len(seen)

    @staticmethod
    def _meeting(plots, box):
        square = Polygon.from_bbox(box)
        square.srid = 3857
        return {pk for pk, outline in plots if outline.intersects(square)}

    def zoom(self, button, times):
        """Clicks on a zoom button, each once the last zoom has happened
        (Leaflet ignores one asked for during another), not waiting for the
        tiles: the next zoom supersedes them."""
        control = self.page.get_by_role("button", name=button)
        step = 1 if button == "Zoom avant" else -1
        zoom = self.page.evaluate('window.testMaps["search-map"].getZoom()')
        for _ in range(times):
            control.click()
            zoom += step
            self.page.wait_for_function(ZOOMED, arg=zoom, polling="raf")

    def pan(self, key, times):
        """A fast pan with the keyboard: Leaflet ignores a key while the last
        pan still moves, so each press waits for that (not for the tiles,
        whose requests the next pan supersedes)."""
        self.page.locator("#search-map").focus()
        for _ in range(times):
            self.page.keyboard.press(key)
            self.page.wait_for_function(PAN_ANIMATION_OVER, polling="raf")

    def centre_on(self, lat, lng):
        """Brings a place to the middle of the map with the arrow keys."""
        box = self.page.locator("#search-map").bounding_box()
        for _ in range(20):
            x, y = self.page.evaluate(ON_SCREEN, [lat, lng])
            dx, dy = x - box["width"] / 2, y - box["height"] / 2
            if abs(dx) <= 80 and abs(dy) <= 80:
                return
            if abs(dx) > abs(dy):
                key = "ArrowRight" if dx > 0 else "ArrowLeft"
            else:
                key = "ArrowDown" if dy > 0 else "ArrowUp"
            self.pan(f"Shift+{key}" if max(abs(dx), abs(dy)) > 240 else key, 1)
        raise AssertionError("the map did not come to the place")


def failed_requests(page):
    failed, aborted = [], []

    def finished(response):
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    def request_failed(request):
        # A tile that left the view is aborted on purpose: ours by
        # search-map.js, the background's by Leaflet itself on a fast pan.
        superseded = (
            "/api/v1/tiles/" in request.url or "tile.openstreetmap.org" in request.url
        )
        if "ERR_ABORTED" in (request.failure or "") and superseded:
            aborted.append(request.url)
        else:
            failed.append(f"{request.failure} {request.url}")

    page.on("response", finished)
    page.on("requestfailed", request_failed)
    return failed, aborted


POSTGIS_ONLY = pytest.mark.skipif(
    not POSTGRES,
    reason="writing 100,000 plots takes about 40 s on SpatiaLite (issue 12's budget "
    "is a minute per test): test_every_matching_plot_is_drawn_at_every_step[3k] walks "
    "the same map there",
)
SPATIALITE_ONLY = pytest.mark.skipif(
    POSTGRES, reason="the [100k] walk covers PostGIS (the same steps, more plots)"
)


@pytest.mark.parametrize(
    "plots",
    [
        pytest.param(100_000, id="100k", marks=POSTGIS_ONLY),
        pytest.param(3_000, id="3k", marks=SPATIALITE_ONLY),
    ],
)
def test_every_matching_plot_is_drawn_at_every_step(browse, plots, record_property):
    started = time.perf_counter()
    synthetic_generate(plots=plots, spread="territory", seed=12)
    if grid_in_use():
        # As a worker keeps it after an import: the filtered clusters read
        # their parks' centres from it (sites.tiles).
        grid_build()
    written = time.perf_counter()
    truth = Truth(FILTER)
    assert 0 < truth.total < plots
    # The busiest park among the matching ones: the walk goes close up there.
    target = (
        truth.plots.values("park")
        .annotate(n=Count("pk"))
        .order_by("-n", "park")
        .values_list("park", flat=True)
        .first()
    )
    centre = BusinessPark.objects.get(pk=target).centroid.transform(4326, clone=True)

    visit = browse()
    page = visit.page
    page.add_init_script(KEEP_MAPS)
    failed, aborted = failed_requests(page)
    walk = Walk(visit, truth)

    visit.goto("/fr/recherche/?" + "&".join(f"{k}={v}" for k, v in FILTER.items()))
    assert walk.check()["zoom"] == 10  # the territory, clustered
    walk.zoom("Zoom arrière", 2)
    assert walk.check()["zoom"] == 8
    assert walk.steps[-1][2] == truth.total  # every matching plot is in view
    walk.centre_on(centre.y, centre.x)
    walk.zoom("Zoom avant", 4)
    assert walk.check()["zoom"] == 12
    walk.centre_on(centre.y, centre.x)
    walk.zoom("Zoom avant", 1)
    assert walk.check()["zoom"] == 13  # outlines
    # Fast pans: tiles asked for on the way leave the view before they come.
    walk.pan("Shift+ArrowRight", 5)
    walk.pan("Shift+ArrowDown", 3)
    walk.check()
    walk.pan("Shift+ArrowLeft", 5)
    walk.pan("Shift+ArrowUp", 3)
    walk.check()
    walk.centre_on(centre.y, centre.x)
    walk.zoom("Zoom avant", 2)
    assert walk.check()["zoom"] == 15
    walk.zoom("Zoom arrière", 4)
    assert walk.check()["zoom"] == 11

    record_property("write s", round(written - started, 1))
    record_property("walk s", round(time.perf_counter() - written, 1))
    record_property("matching", truth.total)
    record_property("checked", walk.checked)
    record_property("steps", walk.steps)
    record_property("superseded tile requests", len(aborted))
    assert walk.checked["clustered plots"] > 0 and walk.checked["outlines"] > 0
    failed_text = page.evaluate(
        'JSON.parse(document.getElementById("search-map-text").textContent).failed'
    )
    expect(page.locator("#map-status")).not_to_have_text(failed_text)
    assert failed == []
    assert visit.errors == []
    assert visit.foreign == []
