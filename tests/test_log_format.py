"""The production log lines (investinartois/logging.py): a secret link is cut
short in the message and the path."""

import json
import logging

from django.test import RequestFactory

from investinartois.logging import JSONFormatter


def test_a_not_found_secret_link_is_logged_without_its_secret():
    request = RequestFactory().get("/fr/selection/Sh0rt.l1st-T0ken/")
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (request.path,),
        None,
    )
    record.request = request
    entry = json.loads(JSONFormatter().format(record))
    assert entry["message"] == "Not Found: /fr/selection/…/"
    assert entry["path"] == "/fr/selection/…/"
    assert "Sh0rt" not in json.dumps(entry)


def test_other_paths_are_logged_as_they_are():
    request = RequestFactory().get("/fr/terrains/lot-1/")
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (request.path,),
        None,
    )
    record.request = request
    entry = json.loads(JSONFormatter().format(record))
    assert entry["path"] == "/fr/terrains/lot-1/"
    assert entry["message"] == "Not Found: /fr/terrains/lot-1/"
