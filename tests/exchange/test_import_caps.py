"""Files over the caps are refused before any parsing work, and a file at the
cap with one bad row is reported row by row with nothing written.

How fast a refusal is (docs/performance.md) is not timed here, where the
machine's load decides: these tests prove instead what makes it fast, that no
outline is parsed and no more than the cap is read.
"""

import csv
import importlib
import io
import json
import math
import shutil
import struct
import subprocess
import zipfile

import pytest
from django.utils import translation

from exchange import import_files
from exchange.importing import REFUSE, listings_import
from sites.models import Organisation, Plot

pytestmark = pytest.mark.django_db
BAD_FILE_ROWS = 600  # the benchmark runs the cap (5,000); this keeps the suite quick


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def no_outline_parsed(monkeypatch):
    """Any attempt to build an outline fails the test."""

    def parsed(*args, **kwargs):
        raise AssertionError("an outline was parsed")

    monkeypatch.setattr(import_files, "_geometry_set", parsed)
    monkeypatch.setattr(import_files, "_outline", parsed)


class CountingFile(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def run(file, dry_run=True):
    pma = Organisation.objects.get(slug="pma")
    return listings_import(file=file, organisation=pma, dry_run=dry_run)


def square_wkt(number):
    x = 690_000 + number * 20
    ring = f"{x} 7040000,{x + 10} 7040000,{x + 10} 7040010,{x} 7040000"
    return f"SRID=2154;POLYGON(({ring}))"


def test_bytes_over_the_cap_are_not_even_read(demo, no_outline_parsed):
    big = CountingFile(b"name,wkt\n" + b"x" * (import_files.MAX_UPLOAD_BYTES * 2))
    report = run(big)
    assert "larger than 20 MB" in report.error and not report.rows
    assert big.bytes_read == import_files.MAX_UPLOAD_BYTES + 1


@pytest.fixture
def consumed(monkeypatch):
    """The CSV rows the importer's reader hands on, in order."""
    rows = []

    class CountingReader(csv.DictReader):
        def __next__(self):
            record = super().__next__()
            rows.append(record)
            return record

    monkeypatch.setattr(import_files.csv, "DictReader", CountingReader)
    return rows


def test_csv_rows_over_the_cap_stop_the_reader_at_cap_plus_one(
    demo, no_outline_parsed, monkeypatch, consumed
):
    monkeypatch.setattr(import_files, "MAX_ROWS", 10)
    lines = ["terr_id,wkt"] + [f"T{i},{square_wkt(i)}" for i in range(1000)]
    report = run(io.BytesIO("\n".join(lines).encode()))
    assert "more than 10 rows" in report.error and not report.rows
    assert len(consumed) == 11


def test_geojson_features_over_the_cap_are_counted_not_parsed(
    demo, no_outline_parsed, monkeypatch
):
    monkeypatch.setattr(import_files, "MAX_ROWS", 10)
    geometry = {"type": "Polygon", "coordinates": [[[2.8, 50.4], [2.81, 50.4]]]}
    features = [
        {"type": "Feature", "properties": {}, "geometry": geometry} for _ in range(11)
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features})
    report = run(io.BytesIO(content.encode()))
    assert "more than 10 rows" in report.error and not report.rows


def test_csv_columns_over_the_cap_are_refused_before_any_row_is_read(
    demo, no_outline_parsed, consumed
):
    # Each row is a dict of every header column: a wide header over many short
    # lines would fill gigabytes from a small file.
    header = ",".join(f"c{i}" for i in range(201))
    report = run(io.BytesIO((header + "\n" + "x\n" * 1000).encode()))
    assert "more than 200 columns" in report.error and not report.rows
    assert consumed == []


