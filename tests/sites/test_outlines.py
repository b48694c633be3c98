"""The outline rules (sites.outlines) on the real territory: their tolerances,
the slivers between communes, parks within their organisation's communes, and
the same rules and bad input through the importer."""

import io

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError

from exchange.importing import CREATE, REFUSE, listings_import
from sites.models import SRID, BusinessPark, Commune, Organisation, Plot
from sites.outlines import (
    EDGE_TOLERANCE_M,
    OVERLAP_M2,
    OutlineError,
    Territory,
    park_outline_check,
    plot_outline_check,
)
from tests.factories import free_square

pytestmark = pytest.mark.django_db
HARNES = "Zone d'activités Harnes-Courrières"
LENS = "Parc d'innovation de l'Artois, site de Lens"


def rectangle(x, y, width, height):
    polygon = Polygon.from_bbox((x, y, x + width, y + height))
    polygon.srid = SRID
    return polygon


def organisation(slug):
    return Organisation.objects.get(slug=slug)


def messages(check, **values):
    with pytest.raises(OutlineError) as error:
        check(**values)
    return error.value


def against_the_east_edge(park, overshoot):
    """A 20 m square on the park's east edge (its road), `overshoot` metres out."""
    xmin, ymin, xmax, ymax = park.perimeter.extent
    middle = (ymin + ymax) / 2
    inside = rectangle(xmax - 20, middle - 10, 20, 20)
    assert park.perimeter.contains(inside)
    assert not park.plots.filter(geom__intersects=inside).exists()
    return rectangle(xmax - 20 + overshoot, middle - 10, 20, 20)


def test_a_plot_may_stick_out_of_its_park_by_the_tolerance_only(demo):
    park = BusinessPark.objects.get(name=HARNES)
    plot_outline_check(
        geom=against_the_east_edge(park, EDGE_TOLERANCE_M - 0.5), park=park
    )
    error = messages(plot_outline_check, geom=against_the_east_edge(park, 3), park=park)
    [message] = error.message_dict["geom"]
    assert message == (
        f"Le contour dépasse du parc «\xa0{HARNES}\xa0» "
        "d’environ 60\xa0m², du côté est."
    )
    assert error.where.area == pytest.approx(60, abs=1)


def test_overlaps_up_to_10_square_metres_are_accepted(demo):
    park = BusinessPark.objects.get(name=HARNES)
    lot = park.plots.order_by("name").first()
    xmin, ymin, xmax, ymax = lot.geom.extent
    # 20 m tall against the lot's east side: 0.4 m over it is 8 m², 1 m 20 m².
    plot_outline_check(geom=rectangle(xmax - 0.4, ymin + 10, 20, 20), park=park)
    assert 0.4 * 20 <= OVERLAP_M2 < 1 * 20
    error = messages(
        plot_outline_check, geom=rectangle(xmax - 1, ymin + 10, 20, 20), park=park
    )
    assert "chevauche le terrain" in error.messages[0]
    assert error.where.area == pytest.approx(20, abs=0.5)


def test_the_slivers_between_neighbouring_communes_are_in_the_territory(db):
    communes = Commune.objects.in_territory()
    parts = [polygon for commune in communes for polygon in commune.boundary]
    union = MultiPolygon(parts, srid=SRID).unary_union
    polygons = [union] if union.geom_type == "Polygon" else list(union)
    holes = [Polygon(ring, srid=SRID) for p in polygons for ring in list(p)[1:]]
    sliver = max(holes, key=lambda hole: hole.area)
    x, y = sliver.point_on_surface.coords
    square = rectangle(x - 15, y - 15, 30, 30)
    assert not union.covers(square)  # partly in no commune at all
    placement = plot_outline_check(geom=square, park=None)
    assert placement.commune in communes


def test_the_commune_holding_most_of_the_outline_is_its_commune(db):
    lens, lievin = Commune.objects.filter(name__in=["Lens", "Liévin"]).order_by("name")
    edge = lens.boundary.intersection(lievin.boundary.buffer(1))
    x, y = edge.point_on_surface.coords
    square = rectangle(x - 60, y - 40, 100, 100)
    shares = {c: square.intersection(c.boundary).area for c in (lens, lievin)}
    assert all(shares.values())  # across their common boundary
    most = max(shares, key=shares.get)
    assert plot_outline_check(geom=square, park=None).commune == most
    least = min(shares, key=shares.get)
    assert plot_outline_check(geom=square, park=None, commune=least).commune == least
    carvin = Commune.objects.get(name="Carvin")
    error = messages(plot_outline_check, geom=square, park=None, commune=carvin)
    assert error.message_dict["commune"] == [
        f"Le contour n’est pas à Carvin\xa0: il est à {most.name}."
    ]


