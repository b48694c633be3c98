"""Reads behind the search page and the map API (one FilterSet for both)."""

import functools
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.gis.db.models.functions import (
    ForcePolygonCW,
    GeomOutputGeoFunc,
    Reverse,
)
from django.contrib.gis.geos import GEOSGeometry
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, Model, Q, When
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django_filters import NumberFilter

from core.geo import MAP_API_DECIMALS, as_geojson, feature, feature_collection

from .filters import MAX_TEXT, PlotFilter, ShownBound, filter_is_set
from .models import Plot
from .selectors import key_figures

PAGE_SIZE = 20
# Results are counted exactly up to this many (counting stops there, whatever
# the table's size); above, the page says "about" the planner's estimate.
EXACT_COUNT_UP_TO = 10_000
# Pages listed: each page's OFFSET walks every result before it, so the list
# stops after 1,000 results and asks for a narrower search instead.
MAX_PAGES = 50
MAP_LIMIT = 500  # features per API response; the map says when there are more
# Pages of the map API: each OFFSET walks the plots before it (through the
# order's index), so a client reads at most 100,000 plots this way.
MAX_MAP_PAGES = 200
# The map draws outlines simplified to the metre (in Lambert-93, before they
# become WGS84): a surveyed outline of thousands of points costs every visitor
# its weight for nothing on a map; the plot's own page keeps the full outline.
MAP_SIMPLIFY_M = 1


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """PostGIS's and SpatiaLite's ST_SimplifyPreserveTopology(geometry, tolerance),
    which never makes a polygon invalid or empty."""

    function = "ST_SimplifyPreserveTopology"


class Multi(GeomOutputGeoFunc):
    """ST_Multi: the API's outlines stay MultiPolygons once simplified."""

    function = "ST_Multi"


def map_outline(field="geom"):
    """The outline for the public map: simplified, exterior rings
    counter-clockwise and holes clockwise as RFC 7946 says (still in Lambert-93:
    as_geojson takes it to WGS84, which keeps the orientation)."""
    simplified = SimplifyPreserveTopology(field, MAP_SIMPLIFY_M)
    return Multi(Reverse(ForcePolygonCW(simplified)))


def plot_search(*, params):
    """A bound PlotFilter over the plots on offer; check `.is_valid()`."""
    return PlotFilter(params, queryset=_plots_on_offer().all())


@functools.cache
def _plots_on_offer():
    """The plots on offer's queryset, built once per process and copied for
    each search: its lookups (rewritten by modeltranslation) and the park's
    join were some 0.18 ms of Python each time. Nothing in it depends on the
    language or the database, which are read when a copy runs."""
    return Plot.objects.on_offer()


# Filters that narrow nothing by themselves: the order, and values another
# filter reads (the radius of `near`, the "on request" choice of two bounds).
NOT_NARROWING = {"sort", "near_km", "exclude_on_request"}


def narrowed(search):
    """Whether the valid `search` keeps fewer plots than all on offer."""
    return any(
        filter_is_set(value)
        for name, value in search.form.cleaned_data.items()
        if name not in NOT_NARROWING
    )


class SearchPaginator(Paginator):
    """Pages whose cost does not grow with the table: an exact count up to
    EXACT_COUNT_UP_TO (then `estimated` is true), or the one given (`count`),
    and MAX_PAGES pages at most (then `truncated` is true)."""

    _estimated = False
    _count_later = None

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if callable(count):
            self._count_later = count
        elif count is not None:
            self.__dict__["count"] = count  # the cached_property's value

    @property
    def estimated(self):
        return self.count is not None and self._estimated

    @property
    def count_pending(self):
        """Whether the count given as a callable is still to be asked for."""
        return self._count_later is not None and "count" not in self.__dict__

    def get_page(self, number):
        """Paginator's, but with a count given as a callable, a page that
        holds plots is served without asking for it (a page's plots show it
        exists): the count is asked for when the page shows it, by then read
        with the page's other data. Beyond the plots, or not a page number
        (the last page is served), the count decides, as in Paginator."""
        if self.count_pending:
            page = self._page_with_plots(number)
            if page is not None:
                return page
        return super().get_page(number)

    def _page_with_plots(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as Paginator.get_page, which needs no count for it
        if not 1 <= number <= MAX_PAGES:
            return None
        bottom = (number - 1) * self.per_page
        page = self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )
        # The first page exists, with plots or none; another one if its
        # plots do (their ids are read now, as its cards would read them).
        if number > 1 and not page_ids(page):
            return None
        return page

    @cached_property
    def count(self):
        if self._count_later is not None:
            return self._count_later()
        bounded = self.object_list.order_by()[: EXACT_COUNT_UP_TO + 1].count()
        if bounded <= EXACT_COUNT_UP_TO:
            return bounded
        estimate = planner_estimate(self.object_list)
        if estimate is None:
            # SpatiaLite, the embedded database for a small territory: no
            # planner estimate to read, and a count it can afford.
            return self.object_list.count()
        self._estimated = True
        # Two significant figures: it is an estimate, and says so.
        return int(float(f"{max(estimate, bounded):.2g}"))

    @cached_property
    def num_pages(self):
        return min(self._all_pages, MAX_PAGES)

    @property
    def _all_pages(self):
        # Paginator's own computation, without its caching under `num_pages`.
        return Paginator.num_pages.func(self)

    @property
    def truncated(self):
        return self._all_pages > MAX_PAGES

    @property
    def listed(self):
        """How many results the pages can show."""
        return min(self.count, MAX_PAGES * self.per_page)


