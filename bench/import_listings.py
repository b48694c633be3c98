"""Import benchmark: a 5,000-row CNIG plot file through the admin's import page.

    .venv/bin/python bench/import_listings.py            # SpatiaLite
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/investinartois_bench \\
        .venv/bin/python bench/import_listings.py        # PostGIS
    .venv/bin/python bench/import_listings.py 500    # fewer rows (profiling)

It creates a throw-away test database (Django's `test_` prefix), loads the
territory and the demo, writes a CSV of MAX_ROWS new plots in the standard's
columns (outlines as Lambert-93 GeoJSON, nine points each, inside the demo
parks and clear of their plots), then times, as a PMA staff member would meet
them in the admin: the refusal of a file over the caps, the dry run, the
confirmation (the commit) and the dry run of the same file with one bad row.
It prints a Markdown table for docs/performance.md, each step's seconds and
this process's CPU seconds (the database server's not counted: on a shared
machine the CPU time moves less than the clock), and exits 1 when a step
takes more than half of gunicorn's 30 s timeout. BENCH_PROFILE=<directory>
writes each step's cProfile statistics and SQL statements there.
"""

import csv
import io
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investinartois.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

WEB_TIMEOUT_S = 30
CPU = {}  # step name -> this process's CPU seconds (the database's not counted)
BUDGET_S = WEB_TIMEOUT_S / 2
SIDE_M, GAP_M = 12, 4


def outlines(count):
    """`count` small octagons inside the demo parks, clear of their plots."""
    from sites.models import BusinessPark

    found = []
    for park in BusinessPark.objects.order_by("-surface_gross_ha"):
        inside = park.perimeter.buffer(-GAP_M).prepared
        taken = [p.geom.buffer(GAP_M).prepared for p in park.plots.all()]
        x0, y0, x1, y1 = park.perimeter.extent
        step = SIDE_M + GAP_M
        y = y0
        while y < y1 and len(found) < count:
            x = x0
            while x < x1 and len(found) < count:
                octagon = _octagon(x, y, park.perimeter.srid)
                if inside.contains(octagon) and not any(
                    t.intersects(octagon) for t in taken
                ):
                    found.append((park, octagon))
                x += step
            y += step
        if len(found) == count:
            return found
    raise SystemExit(f"bench: room for only {len(found)} plots in the demo parks")


def _octagon(x, y, srid):
    from django.contrib.gis.geos import Point

    centre = Point(x + SIDE_M / 2, y + SIDE_M / 2, srid=srid)
    return centre.buffer(SIDE_M / 2, quadsegs=2)


def plot_file(rows, bad_row=None):
    from exchange import cnig

    names = [
        "terr_id",
        "site_id",
        "terr_identif_date",
        "terr_maitrise_fonc",
        "terr_stade_amngt",
        "terr_stade_comm",
        "terr_etat_occup",
        "terr_usage",
        "terr_geomsurf",
        "terr_cle_en_main",
    ]
    assert set(names) <= {c.name for c in cnig.OFFICIAL[cnig.TERRAIN]}
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(names)
    for number, (park, octagon) in enumerate(rows, start=1):
        stage = "en vente" if number != bad_row else "à vendre peut-être"
        geometry = json.loads(octagon.json)
        writer.writerow(
            [
                f"BENCH-{number:05d}",
                park.slug,
                "2026-01-15",
                "structure intercommunale",
                "viabilisé et aménagé",
                stage,
                "inoccupé",
                "espace agricole",
                json.dumps(geometry, separators=(",", ":")),
                "non",
            ]
        )
    return output.getvalue().encode()


