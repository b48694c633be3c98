"""CNIG export and bulk import: round trips, refusals, organisation scope."""

import csv
import io
import json
import shutil
import stat
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Polygon
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from exchange import cnig
from exchange.export import listings_csv, listings_geojson, published
from exchange.importing import CREATE, REFUSE, UNCHANGED, UPDATE, listings_import
from exchange.opendata import open_data_write
from leads.models import Lead
from sites.models import BusinessPark, Contact, Organisation, Plot
from tests.factories import PlotFactory, free_square

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Reports are read in English here (the interface language's msgids)."""
    with translation.override("en"):
        yield


EXPORTS = {
    "geojson": lambda kind: listings_geojson(kind, extended=True),
    "csv": lambda kind: listings_csv(kind, extended=True),
}
PARK_FIELDS = [
    c.field
    for c in cnig.SITE_COLUMNS
    if c.importable and c.codec not in (cnig.GEOMETRY, cnig.ORGANISATION)
]
PLOT_FIELDS = [
    c.field for c in cnig.TERRAIN_COLUMNS if c.importable and c.codec != cnig.GEOMETRY
] + ["marketing_stage"]


def organisation(slug):
    return Organisation.objects.get(slug=slug)


def run(content, slug="pma", *, dry_run=True):
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    return listings_import(
        file=io.BytesIO(content), organisation=organisation(slug), dry_run=dry_run
    )


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(properties, geometry):
    if hasattr(geometry, "transform"):
        geometry = json.loads(geometry.transform(4326, clone=True).json)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def snapshot():
    return (
        sorted(BusinessPark.objects.values_list(*PARK_FIELDS, "organisation_id")),
        sorted(Plot.objects.values_list(*PLOT_FIELDS)),
        sorted(
            (p.slug, p.geom.wkt) for p in Plot.objects.only("slug", "geom").iterator()
        ),
    )


def call_plot():
    return Plot.objects.filter(park__organisation__slug="call").first()


def inside(plot, metres=20):
    """A small square inside a plot, hence inside the territory."""
    return plot.geom.point_on_surface.buffer(metres, quadsegs=1)


def listings_delete():
    Lead.objects.all().delete()
    Plot.objects.all().delete()
    BusinessPark.objects.all().delete()


def same(obj, before, name):
    """Equal values; related rows by their natural key, ids change."""
    key = {"park": "slug", "commune": "insee"}.get(name)
    if key:
        return getattr(getattr(obj, name), key) == getattr(getattr(before, name), key)
    return getattr(obj, name) == getattr(before, name)


def same_shape(a, b, metres=0.01):
    """The same outline, whatever the rings' direction and first point (exports
    turn them as RFC 7946 says): as many points, apart by no more than its
    length times the centimetre the files round to."""
    apart = a.sym_difference(b).area
    return a.num_coords == b.num_coords and apart <= max(1, a.length * metres)


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_round_trip_into_an_empty_database_gives_the_same_data(demo, fmt):
    parks = {p.slug: p for p in published(cnig.SITE).select_related("commune")}
    plots = {
        p.slug: p for p in published(cnig.TERRAIN).select_related("park", "commune")
    }
    files = [EXPORTS[fmt](kind) for kind in (cnig.SITE, cnig.TERRAIN)]
    listings_delete()

    for content in files:
        report = run(content, dry_run=False)
        assert report.committed, [r for r in report.rows if r.action == REFUSE]
        assert {row.action for row in report.rows} == {CREATE}

    assert set(BusinessPark.objects.values_list("slug", flat=True)) == set(parks)
    for park in BusinessPark.objects.all():
        before = parks[park.slug]
        for name in PARK_FIELDS + ["organisation_id"]:
            assert same(park, before, name), (park, name)
        assert same_shape(park.perimeter, before.perimeter)
        assert abs(park.surface_gross_ha - before.surface_gross_ha) <= 0.01
    assert set(Plot.objects.values_list("slug", flat=True)) == set(plots)
    for plot in Plot.objects.all():
        before = plots[plot.slug]
        for name in PLOT_FIELDS:
            assert same(plot, before, name), (plot, name)
        assert same_shape(plot.geom, before.geom)
        assert abs(plot.surface_ha - before.surface_ha) <= 0.01
    # A second import of the same files changes nothing.
    for content in files:
        assert {row.action for row in run(content).rows} == {UNCHANGED}


def test_geojson_export_is_rfc_7946_with_a_licence(demo):
    document = json.loads(listings_geojson(cnig.TERRAIN))
    assert "crs" not in document
    assert "Licence Ouverte" in document["licence"]["name"]
    first = document["features"][0]
    lon, lat = first["geometry"]["coordinates"][0][0][0]
    assert 1.5 < lon < 3.5 and 50 < lat < 51
    assert first["properties"]["terr_stade_comm"] in Plot.CommercialStage.values
    extended = json.loads(listings_geojson(cnig.TERRAIN, extended=True))
    assert all(f["properties"]["is_published"] == "oui" for f in extended["features"])


@pytest.mark.parametrize("spreadsheet", [False, True])
def test_exports_write_prices_the_same_in_every_language(demo, spreadsheet):
    """Pages write a price as the reader's language does ("18 €", "€18",
    "€ 18"); exports are data: a number, whatever the language active."""
    written = {}
    for language in ("fr", "en", "nl"):
        with translation.override(language):
            written[language] = listings_csv(
                cnig.TERRAIN, extended=True, spreadsheet=spreadsheet
            )
    assert written["fr"] == written["en"] == written["nl"]
    rows = csv.DictReader(
        io.StringIO(written["fr"].lstrip("\ufeff")),
        delimiter=";" if spreadsheet else ",",
    )
    prices = {row["price_per_m2"] for row in rows}
    assert "18.0" in prices and not any("€" in price for price in prices)


def test_unpublished_listings_are_not_exported(demo):
    hidden = call_plot()
    hidden.is_published = False
    hidden.save()
    slugs = {
        f["properties"]["slug"]
        for f in json.loads(listings_geojson(cnig.TERRAIN, extended=True))["features"]
    }
    assert hidden.slug not in slugs and slugs


def test_a_new_plot_in_cnig_names_is_created_in_the_named_park(demo):
    plot = call_plot()
    properties = {
        "terr_id": "LENS-42",
        "site_id": plot.park.slug,
        "terr_stade_comm": "sous option",
        "terr_cle_en_main": "oui",
        "terr_surf_brute": 1.23,  # computed here: read and ignored
    }
    outline = free_square(plot.park)
    report = run(collection(feature(properties, outline)), "call", dry_run=False)
    assert report.committed, report.rows
    created = Plot.objects.get(reference="LENS-42")
    assert created.park == plot.park and created.commune == plot.commune
    assert created.marketing_stage == Plot.MarketingStage.UNDER_OPTION
    assert created.ready_to_build and created.name == "Terrain LENS-42"
    assert not created.is_published


def test_an_update_reports_the_changed_fields_and_keeps_the_rest(demo):
    plot = call_plot()
    properties = {"slug": plot.slug, "zoning": "1AUe", "terr_stade_comm": "vendu"}
    report = run(collection(feature(properties, plot.geom)), "call", dry_run=False)
    [row] = report.rows
    assert row.action == UPDATE and set(row.details) == {"zoning", "terr_stade_comm"}
    plot.refresh_from_db()
    assert plot.zoning == "1AUe" and plot.marketing_stage == "sold"


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_an_empty_text_saved_by_the_admin_is_unchanged_by_its_own_export(demo, fmt):
    """The admin saves an empty translated description as "", the import reads
    an empty cell as NULL: the staff's own export, imported back, reported
    each such listing changed and recorded an empty change in its history."""
    park, plot = call_plot().park, call_plot()
    for listing in (park, plot):
        type(listing).objects.filter(pk=listing.pk).update(
            description_fr="", description_en="", description_nl=""
        )
    for kind, listing in ((cnig.SITE, park), (cnig.TERRAIN, plot)):
        versions = listing.history.count()
        report = run(EXPORTS[fmt](kind), dry_run=False)
        actions = {row.key: row.action for row in report.rows}
        assert actions[listing.slug] == UNCHANGED
        assert listing.history.count() == versions


# Bad input: a row-by-row report or one clear error, and nothing changes.


def refused(report):
    assert not report.committed
    return {row.label: row.details for row in report.rows if row.action == REFUSE}


def test_every_bad_row_is_reported_and_nothing_is_written(demo):
    plot = call_plot()
    before = snapshot()
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[2.80, 50.43], [2.81, 50.44], [2.81, 50.43], [2.80, 50.44], [2.80, 50.43]]
        ],
    }
    paris = {
        "type": "Polygon",
        "coordinates": [
            [[2.35, 48.85], [2.351, 48.85], [2.351, 48.851], [2.35, 48.85]]
        ],
    }
    good = {"slug": plot.slug, "zoning": "UX"}
    rows = [
        feature(good, plot.geom),
        feature({"slug": plot.slug}, bowtie),
        feature(good | {"colour": "green"}, plot.geom),
        feature(
            good | {"terr_cle_en_main": "maybe", "price_per_m2": "cheap"}, plot.geom
        ),
        feature({"terr_id": "NEW-1", "site_id": plot.park.slug}, paris),
        feature({"terr_id": "NEW-2"}, inside(plot)),
        feature({"terr_id": "NEW-3", "site_id": plot.park.slug}, None),
        feature(
            {"terr_id": "NEW-4", "site_id": plot.park.slug},
            {"type": "Point", "coordinates": [2.8, 50.4]},
        ),
    ]
    report = run(collection(*rows), "call", dry_run=False)
    reasons = refused(report)
    assert report.rows[0].action == UPDATE
    assert "crosses itself" in reasons["feature 2"][0]
    assert "Self-intersection" not in str(reasons)
    assert reasons["feature 3"] == ["unknown field 'colour'"]
    assert len(reasons["feature 4"]) == 2 and "maybe" in reasons["feature 4"][0]
    assert "outside the territory" in reasons["feature 5"][0]
    assert reasons["feature 6"] == ["site_id: required"]
    assert reasons["feature 7"] == ["terr_geomsurf: required"]
    assert "Polygon or MultiPolygon" in reasons["feature 8"][0]
    assert snapshot() == before