def planner_estimate(queryset):
    """The number of rows PostgreSQL's planner expects (EXPLAIN, no query
    run); None on another database."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


SUGGESTIONS = 10
SUGGEST_FROM = 2  # characters typed before anything is suggested


def place_suggestions(kind, text):
    """Value and label of the places of the search filter `kind` whose name
    holds `text`, the names that begin with it first; None if there is no
    such filter."""
    if kind not in PlotFilter.PLACES:
        return None
    text = text.strip()
    # No name holds a NUL byte, and PostgreSQL refuses one in a query's text.
    if not SUGGEST_FROM <= len(text) <= MAX_TEXT or "\x00" in text:
        return []
    place = PlotFilter.base_filters[kind]
    code = place.extra["to_field_name"]
    named = place.extra["queryset"].filter(name__icontains=text)
    rows = named.annotate(first=Case(When(name__istartswith=text, then=0), default=1))
    rows = rows.order_by("first", "name").values_list(code, "name")[:SUGGESTIONS]
    return [{"value": value, "label": label} for value, label in rows]


def search_query(search):
    """The search's own parameters as a query string: no page, nothing unknown."""
    params = QueryDict(mutable=True)
    for name in search.form.fields:
        if search.data.getlist(name):
            params.setlist(name, search.data.getlist(name))
    return params.urlencode()


def search_results_page(search, *, page, read_ahead=None):
    """One page of `search`'s results. Without a filter, the count is the
    plots on offer among the key figures (kept until a listing changes):
    exact, and neither counted nor estimated for each search; asked for only
    when the page shows it, `read_ahead()` then giving them as read with the
    page's fragments (a round trip to the cache fewer), or None."""
    # Only the page's ids are read (`page_ids`), and the plots of the cards
    # not kept (`result_plots`): the page's own queryset needs no relations.
    count = None
    if not narrowed(search):

        def count():
            ahead = read_ahead() if read_ahead is not None else None
            return key_figures(read_ahead=ahead)["plots_on_offer"]

    return SearchPaginator(search.qs, PAGE_SIZE, count=count).get_page(page)


# What a result card shows of a plot's relations, and what it never reads.
RESULT_RELATED = ("park__organisation", "commune")
RESULT_DEFERRED = ("geom", "park__perimeter", "commune__boundary", "commune__point")


def page_ids(page):
    """The ids of `page`'s plots, in its order, read without the plots: their
    cards are kept (sites/templatetags/results.py), and `result_plots` reads
    only those of the cards that are not."""
    ids = getattr(page, "_ids", None)
    if ids is None:
        ids = page._ids = _ids_read(page.object_list)
    return ids


def _ids_read(plots):
    if isinstance(plots, list):
        return [plot.pk for plot in plots]
    if _unfiltered(plots.query):
        return _unfiltered_ids(plots)
    return list(plots.values_list("pk", flat=True))


def _unfiltered(query):
    """Whether `query` is the plots on offer, only ordered and sliced."""
    base = _plots_on_offer().query
    return (
        query.is_sliced
        and query.high_mark is not None
        and query.where == base.where
        and query.alias_map.keys() == base.alias_map.keys()
        and not (query.annotations or query.distinct or query.extra)
        and all(isinstance(field, str) for field in query.order_by)
    )