def timed(step, name="step"):
    """Seconds and result of `step()`; with BENCH_PROFILE=<directory>, its
    cProfile statistics and its SQL statements (count and seconds by kind)
    are written there too."""
    directory = os.environ.get("BENCH_PROFILE")
    if not directory:
        start, cpu = time.perf_counter(), time.process_time()
        result = step()
        CPU[name] = time.process_time() - cpu
        return time.perf_counter() - start, result
    import cProfile

    from django.db import connection

    statements = {}

    def sql_timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = " ".join(sql.split()[:3])[:60]
            count, seconds = statements.get(kind, (0, 0.0))
            statements[kind] = (count + 1, seconds + time.perf_counter() - start)

    profile = cProfile.Profile()
    start = time.perf_counter()
    with connection.execute_wrapper(sql_timed):
        result = profile.runcall(step)
    seconds = time.perf_counter() - start
    stem = Path(directory) / re.sub(r"\W+", "-", name).strip("-")
    profile.dump_stats(f"{stem}.prof")
    lines = [f"{seconds:.2f} s in all"]
    for kind, (count, spent) in sorted(statements.items(), key=lambda s: -s[1][1]):
        lines.append(f"{spent:8.2f} s {count:6d}x {kind}")
    Path(f"{stem}.sql.txt").write_text("\n".join(lines) + "\n")
    return seconds, result


def main():
    from exchange import import_files
    from sites.demo import demo_load
    from sites.models import Plot
    from sites.territory import territory_import
    from tests.factories import staff_user

    setup_test_environment()
    settings.VAR_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "import-bench"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        territory_import()
        demo_load()
        client = Client()
        client.force_login(staff_user("pma"))
        url = reverse("admin:sites_plot_import")
        count = int(sys.argv[1]) if len(sys.argv) > 1 else import_files.MAX_ROWS
        rows = outlines(count)
        content = plot_file(rows)
        bad = plot_file(rows, bad_row=len(rows) // 2)
        cap = outlines(import_files.MAX_ROWS) if count < import_files.MAX_ROWS else rows
        too_many = plot_file(cap + cap[:1])
        results = []

        def post(data, name="plots.csv"):
            upload = SimpleUploadedFile(name, data, content_type="text/csv")
            return client.post(url, {"file": upload, "organisation": _pma()})

        seconds, response = timed(lambda: post(too_many), "over-cap")
        assert response.context["report"].error, response.context["report"].summary()
        results.append((f"{len(cap) + 1:,} rows: refused (over the cap)", seconds))

        seconds, response = timed(
            lambda: post(b"x" * (20 * 1024 * 1024 + 1)), "over-size"
        )
        assert response.status_code == 200 and response.context["form"].errors
        results.append(("20 MB + 1 byte: refused", seconds))

        seconds, response = timed(lambda: post(content), "dry-run")
        report = response.context["report"]
        assert report.ok and report.count("create") == len(rows), report.summary()
        results.append((f"{len(rows):,} rows: dry run", seconds))

        token = response.context["token"]
        seconds, response = timed(lambda: client.post(url, {"token": token}), "commit")
        assert response.status_code == 302
        assert Plot.objects.filter(reference__startswith="BENCH-").count() == len(rows)
        results.append((f"{len(rows):,} rows: confirm (commit)", seconds))

        Plot.objects.filter(reference__startswith="BENCH-").delete()
        seconds, response = timed(lambda: post(bad), "one-bad")
        report = response.context["report"]
        assert report.refused == 1 and not report.committed
        assert not Plot.objects.filter(reference__startswith="BENCH-").exists()
        results.append((f"{len(rows):,} rows, one bad: dry run", seconds))
    finally:
        teardown_databases(old, verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = [f"| step ({engine}) | seconds | CPU s |", "|---|--:|--:|"]
    cpus = [f"{cpu:.2f}" for cpu in CPU.values()] or ["—"] * len(results)
    lines += [
        f"| {name} | {seconds:.2f} | {cpu} |"
        for (name, seconds), cpu in zip(results, cpus, strict=True)
    ]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines.append(f"\nload average at the end: {load}")
    sys.stdout.write("\n".join(lines) + "\n")
    slow = [name for name, seconds in results if seconds > BUDGET_S]
    if slow:
        sys.stderr.write(f"bench: over {BUDGET_S:.0f} s: {', '.join(slow)}\n")
        return 1
    return 0


def _pma():
    from sites.models import Organisation

    return Organisation.objects.get(slug="pma").pk


if __name__ == "__main__":
    sys.exit(main())
