"""gunicorn.conf.py, as gunicorn reads it."""

import gc
import runpy

from django.conf import settings


def test_a_worker_freezes_what_it_loaded_for_the_collector():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_access_log_holds_no_query_string_referer_browser_or_address(capsys):
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, config[name])
    logger = Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/fr/recherche/",
        "QUERY_STRING": "q=jan.peeters%40example.be",
        "RAW_URI": "/fr/recherche/?q=jan.peeters%40example.be",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": "https://mail.example.be/inbox/jan",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Jan's laptop)",
    }
    request = SimpleNamespace(headers=[], method="GET", path="/fr/recherche/")
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    [line] = capsys.readouterr().out.splitlines()  # accesslog "-": standard output
    assert '"GET /fr/recherche/" 200 512 12ms' in line
    for personal in ("jan", "example.be", "203.0.113.9", "Mozilla", "q="):
        assert personal not in line


def test_the_access_log_cuts_the_secret_links_short(capsys):
    """A shortlist's, an alert's or a password reset's link is the secret that
    opens it: whoever reads the logs must not be able to follow it."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.util import load_class

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, config[name])
    logger = load_class(config["logger_class"])(cfg)
    for path, logged in [
        ("/fr/selection/Sh0rt.l1st-T0ken/", "/fr/selection/…/"),
        ("/nl/alertes/confirmer/c0nf:irm/", "/nl/alertes/confirmer/…/"),
        ("/en/alertes/desabonner/unsub:scr1be/", "/en/alertes/desabonner/…/"),
        ("/gestion/reset/MQ/d3f-r3set/", "/gestion/reset/…/…/"),
        ("/fr/terrains/lot-1/", "/fr/terrains/lot-1/"),
    ]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        request = SimpleNamespace(headers=[], method="GET", path=path)
        response = SimpleNamespace(status="200 OK", sent=512, headers=[])
        logger.access(response, request, environ, timedelta(milliseconds=12))
        [line] = capsys.readouterr().out.splitlines()
        assert f'"GET {logged}" 200' in line
        for secret in ("Sh0rt", "c0nf", "unsub", "d3f-r3set"):
            assert secret not in line
