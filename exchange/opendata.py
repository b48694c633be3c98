"""Public open data: the published parks and plots in the CNIG standard, under
the Licence Ouverte 2.0. Each file is built in one database query."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import cnig
from .export import LICENCE, listings_csv, listings_geojson

DATASETS = {"zae-sites": cnig.SITE, "zae-terrains": cnig.TERRAIN}
FORMATS = {
    "geojson": (listings_geojson, "application/geo+json"),
    "csv": (listings_csv, "text/csv; charset=utf-8"),
}


@require_GET
def page(request):
    return render(request, "exchange/opendata.html", {"licence": LICENCE})


@require_GET
def dataset(request, name, fmt):
    build, content_type = FORMATS[fmt]
    response = HttpResponse(build(DATASETS[name]), content_type=content_type)
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response
