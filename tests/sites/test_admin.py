import io

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ambassadors.models import Ambassador
from sites.models import BusinessPark, Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:sites_organisation_changelist",
    "admin:sites_commune_changelist",
    "admin:sites_businesspark_changelist",
    "admin:sites_plot_changelist",
    "admin:ambassadors_ambassador_changelist",
]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_list_pages_use_a_constant_number_of_queries(staff_client, name):
    url = reverse(name)
    PlotFactory()
    few = queries(staff_client, url)
    for park in BusinessParkFactory.create_batch(5):
        PlotFactory.create_batch(5, park=park, commune=park.commune)
    assert queries(staff_client, url) == few


def test_admin_is_not_at_slash_admin(client):
    assert settings.ADMIN_URL != "admin/"
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"
    assert client.get("/admin/").status_code == 404


@pytest.mark.parametrize("model", [Plot, BusinessPark, Ambassador])
def test_change_forms_show_the_map_widget(staff_client, demo, model):
    obj = model.objects.first()
    opts = model._meta
    response = staff_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200
    if model is not Ambassador:
        assert b"leaflet" in response.content.lower()


def test_staff_edits_a_plot_outline_on_the_map(staff_client, demo):
    plot = Plot.objects.get(name="Parc d'activités de Lillers, lot 2")
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None} | {
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    smaller = MultiPolygon(plot.geom.buffer(-10), srid=plot.geom.srid)
    smaller.transform(4326)
    data["geom"] = smaller.json
    data["park"] = plot.park_id
    data["commune"] = plot.commune_id
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plot.refresh_from_db()
    assert plot.surface_ha < 9.5


def test_a_negative_price_or_surface_is_refused_by_the_form_and_the_import(
    staff_client, demo
):
    """The search refuses a negative bound; a plot page said "-12 € HT / m²"."""
    from exchange.importing import REFUSE, listings_import
    from sites.models import Organisation

    plot = Plot.objects.filter(park__organisation__slug="call").first()
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0}
    data |= {"price_per_m2": "-12", "cadastral_surface_ha": "-3"}
    data["geom"] = plot.geom.transform(4326, clone=True).json
    response = staff_client.post(url, data)
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"price_per_m2", "cadastral_surface_ha"}

    call = Organisation.objects.get(slug="call")
    for content in (
        f"slug,price_per_m2\n{plot.slug},-12\n",
        f"slug,power_capacity_mva\n{plot.park.slug},-1\n",
    ):
        file = io.BytesIO(content.encode())
        report = listings_import(file=file, organisation=call, dry_run=False)
        [row] = report.rows
        assert row.action == REFUSE and "0" in row.details[0], row.details
        assert not report.committed
    plot.refresh_from_db()
    assert plot.price_per_m2 != -12 and plot.surface_ha > 0


def park_change(client, park):
    """The park's change page and the data its form sends back unchanged."""
    url = reverse("admin:sites_businesspark_change", args=[park.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0}
    data |= {"plots-TOTAL_FORMS": 0, "plots-INITIAL_FORMS": 0}
    data["perimeter"] = park.perimeter.transform(4326, clone=True).json
    return url, data


@pytest.mark.parametrize("address", ["ftp://example.org/zae", "ftps://example.org/zae"])
def test_a_park_s_web_page_is_an_http_address_in_the_admin_as_in_the_import(
    staff_client, demo, address
):
    """The import takes http(s) addresses only (the page shows the link): so
    does the admin's form."""
    park = BusinessPark.objects.filter(organisation__slug="call").first()
    url, data = park_change(staff_client, park)
    data["website"] = address
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"website"}
    data["website"] = "https://www.example.org/zae"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    park.refresh_from_db()
    assert park.website == "https://www.example.org/zae"


