"""The mixed load of issue 12, run by bench/mixed (which prepares the database
and the environment): gunicorn with the repo's config, a Celery worker on
Redis and an SMTP server on loopback that keeps every message, then an
open-loop load at a constant rate of home, search, plot, tile and map API
requests with leads posted through the real form; the checks are in
bench/mixed_report.py. Exits 0 only when they all pass.

Open loop: each request is sent at its scheduled time by a pool of threads,
whatever the earlier ones are doing (a closed loop, like wrk's, slows down
with the server and hides its queueing).
"""

import gzip
import http.client
import itertools
import logging
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlencode

import django
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import mixed_report as report  # noqa: E402

DURATION = float(os.environ.get("BENCH_MIXED_DURATION", 600))
RATE = float(os.environ.get("BENCH_MIXED_RATE", 50))  # requests/s, leads included
LEAD_RATE = float(os.environ.get("BENCH_MIXED_LEAD_RATE", 1))  # leads/s
WARMUP = float(os.environ.get("BENCH_MIXED_WARMUP", 60))
DRAIN = float(os.environ.get("BENCH_MIXED_DRAIN", 180))  # most to wait for the queue
TIMEOUT = 30  # gunicorn's: a request still unanswered then is an error
FORM_AGE = 4  # seconds between the form's GET and its POST (the trap wants 3)
WORK = Path(os.environ["BENCH_WORK"])
PY = Path(sys.executable)
HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
LANGUAGES = ("fr", "en", "nl")
# The share of each kind in what is not a lead (1 lead = its form's GET and
# its POST, both counted in RATE).
MIX = {"home": 0.10, "search": 0.25, "plot": 0.25, "tile": 0.25, "API": 0.15}


def say(*lines):
    """The report, on standard output as it comes (bench/mixed adds a line)."""
    sys.stdout.write("".join(f"{line}\n" for line in lines) or "\n")
    sys.stdout.flush()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The SMTP server: keeps, per marker, the messages to the developers.
class Mailbox:
    def __init__(self, pattern):
        self.pattern = pattern
        self.developers = Counter()  # marker -> notifications
        self.investors = Counter()  # marker -> acknowledgements
        self.total = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        text = raw.decode("utf-8", "replace")
        # The investor's address carries the marker: in the notification's
        # Reply-To, in the acknowledgement's To.
        markers = set(re.findall(self.pattern, text))
        # The notification to the developers names its lead (emails.notifications).
        box = self.developers if message["X-Lead-Id"] else self.investors
        with self.lock:
            self.total += 1
            for marker in markers:
                box[marker] += 1
        return "250 OK"


# --- The processes.
def start(name, args, env):
    log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(process, timeout=40):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid):
    """The pids whose parent is `pid` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, hence the rsplit.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def rss(pids):
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kib = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if kib:
            sizes[pid] = int(kib.group(1)) * 1024
    return sizes


# --- Requests.
class Client:
    def __init__(self, port):
        self.port = port
        self.results = []
        self.lock = threading.Lock()

    def request(self, kind, method, path, *, body=None, headers=None, due=None):
        """Send one request on a new connection (gunicorn's sync workers close
        each one); returns (status, headers, body) and records the result,
        with how late it was sent (`due`: when it should have been)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        sent = time.monotonic()
        late = max(0.0, sent - due) if due is not None else 0.0
        status, answer_headers, content = 0, None, b""
        try:
            connection.connect()
            # TIMEOUT for the whole request, not for each socket operation.
            connection.sock.settimeout(max(0.01, TIMEOUT - (time.monotonic() - sent)))
            connection.request(
                method,
                path,
                body=body,
                headers={**HEADERS, "Accept-Encoding": "gzip", **(headers or {})},
            )
            response = connection.getresponse()
            content = response.read()
            status, answer_headers = response.status, response.headers
            if response.headers.get("Content-Encoding") == "gzip":
                content = gzip.decompress(content)
        except (OSError, http.client.HTTPException):
            pass  # status 0: an error (timeout, refused or reset connection)
        finally:
            connection.close()
        self.record(report.Result(kind, status, time.monotonic() - sent, late))
        return status, answer_headers, content

    def record(self, result):
        with self.lock:
            self.results.append(result)


# --- What is requested: varied pages, around real plots.
def sample_plots(count=2000):
    """(path without language, longitude, latitude) of random published plots."""
    from django.db import connection

    from sites.models import Plot

    table = Plot._meta.db_table
    published = Plot.objects.published().values("pk").query
    sql, params = published.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug, ST_X(c), ST_Y(c) FROM (SELECT slug,"  # noqa: S608 (no input)
            f" ST_Transform(ST_PointOnSurface(geom), 4326) AS c FROM {table}"
            f" WHERE id IN ({sql}) ORDER BY random() LIMIT %s) AS s",
            [*params, count],
        )
        return [(f"terrains/{slug}/", x, y) for slug, x, y in cursor.fetchall()]


