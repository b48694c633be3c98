"""gunicorn settings for the web containers; each value can be overridden by env."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 30
graceful_timeout = 30
max_requests = 1000  # recycle workers, bounding any slow memory growth
max_requests_jitter = 100
accesslog = "-"
# As the portal's own log lines (investinartois/logging.py): the method and the
# path, never the query string, the referer, the browser or the address (a
# search's terms, a page a person came from: theirs, not the operator's).
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# And a shortlist's, an alert's or a password reset's link cut short: each is
# the secret that opens it.
logger_class = "investinartois.access_log.AccessLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the worker has loaded the application: what it loaded (modules,
    settings, the app registry) moves to a generation Python's collector no
    longer walks. A full collection during a built search took 60-100 ms every
    100 to 400 builds, 7.5-13 ms with this (docs/performance.md)."""
    gc.freeze()
