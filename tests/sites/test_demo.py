import pytest
from django.contrib.gis.db.models import Union
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from ambassadors.models import Ambassador
from sites import demo as demo_module
from sites.models import BusinessPark, Commune, Plot

pytestmark = pytest.mark.django_db


def test_demo_plots_lie_inside_their_commune(demo):
    plots = Plot.objects.filter(is_demo=True)
    assert plots.count() == sum(len(park.plots) for park in demo_module.PARKS)
    assert not plots.exclude(geom__within=F("commune__boundary")).exists()


def test_demo_available_land_adds_up_to_317_ha(demo):
    assert Plot.objects.published().available().total_surface_ha() == 317
    # Each plot's ground surface is its round figure, to the stored m².
    expected = {p.surface_ha for park in demo_module.PARKS for p in park.plots}
    assert set(Plot.objects.values_list("computed_surface_ha", flat=True)) == expected


def land(communes):
    return communes.aggregate(land=Union("boundary"))["land"]


def test_demo_parks_and_plots_lie_inside_the_territory(demo):
    """Now that plots are sized on the ground: still inside their park, and
    nothing beyond the territory's communes (sites.outlines checks each park
    against its organisation's own)."""
    territory = land(Commune.objects.in_territory())
    # Communes simplified one by one leave slivers between them, of no commune.
    closed = territory.buffer(1)
    for park in BusinessPark.objects.all():
        assert park.perimeter.difference(closed).area < 1, park.name
        for plot in park.plots.all():
            assert plot.geom.within(park.perimeter), plot.name
            assert plot.geom.within(territory), plot.name


def test_demo_plots_do_not_overlap(demo):
    for plot in Plot.objects.all():
        assert (
            not Plot.objects.exclude(pk=plot.pk)
            .filter(geom__intersects=plot.geom)
            .exists()
        ), plot.name


def test_demo_is_visibly_marked(demo):
    assert not Plot.objects.filter(is_demo=False).exists()
    assert not BusinessPark.objects.filter(is_demo=False).exists()
    assert Ambassador.objects.filter(is_demo=True).count() == 6


def test_the_report_parks_are_there(demo):
    siziaf = BusinessPark.objects.get(name="Parc des Industries Artois-Flandres")
    assert siziaf.organisation.slug == "siziaf"
    assert set(siziaf.plots.values_list("commune__name", flat=True)) == {
        "Douvrin",
        "Billy-Berclau",
    }
    innovation = BusinessPark.objects.filter(name__startswith="Parc d'innovation")
    assert set(innovation.values_list("commune__name", flat=True)) == {
        "Béthune",
        "Lens",
        "Oignies",
    }


def test_load_demo_is_idempotent(capsys):
    call_command("load_demo")
    counts = (Plot.objects.count(), BusinessPark.objects.count())
    call_command("load_demo")
    assert "nothing to do" in capsys.readouterr().out
    assert (Plot.objects.count(), BusinessPark.objects.count()) == counts


def test_invalid_demo_geometry_is_refused_with_the_plot_named(monkeypatch):
    def bowtie(x, y, surface_ha):
        from django.contrib.gis.geos import Polygon

        return Polygon(((x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50), (x, y)))

    monkeypatch.setattr(demo_module, "_rectangle", bowtie)
    with pytest.raises(
        CommandError, match="Parc des Industries Artois-Flandres, lot 1"
    ):
        call_command("load_demo")
    assert not Plot.objects.exists()
    assert not BusinessPark.objects.exists()
    assert not Ambassador.objects.exists()


def test_a_demo_loaded_before_its_translations_gets_them_and_staff_texts_stay(
    demo,
):
    park = BusinessPark.objects.get(name="Zone industrielle de Ruitz")
    BusinessPark.objects.filter(pk=park.pk).update(
        description_en="", description_nl="Door het team geschreven."
    )
    ambassador = Ambassador.objects.get(slug="demo-agricultrice")
    Ambassador.objects.filter(pk=ambassador.pk).update(quote_en=None, company_nl="")
    contact = park.organisation.contacts.get()
    type(contact).objects.filter(pk=contact.pk).update(name_en="")

    call_command("load_demo")

    park.refresh_from_db()
    ambassador.refresh_from_db()
    contact.refresh_from_db()
    assert (
        park.description_en == "Industrial park right by the A26 motorway. Demo plots."
    )
    assert park.description_nl == "Door het team geschreven."
    assert ambassador.quote_en.startswith("Feeding the territory")
    assert ambassador.company_nl == "Boerderij met verkoop via de korte keten"
    assert contact.name_en == "CABBALR economic development (demo)"
