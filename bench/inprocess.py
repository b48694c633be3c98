"""What each page costs in Python, as a ratio to the bare Django view, measured
in one process: no HTTP server, no load generator, no queueing.

bench/run measures what users get (gunicorn, wrk, 16 connections), but on a
shared machine its ratios move by 2x between runs. Here the benchmark's WSGI
application (bench/wsgi.py: production settings) is called directly, and each
page is timed between two runs of the bare view, many times over: a page's
figure is the median of those interleaved ratios, of the wall time (its SQL
included) and of the process's CPU time (which the rest of the machine's load
barely moves). Run with the environment bench/run sets (or the defaults below)
on a database it prepared:

    .venv/bin/python bench/inprocess.py [--rounds 15] [--batch 20] [--only home,search]

"miss" is the page cache off (LISTINGS_PAGE_CACHE, as bench/run's first
phase; the data caches stay on), "hit" with it on and the page stored. The
tiles of bench/tile_paths.py are rows too, named by their zoom (`--only "tile
z5,tile z9"`); miss is a tile built.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
for name, value in {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://127.0.0.1",
    "TRUSTED_PROXIES": "1",
    "DATABASE_URL": "postgis://postgres@127.0.0.1:5432/investinartois_bench",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "EMAIL_HOST": "127.0.0.1",
    "STAFF_SUPPORT_EMAIL": "bench@example.com",
}.items():
    os.environ.setdefault(name, value)

from django.conf import settings  # noqa: E402 (after the environment)
from django.utils import translation  # noqa: E402

from bench.tile_paths import tile_paths  # noqa: E402
from bench.wsgi import BARE_PATH, application  # noqa: E402


def plot_path():
    from sites.models import Plot

    plot = Plot.objects.published().filter(is_demo=True).order_by("slug").first()
    with translation.override("fr"):
        return plot.get_absolute_url()


def environ(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        # As behind the production proxy (bench/run's headers).
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def get(path):
    """One request through the WSGI application; its status and size."""
    status = []
    body = application(environ(path), lambda s, headers, exc=None: status.append(s))
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0], size


def timed(path, batch):
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(batch):
        get(path)
    return (time.perf_counter() - wall) / batch, (time.process_time() - cpu) / batch


def measure(path, rounds, batch):
    """Median over rounds of page / mean(bare before, bare after), wall and
    CPU; and the page's median wall time in ms."""
    wall_ratios, cpu_ratios, walls = [], [], []
    before = timed(BARE_PATH, batch)
    for _ in range(rounds):
        page = timed(path, batch)
        after = timed(BARE_PATH, batch)
        wall_ratios.append(page[0] / ((before[0] + after[0]) / 2))
        cpu_ratios.append(page[1] / max((before[1] + after[1]) / 2, 1e-9))
        walls.append(page[0])
        before = after
    return (
        statistics.median(wall_ratios),
        statistics.median(cpu_ratios),
        statistics.median(walls) * 1000,
        before[0] * 1000,
    )


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--phases", default="miss,hit")
    args = parser.parse_args()
    pages = {
        "minimal view, portal middleware": "/bench/minimal/",
        "home": "/fr/",
        "search": "/fr/recherche/",
        "search, largest first": "/fr/recherche/?sort=-surface",
        "search, page 50": "/fr/recherche/?page=50",
        "plot": plot_path(),
        "map API": "/api/v1/plots.geojson",
    }
    # The tiles bench/run measures, named by their zoom ("tile z5": the full
    # names hold commas, which --only splits on).
    for name, path in tile_paths():
        pages[name.split(",")[0]] = path
    if args.only:
        # A name up to its first comma is enough ("minimal view"): --only
        # splits on commas, which some names hold.
        wanted = {name.strip() for name in args.only.split(",")}
        pages = {
            name: path
            for name, path in pages.items()
            if name in wanted or name.split(",")[0] in wanted
        }
    say(
        f"{args.rounds} rounds of {args.batch} requests, interleaved with the bare"
        f" view; load average {os.getloadavg()[0]:.1f} at the start"
    )
    say("| cache | page | KB | × bare, wall | × bare, CPU | ms | bare ms |")
    say("|---|---|--:|--:|--:|--:|--:|")
    for phase in args.phases.split(","):
        settings.LISTINGS_PAGE_CACHE = phase == "hit"
        for name, path in pages.items():
            if phase == "miss" and name.startswith("minimal"):
                continue
            status, size = get(path)  # warm: the data caches, and the page in "hit"
            if not status.startswith("200"):
                say(f"| {phase} | {name} | answered {status} | | | | |")
                continue
            wall, cpu, ms, bare_ms = measure(path, args.rounds, args.batch)
            say(
                f"| {phase} | {name} | {size / 1000:.0f} | {wall:.1f} | {cpu:.1f}"
                f" | {ms:.2f} | {bare_ms:.3f} |",
            )
    say(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