def test_a_cnig_identifier_names_one_listing_in_the_admin(staff_client, demo):
    """site_id and terr_id are the official tables' primary keys: the admin
    gave two parks one reference, or a park the reference that another's
    slug stands in for, and the open-data files no longer validated."""
    first, second, third = BusinessPark.objects.filter(organisation__slug="call")[:3]
    first.reference = "ZAE-1"
    first.save()
    url, data = park_change(staff_client, second)
    for reference in ("ZAE-1", third.slug):
        data["reference"] = reference
        response = staff_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert set(errors) == {"reference"}
    data |= {"reference": "", "slug": "ZAE-1"}
    errors = staff_client.post(url, data).context["adminform"].form.errors
    assert set(errors) == {"slug"}
    data |= {"reference": "ZAE-2", "slug": second.slug}
    assert staff_client.post(url, data).status_code == 302

    one, two = Plot.objects.filter(park__organisation__slug="call")[:2]
    url = reverse("admin:sites_plot_change", args=[two.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0}
    data["geom"] = two.geom.transform(4326, clone=True).json
    data["reference"] = one.reference or one.slug
    errors = staff_client.post(url, data).context["adminform"].form.errors
    assert set(errors) == {"reference"}


def test_a_developer_s_new_park_is_their_organisation_s_from_the_start(client, demo):
    """The organisation is required and theirs the only choice: left on
    "---------", the park they had drawn was refused for it."""
    client.force_login(staff_user("siziaf"))
    form = client.get(reverse("admin:sites_businesspark_add")).context["adminform"]
    siziaf = Organisation.objects.get(slug="siziaf")
    assert form.form["organisation"].value() == siziaf.pk
    assert list(form.form.fields["organisation"].queryset) == [siziaf]


def test_the_pma_chooses_the_organisation_of_a_new_park(client, demo):
    client.force_login(staff_user("pma"))
    form = client.get(reverse("admin:sites_businesspark_add")).context["adminform"]
    assert form.form["organisation"].value() is None


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_cnig_marketing_stage_says_what_investors_see(staff_client, demo, language):
    """The list and the pages show four stages, the form the CNIG's ten: which
    one puts a plot 'under option'?"""
    plot = Plot.objects.first()
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    response = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    help_text = str(response.context["adminform"].form["commercial_stage"].help_text)
    with translation.override(language):
        for _code, label in Plot.MarketingStage.choices:
            assert str(label) in help_text


def test_a_park_s_page_leads_to_a_new_plot_drawn_in_it(client, demo):
    """The park's plots are listed on its page, read-only: adding one meant
    the plot list, then finding the park again on a map of the territory."""
    client.force_login(staff_user("call"))
    park = BusinessPark.objects.filter(organisation__slug="call").first()
    page = client.get(reverse("admin:sites_businesspark_change", args=[park.pk]))
    add = f"{reverse('admin:sites_plot_add')}?park={park.pk}"
    assert f'href="{add}"' in page.content.decode()
    form = client.get(add).context["adminform"].form
    assert form["park"].value() == str(park.pk)


def test_a_plot_published_in_an_unpublished_park_says_it_is_not_shown(client, demo):
    """Ticked 'Published' and saved without a word, the plot stayed off the
    portal while its park was unpublished: the developer went looking for it."""
    client.force_login(staff_user("call"))
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    BusinessPark.objects.filter(pk=plot.park_id).update(is_published=False)
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0, "is_published": "on"}
    data["geom"] = plot.geom.transform(4326, clone=True).json
    response = client.post(url, data, follow=True)
    messages = response.context["messages"]
    warnings = [str(m) for m in messages if m.level_tag == "warning"]
    assert len(warnings) == 1 and plot.park.name in warnings[0]

    BusinessPark.objects.filter(pk=plot.park_id).update(is_published=True)
    response = client.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_park_s_gross_and_usable_surfaces_say_what_they_are(staff_client):
    """Two surfaces in hectares side by side, the gross one filled in by
    itself: which is what, and which does the park's page show as usable?"""
    form = (
        staff_client.get(reverse("admin:sites_businesspark_add"))
        .context["adminform"]
        .form
    )
    assert "voiries" in str(form.fields["surface_usable_ha"].help_text)
    assert "périmètre" in str(form._meta.help_texts["surface_gross_shown"])
