"""bench/tile_paths.py: the tiles bench/run measures exist on the demo data
alone, hold the densest commune's plots, and are the same from run to run."""

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db.models import Count

from bench import tile_paths
from core.mvt import WEB_MERCATOR, tile_bounds
from sites.models import Plot

pytestmark = pytest.mark.django_db


def test_the_tiles_hold_the_densest_communes_plots(demo, client):
    paths = tile_paths.tile_paths()
    named = [*tile_paths.TILES, *tile_paths.FILTERED]
    assert [name for name, _ in paths] == [name for _, name in named]
    assert all(name.startswith("tile") for name, _ in paths)  # report.py's rule
    assert tile_paths.tile_paths() == paths
    offer = Plot.objects.on_offer()
    counts = offer.values("commune").annotate(n=Count("pk")).order_by("-n")
    most = counts[0]["n"]
    assert most > 1
    densest = {c["commune"] for c in counts if c["n"] == most}
    tiles = {}
    for name, path in paths:
        response = client.get(path)
        assert response.status_code == 200, name
        tiles[name] = mapbox_vector_tile.decode(response.content)
    (z5_filtered, _), (z9_filtered, _) = paths[-2:]
    *counted, (close_up, _) = paths[:-2]
    for name, _ in counted:  # a cluster counts at least the densest commune's
        clusters = tiles[name]["clusters"]["features"]
        assert max(f["properties"]["plots"] for f in clusters) >= most, name
    outlined = {f["id"] for f in tiles[close_up]["plots"]["features"]}
    communes = set(offer.filter(pk__in=outlined).values_list("commune", flat=True))
    assert communes & densest
    # Filtered, the France-wide tile counts every plot of 5 ha or more (the
    # demo's all lie in it), no more; the zoom-9 one some of them.
    large = offer.filter(surface_ha__gte=5).count()
    assert 0 < large < offer.count()
    assert plots_counted(tiles[z5_filtered]) == large
    assert 0 < plots_counted(tiles[z9_filtered]) <= large
    for name, path in paths[-2:]:
        assert path.endswith("?" + tile_paths.FILTER), name


def test_tile_of_is_the_tile_holding_the_point():
    for lon, lat in ((2.78, 50.29), (-4.5, 48.4), (7.7, 43.7)):  # Arras, Brest, Nice
        point = Point(lon, lat, srid=4326).transform(WEB_MERCATOR, clone=True)
        for zoom in (0, 5, 9, 12, 15):
            z, x, y = tile_paths.tile_of(lon, lat, zoom)
            west, south, east, north = tile_bounds(z, x, y)
            assert west <= point.x < east and south < point.y <= north


def plots_counted(tile):
    return sum(f["properties"]["plots"] for f in tile["clusters"]["features"])


def test_the_new_search_tiles_take_a_bound(demo, client):
    # bench/new_search.lua appends a bound from 5 to 5.9999 ha to each path.
    paths = tile_paths.new_search_paths()
    assert [name for name, _ in paths] == [name for _, name in tile_paths.NEW_SEARCH]
    assert all(name.startswith("tile") for name, _ in paths)  # report.py's rule
    large = Plot.objects.on_offer().filter(surface_ha__gte="5.0001").count()
    assert large
    (z5, path), *_ = paths
    assert path.endswith("?surface_min="), z5
    response = client.get(path + "5.0001")
    assert response.status_code == 200
    assert plots_counted(mapbox_vector_tile.decode(response.content)) == large
