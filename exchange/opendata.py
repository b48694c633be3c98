"""Public open data: the published parks and plots in the CNIG standard, under
the Licence Ouverte 2.0.

Per data set: the official CSV and GeoJSON (`zae-sites.csv`...), the same CSV
for spreadsheets (`-tableur`: `;` and a byte order mark) and the extended
files with our own fields after the official ones (`-etendu`).

Building a file reads the whole table (a minute and gigabytes at a million
plots when it was built per request), so a background job writes them
(`open_data_write`: Celery beat hourly, or `manage.py write_open_data`) into
settings.OPEN_DATA_ROOT, each streamed to a temporary file then renamed over
the last one; requests only send the file that is there, with its date.
"""

import fcntl
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from core.caching import listings_version
from core.transactions import unbounded_atomic

from . import cnig
from .export import EXPORTS, LICENCE, listings_export_chunks

KINDS = {"zae-sites": cnig.SITE, "zae-terrains": cnig.TERRAIN}
# (suffix of the name, extension) -> export format
VARIANTS = {
    ("", "csv"): "csv",
    ("", "geojson"): "geojson",
    ("-tableur", "csv"): "spreadsheet",
    ("-etendu", "csv"): "extended-csv",
    ("-etendu", "geojson"): "extended-geojson",
}
NAME_PATTERN = r"zae-(?:sites|terrains)(?:-tableur|-etendu)?"
# The listings version the files were last written from (core.caching).
VERSION_FILE = ".listings-version"
LOCK_FILE = ".writing"  # held (flock) by the run writing the files


def _dataset(name, fmt):
    for base, kind in KINDS.items():
        variant = VARIANTS.get((name.removeprefix(base), fmt))
        if name.startswith(base) and variant:
            return kind, variant
    raise Http404


def _root():
    return Path(settings.OPEN_DATA_ROOT)


def _written_at(path):
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except FileNotFoundError:
        return None


def files():
    """The files, for the page: {data set: [(name, extension, written at or
    None when not written yet)...]}."""
    return {
        base: [
            (f"{base}{suffix}", ext, _written_at(_root() / f"{base}{suffix}.{ext}"))
            for suffix, ext in VARIANTS
        ]
        for base in KINDS
    }


@require_safe
def page(request):
    return render(
        request, "exchange/opendata.html", {"licence": LICENCE, "files": files()}
    )


@require_safe
def dataset(request, name, fmt):
    kind, variant = _dataset(name, fmt)
    path = _root() / f"{name}.{fmt}"
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404("This file has not been written yet.") from None
    written_at = os.fstat(handle.fileno()).st_mtime
    # Harvesters ask again each hour with the date they hold: a file not
    # written since is a 304, not all of it again (hundreds of MB at scale).
    unchanged = get_conditional_response(request, last_modified=int(written_at))
    if unchanged is not None:
        handle.close()
        return unchanged
    response = FileResponse(handle, content_type=EXPORTS[variant][0])
    response["Last-Modified"] = http_date(written_at)
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


def _write(path, chunks):
    """Write `chunks` to a temporary file beside `path`, then rename it over
    `path`: a reader sees the old file or the new one, never a part."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from a proxy
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_data_write(*, force=False):
    """Write every open-data file; unless `force`, only when the listings
    changed since the last run. Returns the names written (none while another
    run is writing: at a million plots a run outlasts the hour)."""
    root = _root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []
        return _files_write(root, force=force)


def _files_write(root, *, force):
    version = str(listings_version())
    version_file = root / VERSION_FILE
    if not force and version_file.exists() and version_file.read_text() == version:
        return []
    written = []
    for (base, kind), ((suffix, ext), variant) in (
        (k, v) for k in KINDS.items() for v in VARIANTS.items()
    ):
        with unbounded_atomic():
            chunks, _type, _suffix = listings_export_chunks(kind, variant)
            _write(root / f"{base}{suffix}.{ext}", chunks)
        written.append(f"{base}{suffix}.{ext}")
    _write(version_file, [version])
    return written