@pytest.mark.parametrize("odd", ["50.43", None, True, [50.43]])
def test_a_coordinate_that_is_not_a_number_refuses_its_row(demo, odd):
    """A GeoJSON outline with a coordinate as text (a spreadsheet's export),
    true or null: the whole import stopped on GEOS's ctypes error (a server
    error in the admin); now its row is refused in words, as in a dry run."""
    plot = call_plot()
    ring = json.loads(plot.geom.transform(4326, clone=True).json)["coordinates"][0][0]
    ring[1] = [ring[1][0], odd]
    good = {"slug": plot.slug, "zoning": "UX"}
    outline = {"type": "Polygon", "coordinates": [ring]}
    before = snapshot()
    report = run(collection(feature(good, plot.geom), feature(good, outline)), "call")
    assert report.rows[0].action == UPDATE
    assert refused(report) == {
        "feature 2": ["The outline has coordinates that are not numbers."]
    }
    assert not run(collection(feature(good, outline)), "call", dry_run=False).committed
    assert snapshot() == before


def test_a_plot_crossing_the_territory_edge_is_refused(demo):
    plot = call_plot()
    x, y = plot.geom.point_on_surface.coords
    strip = Polygon.from_bbox((x, y, x + 150_000, y + 10))  # 150 km eastwards
    strip.srid = plot.geom.srid
    report = run(collection(feature({"slug": plot.slug}, strip)), "call")
    assert "of the outline lies outside the territory" in report.rows[0].details[0]


