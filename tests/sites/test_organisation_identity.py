"""An organisation is known by its kind and SIREN, never by its slug: renaming a
slug breaks neither the contact forms nor the territory import."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leads.models import Lead
from sites.demo import demo_load
from sites.models import Commune, Organisation
from sites.territory import ORGANISATIONS, territory_import
from tests.factories import PlotFactory
from tests.leads.conftest import contact, form_data

pytestmark = pytest.mark.django_db


def organisation(slug):
    return Organisation.objects.get(slug=slug)


def rename(slug, new_slug):
    Organisation.objects.filter(slug=slug).update(slug=new_slug)
    return organisation(new_slug)


@pytest.fixture
def renamed():
    """The PMA's and CALL's slugs renamed (in the database: the admin no longer
    lets anyone do it), each with one developer receiving leads."""
    contact("pma", "eco@pole-artois.fr")
    contact("call", "dev@agglo-lenslievin.fr")
    return {
        "pma": rename("pma", "pole-metropolitain-artois"),
        "call": rename("call", "lens-lievin"),
    }


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(url):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, form_data())
        assert response.status_code == 302, response.content.decode()[:2000]
        return Lead.objects.latest("pk")

    return send


def test_general_enquiries_reach_the_metropolitan_pole_after_a_rename(
    renamed, post, mailoutbox
):
    lead = post(reverse("leads:contact"))

    assert lead.organisation == renamed["pma"]
    assert lead.recipients == ["eco@pole-artois.fr"]
    assert lead.delivery_status == Lead.Delivery.SENT
    assert mailoutbox[0].to == ["eco@pole-artois.fr"]


def test_plot_enquiries_after_a_rename(renamed, post):
    call_plot = PlotFactory(park__organisation=renamed["call"])
    lead = post(reverse("leads:plot", args=[call_plot.slug]))
    assert (lead.organisation, lead.recipients) == (
        renamed["call"],
        ["dev@agglo-lenslievin.fr"],
    )

    # An organisation without a developer: the metropolitan pole reads its leads.
    cahc_plot = PlotFactory(park__organisation=organisation("cahc"))
    lead = post(reverse("leads:plot", args=[cahc_plot.slug]))
    assert lead.recipients == ["eco@pole-artois.fr"]


def test_the_territory_import_finds_renamed_organisations(renamed):
    before = Organisation.objects.count()

    report = territory_import()

    assert Organisation.objects.count() == before == len(ORGANISATIONS)
    assert Organisation.objects.metropolitan().get() == renamed["pma"]
    assert not Organisation.objects.filter(slug__in=["pma", "call"]).exists()
    assert (
        Commune.objects.get(name="Lens", departement="62").organisation
        == (renamed["call"])
    )
    assert Commune.objects.filter(organisation=renamed["call"]).count() == 36
    assert report.created == 0


def test_pages_and_demo_work_after_a_rename(client, renamed):
    assert demo_load() > 0
    assert renamed["pma"].contacts.filter(email__endswith="example.org").exists()
    assert client.get(reverse("portal:home")).status_code == 200
    url = reverse("sites:organisation", args=["lens-lievin"])
    assert client.get(url).status_code == 200


def test_a_cleared_siren_is_found_by_kind_and_name_and_restored():
    Organisation.objects.filter(slug="cahc").update(siren="", slug="henin-carvin")

    report = territory_import()

    cahc = organisation("henin-carvin")
    assert cahc.siren == "246200299"
    assert report.created == 0 and report.updated >= 1
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert Commune.objects.filter(organisation=cahc).count() == 14


def test_a_missing_organisation_is_created_without_taking_a_renamed_slug():
    organisation("siziaf").delete()
    rename("cahc", "siziaf")  # staff gave SIZIAF's old slug to CAHC

    report = territory_import()

    assert report.created == 1
    siziaf = Organisation.objects.get(kind=Organisation.Kind.SYNDICATE)
    assert siziaf.slug == "siziaf-2"
    assert organisation("siziaf").siren == "246200299"  # CAHC, untouched
    assert Organisation.objects.count() == len(ORGANISATIONS)


def change_url(slug):
    return reverse("admin:sites_organisation_change", args=[organisation(slug).pk])


def test_slug_and_kind_are_read_only_once_created(admin_client):
    url = change_url("pma")
    form = admin_client.get(url).context["adminform"].form
    assert "slug" not in form.fields and "kind" not in form.fields
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0}
    data |= {"slug": "renamed", "kind": "agglomeration", "short_name": "PMA 2"}

    assert admin_client.post(url, data).status_code == 302

    pma = Organisation.objects.get(short_name="PMA 2")
    assert (pma.slug, pma.kind) == ("pma", Organisation.Kind.METROPOLITAN)


def test_slug_is_editable_when_adding(admin_client):
    form = (
        admin_client.get(reverse("admin:sites_organisation_add"))
        .context["adminform"]
        .form
    )
    assert "slug" in form.fields and "kind" in form.fields


def test_the_metropolitan_pole_cannot_be_deleted(admin_client):
    pma = organisation("pma")
    url = reverse("admin:sites_organisation_delete", args=[pma.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=pma.pk).exists()


@pytest.mark.parametrize("siren", ["24620036", "2462003641", "24620036A", " 246200364"])
def test_a_siren_is_nine_digits_or_none(siren):
    """Exported as the parks' site_epci_siren: the form refuses anything else."""
    call = Organisation.objects.get(slug="call")
    call.siren = siren
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert set(refused.value.message_dict) == {"siren"}
    call.siren = "246200364"
    call.full_clean()
    pma = Organisation.objects.get(slug="pma")  # whose SIREN we do not hold
    pma.siren = ""
    pma.full_clean()


def test_an_agglomeration_keeps_its_siren(admin_client, demo, tmp_path):
    """An EPCI always has one, and its communes' parks give it as
    site_epci_siren, which the CNIG standard requires: the admin let staff
    clear it, and the open-data CSV of the parks then did not validate."""
    from exchange import cnig
    from exchange.export import listings_csv
    from tests.exchange.test_cnig_files import descriptor, errors

    url = change_url("call")
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data |= {"contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0}
    data["siren"] = ""
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"siren"}
    assert organisation("call").siren == "246200364"
    table = listings_csv(cnig.SITE)
    assert errors(table, descriptor(cnig.SITE), tmp_path) == []
