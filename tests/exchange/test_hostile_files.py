"""Files a staff member might send by mistake, or on purpose: each gets a
clear refusal in words, never a server error, and nothing is written."""

import io
import json

import pytest
from django.utils import translation

from exchange.importing import REFUSE, listings_import
from sites.models import BusinessPark, Organisation, Plot
from tests.factories import free_square

pytestmark = pytest.mark.django_db
ENGLISH_LIBRARIES = ("Expecting", "zip()", "argument", "object has no attribute")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(content, slug="call", *, dry_run=True):
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    return listings_import(
        file=io.BytesIO(content),
        organisation=Organisation.objects.get(slug=slug),
        dry_run=dry_run,
    )


def call_plot():
    return Plot.objects.filter(park__organisation__slug="call").first()


def snapshot():
    return (
        sorted(BusinessPark.objects.values_list("slug", "name", "updated_at")),
        sorted(Plot.objects.values_list("slug", "name", "zoning", "updated_at")),
    )


def one_feature(properties, geometry, **document):
    feature = {"type": "Feature", "properties": properties, "geometry": geometry}
    return {"type": "FeatureCollection", "features": [feature], **document}


def refusals(report):
    return [d for row in report.rows if row.action == REFUSE for d in row.details]


SQUARE = [[2.8, 50.4], [2.81, 50.4], [2.81, 50.41], [2.8, 50.4]]
HUGE = int("1" + "0" * 400)  # a JSON integer past any double


@pytest.mark.parametrize(
    "geometry, crs, expected",
    [
        # An integer past a double in a coordinate: OverflowError.
        (
            {
                "type": "Polygon",
                "coordinates": [[[HUGE, 50.4], *SQUARE[1:3], [HUGE, 50.4]]],
            },
            None,
            "not numbers",
        ),
        # A crs whose properties are not an object: AttributeError.
        ({"type": "Polygon", "coordinates": [SQUARE]}, {"properties": [1]}, "crs"),
        (
            {"type": "Polygon", "crs": {"properties": "x"}, "coordinates": [SQUARE]},
            None,
            "crs",
        ),
        # A last point of one number: zip()'s English.
        (
            {"type": "Polygon", "coordinates": [[*SQUARE[:3], [2.8]]]},
            None,
            "not numbers",
        ),
    ],
)
def test_geojson_junk_is_refused_in_words(demo, geometry, crs, expected):
    plot = call_plot()
    document = one_feature({"slug": plot.slug}, geometry)
    if crs is not None:
        document["crs"] = crs
    before = snapshot()
    report = run(document, dry_run=False)
    words = report.error or " ".join(refusals(report))
    assert expected in words and not report.committed
    assert not any(english in words for english in ENGLISH_LIBRARIES), words
    assert snapshot() == before


@pytest.mark.parametrize(
    "cell",
    [
        # Nested 100,000 deep: RecursionError.
        '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"type": "Polygon", "crs": {"properties": [1]}, "coordinates": []}',
        f'{{"type": "Polygon", "coordinates": [[[{HUGE}, 2], [3, 4], [{HUGE}, 2]]]}}',
        '{"type": Polygon}',  # the JSON library's English, in the report
    ],
)
def test_a_csv_cell_of_geojson_junk_refuses_its_row_in_words(demo, cell):
    plot = call_plot()
    quoted = cell.replace('"', '""')
    before = snapshot()
    report = run(f'slug,terr_geomsurf\n{plot.slug},"{quoted}"\n', dry_run=False)
    assert not report.error and not report.committed
    [reason] = refusals(report)
    assert reason.startswith("The outline") or "crs" in reason, reason
    assert not any(english in reason for english in ENGLISH_LIBRARIES), reason
    assert snapshot() == before


def test_one_listing_in_two_rows_is_refused(demo):
    """The second row silently overwrote the first: the file said two things
    and the import kept one."""
    plot = call_plot()
    before = snapshot()
    report = run(f"slug,zoning\n{plot.slug},UA\n{plot.slug},UB\n", dry_run=False)
    assert not report.committed
    assert refusals(report) == [
        "the file names this listing already, at line 2: one row each"
    ]
    # Named by its CNIG identifier in one row, its slug standing in in the other.
    plot.reference = "T-ONE"
    plot.save()
    before = snapshot()
    report = run(f"terr_id,zoning\nT-ONE,UA\n{plot.slug},UB\n")
    assert refusals(report) == [
        "the file names this listing already, at line 2: one row each"
    ]
    # A new plot given twice: the second is not said to overlap the first.
    wkt = free_square(plot.park).transform(4326, clone=True).wkt
    park = plot.park.slug
    content = f'terr_id,site_id,wkt\nNEW-1,{park},"{wkt}"\nNEW-1,{park},"{wkt}"\n'
    assert refusals(run(content)) == [
        "the file names this listing already, at line 2: one row each"
    ]
    assert snapshot() == before


