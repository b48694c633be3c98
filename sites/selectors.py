from django.db.models import Count, Sum

from .models import BusinessPark, Commune, Plot


def key_figures():
    """The territory's headline numbers, computed from the data, never typed in."""
    available = Plot.objects.published().available()
    territory = Commune.objects.in_territory().aggregate(
        communes=Count("pk"), inhabitants=Sum("population")
    )
    return {
        "available_ha": available.total_surface_ha(),
        "available_plots": available.count(),
        "parks": BusinessPark.objects.filter(is_published=True).count(),
        "communes": territory["communes"],
        "inhabitants": territory["inhabitants"] or 0,
    }


def plot_detail(slug):
    return (
        Plot.objects.published()
        .select_related("park__organisation", "commune")
        .prefetch_related("photos")
        .get(slug=slug)
    )


def park_detail(slug):
    return (
        BusinessPark.objects.filter(is_published=True)
        .select_related("organisation", "commune")
        .prefetch_related("photos")
        .get(slug=slug)
    )


def park_plots(park):
    return park.plots.published().select_related("commune").defer("geom")
