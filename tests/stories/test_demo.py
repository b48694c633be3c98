import pytest
from django.core.management import call_command

from stories.demo import INNOVATION_SITES, SECTORS, STORIES, stories_demo_load
from stories.models import InnovationPark, InnovationSite, Sector, SuccessStory

pytestmark = pytest.mark.django_db


def test_loading_twice_creates_nothing_more(demo):
    created = stories_demo_load()
    assert created == len(SECTORS) + len(STORIES) + 1 + len(INNOVATION_SITES)
    assert stories_demo_load() == 0
    assert Sector.objects.count() == len(SECTORS)
    assert InnovationSite.objects.count() == 3


def test_staff_edits_survive_a_reload(demo):
    stories_demo_load()
    Sector.objects.filter(slug="logistique-verte").update(name_fr="Edited")
    stories_demo_load()
    assert Sector.objects.get(slug="logistique-verte").name_fr == "Edited"


def test_load_demo_command_loads_them_and_is_idempotent(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert "nothing to do" in capsys.readouterr().out
    assert SuccessStory.objects.published().count() == len(STORIES)
    assert InnovationPark.objects.published().count() == 1


def test_content_is_valid_and_sourced(demo):
    stories_demo_load()
    for model in (Sector, SuccessStory, InnovationPark):
        for item in model.objects.all():
            item.full_clean()
            assert "2022" in item.source
    story = SuccessStory.objects.get(slug="acc-gigafactory")
    assert story.commune.name == "Billy-Berclau"
    assert story.park.name == "Parc des Industries Artois-Flandres"
    assert story.title_en and story.title_nl