def tile_of(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


# Distinct addresses of each kind, requested with Zipf's popularity (the n-th
# most requested one 1/n as often as the first), as visitors concentrate on
# some pages: with 3,000 plot pages, the 30 most visited take 46 % of the
# visits. The share of requests for an address already requested in the run
# is printed: the most the page cache can have served.
POOLS = {"home": 3, "search": 500, "plot": 3000, "tile": 3000, "API": 1000}


class Urls:
    def __init__(self, plots, organisations, seed=12):
        self.plots = plots
        self.organisations = organisations
        self.random = random.Random(seed)
        self.pools = {}
        self.seen = set()
        self.repeats = 0

    def __call__(self, kind):
        if kind not in self.pools:
            urls = list(dict.fromkeys(self.draw(kind) for _ in range(POOLS[kind] * 2)))
            urls = urls[: POOLS[kind]]
            weights = [1 / rank for rank in range(1, len(urls) + 1)]
            self.pools[kind] = (urls, list(itertools.accumulate(weights)))
        urls, cumulative = self.pools[kind]
        url = self.random.choices(urls, cum_weights=cumulative)[0]
        self.repeats += url in self.seen
        self.seen.add(url)
        return url

    def draw(self, kind):
        r = self.random
        language = r.choice(LANGUAGES)
        if kind == "home":
            return f"/{language}/"
        if kind == "plot":
            return f"/{language}/{r.choice(self.plots)[0]}"
        _path, lon, lat = r.choice(self.plots)
        if kind == "tile":
            z = r.choice((5, 7, 9, 11, 12, 13, 14, 15, 16))
            x, y = tile_of(
                lon + r.uniform(-0.05, 0.05), lat + r.uniform(-0.05, 0.05), z
            )
            return f"/api/v1/tiles/{z}/{x}/{y}.pbf{self.filters(r, few=True)}"
        if kind == "API":
            half = r.choice((0.01, 0.05, 0.2, 1.0))
            box = (
                max(lon - half, -180),
                max(lat - half * 0.7, -85),
                min(lon + half, 180),
                min(lat + half * 0.7, 85),
            )
            bbox = ",".join(f"{v:.5f}" for v in box)
            extra = self.filters(r, few=True)
            return (
                f"/api/v1/plots.geojson?bbox={bbox}{'&' + extra[1:] if extra else ''}"
            )
        # The search page: filters, sorts and pages, mostly a few at once.
        query = self.filters(r)
        page = r.choice((1, 1, 1, 2, 3, 5, 10)) if not query else r.choice((1, 1, 2))
        query += ("&" if query else "?") + f"page={page}" if page > 1 else ""
        return f"/{language}/recherche/{query}"

    def filters(self, r, few=False):
        chosen = []
        if r.random() < 0.3:
            chosen.append(f"surface_min={r.choice((1, 2, 5, 10))}")
        if r.random() < 0.3:
            chosen.append(
                f"vocation={r.choice(('industry', 'logistics', 'tertiary', 'crafts'))}"
            )
        if r.random() < 0.15:
            chosen.append("rail=on")
        if not few and r.random() < 0.2 and self.organisations:
            chosen.append(f"organisation={r.choice(self.organisations)}")
        if not few and r.random() < 0.3:
            chosen.append(
                f"sort={r.choice(('-surface', 'surface', '-updated', 'updated'))}"
            )
        if few and r.random() < 0.5:
            chosen = chosen[:1]
        return "?" + "&".join(chosen) if chosen else ""


# --- Leads.
FIELD = re.compile(r'name="(csrfmiddlewaretoken|issued)" value="([^"]*)"')


class Leads:
    def __init__(self, client, plots, run):
        self.client = client
        self.plots = plots
        self.run = run
        self.random = random.Random(run)
        self.posted = {}  # marker -> accepted (302 to the thanks page)
        self.lock = threading.Lock()

    def marker(self, n):
        return f"mixed-{self.run}-{n}"

    def path(self, n):
        plot_path = self.plots[n * 7919 % len(self.plots)][0]  # spread over the sample
        return "/fr/" + plot_path.replace("terrains/", "contact/terrain/", 1)

    def visit(self, n, due):
        """A new visitor (no cookie yet) opens the contact form, fills it in
        for FORM_AGE seconds and sends it."""
        marker = self.marker(n)
        with self.lock:
            self.posted[marker] = False
        status, headers, content = self.client.request(
            "lead form", "GET", self.path(n), due=due
        )
        if status != 200:
            return  # not posted: that request is the error counted
        cookies = headers.get_all("Set-Cookie") or []
        cookie = next(
            (m.group(1) for c in cookies if (m := re.match(r"csrftoken=([^;]+)", c))),
            None,
        )
        fields = dict(FIELD.findall(content.decode("utf-8", "replace")))
        if not cookie or len(fields) != 2:
            # A form without its token or trap: the POST would fail, so count
            # it as an error now.
            self.client.record(report.Result(report.LEAD_POST, 0, 0.0))
            return
        # The trap counts from the form's rendering: never post sooner.
        due = max(due + FORM_AGE, time.monotonic() + FORM_AGE - 0.5)
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        body = urlencode(
            {
                "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
                "issued": fields["issued"],
                "name": "Mixed Load",
                "company": "Mixed Load Bench",
                "country": "France",
                "email": f"{marker}@example.com",
                "language": self.random.choice(LANGUAGES),
                "project_type": "industry",
                "timeline": "unknown",
                "message": f"Mixed load lead {marker}.",
                "consent": "on",
                "website": "",
            }
        )
        status, headers, _ = self.client.request(
            report.LEAD_POST,
            "POST",
            self.path(n),
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Origin": f"https://127.0.0.1:{self.client.port}",
            },
            due=due,
        )
        location = (headers.get("Location", "") if headers else "") or ""
        with self.lock:
            self.posted[marker] = status == 302 and "/merci/" in location