def _unfiltered_ids(plots):
    """The ids of a page of every plot on offer (a search without a filter,
    in any order, on any page), through a statement compiled once per
    process for each order and database: building and compiling the ids'
    query with the ORM was some 0.3 ms of Python for each search."""
    query = plots.query
    sql, params = _unfiltered_ids_sql(plots.db, tuple(query.order_by))
    limits = (query.high_mark - query.low_mark, query.low_mark)
    with connections[plots.db].cursor() as cursor:
        cursor.execute(sql, (*params, *limits))
        return [row[0] for row in cursor.fetchall()]


@functools.cache
def _unfiltered_ids_sql(alias, ordering):
    ids = _plots_on_offer().order_by(*ordering).values_list("pk", flat=True)
    sql, params = ids.query.get_compiler(using=alias).as_sql()
    return f"{sql} LIMIT %s OFFSET %s", params


def result_plots(ids):
    """{id: plot} of `ids`, with what a result card shows, in one query."""
    plots = Plot.objects.select_related(*RESULT_RELATED).defer(*RESULT_DEFERRED)
    return plots.in_bulk(ids)


def plots_geojson(search, *, limit=None, page=1, page_url=None):
    """One page of the FeatureCollection as a string, shaped by the database.

    Geometries leave the database as GeoJSON text and go into the response
    untouched; only the few popup properties are encoded in Python. Pages
    follow the search's order (an index serves the default one); `page_url(n)`
    gives the `next` link while more plots follow, up to MAX_MAP_PAGES.
    """
    limit = limit or MAP_LIMIT
    geojson = as_geojson(map_outline(), decimals=MAP_API_DECIMALS)
    start = (page - 1) * limit
    # The page's ids first, then the outlines of those plots alone: the
    # database computes the select list below the OFFSET, so each plot it
    # skips was simplified, projected and written as GeoJSON too (a second
    # for the deepest pages at 100,000 plots, the first a few milliseconds).
    plots = search.qs
    page_ids = plots.values("pk")[start : start + limit + 1]
    rows = list(
        Plot.objects.using(plots.db)
        .filter(pk__in=page_ids)
        .order_by(*plots.query.order_by)
        .annotate(geojson=geojson)
        .values("geojson", *POPUP_FIELDS)
    )
    plot_url = reverse("sites:plot", args=[SLUG])
    more = len(rows) > limit
    following = more and page < MAX_MAP_PAGES and page_url is not None
    return feature_collection(
        (_feature(row, plot_url) for row in rows[:limit]),
        truncated=more,
        limit=limit,
        page=page,
        next=page_url(page + 1) if following else None,
    )


SLUG = "-slug-"
POPUP_FIELDS = (
    "pk",
    "slug",
    "name",
    "surface_ha",
    "marketing_stage",
    "commune__name",
    "park__name",
    "park__organisation__short_name",
)


def _feature(row, plot_url):
    properties = {
        "name": row["name"],
        "slug": row["slug"],
        "url": plot_url.replace(SLUG, row["slug"]),
        "surface_ha": float(row["surface_ha"]),
        "stage": str(Plot.MarketingStage(row["marketing_stage"]).label),
        "commune": row["commune__name"],
        "park": row["park__name"],
        "organisation": row["park__organisation__short_name"],
    }
    return feature(row["geojson"], properties, id=row["pk"])


# Under this many results, the page offers wider searches and the project form.
WIDEN_BELOW = 5
NOT_WIDENED = {"sort", "near_km"}  # near_km is part of `near`
# A numeric bound can also be relaxed to the value of the nearest plot: the
# largest for a minimum, the smallest for a maximum.
LOWER_BOUNDS = {"surface_min", "power_min_mva"}


@dataclass(frozen=True)
class Widening:
    name: str  # the filter the visitor set
    label: str  # its label
    value: str  # what they chose, as shown ("" for a ticked box)
    query: str  # the search without it, or relaxed
    count: int  # how many plots that search finds (counted up to one more
    # than EXACT_COUNT_UP_TO)
    relaxed: str = ""  # the relaxed value as shown; "" when dropped

    @property
    def more_than(self):
        """EXACT_COUNT_UP_TO when the search finds more, else None."""
        return EXACT_COUNT_UP_TO if self.count > EXACT_COUNT_UP_TO else None


