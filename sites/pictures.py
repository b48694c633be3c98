"""Pictures of a plot or a park drawn from their geometry alone: a small SVG
thumbnail (search results, map popups) and a PNG sharing card (link previews).

Each is kept until a listing changes (core/caching.py), so an outline redrawn
in the admin or an import is drawn again at the next request. The work is
bounded: outlines are simplified to about a pixel before anything else
(core/svg.py, core/raster.py), and a park shows at most MAX_OTHERS of its
plots around the one in focus.
"""

from django.contrib.gis.geos import MultiPolygon
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.caching import listings_cached
from core.raster import card_png
from core.svg import frame_span, outline_svg

from .models import SRID, BusinessPark, Plot

MAX_OTHERS = 200
FOOTER = "investinartois.fr"


def _plot(slug):
    return (
        Plot.objects.published()
        .select_related("park", "commune")
        .only(
            "name",
            "slug",
            "geom",
            "surface_ha",
            "park__perimeter",
            "park__name",
            "commune__name",
        )
        .get(slug=slug)
    )


def _park(slug):
    return (
        BusinessPark.objects.published()
        .select_related("commune")
        .only("name", "slug", "perimeter", "commune__name")
        .get(slug=slug)
    )


def _park_plots(park_id, *, exclude=None):
    plots = Plot.objects.published().filter(park_id=park_id).exclude(pk=exclude)
    return [plot.geom for plot in plots.only("geom")[:MAX_OTHERS] if plot.geom]


def _union_of(outlines):
    """One MultiPolygon of plots' outlines (None without any)."""
    polygons = [polygon for outline in outlines if outline for polygon in outline]
    return MultiPolygon(polygons, srid=SRID) if polygons else None


def plot_thumbnail(slug):
    """The plot's outline in its park's perimeter, with a scale bar (SVG)."""

    def draw():
        plot = _plot(slug)
        # Three times the plot's size: enough of the park to see it in.
        span = frame_span([plot.geom], margin=1.0)
        return str(
            outline_svg(
                plot.geom,
                context=plot.park.perimeter,
                label=plot.name,
                span=span,
                standalone=True,
            )
        )

    return listings_cached(f"picture:plot-svg:{slug}", draw, per_language=False)


def park_thumbnail(slug):
    """The park's perimeter, with a scale bar (SVG)."""

    def draw():
        park = _park(slug)
        return str(outline_svg(park.perimeter, label=park.name, standalone=True))

    return listings_cached(f"picture:park-svg:{slug}", draw, per_language=False)


def _hectares(value):
    return _("%(surface)s ha") % {
        "surface": number_format(value, 1, force_grouping=True)
    }


def plot_card(slug):
    """The plot's sharing card (PNG), in the active language."""

    def draw():
        plot = _plot(slug)
        return card_png(
            plot.geom,
            context=plot.park.perimeter,
            others=_park_plots(plot.park_id, exclude=plot.pk),
            lines=[
                plot.name,
                _hectares(plot.surface_ha),
                plot.commune.name,
                plot.park.name,
            ],
            footer=FOOTER,
        )

    return listings_cached(f"picture:plot-png:{slug}", draw)


def park_card(slug):
    """The park's sharing card (PNG): its plots in its perimeter, those
    available in the portal's colour."""

    def draw():
        park = _park(slug)
        plots = Plot.objects.published().filter(park=park)
        available = list(plots.available().only("geom")[:MAX_OTHERS])
        others = plots.exclude(pk__in=[plot.pk for plot in available])
        return card_png(
            _union_of(plot.geom for plot in available),
            context=park.perimeter,
            others=[
                plot.geom for plot in others.only("geom")[:MAX_OTHERS] if plot.geom
            ],
            frame_on=park.perimeter,
            lines=[
                park.name,
                _("%(surface)s available")
                % {"surface": _hectares(plots.available().total_surface_ha())},
                park.commune.name,
            ],
            footer=FOOTER,
        )

    return listings_cached(f"picture:park-png:{slug}", draw)