def test_a_column_named_twice_is_refused(demo):
    plot = call_plot()
    report = run(f"slug,zoning,Zoning \n{plot.slug},UA,UB\n")
    assert report.error == "The column Zoning is in the first line twice: keep one."
    assert not report.rows


def test_two_names_of_one_field_must_agree(demo):
    """terr_id and our reference are one field: the last column won."""
    plot = call_plot()
    before = snapshot()
    report = run(f"slug,terr_id,reference\n{plot.slug},T-1,T-2\n", dry_run=False)
    assert refusals(report) == ["terr_id and reference give two values for one field"]
    assert snapshot() == before
    # Our extended files repeat the French description under both names.
    park = plot.park
    content = f"slug,site_description,description_fr\n{park.slug},Texte,Texte\n"
    [row] = run(content).rows
    assert row.action != REFUSE, row.details


def plot_csv(plot, delimiter=","):
    lines = [["slug", "zoning", "name"], [plot.slug, "UÉ", "Lot à bâtir"]]
    return "".join(delimiter.join(line) + "\r\n" for line in lines)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-16"),  # Excel's "Unicode text"
        lambda text: text.encode("utf-16-be").join([b"\xfe\xff", b""]),
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.replace("\r\n", "\r").encode(),  # older Mac software
    ],
)
def test_text_in_utf16_or_with_other_line_endings_is_read(demo, encode):
    plot = call_plot()
    [row] = run(encode(plot_csv(plot, "\t"))).rows
    assert row.action == "update" and row.details == ["zoning", "name"], row.details
    plot_after = run(encode(plot_csv(plot, "\t")), dry_run=False)
    assert plot_after.committed
    plot.refresh_from_db()
    assert (plot.zoning, plot.name) == ("UÉ", "Lot à bâtir")


def test_latin_1_text_is_told_apart_from_a_binary_file(demo):
    plot = call_plot()
    before = snapshot()
    report = run(plot_csv(plot, ";").encode("cp1252"), dry_run=False)
    assert report.error.startswith(
        "The file is not UTF-8 text: line 2 has a character written another way"
    )
    assert "CSV UTF-8" in report.error and not report.rows
    for binary in (bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64):
        error = run(binary).error
        assert error == "Expected GeoJSON, CSV (UTF-8 text) or a zipped Shapefile."
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [
        "slug|zoning\n{slug}|UX\n",  # another separator
        "{slug},UX,Lot 1\n",  # no header: a row read as one
    ],
)
def test_a_first_line_naming_no_column_we_know_is_one_clear_error(demo, content):
    plot = call_plot()
    content = content.format(slug=plot.slug)
    report = run(content)
    assert report.error.startswith("The first line names no column we know (")
    assert content.split("\n")[0] in report.error and not report.rows


@pytest.mark.parametrize(
    "feature, reason",
    [
        (None, "not a GeoJSON Feature"),
        ({"type": ["Feature"]}, "not a GeoJSON Feature"),
        ({"type": "Feature", "properties": [1], "geometry": None}, "properties"),
    ],
)
def test_a_feature_that_is_no_feature_is_refused_for_that(demo, feature, reason):
    """It was refused as neither a park nor a plot, which sent staff looking
    for a missing field."""
    report = run({"type": "FeatureCollection", "features": [feature]})
    [only] = refusals(report)
    assert reason in only


def test_a_json_key_given_twice_is_refused(demo):
    """json keeps the last of two values in silence."""
    plot = call_plot()
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        f'"properties": {{"slug": "{plot.slug}", "zoning": "UA", "zoning": "UB"}}, '
        '"geometry": null}]}'
    )
    report = run(text, dry_run=False)
    assert (
        report.error == 'The key "zoning" is twice in one object of the file: keep one.'
    )
    assert not report.rows
    cell = '{""type"": ""Polygon"", ""type"": ""Point"", ""coordinates"": []}'
    [reason] = refusals(run(f'slug,terr_geomsurf\n{plot.slug},"{cell}"\n'))
    assert reason.startswith("The outline cannot be read")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "content.xml"])
def test_a_spreadsheet_workbook_is_told_to_be_saved_as_csv(demo, part):
    """An .xlsx or .ods is a zip: it was refused as holding no .shp file."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
        workbook.writestr(part, "<workbook/>")
    report = run(archive.getvalue())
    assert report.error.startswith("This is a spreadsheet workbook")
    assert "CSV UTF-8" in report.error and not report.rows


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_thousands_grouped_as_a_french_spreadsheet_writes_them(demo, space):
    """LibreOffice and Excel in French group thousands with a no-break
    space, narrow or not: the number was refused as no number."""
    park = call_plot().park
    report = run(f'slug;site_surf_utile\n{park.slug};"1{space}234,5"\n', dry_run=False)
    assert report.committed, refusals(report)
    park.refresh_from_db()
    assert str(park.surface_usable_ha) == "1234.50"
