"""The open-data files: written by the background job, served as files."""

import json
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange import export, opendata
from exchange.opendata import KINDS, VARIANTS, open_data_write
from exchange.tasks import open_data_write_task
from investinartois.celery import app
from sites.models import Plot

pytestmark = pytest.mark.django_db
NAMES = [
    (f"{base}{suffix}", ext, kind, variant)
    for base, kind in KINDS.items()
    for (suffix, ext), variant in VARIANTS.items()
]


def url(name, ext):
    return reverse("exchange:opendata-file", kwargs={"name": name, "fmt": ext})


def comparable(text, ext):
    """A file's content without the time it was built at (GeoJSON's `generated`)."""
    if ext != "geojson":
        return text
    document = json.loads(text)
    document.pop("generated")
    return document


def test_before_the_first_run_the_page_says_so_and_no_file_is_built(
    client, demo, open_data_root
):
    page = client.get(reverse("exchange:opendata"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<small>pas encore écrit<") == len(NAMES)
    assert f'href="{url("zae-terrains", "csv")}"' not in html
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("zae-terrains", "csv"))
    assert response.status_code == 404
    # (the not-found page's footer lists the organisations)
    listings = [q for q in queries.captured_queries if "sites_plot" in q["sql"]]
    assert listings == []


def test_the_files_are_the_exports_of_today(client, open_data):
    html = client.get(reverse("exchange:opendata")).content.decode()
    assert "<small>pas encore écrit" not in html
    assert html.count("<small>écrit le ") == len(NAMES)
    for name, ext, kind, variant in NAMES:
        response = client.get(url(name, ext))
        assert response.status_code == 200, name
        assert f'href="{url(name, ext)}"' in html
        assert response["Content-Type"] == export.EXPORTS[variant][0]
        assert response["Last-Modified"]
        served = response.getvalue().decode("utf-8")
        built, _type, _suffix = export.listings_export(kind, variant)
        assert comparable(served, ext) == comparable(built, ext), name


def test_a_file_not_written_since_is_not_sent_again(client, open_data):
    address = url("zae-terrains", "geojson")
    first = client.get(address)
    since = {"if-modified-since": first["Last-Modified"]}
    again = client.get(address, headers=since)
    assert again.status_code == 304 and not again.content
    assert client.head(address, headers=since).status_code == 304
    path = open_data / "zae-terrains.geojson"
    os.utime(path, (path.stat().st_mtime + 3600,) * 2)  # written again since
    assert client.get(address, headers=since).status_code == 200


def test_the_job_writes_only_when_the_listings_changed(open_data):
    assert open_data_write() == []
    plot = Plot.objects.published().first()
    plot.zoning = "UZ2"
    plot.save()
    written = open_data_write()
    assert sorted(written) == sorted(f"{n}.{e}" for n, e, _k, _v in NAMES)
    assert "UZ2" in (open_data / "zae-terrains-etendu.csv").read_text()


def test_a_failed_run_leaves_the_last_files_whole(open_data, monkeypatch):
    path = open_data / "zae-terrains.csv"
    before = path.read_bytes()

    def failing(kind, fmt, queryset=None):
        def chunks():
            yield "terr_id\r\nhalf a file"
            raise RuntimeError("the database went away")

        return chunks(), "text/csv", "csv"

    monkeypatch.setattr(opendata, "listings_export_chunks", failing)
    with pytest.raises(RuntimeError):
        open_data_write(force=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in open_data.iterdir() if p.name.startswith(".z")) == []


def test_files_are_built_in_pieces(demo, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_CHARACTERS", 1000)
    for kind in KINDS.values():
        chunks = list(export.listings_csv_chunks(kind))
        assert len(chunks) > 2
        assert "".join(chunks) == export.listings_csv(kind)
        pieces = list(export.listings_geojson_chunks(kind))
        assert len(pieces) > 3


def test_the_command_and_the_periodic_task_write_them(open_data_root, demo):
    call_command("write_open_data")
    assert (open_data_root / "zae-sites.geojson").exists()
    (open_data_root / "zae-sites.geojson").unlink()
    open_data_write_task.delay()  # the listings have not changed
    assert not (open_data_root / "zae-sites.geojson").exists()
    call_command("write_open_data", force=True)
    assert (open_data_root / "zae-sites.geojson").exists()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "exchange.tasks.open_data_write_task" in scheduled
    assert "exchange.tasks.open_data_write_task" in app.tasks


def test_a_run_started_while_another_writes_leaves_it_alone(open_data):
    import fcntl

    with (open_data / opendata.LOCK_FILE).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert open_data_write(force=True) == []
    assert open_data_write(force=True) != []
