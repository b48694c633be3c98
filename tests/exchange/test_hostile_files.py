"""Files a staff member might send by mistake, or on purpose: each gets a
clear refusal in words, never a server error, and nothing is written."""

import io
import json

import pytest
from django.utils import translation

from exchange.importing import REFUSE, listings_import
from sites.models import BusinessPark, Organisation, Plot

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
    return Plot.objects.filter(park__organisation__slug="call").order_by("pk").first()


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