def test_parks_lie_in_their_organisations_communes(db):
    lens = Commune.objects.get(name="Lens")  # CALL's
    around_lens = rectangle(*lens.point.coords, 300, 300)
    for slug in ("call", "siziaf", "pma"):  # SIZIAF's members: CABBALR and CALL
        park_outline_check(geom=around_lens, organisation=organisation(slug))
    error = messages(
        park_outline_check, geom=around_lens, organisation=organisation("cahc")
    )
    assert error.message_dict["perimeter"] == [
        "Le périmètre est hors des communes de CAHC."
    ]
    lille = rectangle(lens.point.x, lens.point.y + 30_000, 300, 300)
    error = messages(park_outline_check, geom=lille, organisation=organisation("pma"))
    assert "hors du territoire" in error.message_dict["perimeter"][0]


def test_the_demo_lies_where_its_rules_say(demo):
    territory = Territory.load()
    for park in BusinessPark.objects.select_related("organisation"):
        park_outline_check(
            geom=park.perimeter,
            organisation=park.organisation,
            commune=park.commune,
            exclude_pk=park.pk,
            territory=territory,
        )
    for plot in Plot.objects.select_related("park", "commune"):
        plot_outline_check(
            geom=plot.geom,
            park=plot.park,
            commune=plot.commune,
            exclude_pk=plot.pk,
            territory=territory,
        )


def test_the_parc_des_industries_keeps_inside_siziafs_members_communes(demo):
    park = BusinessPark.objects.get(name="Parc des Industries Artois-Flandres")
    members = Commune.objects.filter(organisation__slug__in=["cabbalr", "call"])
    near = [c.boundary for c in members if c.boundary.intersects(park.perimeter)]
    cover = MultiPolygon([p for b in near for p in b], srid=SRID).unary_union
    # Its box around the plots crosses into the Nord: cut at the territory.
    assert park.perimeter.difference(cover.buffer(EDGE_TOLERANCE_M)).area < 1


def test_a_park_cannot_shrink_away_from_its_plots(demo):
    park = BusinessPark.objects.get(name=HARNES)
    lot = park.plots.order_by("name").first()
    xmin, ymin, xmax, ymax = lot.geom.extent
    park.perimeter = MultiPolygon(
        park.perimeter.difference(rectangle(xmin - 50, ymin - 50, 80, 80)), srid=SRID
    )
    with pytest.raises(ValidationError) as error:
        park.full_clean()
    assert any(
        message.startswith(
            f"Le terrain «\xa0{lot.name}\xa0» ne serait plus dans le parc"
        )
        for message in error.value.message_dict["perimeter"]
    )
    cut = sum(p.geom.difference(park.perimeter).area for p in park.plots.all())
    assert park.outline_problem.area == pytest.approx(cut, rel=0.01)


def test_a_prepared_territory_gives_the_same_verdicts(demo):
    park = BusinessPark.objects.get(name=HARNES)
    cases = [against_the_east_edge(park, 0), against_the_east_edge(park, 5)]
    territory = Territory.load()
    for outline in cases:
        verdicts = []
        for prepared in (None, territory):
            try:
                placement = plot_outline_check(
                    geom=outline, park=park, territory=prepared
                )
                verdicts.append(placement.commune)
            except OutlineError as error:
                verdicts.append(error.messages)
        assert verdicts[0] == verdicts[1]


def test_the_in_memory_indexes_find_what_a_scan_finds(demo, monkeypatch):
    """Communes and plots near an outline, from the grids, in the load's
    order; a huge outline (more cells than the grid) falls back to a scan."""
    from sites import outlines

    park = BusinessPark.objects.get(name=HARNES)
    territory = Territory.load()
    territory.plots_load()
    cases = [
        against_the_east_edge(park, 0),
        park.perimeter,
        park.perimeter.buffer(30_000),  # more cells than either grid holds
    ]
    found = [
        ([c.pk for c in territory.near(o)], territory.plots_meeting(o, None))
        for o in cases
    ]
    monkeypatch.setattr(outlines, "GRID_M", 10**7)  # one cell: a scan
    monkeypatch.setattr(outlines, "COMMUNE_GRID_M", 10**7)
    scan = Territory.load()
    scan.plots_load()
    for outline, (communes, plots) in zip(cases, found, strict=True):
        assert communes == [c.pk for c in scan.near(outline)]
        assert {p.pk for p in plots} == {
            p.pk for p in scan.plots_meeting(outline, None)
        }
    assert found[1][0] and found[1][1]  # the perimeter meets communes and plots


def test_an_outline_changed_after_its_check_is_checked_again(demo):
    """The importer's reader checks a row's outline; the plot's own check
    trusts that verdict only for the very same, unchanged geometry."""
    from sites.outlines import outline_prepare

    park = BusinessPark.objects.get(name=HARNES)
    outline = outline_prepare(against_the_east_edge(park, 0), kind=None)
    x, y = outline[0][0][0]
    outline[0] = Polygon(  # a bow tie, set in place
        ((x, y), (x + 20, y + 20), (x + 20, y), (x, y + 20), (x, y)), srid=SRID
    )
    error = messages(plot_outline_check, geom=outline, park=park)
    assert "se recoupe" in " ".join(error.messages)  # crosses itself


