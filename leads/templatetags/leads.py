from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from leads import antispam
from leads.forms import LeadForm
from sites.caching import listings_cached

register = template.Library()

# Stand-ins for the two per-visitor values, replaced after the cached rendering.
CSRF_SLOT, ISSUED_SLOT = "@@csrf@@", "@@issued@@"


@register.simple_tag(takes_context=True)
def lead_form(context, plot=None, park=None):
    """The contact form of a plot or park page, posting to the leads app.

    The blank form is the same for every visitor but for its CSRF token and
    time trap, and rendering its fields is most of a plot page's time: it is
    rendered once per language and target, then given this visitor's tokens.
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

    _, html = listings_cached(f"lead-form:{action}", render)
    # Both tokens are URL-safe (base64 and signing characters): nothing to escape.
    html = html.replace(CSRF_SLOT, str(context.get("csrf_token", "")))
    return mark_safe(html.replace(ISSUED_SLOT, antispam.form_token()))
