"""The content loaded once for the session (tests/conftest.py, LAYERS) is the
same for every test: what one test changes is rolled back before the next."""

import pytest
from django.contrib.contenttypes.models import ContentType

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


# A transactional test commits what it changes; the layers it found are put
# back from the copies taken when they were first loaded.
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_may_commit_changes_to_the_demo(demo):
    Plot.objects.filter(is_demo=True).delete()
    Commune.objects.update(name="Changed")
    ContentType.objects.all().delete()
    # What the next test must find undone (this test commits as it goes).
    assert not Plot.objects.filter(is_demo=True).exists()
    assert not ContentType.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_finds_the_demo_whole(demo):
    assert Plot.objects.filter(is_demo=True).count() == DEMO_PLOTS
    assert not Commune.objects.filter(name="Changed").exists()
    # Django's memory of content types agrees with the rows put back.
    cached = ContentType.objects.get_for_model(Plot)
    assert cached == ContentType.objects.get(app_label="sites", model="plot")