def test_a_cnig_identifier_names_one_listing_in_the_import(demo):
    """site_id and terr_id are the official tables' primary keys (a plot's
    site_id points to its park's): the import gave two parks, or two plots,
    one identifier, and the open-data files no longer validated."""
    call = Organisation.objects.get(slug="call")
    first, second = BusinessPark.objects.filter(organisation=call)[:2]
    one, two = Plot.objects.filter(park__organisation=call)[:2]
    before = snapshot()
    for content in (
        f"slug,reference\n{first.slug},ZAE-1\n{second.slug},ZAE-1\n",
        f"slug,terr_id\n{one.slug},T-1\n{two.slug},T-1\n",
        # A slug stands in for a missing reference in the files.
        f"slug,reference\n{first.slug},{second.slug}\n",
    ):
        report = run(content, "call", dry_run=False)
        assert report.refused == 1 and not report.committed, report.rows
        assert "identifies only one listing" in report.rows[-1].details[0]
    assert snapshot() == before
    one.reference = "t-1"
    one.save()
    report = run(f"slug,terr_stade_comm\n{two.slug},en vente\n", "call")
    assert report.ok  # an unchanged identifier is not checked again
    properties = {"slug": "t-1", "site_id": one.park.slug, "name": "T", "zoning": "U"}
    report = run(collection(feature(properties, free_square(one.park))), "call")
    [row] = report.rows
    assert row.action == REFUSE and row.details[-1].startswith("slug: This slug")
    # A new listing's slug, made from its name, is never another's reference.
    properties = {"site_id": one.park.slug, "name": "T 1", "zoning": "U"}
    outline = free_square(one.park)
    assert run(collection(feature(properties, outline)), "call", dry_run=False).ok
    assert Plot.objects.get(name="T 1").slug == "t-1-2"


