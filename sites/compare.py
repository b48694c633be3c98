"""Plots side by side: the set a comparison holds, and the rows it shows.

A comparison is its URL, `?p=slug,slug` in a canonical order (slugs sorted,
each once), so a shared link shows the same plots and one set has one address.
The last set a visitor looked at is also kept in a cookie, so that an "add to
comparison" link (search list, map popups, plot pages: static, cacheable
links) can add to it without JavaScript.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.geo import wgs84_point
from core.svg import frame_span, outline_svg

from . import geography
from .filters import PlotFilter
from .selectors import plots_for_comparison

MAX_PLOTS = 4
PARAM = "p"
ADD_PARAM = "add"
COOKIE = "comparison"
COOKIE_DAYS = 30
# The search a plot was added from, so that "add plots from the search" goes
# back to it: `?add=slug&from=<the search's query>`, kept in a cookie.
FROM_PARAM = "from"
SEARCH_COOKIE = "comparison_search"
MAX_SEARCH_TEXT = 4000
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")  # Plot.slug's SlugField
MAX_TEXT = (220 + 1) * MAX_PLOTS  # longer than any valid `p`: refused unread


class ComparisonError(ValueError):
    """A set of plots that cannot be compared, said in words for the visitor."""


def slugs_parse(text):
    """The slugs of `?p=`, in the order given; raises ComparisonError."""
    if len(text) > MAX_TEXT:
        raise ComparisonError(_("A comparison holds at most four plots."))
    slugs = [part.strip() for part in text.split(",") if part.strip()]
    if not all(SLUG.match(slug) for slug in slugs):
        raise ComparisonError(_("This comparison link is not valid."))
    if len(set(slugs)) != len(slugs):
        raise ComparisonError(_("A plot is named twice in this comparison."))
    if len(slugs) > MAX_PLOTS:
        raise ComparisonError(_("A comparison holds at most four plots."))
    return slugs


def canonical(slugs):
    return ",".join(sorted(slugs))


def comparison_url(slugs):
    # Slugs need no escaping; commas left as they are keep the link readable.
    return f"{reverse('sites:compare')}?{PARAM}={canonical(slugs)}"


def add_url(slug):
    return f"{reverse('sites:compare')}?{urlencode({ADD_PARAM: slug})}"


def search_kept(text):
    """The search's own parameters in `text` (a query string), once each,
    sorted: what the comparison links back to. Anything else is dropped."""
    params = QueryDict(text[:MAX_SEARCH_TEXT])
    kept = QueryDict(mutable=True)
    for name in sorted(set(PlotFilter.base_filters) & set(params)):
        kept[name] = params[name]
    return kept.urlencode()


def search_url(cookies):
    """The search page the visitor last added a plot from."""
    query = search_kept(cookies.get(SEARCH_COOKIE, ""))
    return reverse("sites:search") + (f"?{query}" if query else "")


def remembered(cookies):
    """The set kept in the visitor's cookie; an altered cookie counts as empty."""
    try:
        return slugs_parse(cookies.get(COOKIE, ""))
    except ComparisonError:
        return []


@dataclass
class Row:
    label: str
    kind: str  # how the template shows each value
    values: list
    keys: list  # what is compared: a value as it is shown

    @property
    def differs(self):
        return len(self.values) > 1 and len(set(self.keys)) > 1


def _row(label, kind, values, keys=None):
    return Row(label, kind, values, keys if keys is not None else values)


def _access(plots, label, name, km):
    values = [(getattr(p.park, name), getattr(p.park, km)) for p in plots]
    return _row(label, "access", values)


def _power(park):
    return (park.has_power, park.power_capacity_mva if park.has_power else None)


def _price(plot):
    return None if plot.price_on_request else plot.price_per_m2


