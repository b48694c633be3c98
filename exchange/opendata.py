"""Public open data: the published parks and plots in the CNIG standard, under
the Licence Ouverte 2.0. Each file is built in one database query.

Per data set: the official CSV and GeoJSON (`zae-sites.csv`...), the same CSV
for spreadsheets (`-tableur`: `;` and a byte order mark) and the extended
files with our own fields after the official ones (`-etendu`)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import cnig
from .export import LICENCE, listings_export

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


def _dataset(name, fmt):
    for base, kind in KINDS.items():
        variant = VARIANTS.get((name.removeprefix(base), fmt))
        if name.startswith(base) and variant:
            return kind, variant
    raise Http404


def files():
    """The published files, for the page: {data set: [(name, extension)...]}."""
    return {
        base: [(f"{base}{suffix}", ext) for suffix, ext in VARIANTS] for base in KINDS
    }


@require_GET
def page(request):
    return render(
        request, "exchange/opendata.html", {"licence": LICENCE, "files": files()}
    )


@require_GET
def dataset(request, name, fmt):
    kind, variant = _dataset(name, fmt)
    content, content_type, _suffix = listings_export(kind, variant)
    response = HttpResponse(content, content_type=content_type)
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response
