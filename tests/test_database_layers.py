"""The content loaded once for the session (tests/conftest.py, LAYERS) is the
same for every test: what one test changes is rolled back before the next."""

from ambassadors.models import Ambassador
from sites.demo import PARKS
from sites.models import BusinessPark, Commune, Plot

DEMO_PLOTS = sum(len(park.plots) for park in PARKS)


def test_without_the_demo_only_the_territory_is_there(db):
    assert Commune.objects.exists()
    assert not Plot.objects.exists()
    assert not Ambassador.objects.exists()


def test_a_test_may_change_the_demo(demo):
    Plot.objects.filter(is_demo=True).delete()
    BusinessPark.objects.update(name="Changed")
    assert not Plot.objects.exists()


def test_the_next_test_finds_the_demo_whole(demo):
    assert Plot.objects.filter(is_demo=True).count() == DEMO_PLOTS
    assert not BusinessPark.objects.filter(name="Changed").exists()
    assert Ambassador.objects.filter(is_demo=True).count() == 6
