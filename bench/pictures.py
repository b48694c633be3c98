"""Picture benchmark: what each thumbnail and sharing card costs to draw.

    .venv/bin/python bench/pictures.py          # SpatiaLite (DATABASE_URL for PostGIS)

It creates a throw-away test database, loads the territory and the demo, and
draws, for the demo's largest park and its largest plot, each picture of
sites/pictures.py with the cache emptied before every drawing (what the first
visitor after a listing change waits for). The home page's territory map is
drawn the same way. Best of ROUNDS, wall clock and CPU time of this process
(CPU time is what the drawing costs, whatever else the machine runs). Prints a
Markdown table for docs/performance.md and exits 1 when a picture takes more
than BUDGET_MS of CPU.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investinartois.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import translation  # noqa: E402

ROUNDS = 20
BUDGET_MS = 50


def best_of(draw):
    wall, cpu = [], []
    for _ in range(ROUNDS):
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        draw()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return min(wall), min(cpu)


def main():
    from portal.territory_map import territory_map
    from sites import pictures
    from sites.demo import demo_load
    from sites.models import BusinessPark
    from sites.territory import territory_import

    territory_import()
    demo_load()
    park = BusinessPark.objects.order_by("-surface_gross_ha").first()
    plot = park.plots.order_by("-surface_ha").first()
    cases = [
        (
            f"park thumbnail (SVG), {park.name}",
            lambda: pictures.park_thumbnail(park.slug),
        ),
        (f"park card (PNG), {park.name}", lambda: pictures.park_card(park.slug)),
        (
            f"plot thumbnail (SVG), {plot.name}",
            lambda: pictures.plot_thumbnail(plot.slug),
        ),
        (f"plot card (PNG), {plot.name}", lambda: pictures.plot_card(plot.slug)),
        ("home map of the territory (SVG)", territory_map),
    ]
    out = sys.stdout.write
    out("| picture | wall ms (best) | CPU ms (best) |\n|---|--:|--:|\n")
    over = False
    with translation.override("fr"):
        for name, draw in cases:
            wall, cpu = best_of(draw)
            out(f"| {name} | {wall:.1f} | {cpu:.1f} |\n")
            over |= name != "home map of the territory (SVG)" and cpu > BUDGET_MS
    return 1 if over else 0


if __name__ == "__main__":
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        status = main()
    finally:
        teardown_databases(databases, verbosity=0)
    sys.exit(status)
