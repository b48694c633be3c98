"""Plot sheets on paper: one A4 page per plot, as the printed plot page shows
and as a PDF (WeasyPrint) in the active language.

`plot_sheets_pdf` renders any number of plots into one document, one page
each: a list of plots (a shortlist) is `plot_sheets_pdf(selectors.plot_sheets
(slugs))`. The plot page's PDF is the cached one-plot case (`plot_sheet_pdf`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from core import limits
from core.caching import listings_cached
from core.drawings import outlines_svg, qr_svg
from core.geo import wgs84_point
from core.limits import LimitReached
from core.links import absolute_url
from core.units import METRIC

from . import selectors

# Sheets laid out (not kept yet: a plot's, a shortlist's) per client and
# minute: seconds of a worker each.
SHEETS_REFUSED = gettext_lazy(
    "Too many plot sheets asked for from your address: try again in a minute."
)


def sheets_allowed(request):
    """Whether the client may have one more sheet laid out this minute."""
    return limits.client_within(request, "sheets", settings.PLOT_SHEETS_PER_MINUTE)


@dataclass(frozen=True)
class PlotSheet:
    plot: object  # a Plot from selectors.plot_detail (park, contacts...)
    url: str  # the plot's public page, absolute
    point: object  # a WGS84 point inside the outline; None without one
    map_svg: SafeString  # "" when the plot has no outline
    qr_svg: SafeString
    note: str = ""  # staff's words to the reader (a shortlist's note), printed


def plot_map_svg(plot):
    """The plot's outline in its park's perimeter, for paper."""
    park = plot.park
    label = gettext("Map of the plot within its business park")
    return outlines_svg(
        [(park.perimeter, "context"), (plot.geom, "focus")], label=label
    )


def plot_qr_svg(plot):
    url = absolute_url(plot.get_absolute_url())
    return qr_svg(url, label=gettext("QR code: %(url)s") % {"url": url})


def plot_sheet(plot, note=""):
    """What a sheet shows of `plot` beyond its fields, in the active language."""
    return PlotSheet(
        plot=plot,
        url=absolute_url(plot.get_absolute_url()),
        point=wgs84_point(plot.geom) if plot.geom else None,
        map_svg=plot_map_svg(plot),
        qr_svg=plot_qr_svg(plot),
        note=note,
    )


def _no_fetching(url, *args, **kwargs):
    """The sheets carry everything inline: WeasyPrint fetches nothing, neither
    from the network nor from the disk, whatever a text typed by staff says."""
    raise ValueError(f"not fetched: {url[:80]}")


def plot_sheets_pdf(plots, *, units=METRIC, notes=None):
    """A PDF of one A4 page per plot (from selectors.plot_detail or
    selectors.plot_sheets), in the active language and `units`; `notes`
    ({slug: text}) prints a note on the pages of those plots."""
    return plot_sheets_laid_out(plots, units=units, notes=notes).write_pdf()


def plot_sheets_laid_out(plots, *, units=METRIC, notes=None):
    """The pages of plot_sheets_pdf, laid out (a WeasyPrint Document)."""
    # Imported here: WeasyPrint loads pango and its fonts, which only the
    # processes that make a PDF need to pay for.
    from weasyprint import HTML

    html = render_to_string(
        "sites/sheet/plots.html",
        {
            "sheets": [plot_sheet(p, (notes or {}).get(p.slug, "")) for p in plots],
            "units": units,
        },
    )
    return HTML(string=html, url_fetcher=_no_fetching).render()


def plot_sheet_pdf(slug, *, units=METRIC, build_allowed=None):
    """The PDF sheet of the published plot `slug` (Plot.DoesNotExist if none),
    kept until the listings change: a sheet downloaded again costs no query.
    One not kept yet (seconds of layout) is built only if `build_allowed()`
    (when given) says so, or core.limits.LimitReached is raised."""

    def built():
        plot = selectors.plot_detail(slug)
        if build_allowed is not None and not build_allowed():
            raise LimitReached
        return plot_sheets_pdf([plot], units=units)

    return listings_cached(f"plot-sheet:{units}:{slug}", built)
