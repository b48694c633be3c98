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


def test_the_louvre_lens_five_million_visitors_are_since_2012_in_every_language(demo):
    """The report: 5 million visitors since the museum opened (4 December 2012),
    the mark passed on 9 November 2022; 571,047 came in 2022 itself. French and
    Dutch said 5 million "in 2022", English "by 2022"."""
    stories_demo_load()
    sector = Sector.objects.get(slug="industries-culturelles-creatives")
    for language, words in {
        "fr": ["5 millions de visiteurs depuis son ouverture en 2012", "9 novembre"],
        "en": ["5 million visitors since it opened in 2012", "9 November 2022"],
        "nl": ["5 miljoen bezoekers sinds de opening in 2012", "9 november 2022"],
    }.items():
        summary = getattr(sector, f"summary_{language}")
        for word in words:
            assert word in summary, (language, summary)