def test_a_null_character_is_refused_by_the_dry_run_as_the_admin_refuses_it(demo):
    """The admin's forms refuse it and PostgreSQL cannot store it: a dry run
    that let it through promised an import the database then refused."""
    plot = call_plot()
    before = snapshot()
    rows = [
        feature({"slug": plot.slug, "zoning": "U\x00X"}, plot.geom),
        feature(
            {"terr_id": "NUL-1", "site_id": plot.park.slug, "name": "Lot\x00 1"},
            free_square(plot.park),
        ),
    ]
    for dry_run in (True, False):
        report = run(collection(*rows), "call", dry_run=dry_run)
        assert refused(report) == {
            "feature 1": ["zoning: Null characters are not allowed."],
            "feature 2": ["name: Null characters are not allowed."],
        }
        assert not report.error
    assert snapshot() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "Expected GeoJSON"),
        (b'{"type": "FeatureCollection", "features": [', "Invalid JSON"),
        (b'{"type": "Topology"}', "FeatureCollection"),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "Invalid JSON"),
        (b"PK\x03\x04 not really a zip", "Unreadable zip"),
    ],
)
def test_unreadable_files_get_one_clear_error(demo, content, message):
    before = snapshot()
    report = run(content)
    assert message in report.error and not report.rows and not report.committed
    assert snapshot() == before


@pytest.mark.parametrize(
    "language, words",
    [
        ("fr", ["JSON non valide", "ligne 1, colonne 44", "Archive zip illisible"]),
        ("nl", ["Geen geldige JSON", "regel 1, kolom 44", "Onleesbaar zip-bestand"]),
    ],
)
def test_unreadable_files_are_explained_in_the_staff_members_language(
    demo, language, words
):
    """Where a file goes wrong, in the staff member's words: never the JSON
    or zip library's English."""
    broken = [
        b'{"type": "FeatureCollection", "features": [',
        b"PK\x03\x04 not really a zip",
    ]
    with translation.override(language):
        errors = [run(content).error for content in broken]
    json_error, zip_error = errors
    assert words[0] in json_error and words[1] in json_error
    assert zip_error.startswith(words[2])
    assert not any(
        english in error
        for error in errors
        for english in ("Expecting", "unexpected end", "File is not a zip")
    )


def test_the_report_names_kinds_and_actions_in_the_staff_members_language(demo):
    plot = call_plot()
    content = f"slug,zoning\n{plot.slug},UX\nnowhere,UX\n"
    report = run(content, "call")
    with translation.override("nl"):
        labels = [(str(r.kind_label), str(r.action_label)) for r in report.rows]
    assert labels[0] == ("kavel", "gewijzigd")
    assert labels[1][1] == "geweigerd"
    with translation.override("fr"):
        assert str(report.rows[0].action_label) == "modifié"


def test_an_enormous_file_is_refused_before_parsing(demo):
    before = snapshot()
    report = run(b" " * (20 * 1024 * 1024 + 1))
    assert "larger than 20 MB" in report.error
    assert snapshot() == before


def test_too_many_rows_is_one_error(demo, monkeypatch):
    monkeypatch.setattr("exchange.import_files.MAX_ROWS", 3)
    lines = ["name,wkt"] + [f"x{i},POINT(2 50)" for i in range(4)]
    assert "more than 3 rows" in run("\n".join(lines)).error


def test_csv_with_wkt_in_lambert_93_and_french_decimals(demo):
    plot = call_plot()
    wkt = "SRID=2154;" + plot.geom.wkt
    content = f'slug;price_per_m2;wkt\n{plot.slug};"12,5";"{wkt}"\n'
    report = run(content, "call", dry_run=False)
    assert report.committed and report.rows[0].details == ["price_per_m2"]
    plot.refresh_from_db()
    assert str(plot.price_per_m2) == "12.50"


