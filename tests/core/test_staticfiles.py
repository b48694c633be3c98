"""Production's static files storage keeps each name's hashed URL."""

import json
from unittest import mock

import pytest

from core.staticfiles import HashedStaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return HashedStaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_names_url_is_worked_out_once(storage):
    with mock.patch.object(
        HashedStaticFilesStorage, "_url", wraps=storage._url
    ) as worked_out:
        assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
        assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert worked_out.call_count == 1


def test_a_missing_file_still_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
