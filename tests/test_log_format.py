"""The production log lines (investinartois/logging.py): a secret link is cut
short in the message and the path; other paths are logged as they are."""

import json
import logging

import pytest
from django.test import RequestFactory

from investinartois.logging import JSONFormatter


@pytest.mark.parametrize(
    "path, logged",
    [
        ("/fr/selection/Sh0rt.l1st-T0ken/", "/fr/selection/…/"),
        ("/fr/terrains/lot-1/", "/fr/terrains/lot-1/"),
    ],
)
def test_a_not_found_is_logged_without_a_secret_link(path, logged):
    request = RequestFactory().get(path)
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None
    )
    record.request = request
    entry = json.loads(JSONFormatter().format(record))
    assert entry["message"] == f"Not Found: {logged}"
    assert entry["path"] == logged
    assert "Sh0rt" not in json.dumps(entry)
