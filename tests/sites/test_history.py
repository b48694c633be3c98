"""Who changed what on parks and plots: recorded, shown and revertible in the admin,
within each organisation's scope."""

import pytest
from django.contrib.gis.geos import Polygon
from django.urls import reverse

from sites.models import BusinessPark, Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user

pytestmark = pytest.mark.django_db


def park_of(slug):
    return BusinessParkFactory(organisation=Organisation.objects.get(slug=slug))


def edit_plot(client, plot, **changes):
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {
        "geom": plot.geom.transform(4326, clone=True).json,
        "park": plot.park_id,
        "commune": plot.commune_id,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        **changes,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_the_historical_tables_keep_translations_and_geometry():
    fields = {field.name for field in Plot.history.model._meta.fields}
    assert {"description_fr", "description_en", "description_nl", "geom"} <= fields
    fields = {field.name for field in BusinessPark.history.model._meta.fields}
    assert {"description_en", "perimeter", "centroid", "organisation"} <= fields


def test_a_change_in_the_admin_records_who_made_it(client):
    plot = PlotFactory(park=park_of("call"), price_per_m2=20)
    user = staff_user("call")
    client.force_login(user)

    edit_plot(client, plot, price_per_m2="25", description_en="Flat, serviced.")

    latest = plot.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == user
    delta = latest.diff_against(latest.prev_record)
    assert {"price_per_m2", "description_en"} <= set(delta.changed_fields)
    assert latest.geom.equals_exact(plot.geom, tolerance=0.01)

    page = client.get(reverse("admin:sites_plot_history", args=[plot.pk]))
    assert page.status_code == 200
    assert user.username in page.content.decode()


def test_staff_revert_their_own_plot_to_an_earlier_version(client):
    plot = PlotFactory(park=park_of("call"), price_per_m2=20, name="Lot A")
    client.force_login(staff_user("call"))
    edit_plot(client, plot, price_per_m2="99", name="Lot A (typo)")
    first = plot.history.earliest()
    url = reverse("admin:sites_plot_simple_history", args=[plot.pk, first.pk])

    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data["geom"] = first.geom.transform(4326, clone=True).json
    response = client.post(url, data)

    assert response.status_code == 302
    plot.refresh_from_db()
    assert (plot.name, plot.price_per_m2) == ("Lot A", 20)
    assert plot.history.count() == 3


@pytest.mark.parametrize("model", ["plot", "businesspark"])
def test_call_staff_see_nothing_of_cabbalr_history(client, model):
    plot = PlotFactory(park=park_of("cabbalr"), name="Lot CABBALR")
    plot.name = "Lot CABBALR, renamed"
    plot.save()
    obj = plot if model == "plot" else plot.park
    version = obj.history.earliest()
    client.force_login(staff_user("call"))

    history = client.get(reverse(f"admin:sites_{model}_history", args=[obj.pk]))
    version_page = client.get(
        reverse(f"admin:sites_{model}_simple_history", args=[obj.pk, version.pk])
    )

    assert history.status_code in (403, 404)
    assert version_page.status_code in (403, 404)
    # The plot's name, not the organisation's: every page's footer names it.
    assert "Lot CABBALR" not in history.content.decode()
    assert "Lot CABBALR" not in version_page.content.decode()


def test_a_deleted_cabbalr_plot_history_stays_hidden_from_call(client):
    plot = PlotFactory(park=park_of("cabbalr"))
    pk = plot.pk
    plot.delete()
    client.force_login(staff_user("call"))
    response = client.get(reverse("admin:sites_plot_history", args=[pk]))
    assert response.status_code in (403, 404)


def test_a_deleted_plot_whose_park_is_gone_too(client, admin_client):
    """Its versions name a park that no longer exists: the history pages were
    a server error for every staff member (whose the plot was could not be
    told), and so was restoring it for those who see everything."""
    plot = PlotFactory(park=park_of("cabbalr"), name="Lot gone")
    pk, version, park = plot.pk, plot.history.earliest(), plot.park
    plot.delete()
    park.delete()
    history = reverse("admin:sites_plot_history", args=[pk])
    version_page = reverse("admin:sites_plot_simple_history", args=[pk, version.pk])
    client.force_login(staff_user("call"))
    for url in (history, version_page):
        assert client.get(url).status_code in (403, 404)
    assert client.post(version_page, {"name": "Taken"}).status_code in (403, 404)

    assert admin_client.get(history).status_code == 200
    form = admin_client.get(version_page).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    for refused in ({"park": ""}, {"park": "", "geom": ""}):
        response = admin_client.post(version_page, data | refused)
        assert response.status_code == 200
        assert "park" in response.context["adminform"].form.errors
    assert not Plot.objects.filter(pk=pk).exists()


def test_a_version_from_before_a_move_cannot_pull_the_plot_back(client):
    """The plot was CALL's, PMA moved it to a CABBALR park: its old versions name
    a CALL park, yet CALL staff may not revert it."""
    plot = PlotFactory(park=park_of("call"), name="Lot moved")
    old = plot.history.earliest()
    plot.park = park_of("cabbalr")
    plot.save()
    client.force_login(staff_user("call"))
    url = reverse("admin:sites_plot_simple_history", args=[plot.pk, old.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "Taken back", "park": old.park_id})

    assert response.status_code == 404
    plot.refresh_from_db()
    assert plot.park.organisation.slug == "cabbalr"
    assert plot.name == "Lot moved"


def test_a_deleted_plot_is_not_brought_back_from_before_its_move(client):
    """CALL's plot, moved by the PMA to a CABBALR park, then deleted by
    CABBALR: its versions from CALL's time brought it back, into CALL."""
    plot = PlotFactory(park=park_of("call"), name="Lot moved")
    old = plot.history.earliest()
    plot.park = park_of("cabbalr")
    plot.save()
    pk = plot.pk
    plot.delete()
    client.force_login(staff_user("call"))
    url = reverse("admin:sites_plot_simple_history", args=[pk, old.pk])

    assert client.get(url).status_code == 404
    form_data = {"name": "Back", "park": old.park_id, "commune": old.commune_id}
    form_data["geom"] = old.geom.transform(4326, clone=True).json
    assert client.post(url, form_data).status_code == 404
    assert not Plot.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    "language, words, foreign",
    [
        ("fr", ["Terrains et parcs d’activités", "Terrains", "Rétablir"], []),
        (
            "nl",
            ["Bedrijfsgrond en bedrijventerreinen", "Kavels", "Herstellen"],
            ["Rétablir", "revenir"],
        ),
    ],
)
def test_a_version_page_speaks_the_staff_members_language(
    client, language, words, foreign
):
    """simple-history's words have no Dutch (Dutch staff read them in French,
    the portal's default language) and its breadcrumbs named the app's code
    and an English "Historical plots"."""
    plot = PlotFactory(park=park_of("call"), name="Lot A")
    client.force_login(staff_user("call"))
    version = plot.history.get()
    url = reverse("admin:sites_plot_simple_history", args=[plot.pk, version.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in html
    for word in ["Historical", ">Sites<", "Revert", *foreign]:
        assert word not in html


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_outline_change_reads_as_the_surfaces_drawn(client, language):
    """The history printed the outlines' coordinates, cut short ('SRID=[20
    chars](677519.03 7047761.23, ...'): nothing a developer could read."""
    plot = PlotFactory(park=park_of("call"))  # 100 m a side
    client.force_login(staff_user("call"))
    x0, y0, x1, y1 = plot.geom.extent
    smaller = Polygon.from_bbox((x0 + 10, y0 + 10, x1 - 10, y1 - 10))
    smaller.srid = plot.geom.srid
    edit_plot(client, plot, geom=smaller.transform(4326, clone=True).json)

    url = reverse("admin:sites_plot_history", args=[plot.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "1,00 ha → 0,64 ha" in page
    assert "SRID" not in page


def test_a_save_that_leaves_the_outline_alone_keeps_it_as_stored(client):
    """The outline goes to the map and back in WGS84: its corners came back a
    few nanometres off, so every save rewrote it and the history listed
    'Outline: 1,00 ha → 1,00 ha' beside the price that was changed."""
    plot = PlotFactory(park=park_of("call"), price_per_m2=20)
    stored = Plot.objects.get(pk=plot.pk).geom
    client.force_login(staff_user("call"))
    edit_plot(client, plot, price_per_m2="25")

    latest = plot.history.latest()
    changed = latest.diff_against(latest.prev_record).changed_fields
    assert "price_per_m2" in changed and "geom" not in changed
    assert Plot.objects.get(pk=plot.pk).geom.equals_exact(stored, tolerance=0)


def test_an_empty_text_saved_empty_again_is_no_change_in_the_history(client):
    """A description never written is NULL from the factories, the demo or an
    import, and "" once the admin saves the form: the history listed
    'Description [en]: — → —' in every language at the first save."""
    plot = PlotFactory(park=park_of("call"), price_per_m2=20)
    Plot.objects.filter(pk=plot.pk).update(description_en=None, description_nl=None)
    client.force_login(staff_user("call"))
    edit_plot(client, plot, price_per_m2="25")

    url = reverse("admin:sites_plot_history", args=[plot.pk])
    page = client.get(url).content.decode()
    assert "20,00 → 25,00" in page
    assert "— → —" not in page


@pytest.mark.parametrize("model", ["sites_plot", "sites_businesspark", "leads_lead"])
@pytest.mark.parametrize("object_id", ["x", "1.5", "%00", "😀"])
def test_a_history_address_naming_no_possible_object_is_a_404(
    admin_client, model, object_id
):
    base = reverse(f"admin:{model}_changelist")
    assert admin_client.get(f"{base}{object_id}/history/").status_code == 404
    assert admin_client.get(f"{base}{object_id}/history/1/").status_code == 404


def test_a_version_address_naming_no_possible_version_is_a_404(client):
    plot = PlotFactory(park=park_of("cabbalr"))
    client.force_login(staff_user("cabbalr"))
    url = reverse("admin:sites_plot_history", args=[plot.pk])
    assert client.get(url).status_code == 200
    assert client.get(f"{url}x/").status_code == 404
