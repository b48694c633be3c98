from django import template
from django.urls import reverse
from django.utils.translation import get_language

from leads.forms import LeadForm

register = template.Library()


@register.inclusion_tag("leads/_form.html", takes_context=True)
def lead_form(context, plot=None, park=None):
    """The contact form of a plot or park page, posting to the leads app."""
    if plot is not None:
        action = reverse("leads:plot", args=[plot.slug])
    elif park is not None:
        action = reverse("leads:park", args=[park.slug])
    else:
        action = reverse("leads:contact")
    return {
        "form": LeadForm(initial={"language": get_language()}),
        "action": action,
        "csrf_token": context.get("csrf_token"),
    }
