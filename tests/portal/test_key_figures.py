"""The home's key figures sum the whole table: they are computed once per
listings version, not once per visit, and an edit shows at once."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites import selectors
from sites.models import Plot

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")


@pytest.fixture
def page_cache_off(settings):
    """Every request builds its page, as a first visit (or a miss) does."""
    settings.LISTINGS_PAGE_CACHE = False


def plot_queries(queries):
    return [q["sql"] for q in queries if '"sites_plot"' in q["sql"]]


def test_a_second_home_does_not_sum_the_plots_again(client, demo, page_cache_off):
    with CaptureQueriesContext(connection) as first:
        figures = client.get(HOME).context["figures"]
    with CaptureQueriesContext(connection) as second:
        assert client.get(HOME).context["figures"] == figures
    assert plot_queries(first.captured_queries)  # the sums were made once
    # The figures (available hectares and plots, parks, the communes'
    # population), the territory map's five queries, the ambassadors, the
    # partners and the footer's: all in the page's shared fragments
    # (core/templatetags/fragments.py), built once until a listing changes.
    assert len(first) >= 9
    assert len(second) == 0


def test_the_figures_are_shared_by_the_languages(client, demo, page_cache_off):
    client.get(HOME)
    with CaptureQueriesContext(connection) as english:
        client.get(HOME.replace("/fr/", "/en/", 1))
    assert not plot_queries(english.captured_queries)


def test_publishing_a_plot_changes_the_figures(client, demo, page_cache_off):
    before = client.get(HOME).context["figures"]
    plot = Plot.objects.published().available().get(surface_ha=42)
    plot.is_published = False
    plot.save()
    hidden = client.get(HOME).context["figures"]
    assert hidden["available_plots"] == before["available_plots"] - 1
    assert hidden["available_ha"] == before["available_ha"] - 42
    plot.is_published = True
    plot.save()
    again = client.get(HOME)
    assert again.context["figures"] == before
    assert "317&nbsp;ha" in again.text


def test_with_the_page_cache_on_the_figures_follow_an_edit_too(client, demo):
    assert "317&nbsp;ha" in client.get(HOME).text
    plot = Plot.objects.get(surface_ha=42)
    plot.commercial_stage = Plot.CommercialStage.SOLD
    plot.save()
    assert "275&nbsp;ha" in client.get(HOME).text


def test_the_page_cache_can_be_turned_off(client, demo, page_cache_off):
    client.get(HOME)
    response = client.get(HOME)
    assert response.status_code == 200
    # Built again (from its fragments), not served whole from the cache.
    assert "portal/home.html" in [template.name for template in response.templates]


def test_a_listings_commit_has_the_figures_computed_off_the_request(
    client, demo, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from sites import selectors, tasks

    queued = []
    monkeypatch.setattr(
        tasks.key_figures_task,
        "apply_async",
        lambda countdown=None, **kwargs: queued.append(countdown),
    )
    # The tile grid's rebuild is asked on the same commits: not run here.
    monkeypatch.setattr(tasks.tile_grid_build_task, "apply_async", lambda **kw: None)
    settings.LISTINGS_PAGE_CACHE = False
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker
    plot = Plot.objects.on_offer().first()
    for name in ("Un", "Deux"):
        with django_capture_on_commit_callbacks(execute=True):
            plot.name = name
            plot.save()
    assert queued == [selectors.KEY_FIGURES_DELAY]  # one for both commits
    tasks.key_figures_task()  # run here
    with CaptureQueriesContext(connection) as home:
        figures = client.get(HOME).context["figures"]
    assert not [q for q in home.captured_queries if '"plots_on_offer"' in q["sql"]]
    assert figures["plots_on_offer"] == Plot.objects.on_offer().count()
    with django_capture_on_commit_callbacks(execute=True):
        plot.save()  # a commit after the task ran asks again
    assert queued == [selectors.KEY_FIGURES_DELAY] * 2
    # In-process tasks (tests, the embedded default): nothing asked per commit.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    tasks.key_figures_task()
    with django_capture_on_commit_callbacks(execute=True):
        plot.save()
    assert len(queued) == 2


def test_pages_asking_at_once_have_them_summed_once(monkeypatch):
    """After an edit, before the task has run, the homes and searches that
    find no figures wait for the first one's sums rather than each summing
    the table (0.3-0.6 s at a million plots)."""
    sums = []

    def summed():
        sums.append(1)
        time.sleep(0.3)
        return {"plots_on_offer": 7}

    monkeypatch.setattr(selectors, "_key_figures", summed)
    together = threading.Barrier(4)
    got = []

    def page():
        together.wait()
        got.append(selectors.key_figures())

    pages = [threading.Thread(target=page) for _ in range(4)]
    for thread in pages:
        thread.start()
    for thread in pages:
        thread.join(10)
    assert got == [{"plots_on_offer": 7}] * 4
    assert len(sums) == 1