def schedule(duration, rate, lead_rate):
    """[(seconds from the start, kind, lead number or None)], sorted: the
    leads' visits at 1/lead_rate intervals (each a GET, then a POST FORM_AGE
    later), the rest of the rate spread evenly over the other kinds, drawn at
    random."""
    r = random.Random(50)
    events = []
    leads = int(max(0, duration - FORM_AGE - 1) * lead_rate)
    for n in range(leads):
        events.append(((n + 0.5) / lead_rate, "lead", n))
    other = max(0.0, rate - 2 * lead_rate)
    kinds, weights = zip(*MIX.items(), strict=True)
    for i in range(int(duration * other)):
        events.append((i / other, r.choices(kinds, weights)[0], None))
    events.sort(key=lambda e: e[0])
    return events


def load(client, urls, leads, events, on_tick):
    """Send each event at its time; on_tick(elapsed) is called about every
    second from the scheduling thread (memory samples)."""
    # A thread for every request that can be outstanding (each gives up after
    # TIMEOUT): the requests are sent on time even when the server lags.
    threads = int(RATE * (TIMEOUT + 2)) + 50
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="load")
    start = time.monotonic()
    next_tick = 0.0
    for at, kind, n in events:
        due = start + at
        while (now := time.monotonic()) < due:
            time.sleep(min(due - now, 0.05))
            if now - start >= next_tick:
                on_tick(now - start)
                next_tick += 1.0
        if kind == "lead":
            pool.submit(leads.visit, n, due)
        else:
            pool.submit(client.request, kind, "GET", urls(kind), due=due)
    pool.shutdown(wait=True)
    on_tick(time.monotonic() - start)
    return time.monotonic() - start


def lead_rows(run):
    from leads.models import Lead

    stored = {}
    rows = Lead.objects.filter(email__startswith=f"mixed-{run}-").values_list(
        "email", "delivery_status", "spam_reason"
    )
    for email, status, flags in rows:
        marker = email.split("@")[0]
        count, statuses = stored.get(marker, (0, []))
        stored[marker] = (
            count + 1,
            [*statuses, f"{status} flagged {flags}" if flags else status],
        )
    return stored


def wait_for_delivery(run, mailbox):
    """Until no lead of this run is pending or sending and the mailbox has
    been still for 3 s, or DRAIN seconds."""
    from leads.models import Lead

    deadline = time.monotonic() + DRAIN
    last, still_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        waiting = Lead.objects.filter(
            email__startswith=f"mixed-{run}-",
            delivery_status__in=[Lead.Delivery.PENDING, Lead.Delivery.SENDING],
        ).count()
        if mailbox.total != last:
            last, still_since = mailbox.total, time.monotonic()
        if waiting == 0 and time.monotonic() - still_since >= 3:
            return True
        time.sleep(0.5)
    return False


