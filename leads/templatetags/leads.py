from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.caching import listings_cached
from core.units import SQUARE_METRES_PER_HECTARE
from leads.forms import LeadForm, ProjectForm
from leads.tokens import CSRF_SLOT, ISSUED_SLOT
from sites.search import search_query

register = template.Library()


@register.simple_tag
def lead_form(plot=None, park=None):
    """The contact form of a plot or park page, posting to the leads app.

    The blank form is the same for every visitor but for its CSRF token and
    time trap: it is rendered once per language and target with stand-ins for
    both, which the page's view fills in (`leads.tokens`), so
    the rest of the page can be cached whole.
    """
    if plot is not None:
        action = reverse("leads:plot", args=[plot.slug])
    elif park is not None:
        action = reverse("leads:park", args=[park.slug])
    else:
        action = reverse("leads:contact")

    def render():
        form = LeadForm(initial={"language": get_language(), "issued": ISSUED_SLOT})
        return render_to_string(
            "leads/_form.html",
            {"form": form, "action": action, "csrf_token": CSRF_SLOT},
        )

    html = listings_cached(f"lead-form:{action}", render)
    return mark_safe(html)


@register.simple_tag
def project_form(search):
    """ "Describe your project" under a search that found too few plots: its
    surface taken from the search, which goes with the lead. Its page is cached
    whole per search (core.caching), with the same stand-ins as lead_form."""
    surface = search.form.cleaned_data.get("surface_min")
    initial = {
        "language": get_language(),
        "issued": ISSUED_SLOT,
        "search": search_query(search),
    }
    if surface:
        initial["surface_needed_m2"] = round(surface * SQUARE_METRES_PER_HECTARE)
    context = {
        "form": ProjectForm(initial=initial),
        "action": reverse("leads:project"),
        "csrf_token": CSRF_SLOT,
    }
    return mark_safe(render_to_string("leads/_form.html", context))