def comparison_rows(plots):
    """The comparison's sections, each a title and its rows, every row a value
    per plot; `differs` says which rows to highlight."""
    parks = [plot.park for plot in plots]
    points = [wgs84_point(plot.geom) for plot in plots]
    distances = [geography.distances_from(point) for point in points]
    pools = geography.labour_pools([plot.geom for plot in plots])

    def flags(*fields):
        return [
            _row(label, "bool", [getattr(park, field) for park in parks])
            for field, label in fields
        ]

    def stage(field):
        return [getattr(plot, f"get_{field}_display")() for plot in plots]

    return [
        (
            _("The plot"),
            [
                _row(_("Surface"), "surface", [p.surface_ha for p in plots]),
                _row(_("Marketing stage"), "text", stage("marketing_stage")),
                _row(_("Development stage"), "text", stage("development_stage")),
                _row(_("Ready to build"), "bool", [p.ready_to_build for p in plots]),
                _row(
                    _("Divisible"),
                    "divisible",
                    [(p.is_divisible, p.minimum_lot_ha) for p in plots],
                ),
                _row(_("Price"), "price", [_price(p) for p in plots]),
                _row(_("Zoning (PLU)"), "text", [p.zoning or "—" for p in plots]),
                _row(_("ICPE accepted"), "bool", [p.icpe_allowed for p in plots]),
                _row(_("SEVESO accepted"), "bool", [p.seveso_allowed for p in plots]),
            ],
        ),
        (
            _("Utilities"),
            [
                *flags(
                    ("has_drinking_water", _("Drinking water")),
                    ("has_sewage", _("Sewage")),
                    ("has_gas", _("Natural gas")),
                ),
                _row(_("Electricity"), "power", [_power(park) for park in parks]),
                *flags(
                    ("has_fibre", _("Fibre optic")),
                    ("has_rail_siding", _("Rail siding")),
                    ("has_canal_quay", _("Canal quay")),
                ),
            ],
        ),
        (
            _("Access"),
            [
                _access(
                    plots,
                    _("Motorway (distance to the interchange)"),
                    "motorway_name",
                    "motorway_km",
                ),
                _access(plots, _("Passenger station"), "station_name", "station_km"),
                _access(
                    plots,
                    _("Freight station"),
                    "freight_station_name",
                    "freight_station_km",
                ),
                _access(plots, _("Airport"), "airport_name", "airport_km"),
                _access(plots, _("Port"), "port_name", "port_km"),
                *flags(("has_public_transport", _("Public transport"))),
            ],
        ),
        (
            _("Straight-line distances"),
            [
                _row(
                    place.name,
                    "km",
                    [d[index].km for d in distances],
                    [round(d[index].km) for d in distances],
                )
                for index, place in enumerate(geography.REFERENCE_PLACES)
            ],
        ),
        (
            _("Labour pool"),
            [
                _row(
                    _("Inhabitants within %(km)s km") % {"km": radius},
                    "inhabitants",
                    [pool[index] for pool in pools],
                    [pool[index].inhabitants for pool in pools],
                )
                for index, radius in enumerate(geography.LABOUR_POOL_RADII_KM)
            ],
        ),
    ]


@dataclass
class Column:
    plot: object
    map_svg: str
    remove_url: str


def comparison(slugs):
    """The plots of `slugs` that are published, as columns, with their rows,
    and how many of `slugs` were not found."""
    plots = plots_for_comparison(slugs)
    # One scale for every map, so that sizes compare at a glance.
    span = frame_span([plot.geom for plot in plots]) if plots else None
    columns = [
        Column(
            plot=plot,
            map_svg=outline_svg(
                plot.geom,
                context=plot.park.perimeter,
                label=_("Outline of %(plot)s within the perimeter of %(park)s")
                % {"plot": plot.name, "park": plot.park.name},
                span=span,
            ),
            remove_url=comparison_url([p.slug for p in plots if p != plot]),
        )
        for plot in plots
    ]
    rows = comparison_rows(plots) if plots else []
    return columns, rows, len(slugs) - len(plots)