def search_widenings(search, *, count):
    """The searches one filter wider than `search` (valid, finding `count`
    plots) that find more, with their counts, most results first.

    Two queries whatever the number of filters, each of scalar subqueries
    that stop early: the counts without each filter (up to
    EXACT_COUNT_UP_TO, as the result's own count) with the nearest values of
    the numeric ones (one row each, through the sort's index), then the counts
    of the relaxed searches."""
    active = [
        name
        for name, value in search.form.cleaned_data.items()
        if name not in NOT_WIDENED and _narrows(name, value)
    ]
    if not active:
        return []
    dropped = {name: _search_with(search, name, None) for name in active}
    numeric = [n for n in active if isinstance(search.filters[n], NumberFilter)]
    found = _scalars(
        {name: _bounded_count(wider) for name, wider in dropped.items()}
        | {f"~{name}": _nearest(search, name, dropped[name]) for name in numeric}
    )
    widenings = [
        _widening(search, name, wider, found[name]) for name, wider in dropped.items()
    ]
    relaxed = {
        name: _search_with(search, name, _relaxed(search, name, found[f"~{name}"]))
        for name in numeric
        if found[f"~{name}"] is not None
    }
    if relaxed:
        counts = _scalars(
            {name: _bounded_count(wider) for name, wider in relaxed.items()}
        )
        widenings += [
            _widening(search, name, wider, counts[name], relaxed=True)
            for name, wider in relaxed.items()
            # Not when it finds as much as dropping the filter.
            if counts[name] < found[name]
        ]
    widenings.sort(key=lambda w: (-w.count, w.name, bool(w.relaxed)))
    return [w for w in widenings if w.count > count]


def _narrows(name, value):
    """Whether the visitor's filter can leave plots out: one they set (a
    bound of 0 is set, though `Decimal(0) in (None, "", False)` is true),
    but not a lower bound of 0, which keeps every plot."""
    return filter_is_set(value) and not (name in LOWER_BOUNDS and value == 0)


def _search_with(search, name, value):
    """`search` without the filter `name`, or with `value` for it."""
    params = search.data.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = f"{value.normalize():f}"
    wider = plot_search(params=params)
    wider.is_valid()  # one filter fewer, or a value the database holds
    return wider


def _bounded_count(wider):
    """SQL counting the plots of `wider`, stopping one after EXACT_COUNT_UP_TO."""
    rows = wider.qs.order_by().values("pk")[: EXACT_COUNT_UP_TO + 1]
    sql, params = rows.query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) AS found", params


def _nearest(search, name, wider):
    """SQL for the value of the plot nearest to the bound `name` among those
    the other filters keep: the relaxed bound that finds at least that plot."""
    bound = search.filters[name]
    field = bound.field_name
    order = f"-{field}" if name in LOWER_BOUNDS else field
    # Among the plots the bound can keep at all (power: parks with electricity).
    required = getattr(bound, "REQUIRED", Q())
    nearest = wider.qs.filter(required, **{f"{field}__isnull": False}).order_by(order)
    return nearest.values(field)[:1].query.sql_with_params()


def _scalars(subqueries):
    """{name: (sql, params)} run as one SELECT of scalar subqueries."""
    columns = ", ".join(f"({sql})" for sql, _params in subqueries.values())
    params = [
        param for _sql, query_params in subqueries.values() for param in query_params
    ]
    with connections[Plot.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        return dict(zip(subqueries, cursor.fetchone(), strict=True))


def _decimal(value):
    # SpatiaLite hands a decimal column back as a float, PostgreSQL as a Decimal.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _relaxed(search, name, nearest):
    """The bound `name` relaxed to the `nearest` plot's value, as the pages
    show it when the bound compares that (a surface of 2.4951 ha: 2.5, which
    keeps it and the others shown 2.50 ha)."""
    bound = search.filters[name]
    return bound.shown(nearest) if isinstance(bound, ShownBound) else _decimal(nearest)


def _widening(search, name, wider, count, relaxed=False):
    return Widening(
        name=name,
        label=str(search.filters[name].label),
        value=_shown(search, name),
        query=wider.data.urlencode(),
        count=count,
        relaxed=_shown(wider, name) if relaxed else "",
    )


def _shown(search, name):
    """The filter's value as the visitor reads it ("" for a box or the map)."""
    value = search.form.cleaned_data[name]
    if isinstance(value, bool | GEOSGeometry):
        return ""
    if isinstance(value, Decimal):
        return number_format(value.normalize(), use_l10n=True)
    if isinstance(value, Model):
        return str(value)
    return str(dict(search.form.fields[name].choices).get(value, value))