# The importer applies the same rules.


def csv_import(*rows, slug="call"):
    quoted = (";".join(f'"{value}"' for value in row) for row in rows)
    lines = ["terr_id;site_id;commune;wkt", *quoted]
    return listings_import(
        file=io.BytesIO("\n".join(lines).encode()),
        organisation=organisation(slug),
        dry_run=False,
    )


def reasons(report):
    assert not report.committed
    return [" ".join(row.details) for row in report.rows]


def ewkt(geometry):
    return f"SRID={SRID};{geometry.wkt}"


def test_the_importer_refuses_a_plot_outside_its_park(demo):
    harnes = BusinessPark.objects.get(name=HARNES)
    lens = BusinessPark.objects.get(name=LENS)
    report = csv_import(("IMP-1", harnes.slug, "", ewkt(free_square(lens, 16))))
    assert f"Le contour n’est pas dans le parc «\xa0{HARNES}\xa0»" in reasons(report)[0]
    assert not Plot.objects.filter(reference="IMP-1").exists()


def test_the_importer_refuses_rows_overlapping_each_other(demo):
    park = BusinessPark.objects.get(name=HARNES)
    square = ewkt(free_square(park, 30))
    report = csv_import(
        ("IMP-1", park.slug, "", square), ("IMP-2", park.slug, "", square)
    )
    assert report.rows[0].action == CREATE
    assert report.rows[1].action == REFUSE
    assert (
        "Le contour est à l’intérieur du terrain «\xa0Terrain IMP-1\xa0»"
        in (reasons(report)[1])
    )
    assert not Plot.objects.filter(reference__startswith="IMP-").exists()


def test_the_importer_refuses_a_commune_the_outline_is_not_in(demo):
    park = BusinessPark.objects.get(name=HARNES)
    carvin = Commune.objects.get(name="Carvin")
    report = csv_import(("IMP-1", park.slug, carvin.insee, ewkt(free_square(park))))
    assert "Le contour n’est pas à Carvin\xa0: il est à" in reasons(report)[0]


def test_the_importer_refuses_a_park_outside_its_organisations_communes(demo):
    bethune = Commune.objects.get(name="Béthune")
    perimeter = rectangle(*bethune.point.coords, 300, 300)
    content = f'site_nom;wkt\nParc de Béthune;"{ewkt(perimeter)}"\n'
    report = listings_import(
        file=io.BytesIO(content.encode()), organisation=organisation("call")
    )
    assert "Le périmètre est hors des communes de CALL." in reasons(report)[0]


def lens_wkt(side=16):
    return free_square(BusinessPark.objects.get(name=LENS), side)


def bowtie_wkt():
    x, y = lens_wkt().extent[:2]
    ring = ((x, y), (x + 30, y + 30), (x + 30, y), (x, y + 30), (x, y))
    return ewkt(Polygon(ring, srid=SRID))


def with_heights():
    x, y = lens_wkt().extent[:2]
    return (
        f"SRID=2154;POLYGON Z (({x} {y} 30, {x + 16} {y} 30, {x + 16} {y + 16} 30, "
        f"{x} {y} 30))"
    )


def two_pieces():
    one = lens_wkt(10)
    other = rectangle(one.extent[0] + 12, one.extent[1], 10, 10)
    return ewkt(MultiPolygon(one, other, srid=SRID))


BAD_ROWS = {
    "self-intersecting": (bowtie_wkt, "se recoupe"),
    "empty": (lambda: "POLYGON EMPTY", "vide"),
    "tiny": (lambda: ewkt(lens_wkt(2)), "trop petit"),
    "huge": (lambda: ewkt(rectangle(650_000, 7_000_000, 30_000, 30_000)), "trop grand"),
    "3D": (with_heights, "altitudes"),
    "curved": (
        lambda: "CURVEPOLYGON(CIRCULARSTRING(2.83 50.43, 2.84 50.44, 2.83 50.43))",
        "courbe",
    ),
    "multi-part": (two_pieces, "2 morceaux"),
    "WGS84 declared as Lambert-93": (
        lambda: "SRID=2154;" + lens_wkt().transform(4326, clone=True).wkt,
        "ressemblent à des longitudes",
    ),
    "Lambert-93 given as WGS84": (lambda: lens_wkt().wkt, "mètres Lambert-93"),
    "garbage": (lambda: "derrière la gare", "ne peut pas être lu"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_importer_names_bad_outlines_in_words(demo, case):
    make, expected = BAD_ROWS[case]
    park = BusinessPark.objects.get(name=LENS)
    report = csv_import(("IMP-1", park.slug, "", make()))
    [reason] = reasons(report)
    assert expected in reason
    assert "Self-intersection" not in reason and "GEOS" not in reason
    assert not Plot.objects.filter(reference="IMP-1").exists()