# Zipped Shapefiles.


def zipped(entries):
    """entries: (name, bytes) or ZipInfo-ready (name, bytes, mode)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, *mode in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode:
                info.external_attr = mode[0] << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "entries, message",
    [
        ([("../../evil.shp", b"x")], "path traversal"),
        ([("/etc/cron.d/evil.shp", b"x")], "absolute"),
        ([("C:\\evil.shp", b"x")], "absolute"),
        ([("link.shp", b"/etc/passwd", stat.S_IFLNK | 0o777)], "symbolic link"),
        ([(f"part{i}.dbf", b"x") for i in range(21)], "more than 20 entries"),
        ([("a.dbf", b"x")], "no .shp"),
        ([("a.shp", b"<OGRVRTDataSource/>"), ("a.prj", b"x")], "not a Shapefile"),
        ([("a.shp", b"\x00\x00\x27\x0a" + b"\x00" * 96)], "no .prj"),
    ],
)
def test_unsafe_or_broken_zips_are_refused(demo, tmp_path, entries, message):
    before = snapshot()
    report = run(zipped(entries))
    assert message in report.error, report.error
    assert snapshot() == before


def test_a_zip_bomb_is_refused_without_inflating_it(demo):
    bomb = zipped([("bomb.dbf", b"\x00" * (101 * 1024 * 1024))])
    assert len(bomb) < 1024 * 1024
    assert "once uncompressed" in run(bomb).error


def test_a_zip_lying_about_its_sizes_is_stopped_while_extracting(demo, monkeypatch):
    monkeypatch.setattr("exchange.import_files.MAX_UNZIPPED_BYTES", 1000)
    content = bytearray(zipped([("a.shp", b"\x00" * 5000)]))
    # Declare 10 bytes in the central directory: only the real count tells.
    directory = content.rindex(b"PK\x01\x02")
    content[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    report = run(bytes(content))
    assert report.error and not report.rows


@pytest.mark.skipif(not shutil.which("ogr2ogr"), reason="needs GDAL's ogr2ogr")
def test_a_zipped_shapefile_with_cut_field_names_is_imported(demo, tmp_path):
    plot = call_plot()
    source = tmp_path / "terrains.geojson"
    properties = {
        "terr_id": "SHP-1",
        "site_id": plot.park.slug,
        "terr_cle_en_main": "oui",  # becomes terr_cle_e
        "price_per_m2": 9.5,  # becomes price_per_
    }
    outline = free_square(plot.park)
    source.write_text(json.dumps(collection(feature(properties, outline))))
    target = tmp_path / "terrains.shp"
    subprocess.run(
        ["ogr2ogr", "-q", "-f", "ESRI Shapefile", str(target), str(source)],
        check=True,
        capture_output=True,
    )
    parts = sorted(tmp_path.glob("terrains.*"))
    content = zipped(
        [(f"export/{p.name}", p.read_bytes()) for p in parts if p.suffix != ".geojson"]
        + [("export/readme.txt", b"ignored")]
    )
    report = run(content, "call", dry_run=False)
    assert report.committed, report.rows
    created = Plot.objects.get(reference="SHP-1")
    assert created.ready_to_build and str(created.price_per_m2) == "9.50"
    assert created.geom.intersects(outline)


# Organisation scope.


def test_staff_import_only_into_their_own_organisation(demo):
    own = call_plot()
    foreign_park = BusinessPark.objects.filter(organisation__slug="cabbalr").first()
    foreign_plot = foreign_park.plots.first()
    before = snapshot()
    rows = [
        feature(
            {"site_id": foreign_park.slug, "site_nom": "Taken"}, foreign_park.perimeter
        ),
        feature({"site_nom": "Parc neuf", "organisation": "cabbalr"}, own.geom),
        feature({"slug": foreign_plot.slug, "zoning": "X"}, foreign_plot.geom),
        feature({"terr_id": "N-1", "site_id": foreign_park.slug}, inside(foreign_plot)),
        feature({"slug": own.slug, "site_id": foreign_park.slug}, own.geom),
    ]
    reasons = refused(run(collection(*rows), "call", dry_run=False))
    assert "another organisation" in reasons["feature 1"][0]
    assert "you can only import for call" in reasons["feature 2"][0]
    assert "another organisation" in reasons["feature 3"][0]
    assert "another organisation" in reasons["feature 4"][0]
    assert "another organisation" in reasons["feature 5"][0]
    assert snapshot() == before


def test_a_new_park_belongs_to_the_importing_organisation(demo):
    plot = call_plot()
    report = run(
        collection(
            feature({"site_nom": "Parc neuf", "reseau_gaz": "oui"}, inside(plot, 200))
        ),
        "call",
        dry_run=False,
    )
    assert report.committed, report.rows
    park = BusinessPark.objects.get(name="Parc neuf")
    assert (
        park.organisation.slug == "call" and park.has_gas and park.slug == "parc-neuf"
    )
    assert park.commune == plot.commune


# Management commands.


def test_commands_export_then_dry_run_then_commit(demo, tmp_path):
    path = tmp_path / "terrains.csv"
    call_command(
        "export_listings", format="extended-csv", kind="terrains", output=str(path)
    )
    plot = call_plot()
    lines = path.read_text().splitlines()
    call_plot_lines = [line for line in lines if f",{plot.slug}," in line]
    path.write_text("\n".join([lines[0], *call_plot_lines]).replace(",UE,", ",UZ,"))
    out = io.StringIO()
    call_command("import_listings", str(path), organisation="call", stdout=out)
    assert "Dry run, nothing written" in out.getvalue()
    plot.refresh_from_db()
    assert plot.zoning == "UE"
    call_command(
        "import_listings", str(path), organisation="call", commit=True, stdout=out
    )
    plot.refresh_from_db()
    assert plot.zoning == "UZ"


def test_import_command_fails_on_refusals(demo, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("site_nom,colour\nX,green\n")
    with pytest.raises(CommandError, match="Nothing written"):
        call_command(
            "import_listings", str(path), organisation="call", stdout=io.StringIO()
        )


# Open data.


@pytest.mark.parametrize("name", ["zae-sites", "zae-terrains"])
@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_open_data_files_hold_no_personal_data(client, demo, open_data_root, name, fmt):
    Contact.objects.create(
        organisation=organisation("call"), name="Jeanne Dev", email="jeanne@example.org"
    )
    open_data_write()
    url = reverse("exchange:opendata-file", kwargs={"name": name, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    assert "licence-ouverte" in response["Link"]
    body = response.getvalue().decode()
    assert ("Parc" if name == "zae-sites" else "DEMO-") in body
    emails = set(Contact.objects.values_list("email", flat=True))
    emails |= set(
        Organisation.objects.exclude(email="").values_list("email", flat=True)
    )
    assert emails and not any(email in body for email in emails)
    assert "@" not in body
    assert "phone" not in body
    # The standard's transaction columns are there, as it says, and empty.
    private = {"terr_acquereur", "terr_cession_date", "terr_vente_montant"}
    private.add("terr_m2_prix")
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(body)))
    else:
        records = [f["properties"] for f in json.loads(body)["features"]]
    assert records
    for record in records:
        assert all(record[name] in ("", None) for name in private & set(record))
        assert name != "zae-terrains" or private <= set(record)


def reads(queries):
    """The queries that read, without each file's transaction around them
    (its savepoint, and on PostgreSQL its statement timeout)."""
    control = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SET LOCAL")
    return [q for q in queries if not q["sql"].lstrip().upper().startswith(control)]


def test_open_data_queries_do_not_grow_with_the_listings(client, open_data):
    url = reverse(
        "exchange:opendata-file", kwargs={"name": "zae-terrains", "fmt": "geojson"}
    )
    with CaptureQueriesContext(connection) as few:
        open_data_write(force=True)
    PlotFactory.create_batch(5)
    with CaptureQueriesContext(connection) as more:
        open_data_write(force=True)
    assert len(reads(more)) == len(reads(few)) <= 12  # one per file, the version
    with CaptureQueriesContext(connection) as served:
        response = client.get(url)
        features = json.loads(response.getvalue())["features"]
    assert len(served) == 0
    assert len(features) == Plot.objects.published().count()


def test_open_data_page_names_the_licence(client, demo):
    response = client.get(reverse("exchange:opendata"))
    assert response.status_code == 200
    assert "Licence Ouverte" in response.content.decode()


@pytest.mark.parametrize(
    "geometry",
    [
        {
            "type": "Polygon",
            "coordinates": [
                [[2.8, 50.4], [2.81, 50.4], [2.81, 50.41], [2.8, 50.41], [2.8, 50.4]],
                [[2.802, 50.402], [2.803, 50.402], [2.803, 50.403], [2.802, 50.402]],
            ],
        },
        {
            "type": "MultiPolygon",
            "coordinates": [
                [
                    [
                        [690000, 7040000],
                        [690010, 7040000],
                        [690010, 7040010],
                        [690000, 7040000.05],
                    ]
                ],
                [
                    [
                        [690100, 7040000],
                        [690110, 7040000],
                        [690110, 7040010],
                        [690100, 7040000],
                    ]
                ],
            ],
        },
    ],
)
def test_geojson_outlines_are_read_exactly(geometry):
    """Read through WKB in one call: the same geometry as Django's point by
    point construction, every digit kept, rings closed as before."""
    from django.contrib.gis.geos import LinearRing, MultiPolygon

    from exchange import import_files

    srid = 4326 if geometry["type"] == "Polygon" else 2154
    fast = import_files._from_geojson(geometry, srid)
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
    )
    slow = [
        Polygon(*[LinearRing(import_files._ring(r, srid)) for r in p], srid=srid)
        for p in polygons
    ]
    slow = slow[0] if geometry["type"] == "Polygon" else MultiPolygon(*slow)
    assert fast.geom_type == slow.geom_type and fast.srid == srid
    assert fast.equals_exact(slow, 0)
    assert fast.coords == slow.coords


@pytest.mark.parametrize(
    "ring",
    [
        [[0, 0], [1, 0], [0, True], [0, 0]],
        [[0, 0], [1, 0], [0, "1"], [0, 0]],
        [[0, 0], [1, 0], [0, float("nan")], [0, 0]],
        [[0, 0], [1, 0], [0, 0]],
    ],
)
def test_odd_numbers_take_djangos_road_and_its_verdict(ring):
    from exchange import import_files

    assert import_files._wkb("Polygon", [[ring]]) is None


def test_an_update_is_dated_and_a_park_published_brings_its_plots_to_market(demo):
    # bulk_update does not apply auto_now: the file's changes are dated now
    # (site_actu_date, terr_actu_date, what the search alerts announce).
    plot = call_plot()
    park = plot.park
    BusinessPark.objects.filter(pk=park.pk).update(is_published=False)
    long_ago = timezone.now() - timedelta(days=400)
    Plot.objects.filter(park=park).update(updated_at=long_ago)
    BusinessPark.objects.filter(pk=park.pk).update(updated_at=long_ago)
    started = timezone.now()

    properties = {"slug": park.slug, "is_published": "oui"}
    report = run(collection(feature(properties, park.perimeter)), "call", dry_run=False)

    assert [row.action for row in report.rows] == [UPDATE], report.rows[0].details
    park.refresh_from_db()
    assert park.is_published and park.updated_at >= started
    dated = Plot.objects.filter(park=park).values_list("updated_at", flat=True)
    assert dated and all(updated_at >= started for updated_at in dated)
    # Another park's plots keep their date.
    assert Plot.objects.exclude(park=park).filter(updated_at__gte=started).count() == 0


@pytest.mark.parametrize(
    "name, taken",
    [
        ("EPSG:2154", True),
        ("urn:ogc:def:crs:EPSG::2154", True),
        ("http://www.opengis.net/def/crs/EPSG/0/2154", True),
        ("EPSG:32154", False),  # another projection (Wyoming), not Lambert-93
        ("urn:ogc:def:crs:EPSG::12154", False),
        ("EPSG:24326", False),
    ],
)
def test_a_file_crs_is_read_by_its_code_not_its_last_digits(demo, name, taken):
    plot = call_plot()
    document = collection(
        {
            "type": "Feature",
            "properties": {"slug": plot.slug},
            "geometry": json.loads(plot.geom.transform(2154, clone=True).json),
        }
    )
    document["crs"] = {"type": "name", "properties": {"name": name}}
    report = run(document, "call")
    if taken:
        assert not report.error and [r.action for r in report.rows] == [UNCHANGED]
    else:
        assert "Unsupported crs" in report.error and not report.rows
