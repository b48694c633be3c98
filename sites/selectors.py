from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.caching import listings_cached
from core.geo import as_geojson

from .models import BusinessPark, Commune, Contact, Organisation, Plot

# An organisation's page lists its parks by pages of this many: a national
# operator may hold thousands.
ORGANISATION_PARKS_PER_PAGE = 50


KEY_FIGURES = "key_figures"  # their name in the cache, for every language


def key_figures(read_ahead=None):
    """The territory's headline numbers, computed from the data, never typed in.

    They sum the whole table (seconds at a million plots), so they are kept
    until a listing changes rather than computed for each visit of the home;
    the homes and searches that find them gone at the same time (after an
    edit, before the task has run) wait for one of them to compute them.
    `read_ahead`: as read with a page's fragments (fragments.shared_read_ahead)."""
    return listings_cached(
        KEY_FIGURES,
        _key_figures,
        per_language=False,
        read_ahead=read_ahead,
        once=True,
    )


# After a listings commit the key figures are computed again by a task this
# many seconds later (core.caching.listings_followed_by): the first home or
# unfiltered search after an edit then finds them kept rather than summing
# the whole table (0.3-0.6 s at a million plots) in its request.
KEY_FIGURES_DELAY = 2


def _key_figures():
    # One pass over the published plots for the three figures on them.
    available = Q(marketing_stage=Plot.MarketingStage.AVAILABLE)
    plots = Plot.objects.published().aggregate(
        available_ha=Sum("surface_ha", filter=available),
        available_plots=Count("pk", filter=available),
        # The search's results without a filter (sites.search): its count.
        plots_on_offer=Count("pk", filter=Q(marketing_stage__in=Plot.ON_OFFER)),
    )
    return {
        **plots,
        "available_ha": plots["available_ha"] or Decimal(0),
        "parks": BusinessPark.objects.published().count(),
        **Commune.objects.in_territory().population(),
    }


def _lead_contacts(path="contacts"):
    """The contacts who answer investors, as `<organisation>.lead_contacts`."""
    return Prefetch(
        path,
        queryset=Contact.objects.filter(receives_leads=True),
        to_attr="lead_contacts",
    )


def _available_ha(plots=None):
    """Hectares of a park's published, available plots (0 when none); among
    `plots` when given."""
    plots = (
        (Plot.objects.published() if plots is None else plots)
        .available()
        .filter(park=OuterRef("pk"))
        .order_by()
        .values("park")
        .annotate(total=Sum("surface_ha"))
        .values("total")
    )
    decimal = DecimalField(max_digits=11, decimal_places=4)
    return Coalesce(
        Subquery(plots, output_field=decimal), Value(Decimal(0)), output_field=decimal
    )


def parks_with_available_ha():
    """Published parks, each with the hectares of its available plots."""
    return BusinessPark.objects.published().annotate(available_ha=_available_ha())


def _plots_detailed(plots=None):
    return (
        (Plot.objects.published() if plots is None else plots)
        .select_related("park__organisation", "commune")
        .defer("commune__boundary")
        .prefetch_related("photos", _lead_contacts("park__organisation__contacts"))
    )


def plot_detail(slug, *, preview=False):
    """A published plot with its park, organisation, commune, photos and lead
    contacts, its outline and its park's perimeter as WGS84 GeoJSON. With
    `preview`, the plot published or not (its park too): a staff preview."""
    return (
        _plots_detailed(Plot.objects.all() if preview else None)
        .annotate(
            geom_geojson=as_geojson("geom"),
            perimeter_geojson=as_geojson("park__perimeter"),
        )
        .get(slug=slug)
    )


def plot_sheets(slugs):
    """The published plots of `slugs`, in that order, with what their sheets
    show (sites.sheets), in four queries however many: unknown and
    unpublished slugs are left out."""
    plots = {plot.slug: plot for plot in _plots_detailed().filter(slug__in=slugs)}
    return [plots[slug] for slug in dict.fromkeys(slugs) if slug in plots]


def park_detail(slug, *, preview=False):
    """A published park for its page. With `preview`, the park published or
    not (a staff preview), its available hectares those of its plots that
    will be shown once it is."""
    parks = BusinessPark.objects.all() if preview else BusinessPark.objects.published()
    plots = _previewed_plots(Plot.objects) if preview else None
    return (
        parks.select_related("organisation", "commune")
        .defer("commune__boundary")
        .prefetch_related("photos", _lead_contacts("organisation__contacts"))
        .annotate(
            perimeter_geojson=as_geojson("perimeter"),
            available_ha=_available_ha(plots),
        )
        .get(slug=slug)
    )


def _previewed_plots(plots):
    """Of `plots`, those a park's page will show once the park is published."""
    return plots.filter(is_published=True)


def park_plots(park, *, preview=False):
    """The park's published plots for a list and a map: no raw geometry. With
    `preview`, those it will show once it is published itself."""
    plots = _previewed_plots(park.plots) if preview else park.plots.published()
    return (
        plots.select_related("commune")
        .defer("geom")
        .annotate(geom_geojson=as_geojson("geom"))
    )


def organisation_detail(slug):
    return Organisation.objects.prefetch_related(_lead_contacts()).get(slug=slug)


def organisation_parks(organisation, *, page):
    """One page of the organisation's published parks, by name, each with its
    available hectares (summed for that page's parks only)."""
    parks = (
        organisation.parks.published()
        .select_related("commune")
        .defer("perimeter", "centroid", "commune__boundary", "commune__point")
        .order_by("name", "pk")
        .annotate(available_ha=_available_ha())
    )
    return Paginator(parks, ORGANISATION_PARKS_PER_PAGE).get_page(page)


def organisation_population(organisation):
    """The communes and inhabitants an organisation covers: an agglomeration's
    own, the whole territory for the metropolitan pole, none for a syndicate."""
    if organisation.is_metropolitan:
        communes = Commune.objects.in_territory()
    else:
        communes = organisation.communes.all()
    figures = communes.population()
    return figures if figures["communes"] else None


def organisation_partners(organisation):
    """The organisations whose parks a metropolitan pole presents (its
    agglomerations and SIZIAF); none for the others."""
    if not organisation.is_metropolitan:
        return Organisation.objects.none()
    return Organisation.objects.members()


def plots_for_comparison(slugs):
    """The published plots of `slugs`, sorted by slug (a comparison's canonical
    order), with their park, organisation and commune, in one query."""
    return list(
        Plot.objects.published()
        .filter(slug__in=slugs)
        .select_related("park__organisation", "commune")
        .defer("commune__boundary", "commune__point", "park__centroid")
        .order_by("slug")
    )
