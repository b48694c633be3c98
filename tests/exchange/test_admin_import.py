"""The admin's import page (dry run, then confirm) and CNIG export."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from sites.models import BusinessPark, Plot
from tests.factories import free_square, staff_user

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:sites_plot_import"


@pytest.fixture(autouse=True)
def uploads_kept_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with translation.override("en"):
        yield


def upload(plot, properties):
    geometry = free_square(plot.park)
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": properties,
                "geometry": json.loads(geometry.transform(4326, clone=True).json),
            }
        ],
    }
    return SimpleUploadedFile("terrains.geojson", json.dumps(document).encode())


def call_plot():
    return Plot.objects.filter(park__organisation__slug="call").first()


def test_dry_run_then_confirm(client, demo, tmp_path):
    client.force_login(staff_user("call"))
    plot = call_plot()
    changelist = client.get(reverse("admin:sites_plot_changelist"))
    assert reverse(IMPORT_URL) in changelist.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 200

    properties = {"terr_id": "ADM-1", "site_id": plot.park.slug}
    response = client.post(reverse(IMPORT_URL), {"file": upload(plot, properties)})
    assert response.status_code == 200
    report = response.context["report"]
    assert [row.action for row in report.rows] == ["create"]
    assert 'id="import-report"' in response.content.decode()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        words = [str(report.rows[0].kind_label), str(report.rows[0].action_label)]
    assert words in (["plot", "new"], ["terrain", "nouveau"])  # not the codes
    for word in words:
        assert f"<td>{word}</td>" in response.content.decode()
    assert not Plot.objects.filter(reference="ADM-1").exists()
    token = response.context["token"]
    assert len(list((tmp_path / "imports").iterdir())) == 1

    response = client.post(reverse(IMPORT_URL), {"token": token})
    assert response.status_code == 302
    created = Plot.objects.get(reference="ADM-1")
    assert created.park == plot.park
    record = created.history.get()  # written in bulk, by whom the admin says
    assert record.history_type == "+"
    assert record.history_user == response.wsgi_request.user
    assert not list((tmp_path / "imports").iterdir())
    # The token is spent.
    assert client.post(reverse(IMPORT_URL), {"token": token}).status_code == 403


def test_refused_rows_offer_no_confirmation(client, demo, tmp_path):
    client.force_login(staff_user("call"))
    foreign = BusinessPark.objects.filter(organisation__slug="cabbalr").first()
    properties = {"terr_id": "ADM-2", "site_id": foreign.slug}
    response = client.post(
        reverse(IMPORT_URL), {"file": upload(foreign.plots.first(), properties)}
    )
    report = response.context["report"]
    assert report.rows[0].action == "refuse"
    assert foreign.slug in report.rows[0].details[0]
    assert "token" not in response.context
    assert not list((tmp_path / "imports").iterdir())
    assert not Plot.objects.filter(reference="ADM-2").exists()


def test_a_token_is_good_only_for_its_user(client, demo):
    client.force_login(staff_user("call"))
    plot = call_plot()
    properties = {"terr_id": "ADM-3", "site_id": plot.park.slug}
    token = client.post(
        reverse(IMPORT_URL), {"file": upload(plot, properties)}
    ).context["token"]
    client.force_login(staff_user("cahc"))
    assert client.post(reverse(IMPORT_URL), {"token": token}).status_code == 403
    assert client.post(reverse(IMPORT_URL), {"token": "forged"}).status_code == 403
    assert not Plot.objects.filter(reference="ADM-3").exists()


def test_pma_staff_choose_the_organisation(client, demo):
    client.force_login(staff_user("pma"))
    form = client.get(reverse(IMPORT_URL)).context["form"]
    assert "organisation" in form.fields
    client.force_login(staff_user("call"))
    form = client.get(reverse(IMPORT_URL)).context["form"]
    assert "organisation" not in form.fields


def test_staff_without_organisation_cannot_import(client, demo):
    from django.contrib.auth.models import Group, User

    from sites.staff import DEVELOPER_GROUP

    user = User.objects.create_user("orphan", is_staff=True)
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    client.force_login(user)
    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_export_link_and_action_stay_in_scope(client, demo):
    client.force_login(staff_user("call"))
    response = client.get(reverse("admin:sites_businesspark_export"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    for park in BusinessPark.objects.all():
        assert (park.slug in body) == (park.organisation.slug == "call"), park

    foreign = Plot.objects.exclude(park__organisation__slug="call")
    own = Plot.objects.filter(park__organisation__slug="call")
    response = client.post(
        reverse("admin:sites_plot_changelist"),
        {
            "action": "export_geojson",
            "_selected_action": [p.pk for p in [*own, *foreign]],
        },
    )
    slugs = {f["properties"]["slug"] for f in json.loads(response.content)["features"]}
    assert slugs == {p.slug for p in own}


def test_an_unreadable_file_is_one_clear_error(client, demo, tmp_path):
    client.force_login(staff_user("call"))
    garbage = SimpleUploadedFile("x.zip", b"PK\x03\x04 not a zip")
    response = client.post(reverse(IMPORT_URL), {"file": garbage})
    assert response.context["report"].error
    assert 'class="errornote"' in response.content.decode()
    assert "token" not in response.context


def test_an_oversized_upload_is_a_form_error(client, demo, monkeypatch):
    monkeypatch.setattr("exchange.import_files.MAX_UPLOAD_BYTES", 10)
    client.force_login(staff_user("call"))
    big = SimpleUploadedFile("big.csv", b"x" * 11)
    response = client.post(reverse(IMPORT_URL), {"file": big})
    assert "file" in response.context["form"].errors
    assert "report" not in response.context


def test_the_export_buttons_export_the_list_as_filtered_and_searched(client, demo):
    """A developer narrowed the list to one park, or searched it, and exported:
    the file held every listing of theirs whatever the list showed."""
    client.force_login(staff_user("call"))
    park = call_plot().park
    changelist = reverse("admin:sites_plot_changelist")
    page = client.get(changelist, {"park__id__exact": park.pk}).content.decode()
    assert f"park__id__exact={park.pk}&amp;format=extended-geojson" in page

    export = reverse("admin:sites_plot_export")
    for query in ({"park__id__exact": park.pk}, {"q": park.name}):
        response = client.get(export, {**query, "format": "extended-geojson"})
        features = json.loads(response.content)["features"]
        assert {f["properties"]["slug"] for f in features} == {
            p.slug for p in park.plots.all()
        }, query
    assert client.get(export, {"nonsense__exact": 1}).status_code == 302


HUGE = "1" + "0" * 400


@pytest.mark.parametrize(
    "name, content",
    [
        ("listings.csv", "slug;zoning\nlot;UÉ\n".encode("cp1252")),
        ("listings.csv", b"\xff\xfe\x00garbage"),
        ("listings.csv", b"PK\x03\x04" + b"\x00" * 64),  # a zip renamed .csv
        ("listings.csv", b"slug|zoning\nlot|UX\n"),
        ("listings.csv", b"slug,slug\na,b\n"),
        (
            "listings.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"properties": [1]},
                    "features": [{}],
                }
            ).encode(),
        ),
        (
            "listings.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}}] * 100_000,
                }
            ).encode(),
        ),
        (
            "listings.geojson",
            (
                '{"type": "FeatureCollection", "features": [{"type": "Feature", '
                '"properties": {"slug": "x"}, "geometry": {"type": "Polygon", '
                f'"coordinates": [[[{HUGE}, 0], [1, 0], [1, 1], [{HUGE}, 0]]]}}}}]}}'
            ).encode(),
        ),
    ],
    ids=[
        "latin-1",
        "binary",
        "zip-renamed",
        "pipes",
        "column-twice",
        "crs-junk",
        "100k-features",
        "400-digits",
    ],
)
def test_a_hostile_file_is_explained_on_the_page_and_writes_nothing(
    client, demo, name, content
):
    client.force_login(staff_user("call"))
    before = list(Plot.objects.values_list("pk", "updated_at"))
    response = client.post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.error or report.refused
    html = response.content.decode()
    shown = report.error or report.rows[0].details[0]
    assert escape(shown) in html
    assert "token" not in response.context
    assert list(Plot.objects.values_list("pk", "updated_at")) == before
