"""Vector-tile benchmark: what the search map's tiles cost at 10k to 1M plots.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/ia_bench \\
        .venv/bin/python bench/tiles.py 100000 [france|territory]

On the database DATABASE_URL names (migrated, with `import_territory`), it
writes the synthetic dataset (`manage.py synthetic_dataset`), then asks for
the tiles a visitor's map would: at each zoom, the tiles holding 20 plots
drawn at random (the same ones from run to run), plus the whole-France tiles
of zooms 5 to 7, through Django's test client with the page cache off (every
request builds its tile), then once more with it on (a cached tile). It
prints a Markdown table (milliseconds, the tile's gzipped size) and removes
the synthetic data again, unless BENCH_KEEP=1.
"""

import gzip
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investinartois.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.tile_paths import tile_of  # noqa: E402
from sites.models import Plot  # noqa: E402
from sites.synthetic import synthetic_exists  # noqa: E402

ZOOMS = (5, 7, 8, 10, 12, 13, 15)
SAMPLE = 20


def sample_points():
    plots = Plot.objects.on_offer().filter(slug__startswith="synthetic-")
    ids = list(plots.values_list("pk", flat=True))
    chosen = random.Random(12).sample(ids, min(SAMPLE, len(ids)))
    points = []
    for plot in Plot.objects.filter(pk__in=chosen).only("geom"):
        point = plot.geom.point_on_surface.transform(4326, clone=True)
        points.append((point.x, point.y))
    return points


def measure(client, tiles):
    times, sizes = [], []
    for z, x, y in tiles:
        started = time.perf_counter()
        response = client.get(f"/api/v1/tiles/{z}/{x}/{y}.pbf")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
        sizes.append(len(gzip.compress(response.content)))
    return times, sizes


def p95(values):
    return sorted(values)[max(0, math.ceil(len(values) * 0.95) - 1)]


def main():
    plots = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    spread = sys.argv[2] if len(sys.argv) > 2 else "france"
    if synthetic_exists():
        call_command("synthetic_dataset", remove=True)
    call_command("synthetic_dataset", plots=plots, spread=spread)
    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    points = sample_points()
    client = Client(HTTP_HOST="localhost")
    rows = []
    france = [tile_of(2.5, 46.5, z) for z in (5, 6, 7)]
    for zoom in ("France z5-7", *ZOOMS):
        if zoom == "France z5-7":
            tiles = france
        else:
            tiles = sorted({tile_of(lon, lat, zoom) for lon, lat in points})
        settings.LISTINGS_PAGE_CACHE = False
        built, sizes = measure(client, tiles)
        settings.LISTINGS_PAGE_CACHE = True
        cache.clear()
        measure(client, tiles)  # fills the cache
        cached, _ = measure(client, tiles)
        rows.append(
            f"| {zoom} | {len(tiles)} | {statistics.median(built):.0f} | "
            f"{p95(built):.0f} | {max(built):.0f} | {p95(cached):.1f} | "
            f"{statistics.median(sizes) / 1024:.1f} | {max(sizes) / 1024:.1f} |"
        )
    header = (
        "| zoom | tiles | built p50 ms | p95 ms | max ms | cached p95 ms "
        "| gzip p50 KiB | gzip max KiB |\n|---|--:|--:|--:|--:|--:|--:|--:|"
    )
    title = f"{plots:,} synthetic plots ({spread}), {connection.vendor}"
    sys.stdout.write(f"\n{title}\n\n{header}\n" + "\n".join(rows) + "\n")
    if os.environ.get("BENCH_KEEP") != "1":
        call_command("synthetic_dataset", remove=True)


if __name__ == "__main__":
    main()