def main():
    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's, per message
    from django.db import connections

    from sites.models import Organisation

    run = f"{random.randrange(16**6):06x}"
    plots = sample_plots()
    if not plots:
        sys.exit("bench: no published plot in the database")
    organisations = list(
        Organisation.objects.members().values_list("slug", flat=True)[:200]
    )
    connections.close_all()

    mailbox = Mailbox(rf"mixed-{run}-\d+")
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    env = {**os.environ, "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "10"}
    celery = [PY.parent / "celery", "-A", "investinartois"]
    subprocess.run([*celery, "purge", "-f"], env=env, check=True, capture_output=True)
    worker = start("celery", [*celery, "worker", "--loglevel=warning"], env)
    # The repo's config; no worker recycling (--max-requests 0: it would hide
    # the growth this measures, and bench/run says why) and no control socket
    # (its default path in $HOME is shared by every gunicorn on the machine).
    gunicorn = start(
        "gunicorn",
        [
            PY.parent / "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--no-control-socket",
            "--max-requests",
            os.environ.get("BENCH_MAX_REQUESTS", "0"),
            "--access-logfile",
            str(WORK / "access.log"),
            "bench.wsgi:application",
        ],
        {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "3"),
        },
    )
    try:
        probe = Client(port)
        for _ in range(120):
            if probe.request("probe", "GET", "/bench/bare/")[0] == 200:
                break
            if gunicorn.poll() is not None:
                sys.exit(f"bench: gunicorn died, see {WORK / 'gunicorn.log'}")
            time.sleep(0.5)
        else:
            sys.exit("bench: gunicorn did not answer")
        time.sleep(1)  # every worker booted
        client = Client(port)
        leads = Leads(client, plots, run)
        urls = Urls(plots, organisations)
        events = schedule(DURATION, RATE, LEAD_RATE)
        leads_count = sum(kind == "lead" for _at, kind, _n in events)
        warmup = min(WARMUP, DURATION / 2)
        memory = {"before": {}, "peak": Counter()}
        load_avg = []

        def on_tick(elapsed):
            sizes = rss(children(gunicorn.pid))
            for pid, size in sizes.items():
                memory["peak"][pid] = max(memory["peak"][pid], size)
            if not memory["before"] and elapsed >= warmup:
                memory["before"] = sizes
                load_avg.append(os.getloadavg())
            if int(elapsed) % 60 == 0:
                say(
                    f"bench: {elapsed:5.0f} s, {len(client.results)} requests",
                )

        say(
            f"bench: run {run}: {len(events) + leads_count} requests over "
            f"{DURATION:.0f} s "
            f"({RATE:g}/s, {LEAD_RATE:g} lead/s), memory measured from {warmup:.0f} s",
        )
        elapsed = load(client, urls, leads, events, on_tick)
        memory["after"] = rss(children(gunicorn.pid))
        load_avg.append(os.getloadavg())
        drained = wait_for_delivery(run, mailbox)
        stored = lead_rows(run)
    finally:
        stop(gunicorn)
        stop(worker)
        smtp.stop()

    results = client.results
    say()
    say(
        f"{len(results)} requests in {elapsed:.0f} s ({len(results) / elapsed:.1f}/s), "
        f"{len(leads.posted)} leads posted, {sum(leads.posted.values())} accepted; "
        f"latest send {max(r.late for r in results):.2f} s behind schedule; "
        f"{urls.repeats / max(1, sum(r.kind in MIX for r in results)):.0%} "
        f"of the page, tile and API requests for an address already requested; "
        f"load average {' / '.join(f'{a[0]:.2f}' for a in load_avg)} "
        f"(after the warm-up / at the end)"
    )
    say(f"{'kind':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, (count, p50, p95) in report.latencies(results).items():
        say(f"{kind:<12} {count:>8} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f}")
    say(
        f"messages: {sum(mailbox.developers.values())} to the developers, "
        f"{sum(mailbox.investors.values())} acknowledgements, "
        f"{len(stored)} Lead rows{'' if drained else '; the queue did NOT drain'}"
    )
    for pid, before in sorted(memory["before"].items()):
        after = memory["after"].get(pid)
        say(
            f"worker {pid}: RSS {report.mib(before)} MiB after the warm-up, "
            f"{report.mib(after) if after else 'gone'} at the end, "
            f"peak {report.mib(memory['peak'][pid])}"
        )
    lead_issues = report.lead_problems(leads.posted, mailbox.developers, stored)
    if not drained:
        lead_issues.insert(0, f"leads still pending after {DRAIN:.0f} s")
    lines, status = report.verdict(
        results, lead_issues, report.memory_problems(memory["before"], memory["after"])
    )
    say("\n".join(lines))
    # The run's leads are not kept: the next run would count them.
    from leads.models import Lead

    Lead.objects.filter(email__startswith=f"mixed-{run}-").delete()
    return status


if __name__ == "__main__":
    sys.exit(main())