def test_geojson_properties_over_the_cap_are_refused(demo, no_outline_parsed):
    properties = {f"p{i}": "" for i in range(201)}
    feature = {"type": "Feature", "properties": properties, "geometry": None}
    content = json.dumps({"type": "FeatureCollection", "features": [feature]})
    report = run(io.BytesIO(content.encode()))
    assert "more than 200 columns" in report.error and not report.rows


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="needs GDAL's ogr2ogr")
def test_shapefile_fields_over_the_cap_are_refused_before_any_feature_is_read(
    demo, tmp_path
):
    source = tmp_path / "wide.geojson"
    properties = {f"f{i}": "" for i in range(201)}
    geometry = {"type": "Polygon", "coordinates": [[[2.8, 50.4], [2.81, 50.4]]]}
    feature = {"type": "Feature", "properties": properties, "geometry": geometry}
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    target = tmp_path / "wide.shp"
    subprocess.run(
        ["ogr2ogr", "-q", "-f", "ESRI Shapefile", str(target), str(source)],
        check=True,
        capture_output=True,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in ("shp", "shx", "dbf", "prj"):
            archive.writestr(f"wide.{part}", (tmp_path / f"wide.{part}").read_bytes())
    report = run(io.BytesIO(buffer.getvalue()))
    assert "more than 200 columns" in report.error and not report.rows


def test_empty_polygons_over_the_cap_are_refused_before_any_is_built(demo, monkeypatch):
    # `[]` is a polygon without a point to count, three bytes of a file, and a
    # GEOS object once built: 20 MB of them were minutes and gigabytes.
    def built(*args, **kwargs):
        raise AssertionError("a polygon was built")

    monkeypatch.setattr(import_files, "Polygon", built)
    geometry = {"type": "MultiPolygon", "coordinates": [[]] * 10_001}
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": geometry}
    [row] = import_files.read_rows(io.BytesIO(json.dumps(feature).encode()))
    assert row.geometry is None
    assert row.geometry_error == "10,001 parts in the outline, more than 10,000"


def test_zip_entries_over_the_cap_are_refused_before_extracting(
    demo, no_outline_parsed, monkeypatch
):
    def extracted(*args):
        raise AssertionError("the zip was extracted")

    monkeypatch.setattr(import_files, "_extract", extracted)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(import_files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"part{number}.dbf", b"")
    report = run(io.BytesIO(buffer.getvalue()))
    assert "more than 20 entries" in report.error and not report.rows


def test_a_file_at_the_cap_with_one_bad_row_names_it_and_writes_nothing(demo):
    bench = importlib.import_module("bench.import_listings")
    rows = bench.outlines(BAD_FILE_ROWS)
    bad = BAD_FILE_ROWS // 2
    before = Plot.objects.count()
    report = run(io.BytesIO(bench.plot_file(rows, bad_row=bad)), dry_run=False)
    refused = [row for row in report.rows if row.action == REFUSE]
    assert len(report.rows) == BAD_FILE_ROWS and not report.committed
    assert [row.label for row in refused] == [f"line {bad + 1}"]
    assert "à vendre peut-être" in refused[0].details[0]
    assert "terr_stade_comm" in refused[0].details[0]
    assert Plot.objects.count() == before


def test_a_file_at_the_cap_is_written_in_bulk_with_history(demo):
    bench = importlib.import_module("bench.import_listings")
    rows = bench.outlines(50)
    report = run(io.BytesIO(bench.plot_file(rows)), dry_run=False)
    assert report.committed and report.count("create") == 50
    created = Plot.objects.filter(reference__startswith="BENCH-")
    assert created.count() == 50
    assert Plot.history.filter(reference__startswith="BENCH-").count() == 50
    plot = created.get(reference="BENCH-00001")
    assert plot.surface_ha == plot.computed_surface_ha > 0
    assert plot.commune is not None
    assert_history_is_the_row(plot, "+")

    # Changed again: a second record, of a change.
    content = bench.plot_file(rows).replace(b"en vente", b"vendu")
    report = run(io.BytesIO(content), dry_run=False)
    assert report.committed and report.count("update") == 50
    plot.refresh_from_db()
    assert plot.history.count() == 2
    assert_history_is_the_row(plot, "~")


def assert_history_is_the_row(plot, history_type):
    """The latest record holds what simple-history's own would: every tracked
    field as stored, the kind of change, no user outside a request."""
    record = plot.history.latest()
    assert (record.history_type, record.history_user) == (history_type, None)
    assert record.history_change_reason is None
    for field in Plot.history.model.tracked_fields:
        stored, kept = getattr(plot, field.attname), getattr(record, field.attname)
        if field.name == "geom":
            assert kept.equals_exact(stored, 0), field.name
        else:
            assert kept == stored, field.name


def test_the_queries_of_an_import_do_not_grow_with_its_rows(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bench = importlib.import_module("bench.import_listings")
    rows = bench.outlines(60)
    counts = []
    for size in (10, 60):
        with CaptureQueriesContext(connection) as queries:
            report = run(io.BytesIO(bench.plot_file(rows[:size])), dry_run=True)
        assert report.ok, report.summary()
        counts.append(len(queries))
    # Only the bulk statements' batches grow (SQLite caps their parameters).
    assert counts[1] - counts[0] < 50 / 5, counts


def test_the_importer_checks_every_check_constraint_of_the_models():
    """It tests them in Python rather than with a query per row: a new
    constraint must be added there (exchange.importing._validate)."""
    from sites.models import BusinessPark

    names = {c.name for m in (BusinessPark, Plot) for c in m._meta.constraints}
    assert names == {
        "businesspark_perimeter_valid",  # outlines are checked when read
        "plot_geom_valid",
        "plot_minimum_lot_needs_divisible",
    }


def test_a_minimum_lot_without_divisible_is_refused_without_a_query(demo):
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    content = (f"slug,minimum_lot_ha,is_divisible\n{plot.slug},0.5,false\n").encode()
    report = run(io.BytesIO(content))
    assert report.rows[0].action == REFUSE, report.rows[0]
    assert report.rows[0].details == ["Only a divisible plot can have a minimum lot."]


def test_rows_of_one_file_may_not_overlap_each_other(demo):
    bench = importlib.import_module("bench.import_listings")
    rows = bench.outlines(2)
    rows[1] = rows[0]  # the same octagon twice
    report = run(io.BytesIO(bench.plot_file(rows)))
    assert report.rows[0].action != REFUSE
    assert report.rows[1].action == REFUSE
    assert (
        "overlaps" in report.rows[1].details[0]
        or "within" in (report.rows[1].details[0])
    )


def zipped_shapefile(tmp_path, geometry, name="outline"):
    """`geometry` (GeoJSON, WGS84) as a zipped Shapefile written by GDAL, and
    the paths of its parts."""
    source = tmp_path / f"{name}.geojson"
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": geometry}
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    subprocess.run(
        ["ogr2ogr", "-q", "-f", "ESRI Shapefile", str(tmp_path / f"{name}.shp")]
        + [str(source)],
        check=True,
        capture_output=True,
    )
    return {part: tmp_path / f"{name}.{part}" for part in ("shp", "shx", "dbf", "prj")}


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in parts.values():
            archive.writestr(path.name, path.read_bytes())
    return io.BytesIO(buffer.getvalue())


def circle(points):
    """A closed ring of `points` points (the last one repeats the first)."""
    ring = [
        [
            2.8 + 0.001 * math.cos(2 * math.pi * i / (points - 1)),
            50.4 + 0.001 * math.sin(2 * math.pi * i / (points - 1)),
        ]
        for i in range(points - 1)
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


@pytest.fixture
def gdal_never_opens(monkeypatch):
    def opened(*args, **kwargs):
        raise AssertionError("GDAL opened the Shapefile")

    monkeypatch.setattr(import_files, "DataSource", opened)


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="needs GDAL's ogr2ogr")
def test_shapefile_outline_over_the_points_cap_is_refused_before_gdal_reads_it(
    demo, tmp_path, gdal_never_opens
):
    parts = zipped_shapefile(tmp_path, circle(10_001))
    report = run(zipped(parts))
    assert report.error == (
        "outline, feature 1: 10,001 points in the outline, more than 10,000: "
        "simplify it (QGIS: Simplify, 0.5 m)"
    )
    assert not report.rows


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="needs GDAL's ogr2ogr")
def test_shapefile_outline_at_the_points_cap_goes_on_to_gdal(demo, tmp_path):
    report = run(zipped(zipped_shapefile(tmp_path, circle(10_000))))
    assert not report.error
    [row] = report.rows
    assert "points in the outline" not in " ".join(row.details)


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="needs GDAL's ogr2ogr")
def test_shapefile_records_are_read_where_the_index_points(
    demo, tmp_path, gdal_never_opens
):
    """GDAL finds each record through the .shx, not by walking the .shp: the
    counts are read there. Here a record of 10,001 parts is appended and
    indexed, while the first record's own header claims the rest of the .shp,
    so that a walk from record to record would never meet it."""
    parts = zipped_shapefile(tmp_path, circle(10))
    shp = bytearray(parts["shp"].read_bytes())
    content = bytearray(shp[108:])  # the first record's content
    struct.pack_into("<I", content, 36, 10_001)  # NumParts
    appended = struct.pack(">ii", 2, len(content) // 2) + bytes(content)
    struct.pack_into(">i", shp, 104, (len(shp) - 108 + len(appended)) // 2)
    parts["shp"].write_bytes(bytes(shp) + appended)
    shx = bytearray(parts["shx"].read_bytes())
    shx += struct.pack(">ii", len(shp) // 2, len(content) // 2)
    struct.pack_into(">i", shx, 24, len(shx) // 2)
    parts["shx"].write_bytes(bytes(shx))
    report = run(zipped(parts))
    assert report.error == (
        "outline, feature 2: 10,001 parts in the outline, more than 10,000"
    )
