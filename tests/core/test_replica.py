"""The optional read replica: which reads go there, and the pages built from
it are rebuilt once it has caught up."""

import math

import pytest
from django.db import connection
from django.urls import reverse

from core import caching, replica, tasks
from core.caching import listings_changed
from core.replica import ReplicaRouter, replica_reads
from sites.models import Plot
from tests.test_scaling_settings import prod

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set (no second server here)."""
    for module in (replica, caching):
        monkeypatch.setattr(module, "replica_configured", lambda: True)


def test_the_router_sends_only_marked_reads_to_a_configured_replica(request):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Plot) is None  # no replica configured
    request.getfixturevalue("with_replica")
    assert router.db_for_read(Plot) is None
    with replica_reads():
        assert router.db_for_read(Plot) == "replica"
        assert router.db_for_write(Plot) == "default"
    assert router.allow_migrate("default", "sites") is True
    assert router.allow_migrate("replica", "sites") is False


def reads_marked(client, url):
    """For each query on the plots while `url` is served: was it a replica read?"""
    marked = []

    def record(execute, sql, params, many, context):
        if "sites_plot" in sql:
            marked.append(replica._reading.get())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
        if response.streaming:
            response.getvalue()
    assert response.status_code == 200, url
    assert marked, url
    return set(marked)


def test_search_map_and_sitemap_read_from_the_replica(client, demo, settings):
    settings.LISTINGS_PAGE_CACHE = False
    plot = Plot.objects.published().first()
    for url in (
        reverse("sites:search"),
        reverse("api-plots"),
        "/sitemap-plots-0.xml",
    ):
        assert reads_marked(client, url) == {True}, url
    assert reads_marked(client, plot.get_absolute_url()) == {False}


def test_a_change_is_followed_by_a_late_bump_when_there_is_a_replica(
    with_replica, monkeypatch, django_capture_on_commit_callbacks
):
    scheduled = []
    monkeypatch.setattr(
        tasks.listings_version_bump,
        "apply_async",
        lambda countdown: scheduled.append(countdown),
    )
    with django_capture_on_commit_callbacks(execute=True):
        listings_changed()
    assert scheduled == [10]


def test_production_bounds_the_replica_like_the_primary():
    shown = prod(
        "print(settings.DATABASES['replica']['OPTIONS']['options'], "
        "settings.DATABASES['replica']['CONN_MAX_AGE'], settings.DATABASE_ROUTERS)",
        DATABASE_REPLICA_URL="postgis://reader@replica/portal",
    )
    assert shown.stdout.split(" -c max_parallel_workers_per_gather=0 ")[1].strip() == (
        "60 ['core.replica.ReplicaRouter']"
    ), shown.stderr
    assert " -c jit=off " in shown.stdout
    assert "statement_timeout=20000" in shown.stdout


@pytest.fixture
def mirror(monkeypatch):
    """A second connection to the test database (what it has committed: the
    demo), under an alias of its own that the router sends every read to, as
    it would to the replica."""
    from django.db import connections, router

    wrapper = connections.create_connection("default")
    wrapper.alias = "mirror"
    connections["mirror"] = wrapper
    monkeypatch.setattr(router, "db_for_read", lambda model, **hints: "mirror")
    yield wrapper
    wrapper.close()
    del connections["mirror"]


def test_a_tile_is_read_from_the_database_the_router_chooses(
    client, demo, mirror, settings
):
    """Built by hand-written SQL on PostGIS (ST_AsMVT), not only by the ORM."""
    settings.LISTINGS_PAGE_CACHE = False
    plot = Plot.objects.on_offer().first()
    read = []

    def record(execute, sql, params, many, context):
        read.append(sql)
        return execute(sql, params, many, context)

    lon, lat = plot.geom.centroid.transform(4326, clone=True).coords
    for z in (10, 15):  # clusters, then outlines
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        with mirror.execute_wrapper(record):
            response = client.get(reverse("api-tiles", kwargs={"z": z, "x": x, "y": y}))
        assert response.status_code == 200 and response.content, z
        assert any("sites_plot" in sql for sql in read), z
        read.clear()


def test_work_following_the_listings_waits_for_the_replica_s_late_bump(
    with_replica, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The tile grid and the key figures, kept under the version they read,
    would be stale again at the replica's late bump if computed before it."""
    from sites import grid, selectors
    from sites import tasks as sites_tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker
    queued = {}
    monkeypatch.setattr(tasks.listings_version_bump, "apply_async", lambda **kw: None)
    for task in (sites_tasks.tile_grid_build_task, sites_tasks.key_figures_task):
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda countdown, task=task: queued.setdefault(task.name, countdown),
        )
    with django_capture_on_commit_callbacks(execute=True):
        listings_changed()
    assert queued == {
        sites_tasks.tile_grid_build_task.name: grid.REBUILD_DELAY + 10,
        sites_tasks.key_figures_task.name: selectors.KEY_FIGURES_DELAY + 10,
    }
